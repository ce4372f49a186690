#include "client/ctl/ctlformat.h"

#include <algorithm>
#include <utility>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QStringList>

#include "client/ctl/texttable.h"
#include "core/protocol/events.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::CtlFormat
{

namespace
{

using Protocol::EventType;

/// `key=value` pairs of an event line, shown in key order (as nimbusctl always did).
using Fields = QList<std::pair<QString, QString>>;

/// Control characters (newlines, terminal escapes) from the helper are shown as '?', so one value stays one cell.
QString clean(const QString &s)
{
    QString out = s;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u'?';
    }
    return out;
}

/// A text value for a cell: "-" when empty.
QString text(const QString &s)
{
    return s.isEmpty() ? u"-"_s : clean(s);
}

QString yesNo(bool value)
{
    return value ? u"yes"_s : u"no"_s;
}

QString compact(const QJsonObject &o)
{
    return clean(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

QString compact(const QJsonArray &a)
{
    return clean(QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact)));
}

QString joined(const QStringList &list)
{
    QStringList items;
    for (const QString &s : list)
        items.append(clean(s));
    return items.isEmpty() ? u"-"_s : items.join(u',');
}

/// A node as the user knows it: its name, else its short node id (8 hex digits), else its address.
QString label(const QString &name, const QString &nodeId, const QString &address)
{
    if (!name.isEmpty())
        return clean(name);
    if (!nodeId.isEmpty())
        return clean(nodeId.left(8));
    return text(address);
}

QString node(const Protocol::NodeRef &ref)
{
    return label(ref.name, ref.nodeId, ref.address);
}

QString node(const std::optional<Protocol::NodeRef> &ref)
{
    return ref ? node(*ref) : u"-"_s;
}

/// A duration in seconds: "0.42 s", "12.3 s".
QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms < 10'000 ? 2 : 1) + u" s"_s;
}

/// The time of day (local time, with milliseconds) of a Unix epoch time in ms.
QString timeOfDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"HH:mm:ss.zzz"_s);
}

/// A `route.failover` by its kind: "reachable via server-a", "failover server-a → server-b (unreachable): detected
/// 12:00:01.234, no path 0.42 s, last heard 1.80 s before", ... An event of a helper that sends no kind is shown as
/// it always was: "server-a -> server-b  unreachable  367 ms".
QString routeChange(const Protocol::FailoverEvent &f)
{
    const QString reason = u" ("_s + text(f.reason) + u')';
    QString line;
    if (f.kind == u"reachable"_s) {
        line = u"reachable via "_s + node(f.to);
        if (f.unreachableMs > 0)
            line += u", after "_s + seconds(f.unreachableMs) + u" without a server"_s;
        return line;
    }
    if (f.kind == u"switchback"_s || f.kind == u"move"_s)
        return clean(f.kind) + u' ' + node(f.from) + u" → "_s + node(f.to) + reason;
    if (f.kind != u"failover"_s && f.kind != u"lost"_s) {
        return node(f.from) + u" -> "_s + node(f.to) + u"  "_s + text(f.reason) + u"  "_s
            + QString::number(f.unreachableMs) + u" ms"_s;
    }
    QStringList facts;
    if (f.detectedAt > 0)
        facts.append(u"detected "_s + timeOfDay(f.detectedAt));
    if (f.kind == u"failover"_s)
        facts.append(u"no path "_s + (f.noPathMs >= 0 ? seconds(f.noPathMs) : u"unknown"_s));
    if (f.lastSeenAt > 0 && f.detectedAt > 0)
        facts.append(u"last heard "_s + seconds(std::max<qint64>(f.detectedAt - f.lastSeenAt, 0)) + u" before"_s);
    if (f.kind == u"failover"_s)
        line = u"failover "_s + node(f.from) + u" → "_s + node(f.to) + reason;
    else
        line = u"lost "_s + node(f.from) + reason + u", nobody serves it"_s;
    return facts.isEmpty() ? line : line + u": "_s + facts.join(u", "_s);
}

QString withFields(QString line, Fields fields)
{
    std::sort(fields.begin(), fields.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[key, value] : std::as_const(fields))
        line += u"  "_s + key + u'=' + value;
    return line;
}

/// The payload \a data read as T; the error's path starts with "data.".
template<typename T>
Result<T> payload(const QJsonObject &data)
{
    Result<T> parsed = T::fromJson(data);
    if (!parsed)
        return Error {parsed.error().code, u"data."_s + parsed.error().message};
    return parsed;
}

