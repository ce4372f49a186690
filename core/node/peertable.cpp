#include "core/node/peertable.h"

#include "core/node/peer.h"

namespace Nimbus
{

PeerTable::PeerTable() = default;
PeerTable::~PeerTable() = default;

std::unique_ptr<Peer> PeerTable::insert(std::unique_ptr<Peer> peer)
{
    Q_ASSERT(peer);
    const SocketAddress address = peer->address;
    std::unique_ptr<Peer> old = extract(address);
    m_byAddress.emplace(address, peer.get());
    ++m_nodeIdCount[peer->nodeId];
    m_peers.emplace(address, std::move(peer));
    return old;
}

std::unique_ptr<Peer> PeerTable::extract(const SocketAddress &address)
{
    auto node = m_peers.extract(address);
    if (node.empty())
        return nullptr;
    std::unique_ptr<Peer> peer = std::move(node.mapped());
    m_byAddress.erase(address);
    if (const auto it = m_nodeIdCount.find(peer->nodeId); it != m_nodeIdCount.end() && --it->second <= 0)
        m_nodeIdCount.erase(it);
    return peer;
}

std::unique_ptr<Peer> PeerTable::move(const SocketAddress &from, const SocketAddress &to)
{
    if (from == to || !contains(from))
        return nullptr;
    std::unique_ptr<Peer> moving = extract(from);
    std::unique_ptr<Peer> replaced = extract(to);
    moving->address = to;
    insert(std::move(moving));
    return replaced;
}

Peer *PeerTable::find(const SocketAddress &address)
{
    const auto it = m_byAddress.find(address);
    return it == m_byAddress.end() ? nullptr : it->second;
}

const Peer *PeerTable::find(const SocketAddress &address) const
{
    const auto it = m_byAddress.find(address);
    return it == m_byAddress.end() ? nullptr : it->second;
}

int PeerTable::countOfNodeId(const NodeId &id) const
{
    const auto it = m_nodeIdCount.find(id);
    return it == m_nodeIdCount.end() ? 0 : it->second;
}

bool PeerTable::isConsistent() const
{
    if (m_byAddress.size() != m_peers.size())
        return false;
    std::unordered_map<NodeId, int, NodeIdHash> counts;
    for (const auto &[address, peer] : m_peers) {
        if (!peer || peer->address != address)
            return false;
        const auto it = m_byAddress.find(address);
        if (it == m_byAddress.end() || it->second != peer.get())
            return false;
        ++counts[peer->nodeId];
    }
    return counts == m_nodeIdCount;
}

} // namespace Nimbus
