#include "core/protocol/types.h"

#include <limits>

#include <QJsonArray>

#include "core/protocol/fieldreader.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

QJsonValue optionalObject(const auto &value)
{
    return value ? QJsonValue(value->toJson()) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject NodeRef::toJson() const
{
    QJsonObject o {{u"nodeId"_s, nodeId}, {u"address"_s, address}};
    if (!name.isEmpty()) {
        o.insert(u"name"_s, name);
        o.insert(u"nameSource"_s, nameSource);
    }
    return o;
}

Result<NodeRef> NodeRef::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    NodeRef n;
    n.nodeId = r.string(u"nodeId"_s, Need::Required);
    n.address = r.string(u"address"_s, Need::Required);
    n.name = r.string(u"name"_s, Need::Optional);
    n.nameSource = r.string(u"nameSource"_s, Need::Optional);
    return r.finish(std::move(n));
}

QJsonObject Peer::toJson() const
{
    return QJsonObject {
        {u"network"_s, network},
        {u"address"_s, address},
        {u"nodeId"_s, nodeId},
        {u"name"_s, name},
        {u"nameSource"_s, nameSource},
        {u"claims"_s, QJsonArray::fromStringList(claims)},
        {u"connectedSince"_s, connectedSince},
        {u"lastSeen"_s, lastSeen},
        {u"algorithm"_s, algorithm},
        {u"rxBytes"_s, rxBytes},
        {u"txBytes"_s, txBytes},
        {u"rxPackets"_s, rxPackets},
        {u"txPackets"_s, txPackets},
        {u"initiator"_s, initiator},
        {u"suspect"_s, suspect},
    };
}

Result<Peer> Peer::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Peer p;
    p.network = r.string(u"network"_s, Need::Required);
    p.address = r.string(u"address"_s, Need::Required);
    p.nodeId = r.string(u"nodeId"_s, Need::Optional);
    p.name = r.string(u"name"_s, Need::Optional);
    p.nameSource = r.string(u"nameSource"_s, Need::Optional);
    p.claims = r.stringList(u"claims"_s, Need::Optional);
    p.connectedSince = r.integer(u"connectedSince"_s, Need::Optional);
    p.lastSeen = r.integer(u"lastSeen"_s, Need::Optional);
    p.algorithm = r.string(u"algorithm"_s, Need::Optional);
    p.rxBytes = r.integer(u"rxBytes"_s, Need::Optional);
    p.txBytes = r.integer(u"txBytes"_s, Need::Optional);
    p.rxPackets = r.integer(u"rxPackets"_s, Need::Optional);
    p.txPackets = r.integer(u"txPackets"_s, Need::Optional);
    p.initiator = r.boolean(u"initiator"_s, Need::Optional);
    p.suspect = r.boolean(u"suspect"_s, Need::Optional);
    return r.finish(std::move(p));
}

QJsonObject Claimant::toJson() const
{
    QJsonObject o = node.toJson();
    o.insert(u"since"_s, since);
    return o;
}

Result<Claimant> Claimant::fromJson(const QJsonObject &json)
{
    Result<NodeRef> node = NodeRef::fromJson(json);
    if (!node)
        return node.error();
    FieldReader r(json);
    Claimant c;
    c.node = std::move(node).value();
    c.since = r.integer(u"since"_s, Need::Optional);
    return r.finish(std::move(c));
}

QJsonObject Claim::toJson() const
{
    return QJsonObject {
        {u"network"_s, network},
        {u"range"_s, range},
        {u"servedBy"_s, optionalObject(servedBy)},
        {u"claimants"_s, listToJson(claimants)},
        {u"local"_s, local},
        {u"used"_s, used},
        {u"serving"_s, serving},
    };
}

Result<Claim> Claim::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Claim c;
    c.network = r.string(u"network"_s, Need::Optional);
    c.range = r.string(u"range"_s, Need::Required);
    c.servedBy = r.object<NodeRef>(u"servedBy"_s, Need::Optional);
    c.claimants = r.list<Claimant>(u"claimants"_s, Need::Optional);
    c.local = r.boolean(u"local"_s, Need::Optional);
    c.used = r.boolean(u"used"_s, Need::Optional);
    c.serving = r.boolean(u"serving"_s, Need::Optional);
    return r.finish(std::move(c));
}