/// The part of an event line after its name: the network first, then the other fields in key order.
Result<QString> eventDetails(EventType type, const QJsonObject &data)
{
    switch (type) {
    case EventType::NetworkState: {
        const Result<Protocol::NetworkStateEvent> e = payload<Protocol::NetworkStateEvent>(data);
        if (!e)
            return e.error();
        Fields fields {{u"state"_s, text(e->state)}};
        if (!e->error.isEmpty())
            fields.append({u"error"_s, clean(e->error)});
        return withFields(u"  "_s + text(e->network), fields);
    }
    case EventType::PeerConnected: {
        const Result<Protocol::Peer> p = payload<Protocol::Peer>(data);
        if (!p)
            return p.error();
        return withFields(u"  "_s + text(p->network),
            {{u"address"_s, text(p->address)},
                {u"algorithm"_s, text(p->algorithm)},
                {u"claims"_s, compact(QJsonArray::fromStringList(p->claims))},
                {u"connectedSince"_s, QString::number(p->connectedSince)},
                {u"initiator"_s, yesNo(p->initiator)},
                {u"lastSeen"_s, QString::number(p->lastSeen)},
                {u"nodeId"_s, text(p->nodeId)},
                {u"rxBytes"_s, QString::number(p->rxBytes)},
                {u"rxPackets"_s, QString::number(p->rxPackets)},
                {u"suspect"_s, yesNo(p->suspect)},
                {u"txBytes"_s, QString::number(p->txBytes)},
                {u"txPackets"_s, QString::number(p->txPackets)}});
    }
    case EventType::PeerDisconnected: {
        const Result<Protocol::PeerDisconnectedEvent> e = payload<Protocol::PeerDisconnectedEvent>(data);
        if (!e)
            return e.error();
        return withFields(u"  "_s + text(e->network),
            {{u"address"_s, text(e->address)}, {u"nodeId"_s, text(e->nodeId)}, {u"reason"_s, text(e->reason)}});
    }
    case EventType::ClaimsChanged: {
        const Result<Protocol::ClaimsChangedEvent> e = payload<Protocol::ClaimsChangedEvent>(data);
        if (!e)
            return e.error();
        return withFields(u"  "_s + text(e->network), {{u"claims"_s, compact(Protocol::listToJson(e->claims))}});
    }
    case EventType::RouteFailover: {
        // "office  10.0.0.1/32  failover server-a → server-b (unreachable): detected …, no path 0.42 s, …"
        const Result<Protocol::FailoverEvent> f = payload<Protocol::FailoverEvent>(data);
        if (!f)
            return f.error();
        return QString(u"  "_s + text(f->network) + u"  "_s + text(f->range) + u"  "_s + routeChange(*f));
    }
    case EventType::PathRecovered: {
        const Result<Protocol::PathRecoveredEvent> e = payload<Protocol::PathRecoveredEvent>(data);
        if (!e)
            return e.error();
        Fields fields {{u"cause"_s, text(e->cause)},
            {u"gapMs"_s, QString::number(e->gapMs)},
            {u"peer"_s, compact(e->peer.toJson())},
            {u"previousAddress"_s, text(e->previousAddress)}};
        if (e->time != 0)
            fields.append({u"time"_s, QString::number(e->time)});
        return withFields(u"  "_s + text(e->network), fields);
    }
    case EventType::NetworkChanged: {
        const Result<Protocol::NetworkChangedEvent> e = payload<Protocol::NetworkChangedEvent>(data);
        if (!e)
            return e.error();
        Fields fields {{u"what"_s, text(e->what)}};
        if (e->time != 0)
            fields.append({u"time"_s, QString::number(e->time)});
        return withFields(u"  "_s + text(e->network), fields);
    }
    case EventType::NetworkResumed: {
        const Result<Protocol::NetworkResumedEvent> e = payload<Protocol::NetworkResumedEvent>(data);
        if (!e)
            return e.error();
        Fields fields {{u"pausedMs"_s, QString::number(e->pausedMs)}, {u"what"_s, text(e->what)}};
        if (e->time != 0)
            fields.append({u"time"_s, QString::number(e->time)});
        return withFields(u"  "_s + text(e->network), fields);
    }
    case EventType::Stats: {
        const Result<Protocol::TrafficEvent> e = payload<Protocol::TrafficEvent>(data);
        if (!e)
            return e.error();
        return withFields(u"  "_s + text(e->network),
            {{u"rxBytes"_s, QString::number(e->rxBytes)},
                {u"rxPackets"_s, QString::number(e->rxPackets)},
                {u"txBytes"_s, QString::number(e->txBytes)},
                {u"txPackets"_s, QString::number(e->txPackets)}});
    }
    case EventType::Log: {
        const Result<Protocol::LogEvent> e = payload<Protocol::LogEvent>(data);
        if (!e)
            return e.error();
        Fields fields {{u"message"_s, text(e->message)}};
        if (!e->level.isEmpty())
            fields.append({u"level"_s, clean(e->level)});
        return withFields(e->network.isEmpty() ? QString() : u"  "_s + clean(e->network), fields);
    }
    case EventType::Resync:
        return QString();
    }
    return QString();
}

} // namespace

