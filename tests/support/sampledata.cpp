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

} // namespace Nimbus::Test::Sample
