#include "tests/support/sampledata.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test::Sample
{

QString nodeId(int i)
{
    QString id = QString::number(0x5eed0000u + static_cast<uint>(i) * 2654435761u, 16).rightJustified(8, u'0');
    while (id.size() < 32)
        id += QString::number((i * 7 + static_cast<int>(id.size())) % 16, 16);
    return id.left(32);
}

QString address(int i)
{
    return u"192.0.2."_s + QString::number(1 + i % 250) + u":"_s + QString::number(3210 + i / 250);
}

QJsonObject node(int i)
{
    return QJsonObject {{u"nodeId"_s, nodeId(i)}, {u"address"_s, address(i)}};
}

QJsonObject peer(const QString &network, int i, qint64 nowMs)
{
    QJsonArray claims;
    if (i < 2)
        claims.append(u"10.0.0.1/32"_s);
    claims.append(
        QString(u"10.0."_s + QString::number(1 + i / 250) + u"."_s + QString::number(i % 250 + 2) + u"/32"_s));
    if (i == 2)
        claims.append(u"10.1.0.0/16"_s);
    return QJsonObject {
        {u"network"_s, network},
        {u"address"_s, address(i)},
        {u"nodeId"_s, nodeId(i)},
        {u"claims"_s, claims},
        {u"connectedSince"_s, static_cast<double>(nowMs - 60'000LL * (i + 1) - i * 1379)},
        {u"algorithm"_s, i % 3 == 2 ? u"AES256"_s : u"CHACHA20"_s},
        {u"rxBytes"_s, static_cast<double>((i + 1) * 1'234'567LL % 987'654'321LL)},
        {u"txBytes"_s, static_cast<double>((i + 3) * 765'432LL % 123'456'789LL)},
        {u"rxPackets"_s, (i + 1) * 1200},
        {u"txPackets"_s, (i + 3) * 800},
        {u"lastSeen"_s, static_cast<double>(nowMs - 1000)},
        {u"initiator"_s, i % 2 == 0},
    };
}

QJsonArray peers(const QString &network, int count, qint64 nowMs)
{
    QJsonArray out;
    for (int i = 0; i < count; ++i)
        out.append(peer(network, i, nowMs));
    return out;
}

QJsonObject claim(const QString &network, const QString &range, int servedBy, const QList<int> &claimants, bool used)
{
    QJsonArray list;
    for (const int c : claimants) {
        QJsonObject n = node(c);
        n.insert(u"since"_s, 1'700'000'000'000.0 + c);
        list.append(n);
    }
    return QJsonObject {
        {u"network"_s, network},
        {u"range"_s, range},
        {u"servedBy"_s, servedBy >= 0 ? QJsonValue(node(servedBy)) : QJsonValue(QJsonValue::Null)},
        {u"claimants"_s, list},
        {u"local"_s, false},
        {u"used"_s, used},
        {u"serving"_s, false},
    };
}

QJsonObject networkStatus(const QString &name, const QString &state, int peerCount, int configuredPeers)
{
    return QJsonObject {
        {u"name"_s, name},
        {u"state"_s, state},
        {u"device"_s, name == u"office" ? u"nimbus0"_s : u"nimbus1"_s},
        {u"ip"_s, name == u"office" ? u"10.0.0.100/24"_s : u"10.9.0.7/24"_s},
        {u"nodeId"_s, nodeId(999)},
        {u"listen"_s, u"[::]:3210"_s},
        {u"peerCount"_s, peerCount},
        {u"configuredPeers"_s, configuredPeers},
        {u"claims"_s, QJsonArray {u"10.0.0.100/32"_s}},
        {u"algorithm"_s, u"CHACHA20"_s},
        {u"system"_s, false},
        {u"lastFailover"_s, QJsonValue(QJsonValue::Null)},
        {u"rxBytes"_s, 123456789.0},
        {u"txBytes"_s, 23456789.0},
    };
}

QJsonObject failover(const QString &network, const QString &range, int from, int to, qint64 unreachableMs)
{
    return QJsonObject {
        {u"network"_s, network},
        {u"range"_s, range},
        {u"from"_s, from >= 0 ? QJsonValue(node(from)) : QJsonValue(QJsonValue::Null)},
        {u"to"_s, to >= 0 ? QJsonValue(node(to)) : QJsonValue(QJsonValue::Null)},
        {u"reason"_s, u"timeout"_s},
        {u"unreachableMs"_s, static_cast<double>(unreachableMs)},
    };
}

QJsonObject snapshot(int peerCount, qint64 nowMs)
{
    QJsonArray networks {
        networkStatus(u"office"_s, u"connected"_s, peerCount, peerCount), networkStatus(u"lab"_s, u"degraded"_s, 2, 3)};
    QJsonObject office = networks.at(0).toObject();
    office.insert(u"lastFailover"_s, failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 1840));
    networks[0] = office;

    QJsonArray allPeers = peers(u"office"_s, peerCount, nowMs);
    const QJsonArray labPeers = peers(u"lab"_s, 2, nowMs);
    for (const QJsonValue &p : labPeers)
        allPeers.append(p);

    QJsonArray claims {
        claim(u"office"_s, u"10.0.0.1/32"_s, 1, {1, 0}, true),
        claim(u"office"_s, u"10.1.0.0/16"_s, 2, {2}, false),
        claim(u"lab"_s, u"10.9.0.0/24"_s, -1, {}, true),
    };
    for (int i = 0; i < qMin(peerCount, 20); ++i)
        claims.append(claim(u"office"_s, u"10.0.1."_s + QString::number(i + 2) + u"/32"_s, i, {i}, i % 4 == 0));
    QJsonObject local = claim(u"office"_s, u"10.0.0.100/32"_s, -1, {}, false);
    local.insert(u"local"_s, true);
    local.insert(u"serving"_s, true);
    claims.append(local);

    const auto event = [](const QString &name, qint64 time, const QJsonObject &data) {
        return QJsonObject {
            {u"event"_s, name}, {u"seq"_s, 0}, {u"time"_s, static_cast<double>(time)}, {u"data"_s, data}};
    };
    QJsonObject disconnected = node(0);
    disconnected.insert(u"network"_s, u"office"_s);
    disconnected.insert(u"reason"_s, u"timeout"_s);
    QJsonObject connected = peer(u"office"_s, 1, nowMs);
    QJsonArray events {
        event(u"network.state"_s, nowMs - 600'000, {{u"network"_s, u"office"_s}, {u"state"_s, u"connecting"_s}}),
        event(u"peer.connected"_s, nowMs - 599'000, connected),
        event(u"network.state"_s, nowMs - 598'000, {{u"network"_s, u"office"_s}, {u"state"_s, u"connected"_s}}),
        event(u"peer.disconnected"_s, nowMs - 120'000, disconnected),
        event(u"route.failover"_s, nowMs - 119'000, failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 1840)),
        event(u"network.state"_s, nowMs - 30'000, {{u"network"_s, u"lab"_s}, {u"state"_s, u"degraded"_s}}),
    };
    return QJsonObject {
        {u"status"_s, QJsonObject {{u"helper"_s, u"0.1.0"_s}, {u"mode"_s, u"service"_s}, {u"networks"_s, networks}}},
        {u"peers"_s, allPeers},
        {u"claims"_s, claims},
        {u"events"_s, events},
    };
}

QString nodeName(int i)
{
    if (i < 26)
        return u"server-"_s + QChar(u'a' + i);
    return u"node-"_s + QString::number(i);
}

QJsonObject namedNode(int i)
{
    QJsonObject n = node(i);
    n.insert(u"name"_s, nodeName(i));
    n.insert(u"nameSource"_s, u"peer"_s);
    return n;
}

QJsonObject routeChange(const QString &network,
    const QString &range,
    int from,
    int to,
    const QString &kind,
    qint64 detectedAt,
    qint64 lastSeenAt,
    qint64 noPathMs)
{
    const bool failed = kind == u"failover" || kind == u"lost";
    return QJsonObject {
        {u"network"_s, network},
        {u"range"_s, range},
        {u"address"_s, range.section(u'/', 0, 0)},
        {u"from"_s, from >= 0 ? QJsonValue(namedNode(from)) : QJsonValue(QJsonValue::Null)},
        {u"to"_s, to >= 0 ? QJsonValue(namedNode(to)) : QJsonValue(QJsonValue::Null)},
        {u"reason"_s, failed ? u"timeout"_s : (kind == u"switchback" ? u"preferred"_s : u"new-claimant"_s)},
        {u"unreachableMs"_s, static_cast<double>(failed && lastSeenAt > 0 ? detectedAt - lastSeenAt : 0)},
        {u"time"_s, static_cast<double>(detectedAt)},
        {u"kind"_s, kind},
        {u"detectedAt"_s, static_cast<double>(failed ? detectedAt : 0)},
        {u"lastSeenAt"_s, static_cast<double>(failed ? lastSeenAt : 0)},
        {u"noPathMs"_s, static_cast<double>(noPathMs)},
    };
}

QJsonObject namedSnapshot(int peerCount, qint64 nowMs)
{
    QJsonObject snap = snapshot(peerCount, nowMs);
    QJsonArray peersList = snap.value(u"peers"_s).toArray();
    for (qsizetype i = 0; i < peersList.size(); ++i) {
        QJsonObject p = peersList.at(i).toObject();
        const int index = static_cast<int>(p.value(u"network"_s).toString() == u"office" ? i : i - peerCount);
        p.insert(u"name"_s, nodeName(index));
        p.insert(u"nameSource"_s, u"peer"_s);
        if (index == 1)
            p.insert(u"suspect"_s, true);
        peersList[i] = p;
    }
    snap.insert(u"peers"_s, peersList);

    const auto named = [](QJsonObject claim) {
        QJsonValue served = claim.value(u"servedBy"_s);
        if (served.isObject()) {
            QJsonObject n = served.toObject();
            for (int i = 0; i < 300; ++i) {
                if (nodeId(i) == n.value(u"nodeId"_s).toString()) {
                    n = namedNode(i);
                    break;
                }
            }
            claim.insert(u"servedBy"_s, n);
        }
        QJsonArray list = claim.value(u"claimants"_s).toArray();
        for (qsizetype c = 0; c < list.size(); ++c) {
            QJsonObject n = list.at(c).toObject();
            for (int i = 0; i < 300; ++i) {
                if (nodeId(i) == n.value(u"nodeId"_s).toString()) {
                    const qint64 since = static_cast<qint64>(n.value(u"since"_s).toDouble());
                    n = namedNode(i);
                    n.insert(u"since"_s, static_cast<double>(since));
                    break;
                }
            }
            list[c] = n;
        }
        claim.insert(u"claimants"_s, list);
        return claim;
    };
    QJsonArray claims = snap.value(u"claims"_s).toArray();
    // 10.0.0.1/32: server-b serves, server-a stands by, and a third server with a /31 behind them.
    claims[0] = claim(u"office"_s, u"10.0.0.1/32"_s, 1, {1, 0}, true);
    claims.insert(1, claim(u"office"_s, u"10.0.0.0/31"_s, 2, {2}, false));
    for (qsizetype i = 0; i < claims.size(); ++i)
        claims[i] = named(claims.at(i).toObject());
    snap.insert(u"claims"_s, claims);

    const auto event = [](const QString &name, qint64 time, const QJsonObject &data) {
        return QJsonObject {
            {u"event"_s, name}, {u"seq"_s, 0}, {u"time"_s, static_cast<double>(time)}, {u"data"_s, data}};
    };
    QJsonArray events = snap.value(u"events"_s).toArray();
    // Replace the old-style failover with the route changes of the last hour.
    for (qsizetype i = events.size() - 1; i >= 0; --i) {
        if (events.at(i).toObject().value(u"event"_s).toString() == u"route.failover")
            events.removeAt(i);
    }
    const QString range = u"10.0.0.1/32"_s;
    events.append(event(u"route.failover"_s,
        nowMs - 3'000'000,
        routeChange(u"office"_s, range, -1, 0, u"reachable"_s, nowMs - 3'000'000, 0, -1)));
    events.append(event(u"route.failover"_s,
        nowMs - 1'800'000,
        routeChange(u"office"_s, range, 0, 1, u"failover"_s, nowMs - 1'800'000, nowMs - 1'802'300, 180)));
    events.append(event(u"route.failover"_s,
        nowMs - 1'200'000,
        routeChange(u"office"_s, range, 1, -1, u"lost"_s, nowMs - 1'200'000, nowMs - 1'201'500, -1)));
    events.append(event(u"route.failover"_s,
        nowMs - 1'140'000,
        routeChange(u"office"_s, range, -1, 0, u"reachable"_s, nowMs - 1'140'000, 0, -1)));
    events.append(event(u"route.failover"_s,
        nowMs - 119'000,
        routeChange(u"office"_s, range, 0, 1, u"failover"_s, nowMs - 119'000, nowMs - 121'300, 420)));
    snap.insert(u"events"_s, events);

    QJsonObject status = snap.value(u"status"_s).toObject();
    QJsonArray networks = status.value(u"networks"_s).toArray();
    QJsonObject office = networks.at(0).toObject();
    office.insert(
        u"lastFailover"_s, routeChange(u"office"_s, range, 0, 1, u"failover"_s, nowMs - 119'000, nowMs - 121'300, 420));
    networks[0] = office;
    status.insert(u"networks"_s, networks);
    snap.insert(u"status"_s, status);
    return snap;
}

LabelledNames::LabelledNames() : settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat), labels(settings)
{
    names.setLabels(&labels);
}

LiveModels::LiveModels(int peerCount, qint64 nowMs) : availability(claims, peers, events)
{
    peers.setNodeNames(&names);
    claims.setNodeNames(&names);
    events.setNodeNames(&names);
    availability.setNodeNames(&names);
    availability.setClock([nowMs] { return nowMs; });
    const QJsonObject snap = namedSnapshot(peerCount, nowMs);
    peers.setPeers(snap.value(u"peers"_s).toArray());
    claims.setClaims(snap.value(u"claims"_s).toArray());
    events.addSnapshotEvents(snap.value(u"events"_s).toArray());
}

} // namespace Nimbus::Test::Sample