QJsonObject FailoverEvent::toJson() const
{
    QJsonObject o {
        {u"network"_s, network},
        {u"range"_s, range},
        {u"from"_s, optionalObject(from)},
        {u"to"_s, optionalObject(to)},
        {u"reason"_s, reason},
        {u"unreachableMs"_s, unreachableMs},
    };
    if (!address.isEmpty())
        o.insert(u"address"_s, address);
    if (time != 0)
        o.insert(u"time"_s, time);
    if (!kind.isEmpty())
        o.insert(u"kind"_s, kind);
    if (detectedAt != 0)
        o.insert(u"detectedAt"_s, detectedAt);
    if (lastSeenAt != 0)
        o.insert(u"lastSeenAt"_s, lastSeenAt);
    if (noPathMs >= 0)
        o.insert(u"noPathMs"_s, noPathMs);
    return o;
}

Result<FailoverEvent> FailoverEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    FailoverEvent f;
    f.network = r.string(u"network"_s, Need::Required);
    f.range = r.string(u"range"_s, Need::Required);
    f.address = r.string(u"address"_s, Need::Optional);
    f.from = r.object<NodeRef>(u"from"_s, Need::Optional);
    f.to = r.object<NodeRef>(u"to"_s, Need::Optional);
    f.reason = r.string(u"reason"_s, Need::Required);
    f.unreachableMs = r.integer(u"unreachableMs"_s, Need::Required);
    f.time = r.integer(u"time"_s, Need::Optional);
    f.kind = r.string(u"kind"_s, Need::Optional);
    f.detectedAt = r.integer(u"detectedAt"_s, Need::Optional);
    f.lastSeenAt = r.integer(u"lastSeenAt"_s, Need::Optional);
    f.noPathMs = r.integer(u"noPathMs"_s, Need::Optional, -1);
    return r.finish(std::move(f));
}

bool NetworkStatus::isActive() const
{
    return state != u"disconnected";
}

QJsonObject NetworkStatus::toJson() const
{
    QJsonObject o {
        {u"name"_s, name},
        {u"state"_s, state},
        {u"device"_s, device},
        {u"ip"_s, ip},
        {u"nodeId"_s, nodeId},
        {u"listen"_s, listen},
        {u"peerCount"_s, peerCount},
        {u"configuredPeers"_s, configuredPeers},
        {u"unresolvedPeers"_s, QJsonArray::fromStringList(unresolvedPeers)},
        {u"claims"_s, QJsonArray::fromStringList(claims)},
        {u"system"_s, system},
        {u"lastFailover"_s, optionalObject(lastFailover)},
        {u"rxBytes"_s, rxBytes},
        {u"txBytes"_s, txBytes},
    };
    if (!error.isEmpty())
        o.insert(u"error"_s, error);
    if (!algorithm.isEmpty())
        o.insert(u"algorithm"_s, algorithm);
    if (owner)
        o.insert(u"owner"_s, qint64(*owner));
    return o;
}

Result<NetworkStatus> NetworkStatus::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    NetworkStatus s;
    s.name = r.string(u"name"_s, Need::Required);
    s.state = r.string(u"state"_s, Need::Required);
    s.error = r.string(u"error"_s, Need::Optional);
    s.device = r.string(u"device"_s, Need::Optional);
    s.ip = r.string(u"ip"_s, Need::Optional);
    s.nodeId = r.string(u"nodeId"_s, Need::Optional);
    s.listen = r.string(u"listen"_s, Need::Optional);
    s.peerCount = int(r.integer(u"peerCount"_s, Need::Optional));
    s.configuredPeers = int(r.integer(u"configuredPeers"_s, Need::Optional));
    s.unresolvedPeers = r.stringList(u"unresolvedPeers"_s, Need::Optional);
    s.claims = r.stringList(u"claims"_s, Need::Optional);
    s.algorithm = r.string(u"algorithm"_s, Need::Optional);
    s.system = r.boolean(u"system"_s, Need::Optional);
    if (const std::optional<qint64> owner = r.optionalInteger(u"owner"_s); owner) {
        if (*owner < 0 || *owner > std::numeric_limits<quint32>::max())
            r.fail(u"owner"_s, u"expected a uid"_s);
        else
            s.owner = quint32(*owner);
    }
    s.lastFailover = r.object<FailoverEvent>(u"lastFailover"_s, Need::Optional);
    s.rxBytes = r.integer(u"rxBytes"_s, Need::Optional);
    s.txBytes = r.integer(u"txBytes"_s, Need::Optional);
    return r.finish(std::move(s));
}

