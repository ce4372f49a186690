#pragma once

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <QHash>
#include <QList>

#include "core/crypto/identity.h"
#include "core/crypto/initmessage.h"
#include "core/node/claimtable.h"
#include "core/node/handshake.h"
#include "core/node/handshakelimiter.h"
#include "core/node/liveness.h"
#include "core/node/nodetypes.h"
#include "core/node/peertable.h"
#include "core/node/randomsource.h"
#include "core/node/routetracker.h"

namespace Nimbus
{

class CryptoCore;
class RotationState;

/// Everything the engine needs to know about its network. Defaults are VpnCloud's.
struct NodeConfig {
    explicit NodeConfig(Identity id) : identity(std::move(id)) { }
    Identity identity;
    /// Trusted Ed25519 public keys; empty = only our own key (spec §2.3).
    QList<QByteArray> trustedKeys;
    /// What we advertise in PING/PONG, in order. Default: AES-256-GCM (when the CPU has it) and ChaCha20.
    AlgorithmList algorithms = defaultAlgorithms();
    QList<Range> claims;
    quint32 peerTimeoutSecs = 300;
    std::optional<quint32> keepaliveSecs;
    quint32 switchTimeoutSecs = 300;
    Mode mode = Mode::Normal;
    DeviceType deviceType = DeviceType::Tun;
    /// Addresses we advertise in NodeInfo part 5 (spec §5.3.2); the helper fills in the local socket address.
    QList<SocketAddress> ownAddresses;
    /// Random per process unless set (tests).
    std::optional<NodeId> nodeId;
    /// Where the node's random numbers come from: the node id (unless \a nodeId is set), the jitter of its probes and
    /// the subset of peers it announces. Unset: real randomness (SystemRandomSource), and probe jitter from a
    /// generator seeded with the node id, so that a fixed \a nodeId alone still fixes the probe schedule. Set it
    /// (e.g. to a SeededRandomSource) to make all of them reproducible.
    std::shared_ptr<RandomSource> random;
    /// Spread traffic over equal claimants, stable per destination (Nimbus extension, invisible on the wire).
    bool balance = false;
    /// Use ICMP port-unreachable evidence, confirmed by a probe, to drop dead peers early (docs/failover.md).
    bool fastFailover = true;
    /// Key rotation cycle (spec §4.8.4: 120 VpnCloud ticks ≈ 240 s).
    quint32 rotationIntervalSecs = 240;
    /// How long a suspect peer has to prove it is alive after ICMP evidence before it is dropped.
    quint32 suspectGraceMs = 300;
    /// Probes of silent paths, roaming and resume (with fastFailover; docs/failover.md, "Silent paths").
    LivenessConfig liveness;
    /// Probes the node sends per second at most, over all peers (each episode has at most liveness.probes).
    int maxProbesPerSecond = 200;
    /// Sealed messages from unknown addresses tried against the sessions, per second (roaming peers).
    int roamAttemptsPerSecond = 20;
    /// Established peers at most; handshakes with further nodes are refused (counted, reported now and then).
    int maxPeers = 1024;
    /// Claims kept per peer and in all; a NodeInfo announcing more has the surplus ignored (counted).
    int maxClaimsPerPeer = 64;
    int maxClaims = 4096;
    /// Rate limits for handshakes from sources without a session (docs/design-notes.md, "Abuse limits").
    HandshakeLimits handshakeLimits;

