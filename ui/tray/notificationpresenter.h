#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace Nimbus
{

class NodeNames;

/// A desktop notification to show.
struct Notification {
    enum class Kind {
        Information,
        Warning,
        Critical,
    };

    QString title;
    QString body;
    Kind kind = Kind::Information;

    bool operator==(const Notification &other) const = default;
};

/// Decides which helper events become notifications: a network connecting, a network or peer going away
/// (with the reason), failovers and losses of an address, and the switchback that ends them. An address becoming
/// reachable (a connect) and balancing moves are not news. Nodes are named as in the window (NodeNames, when set).
/// Knows nothing about widgets; TrayIcon shows what it emits.
class NotificationPresenter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotificationPresenter)

public:
    explicit NotificationPresenter(QObject *parent = nullptr);
    ~NotificationPresenter() override;

    void setEnabled(bool enabled);
    bool isEnabled() const;
    /// Names nodes like the window does (labels included); without it the helper's names, else short node ids.
    void setNodeNames(const NodeNames *names);

    /// Feeds one helper event; emits notify() if it deserves a notification and notifications are on.
    void handleEvent(const QString &name, qint64 timeMs, const QJsonObject &data);

Q_SIGNALS:
    void notify(const Nimbus::Notification &notification);

private:
    QHash<QString, QString> m_states;
    /// network + range of the failovers and losses told, until the address is back on its preferred node.
    QSet<QString> m_degraded;
    QPointer<const NodeNames> m_names;
    bool m_enabled = true;
};

} // namespace Nimbus
