#include "core/protocol/events.h"

#include <iterator>

#include "core/protocol/fieldreader.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

struct EventRow {
    EventType type;
    const char16_t *name;
};

constexpr EventRow kEvents[] = {
    {EventType::NetworkState, u"network.state"},
    {EventType::PeerConnected, u"peer.connected"},
    {EventType::PeerDisconnected, u"peer.disconnected"},
    {EventType::ClaimsChanged, u"claims.changed"},
    {EventType::RouteFailover, u"route.failover"},
    {EventType::PathRecovered, u"path.recovered"},
    {EventType::NetworkChanged, u"network.changed"},
    {EventType::NetworkResumed, u"network.resumed"},
    {EventType::Stats, u"stats"},
    {EventType::Log, u"log"},
    {EventType::Resync, u"resync"},
};

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

void insertTime(QJsonObject &o, qint64 time)
{
    if (time != 0)
        o.insert(u"time"_s, time);
}

} // namespace

QList<EventType> allEventTypes()
{
    QList<EventType> types;
    types.reserve(qsizetype(std::size(kEvents)));
    for (const EventRow &row : kEvents)
        types.append(row.type);
    return types;
}

QString eventName(EventType type)
{
    for (const EventRow &row : kEvents) {
        if (row.type == type)
            return QStringView(row.name).toString();
    }
    return {};
}

std::optional<EventType> eventTypeFromName(QStringView name)
{
    for (const EventRow &row : kEvents) {
        if (name == QStringView(row.name))
            return row.type;
    }
    return std::nullopt;
}

QJsonObject NetworkStateEvent::toJson() const
{
    QJsonObject o {{u"network"_s, network}, {u"state"_s, state}};
    if (!error.isEmpty())
        o.insert(u"error"_s, error);
    return o;
}

Result<NetworkStateEvent> NetworkStateEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    NetworkStateEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.state = r.string(u"state"_s, Need::Required);
    e.error = r.string(u"error"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject PeerDisconnectedEvent::toJson() const
{
    return QJsonObject {{u"network"_s, network}, {u"address"_s, address}, {u"nodeId"_s, nodeId}, {u"reason"_s, reason}};
}

Result<PeerDisconnectedEvent> PeerDisconnectedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    PeerDisconnectedEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.address = r.string(u"address"_s, Need::Required);
    e.nodeId = r.string(u"nodeId"_s, Need::Optional);
    e.reason = r.string(u"reason"_s, Need::Required);
    return r.finish(std::move(e));
}

QJsonObject ClaimsChangedEvent::toJson() const
{
    return QJsonObject {{u"network"_s, network}, {u"claims"_s, listToJson(claims)}};
}

Result<ClaimsChangedEvent> ClaimsChangedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ClaimsChangedEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.claims = r.list<Claim>(u"claims"_s, Need::Required);
    return r.finish(std::move(e));
}

QJsonObject PathRecoveredEvent::toJson() const
{
    QJsonObject o {{u"network"_s, network},
        {u"peer"_s, peer.toJson()},
        {u"cause"_s, cause},
        {u"gapMs"_s, gapMs},
        {u"previousAddress"_s, nullIfEmpty(previousAddress)}};
    insertTime(o, time);
    return o;
}

Result<PathRecoveredEvent> PathRecoveredEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    PathRecoveredEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.peer = r.object<NodeRef>(u"peer"_s, Need::Required).value_or(NodeRef {});
    e.cause = r.string(u"cause"_s, Need::Required);
    e.gapMs = r.integer(u"gapMs"_s, Need::Optional);
    e.previousAddress = r.string(u"previousAddress"_s, Need::Optional);
    e.time = r.integer(u"time"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject NetworkChangedEvent::toJson() const
{
    QJsonObject o {{u"network"_s, network}, {u"what"_s, what}};
    insertTime(o, time);
    return o;
}

Result<NetworkChangedEvent> NetworkChangedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    NetworkChangedEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.what = r.string(u"what"_s, Need::Required);
    e.time = r.integer(u"time"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject NetworkResumedEvent::toJson() const
{
    QJsonObject o {{u"network"_s, network}, {u"pausedMs"_s, pausedMs}, {u"what"_s, what}};
    insertTime(o, time);
    return o;
}

Result<NetworkResumedEvent> NetworkResumedEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    NetworkResumedEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.pausedMs = r.integer(u"pausedMs"_s, Need::Required);
    e.what = r.string(u"what"_s, Need::Optional);
    e.time = r.integer(u"time"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject TrafficEvent::toJson() const
{
    return QJsonObject {{u"network"_s, network},
        {u"rxBytes"_s, rxBytes},
        {u"txBytes"_s, txBytes},
        {u"rxPackets"_s, rxPackets},
        {u"txPackets"_s, txPackets}};
}

Result<TrafficEvent> TrafficEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    TrafficEvent e;
    e.network = r.string(u"network"_s, Need::Required);
    e.rxBytes = r.integer(u"rxBytes"_s, Need::Optional);
    e.txBytes = r.integer(u"txBytes"_s, Need::Optional);
    e.rxPackets = r.integer(u"rxPackets"_s, Need::Optional);
    e.txPackets = r.integer(u"txPackets"_s, Need::Optional);
    return r.finish(std::move(e));
}

QJsonObject LogEvent::toJson() const
{
    QJsonObject o {{u"level"_s, level}, {u"message"_s, message}};
    if (!network.isEmpty())
        o.insert(u"network"_s, network);
    return o;
}

Result<LogEvent> LogEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    LogEvent e;
    e.network = r.string(u"network"_s, Need::Optional);
    e.level = r.string(u"level"_s, Need::Optional);
    e.message = r.string(u"message"_s, Need::Required);
    return r.finish(std::move(e));
}

QJsonObject RecentEvent::toJson() const
{
    return QJsonObject {{u"event"_s, event}, {u"time"_s, time}, {u"data"_s, data}};
}

Result<RecentEvent> RecentEvent::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    RecentEvent e;
    e.event = r.string(u"event"_s, Need::Required);
    e.time = r.integer(u"time"_s, Need::Optional);
    const QJsonValue data = json.value(u"data"_s);
    if (data.isObject())
        e.data = data.toObject();
    else if (!data.isUndefined() && !data.isNull())
        r.fail(u"data"_s, u"expected an object"_s);
    return r.finish(std::move(e));
}

QJsonObject Snapshot::toJson() const
{
    return QJsonObject {{u"status"_s, status.toJson()},
        {u"peers"_s, listToJson(peers)},
        {u"claims"_s, listToJson(claims)},
        {u"events"_s, listToJson(events)}};
}

Result<Snapshot> Snapshot::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Snapshot s;
    s.status = r.object<HelperStatus>(u"status"_s, Need::Optional).value_or(HelperStatus {});
    s.peers = r.list<Peer>(u"peers"_s, Need::Optional);
    s.claims = r.list<Claim>(u"claims"_s, Need::Optional);
    s.events = r.list<RecentEvent>(u"events"_s, Need::Optional);
    return r.finish(std::move(s));
}

QJsonObject SubscribeResult::toJson() const
{
    return QJsonObject {{u"snapshot"_s, snapshot.toJson()}, {u"seq"_s, seq}};
}

Result<SubscribeResult> SubscribeResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    SubscribeResult s;
    s.snapshot = r.object<Snapshot>(u"snapshot"_s, Need::Optional).value_or(Snapshot {});
    s.seq = r.integer(u"seq"_s, Need::Required);
    return r.finish(std::move(s));
}

} // namespace Nimbus::Protocol
