/// The events of the control protocol (docs/control-protocol.md, "Events"): their names and the `data` payloads.
/// `peer.connected` carries a Peer, `claims.changed` a ClaimsChangedEvent, `route.failover` a FailoverEvent
/// (types.h); the others have a payload type here. Parsing follows types.h: required members must be there with
/// the right type, unknown members are ignored.
#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringView>

#include "core/protocol/result.h"
#include "core/protocol/types.h"

namespace Nimbus::Protocol
{

/// The events a helper sends.
enum class EventType {
    NetworkState,
    PeerConnected,
    PeerDisconnected,
    ClaimsChanged,
    RouteFailover,
    PathRecovered,
    NetworkChanged,
    NetworkResumed,
    Stats,
    Log,
    Resync,
};

/// Every event type, in the order of the table in docs/control-protocol.md.
QList<EventType> allEventTypes();
/// The wire name, e.g. `route.failover`.
QString eventName(EventType type);
/// The event named \a name, or nullopt for an event this build does not know (clients ignore those).
std::optional<EventType> eventTypeFromName(QStringView name);

/// `network.state`.
struct NetworkStateEvent {
    QString network; ///< required
    QString state; ///< required
    QString error; ///< state "error" only

    QJsonObject toJson() const;
    static Result<NetworkStateEvent> fromJson(const QJsonObject &json);
    bool operator==(const NetworkStateEvent &) const = default;
};

/// `peer.disconnected`.
struct PeerDisconnectedEvent {
    QString network; ///< required
    QString address; ///< required
    QString nodeId;
    /// Required: "timeout", "closed", "unreachable", "silent", "replaced" or "shutdown".
    QString reason;

    QJsonObject toJson() const;
    static Result<PeerDisconnectedEvent> fromJson(const QJsonObject &json);
    bool operator==(const PeerDisconnectedEvent &) const = default;
};

/// `claims.changed`: the network's full claim list.
struct ClaimsChangedEvent {
    QString network; ///< required
    QList<Claim> claims; ///< required

    QJsonObject toJson() const;
    static Result<ClaimsChangedEvent> fromJson(const QJsonObject &json);
    bool operator==(const ClaimsChangedEvent &) const = default;
};

/// `path.recovered`: a path came back without a failover.
struct PathRecoveredEvent {
    QString network; ///< required
    NodeRef peer; ///< required
    QString cause; ///< required: "rebound", "roamed", "resumed" or "peer-roamed"
    qint64 gapMs = 0;
    QString previousAddress; ///< "" = null on the wire
    qint64 time = 0;

    QJsonObject toJson() const;
    static Result<PathRecoveredEvent> fromJson(const QJsonObject &json);
    bool operator==(const PathRecoveredEvent &) const = default;
};

/// `network.changed`: this host's addresses, routes or links changed.
struct NetworkChangedEvent {
    QString network; ///< required
    QString what; ///< required
    qint64 time = 0;

    QJsonObject toJson() const;
    static Result<NetworkChangedEvent> fromJson(const QJsonObject &json);
    bool operator==(const NetworkChangedEvent &) const = default;
};

/// `network.resumed`: the machine slept or the helper was stopped.
struct NetworkResumedEvent {
    QString network; ///< required
    qint64 pausedMs = 0; ///< required
    QString what;
    qint64 time = 0;

    QJsonObject toJson() const;
    static Result<NetworkResumedEvent> fromJson(const QJsonObject &json);
    bool operator==(const NetworkResumedEvent &) const = default;
};

/// `stats`: a network's traffic, once a second.
struct TrafficEvent {
    QString network; ///< required
    qint64 rxBytes = 0;
    qint64 txBytes = 0;
    qint64 rxPackets = 0;
    qint64 txPackets = 0;

    QJsonObject toJson() const;
    static Result<TrafficEvent> fromJson(const QJsonObject &json);
    bool operator==(const TrafficEvent &) const = default;
};

/// `log`: something notable (handshake failures and the like).
struct LogEvent {
    QString network; ///< "" if not about one network
    QString level; ///< e.g. "warning"
    QString message; ///< required

    QJsonObject toJson() const;
    static Result<LogEvent> fromJson(const QJsonObject &json);
    bool operator==(const LogEvent &) const = default;
};

/// One of the recent events of a snapshot: `{"event", "time", "data"}` (no seq).
struct RecentEvent {
    QString event; ///< required
    qint64 time = 0;
    QJsonObject data; ///< read with the payload type of `event`

    QJsonObject toJson() const;
    static Result<RecentEvent> fromJson(const QJsonObject &json);
    bool operator==(const RecentEvent &) const = default;
};

/// The `snapshot` of an `events.subscribe` answer.
struct Snapshot {
    HelperStatus status;
    QList<Peer> peers;
    QList<Claim> claims;
    QList<RecentEvent> events; ///< oldest first

    QJsonObject toJson() const;
    /// Every member is optional (an empty snapshot is valid).
    static Result<Snapshot> fromJson(const QJsonObject &json);
    bool operator==(const Snapshot &) const = default;
};

/// The `events.subscribe` result: `{"snapshot", "seq"}`.
struct SubscribeResult {
    Snapshot snapshot;
    qint64 seq = 0; ///< required

    QJsonObject toJson() const;
    static Result<SubscribeResult> fromJson(const QJsonObject &json);
    bool operator==(const SubscribeResult &) const = default;
};

} // namespace Nimbus::Protocol
