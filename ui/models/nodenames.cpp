#include "ui/models/nodenames.h"

#include "ui/common/format.h"
#include "ui/profiles/nodelabels.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QString keyOf(const QString &network, const QString &part)
{
    return network + u'\x1f' + part;
}

} // namespace

NodeNames::NodeNames(QObject *parent) : QObject(parent)
{
}

NodeNames::~NodeNames() = default;

void NodeNames::setLabels(NodeLabels *labels)
{
    if (m_labels == labels)
        return;
    if (m_labels)
        disconnect(m_labels, nullptr, this, nullptr);
    m_labels = labels;
    if (labels)
        connect(labels, &NodeLabels::changed, this, &NodeNames::changed);
    Q_EMIT changed();
}

NodeLabels *NodeNames::labels() const
{
    return m_labels;
}

void NodeNames::learn(const QString &network,
    const QString &nodeId,
    const QString &address,
    const QString &name,
    const QString &nameSource,
    const std::optional<QStringList> &claims)
{
    const auto update = [&](QHash<QString, Known> &table, const QString &key) {
        Known &k = table[key];
        // A NodeRef without a name (an older helper, or a node it cannot name) does not forget a known name.
        if (!name.isEmpty()) {
            k.name = name;
            k.source = nameSource;
        }
        if (claims) {
            k.claims = *claims;
            k.hasClaims = true;
        }
    };
    if (!address.isEmpty())
        update(m_byAddress, keyOf(network, address));
    if (!nodeId.isEmpty())
        update(m_byNodeId, keyOf(network, nodeId));
}

void NodeNames::learn(const Protocol::Peer &peer)
{
    learn(peer.network, peer.nodeId, peer.address, peer.name, peer.nameSource, peer.claims);
}

void NodeNames::learn(const QString &network, const Protocol::NodeRef &node)
{
    learn(network, node.nodeId, node.address, node.name, node.nameSource);
}

const NodeNames::Known *NodeNames::known(const QString &network, const QString &nodeId, const QString &address) const
{
    if (!address.isEmpty()) {
        const auto it = m_byAddress.constFind(keyOf(network, address));
        if (it != m_byAddress.constEnd())
            return &*it;
    }
    if (!nodeId.isEmpty()) {
        const auto it = m_byNodeId.constFind(keyOf(network, nodeId));
        if (it != m_byNodeId.constEnd())
            return &*it;
    }
    return nullptr;
}

QStringList NodeNames::claimsOf(const QString &network, const QString &nodeId, const QString &address) const
{
    // The id is the better key for claims (an address may have been reused by a restarted node).
    if (!nodeId.isEmpty()) {
        const auto it = m_byNodeId.constFind(keyOf(network, nodeId));
        if (it != m_byNodeId.constEnd() && it->hasClaims)
            return it->claims;
    }
    const Known *k = known(network, QString(), address);
    return k ? k->claims : QStringList();
}

NodeDisplay NodeNames::resolve(const QString &network,
    const QString &nodeId,
    const QString &address,
    const QString &helperName,
    const QString &nameSource) const
{
    QString name = helperName;
    QString source = helperName.isEmpty() ? QString() : nameSource;
    if (name.isEmpty()) {
        if (const Known *k = known(network, nodeId, address); k && !k->name.isEmpty()) {
            name = k->name;
            source = k->source;
        }
    }
    QString label;
    if (name.isEmpty() && m_labels) {
        label = m_labels->labelFor(network, nodeId, address, claimsOf(network, nodeId, address));
        if (!label.isEmpty())
            source = u"label"_s;
    }
    return NodeDisplay {
        Format::nodeName(name, label, nodeId, address), Format::nodeToolTip(nodeId, address, source), source};
}

NodeDisplay NodeNames::resolve(const QString &network, const std::optional<Protocol::NodeRef> &node) const
{
    if (!node)
        return NodeDisplay {Format::node(std::nullopt), QString(), QString()};
    return resolve(network, node->nodeId, node->address, node->name, node->nameSource);
}

QString NodeNames::text(const QString &network, const QString &nodeId, const QString &address) const
{
    return resolve(network, nodeId, address).text;
}

QString NodeNames::text(const QString &network, const std::optional<Protocol::NodeRef> &node) const
{
    return resolve(network, node).text;
}

void NodeNames::setLabel(const QString &network, const QString &nodeId, const QString &address, const QString &label)
{
    if (m_labels)
        m_labels->setLabel(network, nodeId, address, claimsOf(network, nodeId, address), label);
}

void bindNodeNames(QPointer<NodeNames> &slot, NodeNames *names, QObject *model, const std::function<void()> &refresh)
{
    if (slot == names)
        return;
    if (slot)
        QObject::disconnect(slot, nullptr, model, nullptr);
    slot = names;
    if (names)
        QObject::connect(names, &NodeNames::changed, model, refresh);
    refresh();
}

NodeDisplay resolveNode(const NodeNames *names,
    const QString &network,
    const QString &nodeId,
    const QString &address,
    const QString &helperName,
    const QString &nameSource)
{
    if (names)
        return names->resolve(network, nodeId, address, helperName, nameSource);
    return NodeDisplay {Format::nodeName(helperName, QString(), nodeId, address),
        Format::nodeToolTip(nodeId, address, helperName.isEmpty() ? QString() : nameSource),
        helperName.isEmpty() ? QString() : nameSource};
}

NodeDisplay resolveNode(const NodeNames *names, const QString &network, const std::optional<Protocol::NodeRef> &node)
{
    if (!node)
        return NodeDisplay {Format::node(std::nullopt), QString(), QString()};
    return resolveNode(names, network, node->nodeId, node->address, node->name, node->nameSource);
}

} // namespace Nimbus