QJsonObject HelperStatus::toJson() const
{
    return QJsonObject {{u"helper"_s, helper}, {u"mode"_s, mode}, {u"networks"_s, listToJson(networks)}};
}

Result<HelperStatus> HelperStatus::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    HelperStatus s;
    s.helper = r.string(u"helper"_s, Need::Optional);
    s.mode = r.string(u"mode"_s, Need::Optional);
    s.networks = r.list<NetworkStatus>(u"networks"_s, Need::Optional);
    return r.finish(std::move(s));
}

QJsonObject HelloResult::toJson() const
{
    return QJsonObject {
        {u"version"_s, version},
        {u"helper"_s, helper},
        {u"capabilities"_s, QJsonArray::fromStringList(capabilities)},
        {u"role"_s, role},
        {u"uid"_s, uid},
        {u"mode"_s, mode},
    };
}

Result<HelloResult> HelloResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    HelloResult h;
    h.version = int(r.integer(u"version"_s, Need::Required));
    h.helper = r.string(u"helper"_s, Need::Optional);
    h.capabilities = r.stringList(u"capabilities"_s, Need::Optional);
    h.role = r.string(u"role"_s, Need::Optional);
    h.uid = r.integer(u"uid"_s, Need::Optional);
    h.mode = r.string(u"mode"_s, Need::Optional);
    return r.finish(std::move(h));
}

QList<std::pair<QString, qint64>> Stats::counters() const
{
    return {
        {u"rxBytes"_s, rxBytes},
        {u"txBytes"_s, txBytes},
        {u"rxPackets"_s, rxPackets},
        {u"txPackets"_s, txPackets},
        {u"invalidPackets"_s, invalidPackets},
        {u"rateLimited"_s, rateLimited},
        {u"peerLimitRejected"_s, peerLimitRejected},
        {u"handshakesEvicted"_s, handshakesEvicted},
        {u"claimsIgnored"_s, claimsIgnored},
        {u"duplicateInits"_s, duplicateInits},
        {u"respondersExpired"_s, respondersExpired},
        {u"droppedPackets"_s, droppedPackets},
        {u"handshakes"_s, handshakes},
        {u"failovers"_s, failovers},
        {u"probes"_s, probes},
        {u"probesAnswered"_s, probesAnswered},
        {u"silentPeers"_s, silentPeers},
        {u"pathRecoveries"_s, pathRecoveries},
        {u"peersRoamed"_s, peersRoamed},
        {u"knocks"_s, knocks},
        {u"sendErrors"_s, sendErrors},
        {u"deviceWriteErrors"_s, deviceWriteErrors},
    };
}

QJsonObject Stats::toJson() const
{
    QJsonObject o {{u"network"_s, network}};
    for (const auto &[key, value] : counters())
        o.insert(key, value);
    return o;
}

Result<Stats> Stats::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Stats s;
    s.network = r.string(u"network"_s, Need::Required);
    qint64 *const fields[] = {&s.rxBytes,
        &s.txBytes,
        &s.rxPackets,
        &s.txPackets,
        &s.invalidPackets,
        &s.rateLimited,
        &s.peerLimitRejected,
        &s.handshakesEvicted,
        &s.claimsIgnored,
        &s.duplicateInits,
        &s.respondersExpired,
        &s.droppedPackets,
        &s.handshakes,
        &s.failovers,
        &s.probes,
        &s.probesAnswered,
        &s.silentPeers,
        &s.pathRecoveries,
        &s.peersRoamed,
        &s.knocks,
        &s.sendErrors,
        &s.deviceWriteErrors};
    const QList<std::pair<QString, qint64>> names = s.counters();
    for (qsizetype i = 0; i < names.size(); ++i)
        *fields[i] = r.integer(names[i].first, Need::Optional);
    return r.finish(std::move(s));
}

QJsonObject FieldError::toJson() const
{
    return QJsonObject {{u"field"_s, field}, {u"message"_s, message}};
}

Result<FieldError> FieldError::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    FieldError e;
    e.field = r.string(u"field"_s, Need::Required);
    e.message = r.string(u"message"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject KeyPair::toJson() const
{
    return QJsonObject {{u"privateKey"_s, privateKey}, {u"publicKey"_s, publicKey}};
}

Result<KeyPair> KeyPair::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    KeyPair k;
    k.privateKey = r.string(u"privateKey"_s, Need::Required);
    k.publicKey = r.string(u"publicKey"_s, Need::Required);
    return r.finish(std::move(k));
}

} // namespace Nimbus::Protocol
