#pragma once

#include <map>
#include <memory>
#include <unordered_map>

#include <QHashFunctions>

#include "core/node/nodetypes.h"

namespace Nimbus
{

struct Peer;

/// The established peers of a MeshNode, owned in address order (which views, NodeInfo and the order of events
/// follow), with two indexes kept consistent through every change: address -> peer and node id -> number of peers
/// with it (a node can be established at two addresses for a while). The hash indexes make the per-datagram and
/// per-NodeInfo-entry lookups O(1); a map lookup walks ~log2(N) cold nodes with an 18-byte compare each.
///
/// A peer's address is its key and its node id is indexed: they change only through the table (move()).
class PeerTable
{
public:
    using Map = std::map<SocketAddress, std::unique_ptr<Peer>>;

    PeerTable();
    ~PeerTable();
    PeerTable(const PeerTable &) = delete;
    PeerTable &operator=(const PeerTable &) = delete;

    /// Adds \a peer under its address, replacing the peer at the same address; returns the replaced peer (null if
    /// there was none). \a peer must not be null.
    std::unique_ptr<Peer> insert(std::unique_ptr<Peer> peer);
    /// Removes the peer at \a address and returns it (null if there is none).
    std::unique_ptr<Peer> extract(const SocketAddress &address);
    /// Re-keys the peer at \a from to \a to (it roamed), setting its address. A peer already at \a to is replaced
    /// and returned (null if there was none). Nothing happens if there is no peer at \a from or \a from == \a to.
    std::unique_ptr<Peer> move(const SocketAddress &from, const SocketAddress &to);

    Peer *find(const SocketAddress &address);
    const Peer *find(const SocketAddress &address) const;
    bool contains(const SocketAddress &address) const { return m_byAddress.contains(address); }
    /// True if an established peer has node id \a id (O(1)).
    bool containsNodeId(const NodeId &id) const { return m_nodeIdCount.contains(id); }
    /// Number of established peers with node id \a id.
    int countOfNodeId(const NodeId &id) const;

    int size() const { return int(m_peers.size()); }
    bool empty() const { return m_peers.empty(); }
    /// Iteration in address order, as (address, peer) pairs. The peers may be changed, the table may not.
    Map::const_iterator begin() const { return m_peers.begin(); }
    Map::const_iterator end() const { return m_peers.end(); }

    /// True if both indexes agree with the owned peers (O(peers); for tests and debug checks).
    bool isConsistent() const;

private:
    struct AddressHash {
        size_t operator()(const SocketAddress &address) const noexcept { return qHash(address); }
    };
    struct NodeIdHash {
        size_t operator()(const NodeId &id) const noexcept { return qHashBits(id.data(), id.size()); }
    };

    Map m_peers;
    std::unordered_map<SocketAddress, Peer *, AddressHash> m_byAddress;
    std::unordered_map<NodeId, int, NodeIdHash> m_nodeIdCount; // node id -> established peers with it
};

} // namespace Nimbus