    static AlgorithmList defaultAlgorithms();
};

/// Public view of one established peer, for status and the control socket.
struct PeerInfo {
    SocketAddress address;
    NodeId nodeId {};
    QList<SocketAddress> addresses;
    QList<Range> claims;
    Algorithm algorithm = Algorithm::Plain;
    bool initiator = false;
    bool routable = false;
    bool suspect = false;
    TimeMs connectedSince = 0;
    TimeMs lastReceived = 0;
    TimeMs expiry = 0;
    quint16 advertisedTimeoutSecs = 300;
    quint64 rxBytes = 0;
    quint64 rxPackets = 0;
    quint64 txBytes = 0;
    quint64 txPackets = 0;
};

/// Public view of one claimed range, for status and the control socket.
struct ClaimInfo {
    Range range;
    /// Where traffic to the range's address goes now (nullopt: nowhere).
    std::optional<NodeRef> servedBy;
    /// Every live claimant of exactly this range, in order of preference.
    QList<NodeRef> claimants;
    bool local = false; ///< claimed by this node
    bool used = false; ///< this node sent traffic to the range in the last few seconds
    bool serving = false; ///< (local claims) this node received traffic for the range in the last few seconds
    /// PeerInfo::connectedSince of each claimant, in the order of \a claimants.
    QList<TimeMs> claimantsSince;

    friend bool operator==(const ClaimInfo &, const ClaimInfo &) = default;
};

/// The sans-I/O mesh node: VpnCloud 2.x handshake, sessions, peers, claims and forwarding.
///
/// All input comes through the handle*() methods and tick(); all output goes through NodeHost. Time is passed
/// in; after every call the host should arm its timer for nextDeadline(). Not thread-safe.
class MeshNode
{
public:
    MeshNode(NodeConfig config, NodeHost &host, TimeMs now);
    ~MeshNode();
    MeshNode(const MeshNode &) = delete;
    MeshNode &operator=(const MeshNode &) = delete;

    /// A UDP datagram arrived from \a from.
    void handleDatagram(const SocketAddress &from, QByteArrayView datagram, TimeMs now);
    /// The device produced a packet (TUN) or frame (TAP).
    void handleDevicePacket(QByteArrayView packet, TimeMs now);
    /// The kernel reported that a datagram to \a target was answered with ICMP destination/port unreachable.
    void handleUnreachable(const SocketAddress &target, TimeMs now);
    /// Housekeeping; returns nextDeadline().
    TimeMs tick(TimeMs now);
    /// The earliest time tick() must run again.
    TimeMs nextDeadline() const;

    /// Adds a configured peer (spec §6.4) with its resolved addresses and connects at once.
    void addConfiguredPeer(const QString &name, const QList<SocketAddress> &resolved, TimeMs now);
    /// New resolution result for a configured peer (the host re-resolves names every 300 s). Changed addresses
    /// are connected at once, and the reconnect back-off starts over.
    void updateConfiguredPeer(const QString &name, const QList<SocketAddress> &resolved, TimeMs now);
    /// Starts a handshake to \a address unless it is a peer, one of our addresses, or already pending (§6.3).
    void connectTo(const SocketAddress &address, TimeMs now);
    /// Adds a claim of our own (e.g. auto-claim after the device got its address).
    void addOwnClaim(const Range &range);
    void setOwnAddresses(const QList<SocketAddress> &addresses);

    /// Our own addresses, routes or links changed (a laptop moved to another network): renew every session from
    /// where we are now and reconnect configured peers at once.
    void localNetworkChanged(TimeMs now);
    /// The machine woke from sleep or the process was stopped for \a pausedMs: nothing that happened meanwhile
    /// counts against the peers (their timeouts start over) and every session is renewed at once.
    void resumed(TimeMs now, TimeMs pausedMs);

    /// Orderly shutdown: CLOSE to every peer, forget everything (spec §6.9).
    void close(TimeMs now);

