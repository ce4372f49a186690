#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

class QSettings;

namespace Nimbus
{

/// A name the user gave a node of one profile's network. Kept by what survives the node's restart: its address
/// ("192.0.2.11:3210") and the ranges it claimed; the node id it had is only a hint (a restart draws a new one).
struct NodeLabel {
    QString profile;
    QString label;
    QString address;
    QStringList claims;
    QString nodeId;

    bool operator==(const NodeLabel &other) const = default;
};

/// The user's node labels, per profile, in QSettings under "nodeLabels" (an array of {profile, label, address,
/// claims, nodeId}).
class NodeLabels final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeLabels)

public:
    explicit NodeLabels(QSettings &settings, QObject *parent = nullptr);
    ~NodeLabels() override;

    /// The label of the node of `profile` at `address`; else of the node with `nodeId` (it moved); else the one
    /// label whose claims are exactly `claims` (it restarted at a new address). "" if none, or if the claims fit
    /// several labels (two servers that share an address claim the same ranges).
    QString labelFor(
        const QString &profile, const QString &nodeId, const QString &address, const QStringList &claims) const;
    /// Names the node; an empty (or blank) `label` removes its label. Replaces the label of the same address (else
    /// node id) of the profile; the claims are kept to find the node again, never to pick the label to replace (the
    /// servers of an HA pair claim the same ranges).
    void setLabel(const QString &profile,
        const QString &nodeId,
        const QString &address,
        const QStringList &claims,
        const QString &label);
    QList<NodeLabel> labels(const QString &profile = QString()) const;
    /// Moves the labels of `from` to `to` (a renamed profile); an empty `to` removes them.
    void renameProfile(const QString &from, const QString &to);

Q_SIGNALS:
    void changed();

private:
    qsizetype find(const QString &profile,
        const QString &nodeId,
        const QString &address,
        const QStringList &claims,
        bool byClaims = true) const;
    void load();
    void write();

    QSettings &m_settings;
    QList<NodeLabel> m_labels;
};

} // namespace Nimbus
