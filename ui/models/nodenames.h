#pragma once

#include <functional>
#include <optional>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include "core/protocol/types.h"

namespace Nimbus
{

class NodeLabels;

/// How one node is shown: the text, the tooltip (node id and address), and where the name came from.
struct NodeDisplay {
    QString text;
    QString toolTip;
    QString source; ///< "peer", "hosts" (the helper's name), "label" (the user's), "" (the short node id)
};

/// Names nodes the same way in every view (Format::nodeName): the helper's name for the node, else the user's label
/// (NodeLabels, per profile = network), else the short node id. Remembers the helper's names and each node's claims
/// from what the models saw, so a node that left (peer.disconnected carries no name) keeps its name.
class NodeNames final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeNames)

public:
    explicit NodeNames(QObject *parent = nullptr);
    ~NodeNames() override;

    /// The user's labels; may be null (no labels).
    void setLabels(NodeLabels *labels);
    NodeLabels *labels() const;

    /// Remembers what the helper said about a node of `network` (emits nothing: the model that learns it shows it).
    void learn(const QString &network,
        const QString &nodeId,
        const QString &address,
        const QString &name,
        const QString &nameSource,
        const std::optional<QStringList> &claims = std::nullopt);
    void learn(const Protocol::Peer &peer);
    void learn(const QString &network, const Protocol::NodeRef &node);

    NodeDisplay resolve(const QString &network,
        const QString &nodeId,
        const QString &address,
        const QString &helperName = QString(),
        const QString &nameSource = QString()) const;
    NodeDisplay resolve(const QString &network, const std::optional<Protocol::NodeRef> &node) const;
    QString text(const QString &network, const QString &nodeId, const QString &address) const;
    QString text(const QString &network, const std::optional<Protocol::NodeRef> &node) const;
    /// The ranges the node claimed when last seen as a peer (empty if unknown).
    QStringList claimsOf(const QString &network, const QString &nodeId, const QString &address) const;
    /// Names the node for the user (NodeLabels::setLabel with its known claims); no-op without labels.
    void setLabel(const QString &network, const QString &nodeId, const QString &address, const QString &label);

Q_SIGNALS:
    /// A name may read differently now (a label changed).
    void changed();

private:
    struct Known {
        QString name;
        QString source;
        QStringList claims;
        bool hasClaims = false;
    };

    const Known *known(const QString &network, const QString &nodeId, const QString &address) const;

    QPointer<NodeLabels> m_labels;
    QHash<QString, Known> m_byAddress;
    QHash<QString, Known> m_byNodeId;
};

/// Points `slot` (a view model's NodeNames) at `names`: forgets the old one, then runs `refresh` now and whenever a
/// name changes. No-op if `slot` is `names` already.
void bindNodeNames(QPointer<NodeNames> &slot, NodeNames *names, QObject *model, const std::function<void()> &refresh);

/// `names` resolves; without it the helper's name, else the short id (what a view without NodeNames shows).
NodeDisplay resolveNode(const NodeNames *names,
    const QString &network,
    const QString &nodeId,
    const QString &address,
    const QString &helperName = QString(),
    const QString &nameSource = QString());
NodeDisplay resolveNode(const NodeNames *names, const QString &network, const std::optional<Protocol::NodeRef> &node);

} // namespace Nimbus
