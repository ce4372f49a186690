#pragma once

#include <variant>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/crypto/aead.h"
#include "core/wire/nodeinfo.h"
#include "core/wire/packetaddress.h"
#include "core/wire/range.h"
#include "core/wire/socketaddress.h"

namespace Nimbus
{

/// Milliseconds on a monotonic clock with an arbitrary epoch. The engine never reads a clock itself.
using TimeMs = qint64;

/// Forwarding behaviour (spec §7.1).
enum class Mode {
    Normal,
    Router,
    Switch,
    Hub,
};

/// Why a peer left.
enum class DisconnectReason {
    Timeout, ///< no NODE_INFO/KEEPALIVE within the peer timeout
    Closed, ///< the peer sent CLOSE
    Unreachable, ///< its host reported the port unreachable and it did not answer a probe
    Replaced, ///< a new session with the same address replaced this one
    Shutdown, ///< we closed the network
    Silent, ///< it sent nothing while we sent it data, and answered none of the probes that followed
};

/// Why the node serving an address changed.
enum class RouteChangeReason {
    Timeout,
    Closed,
    Unreachable,
    MoreSpecific, ///< a more specific claim appeared (e.g. a /32 primary came back)
    NewClaimant, ///< the address had no claimant and now has one
    ClaimWithdrawn,
    Balance, ///< balancing picked another equal claimant
    Preferred, ///< a claimant that wins by the rules became usable (its session finished on both sides)
    Silent, ///< the serving node went silent and answered no probe (frozen, vanished, or its packets are lost)
    Roamed, ///< the serving node's session moved to a new address (same node, nothing lost)
};

/// What a route change means for the address (the `kind` of `route.failover`, docs/control-protocol.md).
enum class RouteChangeKind {
    Reachable, ///< nobody served the address before (its first route, or the first after it was lost)
    Failover, ///< the serving node failed, left or stopped claiming the address: another one serves it now
    Switchback, ///< back to the node the address last failed over (or was lost) from, which is preferred again
    Move, ///< nothing failed: a balancing move, a more specific or preferred claimant, the serving node roamed
    Lost, ///< the serving node failed, left or stopped claiming the address, and nobody serves it now
};

/// How a path that had stopped working came back without a failover.
enum class RecoveryCause {
    Rebound, ///< the peer had lost our session or address (NAT rebinding, its timeout): a new handshake fixed it
    Roamed, ///< our own network changed (address, route, link): sessions were renewed from the new address
    Resumed, ///< this machine woke from sleep (or the process was stopped): sessions were renewed
    PeerRoamed, ///< the peer's messages arrived from a new address: the peer was moved there
};

QString toString(DisconnectReason reason);
QString toString(RouteChangeReason reason);
QString toString(RecoveryCause cause);
QString toString(RouteChangeKind kind);

/// A node as seen in events: its socket address and node id.
struct NodeRef {
    SocketAddress address;
    NodeId nodeId {};
    friend bool operator==(const NodeRef &, const NodeRef &) = default;
};

struct PeerConnectedEvent {
    NodeRef peer;
    QList<Range> claims;
    Algorithm algorithm = Algorithm::Plain;
    bool initiator = false;
};

struct PeerDisconnectedEvent {
    NodeRef peer;
    DisconnectReason reason = DisconnectReason::Timeout;
};

/// A handshake started: we sent a PING, or accepted one as responder (spec §9.9 hook `peer_connecting`).
struct PeerConnectingEvent {
    SocketAddress address;
};

/// A handshake that was started or answered failed for good (spec §3.9 "fatal").
struct HandshakeFailedEvent {
    SocketAddress address;
    QString reason;
};

/// The set of claims known to this node changed (a peer's claims changed, a peer came or went).
struct ClaimsChangedEvent {
};

/// The node this node sends an address's traffic to changed (failover, return of a primary, ...).
struct RouteChangedEvent {
    Range range; ///< the winning claim after the change (or the lost one if \a to is empty)
    QByteArray address;
    std::optional<NodeRef> from;
    std::optional<NodeRef> to;
    RouteChangeReason reason = RouteChangeReason::Timeout;
    /// How long the address had no live claimant: from the last sign of life of the old node (or the moment
    /// the last claimant went away) until traffic could flow again. 0 when the switch lost nothing.
    qint64 unreachableMs = 0;
    RouteChangeKind kind = RouteChangeKind::Failover;
    /// Failover and Lost: when the failure was detected (the now of the call that reported it); else 0.
    TimeMs detectedAt = 0;
    /// Failover and Lost: the old node's last sign of life (its last authenticated message); 0 if unknown (the
    /// node is still a peer and only stopped claiming the address, or it went without peerLeft()).
    TimeMs lastHeard = 0;
    /// Failover: how long traffic to the address had no working path, as far as this node forwarded it: from the
    /// first packet it forwarded to the address (a destination in the old route's range) after the old node's last
    /// sign of life until the switch, from which packets take the new path. -1 if it forwarded no such packet
    /// (nothing was sent into the gap, or not within 5 s before the switch), or for the other kinds.
    qint64 noPathMs = -1;
};

/// Traffic to and from a peer works again after it had stopped, without a failover (see RecoveryCause).
struct PathRecoveredEvent {
    NodeRef peer;
    RecoveryCause cause = RecoveryCause::Rebound;
    /// From the first packet that went unanswered (or the moment of the local change) until the first data packet
    /// from the peer after the recovery: the gap in two-way traffic the user saw.
    qint64 gapMs = 0;
    /// PeerRoamed: the address the peer had before.
    std::optional<SocketAddress> previousAddress;
};

struct KeyRotatedEvent {
    SocketAddress address;
    int slot = 0;
};

using NodeEvent = std::variant<PeerConnectingEvent,
    PeerConnectedEvent,
    PeerDisconnectedEvent,
    HandshakeFailedEvent,
    ClaimsChangedEvent,
    RouteChangedEvent,
    PathRecoveredEvent,
    KeyRotatedEvent>;

/// What the engine needs from the world. Called synchronously from inside the engine's methods.
class NodeHost
{
public:
    virtual ~NodeHost() = default;
    /// Send one UDP datagram.
    virtual void sendDatagram(const SocketAddress &to, QByteArrayView datagram) = 0;
    /// Write one packet (TUN) or frame (TAP) to the local device.
    virtual void writeToDevice(QByteArrayView packet) = 0;
    /// Report an event (for logs, the control socket and tests).
    virtual void onEvent(const NodeEvent &event) = 0;
};

/// Counters of one node; monotonically increasing.
struct NodeCounters {
    quint64 rxPackets = 0;
    quint64 rxBytes = 0;
    quint64 txPackets = 0;
    quint64 txBytes = 0;
    quint64 invalidPackets = 0; ///< datagrams dropped as malformed, forged, replayed, from unknown peers or limited
    quint64 invalidBytes = 0;
    /// Init messages dropped by the per-source limit or the global handshake budget (sources without a session), by
    /// the allowance of a known address, or because they would restart the responder handshake of their address
    /// again within a second (also counted in invalidPackets).
    quint64 rateLimited = 0;
    /// Init messages that were byte for byte the message a handshake state last answered (a retransmitted or
    /// replayed PING or PONG): answered again without any crypto, rate-limited; the unanswered ones also count in
    /// invalidPackets.
    quint64 duplicateInits = 0;
    /// Responder handshakes given up unproven: their PONGs went unanswered kMaxResponderSends times, or the host
    /// at the address answered with an ICMP error.
    quint64 respondersExpired = 0;
    /// Handshakes refused (or their result discarded) because the peer table is full.
    quint64 peerLimitRejected = 0;
    /// Unfinished responder handshakes dropped to make room for newer ones (pending table or per-source cap).
    quint64 handshakesEvicted = 0;
    /// Claims ignored because a peer announced more than the per-peer limit or the claim table was full.
    quint64 claimsIgnored = 0;
    quint64 droppedPackets = 0; ///< device packets with no destination
    quint64 droppedBytes = 0;
    quint64 handshakesCompleted = 0;
    quint64 handshakesFailed = 0;
    quint64 routeChanges = 0;
    /// Liveness (docs/failover.md, "Silent paths"): probes sent (handshake PINGs, first sends and repeats), episodes
    /// a peer answered, peers dropped because they answered none.
    quint64 probesSent = 0;
    quint64 probesDeferred = 0; ///< times due probes waited for the node's probe budget
    quint64 probesAnswered = 0;
    quint64 silentPeers = 0;
    /// Paths that came back without a failover (PathRecoveredEvent) and peers moved to a new address.
    quint64 pathRecoveries = 0;
    quint64 peersRoamed = 0;
    /// Sealed messages from unknown addresses tried against the sessions (bounded); handshakes started towards a
    /// former peer whose old session still sends (it slept through its timeout here).
    quint64 roamAttempts = 0;
    quint64 knocks = 0;
};

} // namespace Nimbus