    const NodeId &nodeId() const { return m_nodeId; }
    const NodeConfig &config() const { return m_config; }
    const NodeCounters &counters() const { return m_counters; }
    /// Every established peer, in address order. O(peers + their claims): for status requests, not per event.
    QList<PeerInfo> peers() const;
    /// The peer at \a address, if there is an established one (O(1)).
    std::optional<PeerInfo> peer(const SocketAddress &address) const;
    /// True if there is an established peer at \a address (O(1)).
    bool hasPeer(const SocketAddress &address) const { return m_peers.contains(address); }
    int peerCount() const { return m_peers.size(); }
    /// Every claimed range, own claims first, then in claim table order. O(claims + recently used destinations).
    QList<ClaimInfo> claims(TimeMs now) const;
    int pendingHandshakeCount() const { return int(m_pending.size()); }
    /// Sources the handshake limiter remembers (bounded by NodeConfig::handshakeLimits.maxSources).
    int limitedSourceCount() const { return m_limiter.sourceCount(); }
    /// Entries in the claim table (bounded by NodeConfig::maxClaims).
    int claimCount() const { return int(m_table.entries().size()); }
    /// The peer traffic to \a destination would go to now (no side effects).
    std::optional<SocketAddress> routeFor(const QByteArray &destination) const;
    /// Current NodeInfo as we would send it.
    NodeInfo currentNodeInfo() const;

private:
    struct ConfiguredPeer;

    void handleInit(const SocketAddress &from, QByteArrayView datagram, TimeMs now);
    void handleSealed(Peer &peer, QByteArrayView datagram, TimeMs now);
    void handleMessage(Peer &peer, quint8 type, QByteArrayView body, TimeMs now);
    void processHandshakeOutput(const SocketAddress &from, Handshake::Output output, TimeMs now);
    void establish(const SocketAddress &address, Handshake::Established established, TimeMs now);
    void processNodeInfo(Peer &peer, const NodeInfo &info, TimeMs now);
    void connectToNode(const QList<SocketAddress> &addresses, TimeMs now);
    void removePeer(const SocketAddress &address, DisconnectReason reason, TimeMs now);
    void sendMessage(Peer &peer, quint8 type, QByteArrayView body);
    void sendRaw(Peer &peer, QByteArrayView datagram);
    void forwardToPeer(Peer &peer, QByteArrayView packet);
    /// Delivers an opened message (type byte + body) of \a peer.
    void deliver(Peer &peer, QByteArrayView plain, qsizetype datagramSize, TimeMs now);
    void checkLiveness(TimeMs now);
    void sendProbe(Peer &peer, TimeMs now);
    /// A fresh handshake towards an established peer, to prove it alive (no peer_connecting: the session goes on).
    bool startProbeHandshake(const SocketAddress &address, TimeMs now);
    /// A sealed message from an address without a session: does it open with one of the sessions (the peer
    /// moved) or with a former peer's (it slept through its timeout here)? Bounded per second.
    bool tryRoam(const SocketAddress &from, QByteArrayView datagram, TimeMs now);
    void movePeer(Peer &peer, const SocketAddress &to, TimeMs now);
    void broadcastNodeInfo(TimeMs now);
    TimeMs nodeInfoInterval() const;
    void housekeeping(TimeMs now);
    void reconnectConfigured(TimeMs now);
    void checkSuspects(TimeMs now);
    /// Re-evaluates routes. With \a changed, only the routes that peer can affect: addresses matched by its
    /// claims now or by \a previousClaims, and addresses it serves.
    void updateRoutes(TimeMs now,
        std::optional<RouteChangeReason> hint = std::nullopt,
        const SocketAddress *changed = nullptr,
        const QList<Range> &previousClaims = {});
    struct PeerTimers {
        TimeMs deadline = std::numeric_limits<TimeMs>::max();
        bool suspects = false;
        bool unroutable = false;
    };
    /// Deadlines that depend on the peers' suspect/routable state; cached, because nextDeadline() runs after every
    /// datagram and a walk over all peers there made each datagram cost O(peers).
    const PeerTimers &peerTimers() const;
    void invalidatePeerTimers() { m_peerTimers.reset(); }
    bool isOwnAddress(const SocketAddress &address) const;
    Peer *findPeer(const SocketAddress &address) { return m_peers.find(address); }
    const Peer *findPeer(const SocketAddress &address) const { return m_peers.find(address); }
    /// The first packet forwarded to a destination in \a range after \a since and still unanswered then (the
    /// RouteTracker::FirstForwardSince of the route tracker); nullopt if there is none.
    std::optional<TimeMs> firstForwardSince(const Range &range, TimeMs since) const;
    /// Reports route changes (counted) in order.
    void reportRouteChanges(const QList<RouteChangedEvent> &events);
    PeerInfo peerInfo(const Peer &peer) const;
    std::optional<SocketAddress> lookup(const QByteArray &destination) const;
    Handshake::Context handshakeContext() const;
    void countInvalid(QByteArrayView datagram);
    bool admitInit(const SocketAddress &from, QByteArrayView datagram, TimeMs now);
    bool makeRoomForHandshake(const SocketAddress &from, bool responder);
    bool peerTableFull(const SocketAddress &address, TimeMs now);
    QList<Range> limitClaims(const SocketAddress &peer, const QList<Range> &claims);

