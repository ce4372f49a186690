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
};

QString toString(DisconnectReason reason);
QString toString(RouteChangeReason reason);

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
};

struct KeyRotatedEvent {
    SocketAddress address;
    int slot = 0;
};

using NodeEvent = std::variant<PeerConnectedEvent,
    PeerDisconnectedEvent,
    HandshakeFailedEvent,
    ClaimsChangedEvent,
    RouteChangedEvent,
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
    /// Init messages from sources without a session dropped by the per-source limit or the global handshake
    /// budget (also counted in invalidPackets).
    quint64 rateLimited = 0;
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
};

} // namespace Nimbus