QString bytes(qint64 count)
{
    // As the GUI (ui/common/format.cpp, Format::bytes).
    return QLocale().formattedDataSize(qMax<qint64>(count, 0), 1);
}

QString time(qint64 ms)
{
    if (ms <= 0)
        return u"-"_s;
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString status(const Protocol::HelperStatus &status)
{
    QString out = u"helper %1, %2 mode\n"_s.arg(text(status.helper), text(status.mode));
    if (status.networks.isEmpty())
        return out + u"no network is connected\n"_s;
    TextTable table({u"NETWORK"_s, u"STATE"_s, u"DEVICE"_s, u"ADDRESS"_s, u"PEERS"_s, u"CLAIMS"_s, u"RX"_s, u"TX"_s});
    QStringList errors;
    for (const Protocol::NetworkStatus &n : status.networks) {
        QString state = text(n.state);
        if (n.system)
            state += u" (system)"_s;
        table.addRow({text(n.name),
            state,
            text(n.device),
            text(n.ip),
            u"%1/%2"_s.arg(n.peerCount).arg(n.configuredPeers),
            joined(n.claims),
            bytes(n.rxBytes),
            bytes(n.txBytes)});
        if (!n.error.isEmpty())
            errors.append(u"%1: %2"_s.arg(text(n.name), clean(n.error)));
        if (!n.unresolvedPeers.isEmpty())
            errors.append(u"%1: cannot resolve %2 (trying again)"_s.arg(text(n.name), joined(n.unresolvedPeers)));
    }
    out += table.toString();
    for (const QString &e : std::as_const(errors))
        out += e + u'\n';
    return out;
}

QString peers(const QList<Protocol::Peer> &peers)
{
    if (peers.isEmpty())
        return u"no peers\n"_s;
    TextTable table({u"NETWORK"_s,
        u"NAME"_s,
        u"ADDRESS"_s,
        u"NODE ID"_s,
        u"CLAIMS"_s,
        u"CONNECTED SINCE"_s,
        u"ALGORITHM"_s,
        u"RX"_s,
        u"TX"_s});
    for (const Protocol::Peer &p : peers) {
        table.addRow({text(p.network),
            label(p.name, p.nodeId, p.address),
            text(p.address),
            text(p.nodeId),
            joined(p.claims),
            time(p.connectedSince),
            text(p.algorithm),
            bytes(p.rxBytes),
            bytes(p.txBytes)});
    }
    return table.toString();
}

QString claims(const QList<Protocol::Claim> &claims)
{
    if (claims.isEmpty())
        return u"no claims\n"_s;
    TextTable table({u"NETWORK"_s, u"RANGE"_s, u"SERVED BY"_s, u"CLAIMANTS"_s, u"FLAGS"_s});
    for (const Protocol::Claim &c : claims) {
        QStringList claimants;
        for (const Protocol::Claimant &claimant : c.claimants)
            claimants.append(node(claimant.node));
        QStringList flags;
        if (c.local)
            flags.append(u"local"_s);
        if (c.used)
            flags.append(u"used"_s);
        if (c.serving)
            flags.append(u"serving"_s);
        table.addRow({text(c.network),
            text(c.range),
            node(c.servedBy),
            claimants.isEmpty() ? u"-"_s : claimants.join(u','),
            flags.isEmpty() ? u"-"_s : flags.join(u',')});
    }
    return table.toString();
}

QString stats(const QList<Protocol::Stats> &stats)
{
    if (stats.isEmpty())
        return u"no network is connected\n"_s;
    QString out;
    for (const Protocol::Stats &s : stats) {
        if (!out.isEmpty())
            out += u'\n';
        out += u"network "_s + text(s.network) + u'\n';
        TextTable table({u"COUNTER"_s, u"VALUE"_s});
        for (const auto &[name, value] : s.counters()) {
            const bool isBytes = name == u"rxBytes"_s || name == u"txBytes"_s;
            table.addRow({name, isBytes ? bytes(value) : QString::number(value)});
        }
        out += table.toString();
    }
    return out;
}

Result<QString> eventLine(const QString &event, std::optional<qint64> seq, qint64 time, const QJsonObject &data)
{
    QString line = CtlFormat::time(time);
    if (seq)
        line += u"  #"_s + QString::number(*seq);
    line += u"  "_s + clean(event);
    const std::optional<EventType> type = Protocol::eventTypeFromName(event);
    if (!type)
        return data.isEmpty() ? line : QString(line + u"  "_s + compact(data));
    const Result<QString> details = eventDetails(*type, data);
    if (!details)
        return details.error();
    return QString(line + details.value());
}

} // namespace Nimbus::CtlFormat
