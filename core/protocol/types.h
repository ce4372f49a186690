/// The value types of the control protocol (docs/control-protocol.md, "Value types" and "Methods"): what the
/// helper writes and the clients read. Each has toJson() and a fromJson() that fails (BAD_REQUEST, the message
/// naming the field: "claimants[0].nodeId: missing") on a missing required member or a member of the wrong
/// type; unknown members are ignored, optional ones take the documented default. Member names are the wire's.
#pragma once

#include <optional>
#include <utility>

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/protocol/result.h"

namespace Nimbus::Protocol
{

/// A node as the helper names it: `{"nodeId", "address"}`, with the name the user knows it by when the helper has
/// one (`name`, `nameSource`; see Peer).
struct NodeRef {
    QString nodeId; ///< 32 hex digits (required)
    QString address; ///< "ip:port" (required)
    QString name; ///< "" if the helper knows no name for the address
    QString nameSource; ///< "peer" (a configured peer name resolved to it), "hosts" (the hosts file) or ""

    QJsonObject toJson() const;
    static Result<NodeRef> fromJson(const QJsonObject &json);
    bool operator==(const NodeRef &) const = default;
};

/// A connected peer (`peers.list`, `peer.connected`).
struct Peer {
    QString network; ///< required
    QString address; ///< required
    QString nodeId; ///< "" if the helper does not know it
    /// The name the user knows the node by: the configured peer name whose resolution gave `address` ("peer"), else
    /// the hosts file's name for its IP ("hosts"); "" if neither.
    QString name;
    QString nameSource; ///< "peer", "hosts" or ""
    QStringList claims;
    qint64 connectedSince = 0; ///< Unix epoch ms
    qint64 lastSeen = 0; ///< Unix epoch ms
    QString algorithm; ///< e.g. "CHACHA20"; "" if none
    qint64 rxBytes = 0;
    qint64 txBytes = 0;
    qint64 rxPackets = 0;
    qint64 txPackets = 0;
    bool initiator = false; ///< this node started the handshake
    bool suspect = false; ///< unanswered traffic: the peer is being probed

    QJsonObject toJson() const;
    static Result<Peer> fromJson(const QJsonObject &json);
    bool operator==(const Peer &) const = default;
};

/// One live claimant of a range, in order of preference.
struct Claimant {
    NodeRef node; ///< `nodeId` and `address` (required)
    qint64 since = 0; ///< when it claimed the range, Unix epoch ms

    QJsonObject toJson() const;
    static Result<Claimant> fromJson(const QJsonObject &json);
    bool operator==(const Claimant &) const = default;
};

/// A claimed range and who serves it (`claims.list`, `claims.changed`).
struct Claim {
    QString network; ///< "" when the context names it (claims.changed carries the network once)
    QString range; ///< required, e.g. "10.0.0.1/32"
    std::optional<NodeRef> servedBy; ///< null: nobody serves it now
    QList<Claimant> claimants;
    bool local = false; ///< claimed by this node itself
    bool used = false; ///< this node sent traffic to it recently
    bool serving = false; ///< (local claims) this node received traffic for it recently

    QJsonObject toJson() const;
    static Result<Claim> fromJson(const QJsonObject &json);
    bool operator==(const Claim &) const = default;
};

/// A route change (`route.failover`, and a network's `lastFailover`).
///
/// `kind` says what happened to the address (docs/control-protocol.md, "route.failover"):
/// "reachable" (first route: nobody served it before), "failover" (the serving node failed or went away),
/// "switchback" (back to a node preferred over the one serving), "move" (a change with no failure: a balancing move
/// or a new more specific claim), "lost" (the serving node failed and nobody serves the address now).
struct FailoverEvent {
    QString network; ///< required
    QString range; ///< required
    QString address; ///< the routing address that moved; "" if not sent
    std::optional<NodeRef> from;
    std::optional<NodeRef> to;
    QString reason; ///< required: "timeout", "closed", "unreachable", "silent", "roamed", "more-specific", ...
    qint64 unreachableMs = 0; ///< required: from the old node's last sign of life to the switch
    qint64 time = 0; ///< Unix epoch ms; 0 if not sent
    QString kind; ///< "reachable", "failover", "switchback", "move", "lost"; "" if not sent (older helpers)
    qint64 detectedAt = 0; ///< failover/lost: when the failure was detected, Unix epoch ms; 0 if unknown
    qint64 lastSeenAt = 0; ///< failover/lost: the failed node's last sign of life, Unix epoch ms; 0 if unknown
    /// failover: how long traffic to the address had no working path, as far as the helper saw it: from the first
    /// packet it forwarded to the address after the old node's last sign of life until the switch; -1 if unknown
    /// (nothing was waiting, or not within 5 s before the switch)
    qint64 noPathMs = -1;