    NodeConfig m_config;
    NodeHost &m_host;
    NodeId m_nodeId {};
    QList<QByteArray> m_trusted;
    QList<SocketAddress> m_ownAddresses;
    /// The node id and the peer-list subset draw from m_random, the probe jitter from m_jitter (the same source
    /// when NodeConfig::random is set).
    std::shared_ptr<RandomSource> m_random;
    std::shared_ptr<RandomSource> m_jitter;
    PeerTable m_peers;
    std::map<SocketAddress, std::unique_ptr<Handshake>> m_pending;
    std::vector<ConfiguredPeer> m_configured;
    ClaimTable m_table;
    RouteTracker m_routes; // after m_table, which it reads
    mutable QHash<QByteArray, SocketAddress> m_routeCache;
    mutable std::optional<PeerTimers> m_peerTimers;
    QHash<QByteArray, std::pair<SocketAddress, TimeMs>> m_learned; // switch learning: address -> peer, expiry
    /// A destination's traffic: the last packet forwarded to it (ClaimInfo::used), and the first one forwarded since
    /// the receiving peer's last sign of life (where a failover's noPathMs starts). Two stores per packet.
    struct UsedRoute {
        TimeMs lastSent = 0;
        TimeMs firstUnanswered = 0;
    };
    QHash<QByteArray, UsedRoute> m_usedRoutes; // destination -> its traffic, kept kActivityWindowMs after lastSent
    // Reused for every sealed datagram and every opened message, so the data path allocates nothing per packet.
    // The *Busy flags make a nested call (a host that feeds datagrams back synchronously) use its own buffer.
    QByteArray m_sendBuffer;
    QByteArray m_receiveBuffer;
    bool m_sendBufferBusy = false;
    bool m_receiveBufferBusy = false;
    QList<std::pair<Range, TimeMs>> m_ownClaimServed; // own claim -> last DATA received for it
    /// Sessions of peers that timed out or went silent, kept a while so a peer that slept through its timeout
    /// here is recognised when it sends again (bounded, oldest dropped first).
    struct FormerPeer;
    std::vector<FormerPeer> m_formerPeers;
    TimeMs m_livenessDeadline = std::numeric_limits<TimeMs>::max();
    TimeMs m_roamWindowStart = 0;
    int m_roamAttemptsInWindow = 0;
    double m_probeTokens = 0; ///< the probe budget (token bucket), refilled at maxProbesPerSecond
    TimeMs m_probeTokensAt = 0;
    NodeCounters m_counters;
    HandshakeLimiter m_limiter;
    TimeMs m_nextPeerLimitReport = std::numeric_limits<TimeMs>::min();
    TimeMs m_nextHousekeeping = 0;
    TimeMs m_nextNodeInfo = 0;
    TimeMs m_nextCryptoTick = 0;
    bool m_closed = false;
};

} // namespace Nimbus