    QJsonObject toJson() const;
    static Result<FailoverEvent> fromJson(const QJsonObject &json);
    bool operator==(const FailoverEvent &) const = default;
};

/// The helper's view of one network (`status`).
struct NetworkStatus {
    QString name; ///< required
    /// Required: "connecting", "connected", "degraded", "failover", "disconnected" or "error".
    QString state = QStringLiteral("disconnected");
    QString error; ///< state "error" only
    QString device;
    QString ip;
    QString nodeId;
    QString listen;
    int peerCount = 0;
    int configuredPeers = 0;
    QStringList unresolvedPeers; ///< configured peers whose name does not resolve (yet)
    QStringList claims;
    QString algorithm; ///< "" until a peer is connected
    bool system = false; ///< started with the helper (network mode)
    std::optional<quint32> owner; ///< the uid that connected it over the socket; unset for a network-mode network
    std::optional<FailoverEvent> lastFailover;
    qint64 rxBytes = 0;
    qint64 txBytes = 0;

    /// Any state but "disconnected".
    bool isActive() const;

    QJsonObject toJson() const;
    static Result<NetworkStatus> fromJson(const QJsonObject &json);
    bool operator==(const NetworkStatus &) const = default;
};

/// The `status` result.
struct HelperStatus {
    QString helper; ///< the helper's version
    QString mode; ///< "service" or "network"
    QList<NetworkStatus> networks;

    QJsonObject toJson() const;
    static Result<HelperStatus> fromJson(const QJsonObject &json);
    bool operator==(const HelperStatus &) const = default;
};

/// The `hello` result: the version the helper chose and what this caller may do.
struct HelloResult {
    int version = 0; ///< required
    QString helper; ///< the helper's version
    QStringList capabilities; ///< the methods this caller's role may call
    QString role; ///< "admin", "operator" or "observer"
    qint64 uid = 0; ///< the caller's uid as the kernel reported it
    QString mode; ///< "service" or "network"

    QJsonObject toJson() const;
    static Result<HelloResult> fromJson(const QJsonObject &json);
    bool operator==(const HelloResult &) const = default;
};

/// One network's counters (`stats`).
struct Stats {
    QString network; ///< required
    qint64 rxBytes = 0;
    qint64 txBytes = 0;
    qint64 rxPackets = 0;
    qint64 txPackets = 0;
    qint64 invalidPackets = 0;
    qint64 rateLimited = 0;
    qint64 peerLimitRejected = 0;
    qint64 handshakesEvicted = 0;
    qint64 claimsIgnored = 0;
    qint64 duplicateInits = 0; ///< copies of a handshake message already answered (answered again, rate-limited)
    qint64 respondersExpired = 0; ///< responder handshakes given up unproven
    qint64 droppedPackets = 0;
    qint64 handshakes = 0;
    qint64 failovers = 0;
    qint64 probes = 0;
    qint64 probesAnswered = 0;
    qint64 silentPeers = 0;
    qint64 pathRecoveries = 0;
    qint64 peersRoamed = 0;
    qint64 knocks = 0;
    qint64 sendErrors = 0;
    qint64 deviceWriteErrors = 0;

    /// The counter members in wire order with their values (for tables and tests).
    QList<std::pair<QString, qint64>> counters() const;

    QJsonObject toJson() const;
    static Result<Stats> fromJson(const QJsonObject &json);
    bool operator==(const Stats &) const = default;
};

/// `{"field", "message"}`: one problem of a profile (`profiles.validate`, INVALID_PROFILE's `fields`).
struct FieldError {
    QString field; ///< required
    QString message;

    QJsonObject toJson() const;
    static Result<FieldError> fromJson(const QJsonObject &json);
    friend bool operator==(const FieldError &, const FieldError &) = default;
};

/// `{"privateKey", "publicKey"}` (`keys.generate`).
struct KeyPair {
    QString privateKey; ///< required
    QString publicKey; ///< required

    QJsonObject toJson() const;
    static Result<KeyPair> fromJson(const QJsonObject &json);
    bool operator==(const KeyPair &) const = default;
};

/// Reads a list of objects by T::fromJson(); the error names the entry (`[2].nodeId: missing`).
template<typename T>
Result<QList<T>> listFromJson(const QJsonArray &array);

/// `[T.toJson()...]`.
template<typename T>
QJsonArray listToJson(const QList<T> &values)
{
    QJsonArray out;
    for (const T &value : values)
        out.append(value.toJson());
    return out;
}

} // namespace Nimbus::Protocol

#include "core/protocol/fieldreader.h"

namespace Nimbus::Protocol
{

template<typename T>
Result<QList<T>> listFromJson(const QJsonArray &array)
{
    QList<T> out;
    out.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString path = u'[' + QString::number(i) + u']';
        if (!array.at(i).isObject())
            return fieldError(path, QStringLiteral("expected an object"));
        Result<T> parsed = T::fromJson(array.at(i).toObject());
        if (!parsed)
            return Error {parsed.error().code, path + u'.' + parsed.error().message};
        out.append(std::move(parsed).value());
    }
    return out;
}

} // namespace Nimbus::Protocol
