#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/protocol/types.h"
#include "tests/support/typecheck.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Protocol;

namespace
{

const QString kNodeA = u"0123456789abcdef0123456789abcdef"_s;
const QString kNodeB = u"fedcba9876543210fedcba9876543210"_s;

QJsonObject nodeRef(const QString &id, const QString &address)
{
    return QJsonObject {{u"nodeId"_s, id}, {u"address"_s, address}};
}

/// A peer as Network::peerJson() writes it.
QJsonObject peerWire()
{
    return QJsonObject {
        {u"network"_s, u"office"_s},
        {u"address"_s, u"192.0.2.1:3210"_s},
        {u"nodeId"_s, kNodeA},
        {u"name"_s, u"server-a"_s},
        {u"nameSource"_s, u"peer"_s},
        {u"claims"_s, QJsonArray {u"10.0.0.1/32"_s, u"10.1.0.0/16"_s}},
        {u"connectedSince"_s, qint64(1700000000000)},
        {u"lastSeen"_s, qint64(1700000005000)},
        {u"algorithm"_s, u"CHACHA20"_s},
        {u"rxBytes"_s, qint64(5000000000)},
        {u"txBytes"_s, qint64(1234)},
        {u"rxPackets"_s, qint64(10)},
        {u"txPackets"_s, qint64(11)},
        {u"initiator"_s, true},
        {u"suspect"_s, false},
    };
}

/// A failover as Network::onEvent() writes it for route.failover (network added by publish()).
QJsonObject failoverWire()
{
    return QJsonObject {
        {u"network"_s, u"office"_s},
        {u"range"_s, u"10.0.0.1/32"_s},
        {u"address"_s, u"10.0.0.1"_s},
        {u"from"_s, nodeRef(kNodeA, u"192.0.2.1:3210"_s)},
        {u"to"_s, nodeRef(kNodeB, u"192.0.2.2:3210"_s)},
        {u"reason"_s, u"timeout"_s},
        {u"unreachableMs"_s, qint64(1840)},
        {u"time"_s, qint64(1700000001000)},
        {u"kind"_s, u"failover"_s},
        {u"detectedAt"_s, qint64(1700000000990)},
        {u"lastSeenAt"_s, qint64(1700000000160)},
        {u"noPathMs"_s, qint64(420)},
    };
}

QJsonObject claimWire()
{
    QJsonObject claimantA = nodeRef(kNodeA, u"192.0.2.1:3210"_s);
    claimantA.insert(u"since"_s, qint64(1700000000000));
    QJsonObject claimantB = nodeRef(kNodeB, u"192.0.2.2:3210"_s);
    claimantB.insert(u"since"_s, qint64(1700000000500));
    return QJsonObject {
        {u"network"_s, u"office"_s},
        {u"range"_s, u"10.0.0.1/32"_s},
        {u"servedBy"_s, nodeRef(kNodeA, u"192.0.2.1:3210"_s)},
        {u"claimants"_s, QJsonArray {claimantA, claimantB}},
        {u"local"_s, false},
        {u"used"_s, true},
        {u"serving"_s, false},
    };
}

/// A status as Network::status() writes it.
QJsonObject statusWire()
{
    return QJsonObject {
        {u"name"_s, u"office"_s},
        {u"state"_s, u"degraded"_s},
        {u"device"_s, u"nimbus0"_s},
        {u"ip"_s, u"10.0.0.100/24"_s},
        {u"nodeId"_s, kNodeB},
        {u"listen"_s, u"[::]:3210"_s},
        {u"peerCount"_s, 1},
        {u"configuredPeers"_s, 2},
        {u"unresolvedPeers"_s, QJsonArray {u"vpn.example.org:3210"_s}},
        {u"claims"_s, QJsonArray {u"10.0.0.100/32"_s}},
        {u"system"_s, false},
        {u"lastFailover"_s, failoverWire()},
        {u"rxBytes"_s, qint64(123456789)},
        {u"txBytes"_s, qint64(23456789)},
        {u"algorithm"_s, u"CHACHA20"_s},
    };
}

QJsonObject statsWire()
{
    QJsonObject o {{u"network"_s, u"office"_s}};
    const QStringList counters {u"rxBytes"_s,
        u"txBytes"_s,
        u"rxPackets"_s,
        u"txPackets"_s,
        u"invalidPackets"_s,
        u"rateLimited"_s,
        u"peerLimitRejected"_s,
        u"handshakesEvicted"_s,
        u"claimsIgnored"_s,
        u"duplicateInits"_s,
        u"respondersExpired"_s,
        u"droppedPackets"_s,
        u"handshakes"_s,
        u"failovers"_s,
        u"probes"_s,
        u"probesAnswered"_s,
        u"silentPeers"_s,
        u"pathRecoveries"_s,
        u"peersRoamed"_s,
        u"knocks"_s,
        u"sendErrors"_s,
        u"deviceWriteErrors"_s};
    for (qsizetype i = 0; i < counters.size(); ++i)
        o.insert(counters[i], qint64(1000 + i));
    return o;
}

} // namespace

class tst_Types : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nodeRef()
    {
        Test::checkValueType<NodeRef>(::nodeRef(kNodeA, u"192.0.2.1:3210"_s), {u"nodeId"_s, u"address"_s}, u"nodeId"_s);
    }

    void peer()
    {
        Test::checkValueType<Peer>(peerWire(), {u"network"_s, u"address"_s}, u"rxBytes"_s);
        const Peer p = Peer::fromJson(peerWire()).value();
        QCOMPARE(p.rxBytes, qint64(5000000000));
        QCOMPARE(p.claims, (QStringList {u"10.0.0.1/32"_s, u"10.1.0.0/16"_s}));
        QVERIFY(p.initiator);
    }

    void peerDefaults()
    {
        // Only the identity is required; what a newer or older helper leaves out takes its default.
        const Result<Peer> p
            = Peer::fromJson(QJsonObject {{u"network"_s, u"office"_s}, {u"address"_s, u"192.0.2.1:3210"_s}});
        QVERIFY(p.ok());
        QCOMPARE(p->nodeId, QString());
        QCOMPARE(p->rxBytes, qint64(0));
        QVERIFY(!p->suspect);
    }

    void peerWrongTypes_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("message");
        QJsonObject fraction = peerWire();
        fraction.insert(u"rxBytes"_s, 1.5);
        QTest::newRow("fraction") << fraction << u"rxBytes: expected a whole number"_s;
        QJsonObject claims = peerWire();
        claims.insert(u"claims"_s, 5);
        QTest::newRow("claims not a list") << claims << u"claims: expected a list of strings"_s;
        QJsonObject entry = peerWire();
        entry.insert(u"claims"_s, QJsonArray {u"10.0.0.1/32"_s, 7});
        QTest::newRow("claims entry") << entry << u"claims[1]: expected a string"_s;
        QJsonObject flag = peerWire();
        flag.insert(u"initiator"_s, u"yes"_s);
        QTest::newRow("bool") << flag << u"initiator: expected true or false"_s;
    }

    void peerWrongTypes()
    {
        QFETCH(QJsonObject, json);
        QFETCH(QString, message);
        const Result<Peer> p = Peer::fromJson(json);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().message, message);
    }

    void claim()
    {
        Test::checkValueType<Claim>(claimWire(), {u"range"_s}, u"claimants"_s);
        const Claim c = Claim::fromJson(claimWire()).value();
        QCOMPARE(c.claimants.size(), 2);
        QCOMPARE(c.claimants[1].node.nodeId, kNodeB);
        QCOMPARE(c.claimants[1].since, qint64(1700000000500));
        QCOMPARE(c.servedBy->address, u"192.0.2.1:3210"_s);
    }

    void claimNobodyServes()
    {
        QJsonObject wire = claimWire();
        wire.insert(u"servedBy"_s, QJsonValue::Null);
        wire.insert(u"claimants"_s, QJsonArray {});
        Test::checkValueType<Claim>(wire, {u"range"_s}, QString());
        QVERIFY(!Claim::fromJson(wire)->servedBy);
    }

    void claimNestedErrorNamesThePath()
    {
        QJsonObject wire = claimWire();
        QJsonArray claimants = wire.value(u"claimants"_s).toArray();
        QJsonObject second = claimants[1].toObject();
        second.remove(u"nodeId"_s);
        claimants[1] = second;
        wire.insert(u"claimants"_s, claimants);
        const Result<Claim> c = Claim::fromJson(wire);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().message, u"claimants[1].nodeId: missing"_s);

        QJsonObject served = claimWire();
        served.insert(u"servedBy"_s, QJsonObject {{u"nodeId"_s, kNodeA}});
        QCOMPARE(Claim::fromJson(served).error().message, u"servedBy.address: missing"_s);
    }

    void failover()
    {
        Test::checkValueType<FailoverEvent>(
            failoverWire(), {u"network"_s, u"range"_s, u"reason"_s, u"unreachableMs"_s}, u"from"_s);
        QJsonObject lost = failoverWire();
        lost.insert(u"to"_s, QJsonValue::Null);
        const FailoverEvent f = FailoverEvent::fromJson(lost).value();
        QVERIFY(f.from.has_value());
        QVERIFY(!f.to.has_value());
        QCOMPARE(f.unreachableMs, qint64(1840));
        QCOMPARE(f.kind, u"failover"_s);
        QCOMPARE(f.detectedAt, qint64(1700000000990));
        QCOMPARE(f.lastSeenAt, qint64(1700000000160));
        QCOMPARE(f.noPathMs, qint64(420));
        QCOMPARE(f.toJson(), lost);

        // An older helper's event: no kind and no timings; the gap without a path is unknown (-1), not 0.
        QJsonObject old = failoverWire();
        for (const auto *key : {"kind", "detectedAt", "lastSeenAt", "noPathMs"})
            old.remove(QLatin1StringView(key));
        const FailoverEvent o = FailoverEvent::fromJson(old).value();
        QVERIFY(o.kind.isEmpty());
        QCOMPARE(o.noPathMs, qint64(-1));
        QCOMPARE(o.toJson(), old);
    }

    void nodeRefName()
    {
        // A name is written with its source, and only when there is one.
        QJsonObject named = ::nodeRef(kNodeA, u"192.0.2.1:3210"_s);
        named.insert(u"name"_s, u"server-a"_s);
        named.insert(u"nameSource"_s, u"hosts"_s);
        const NodeRef n = NodeRef::fromJson(named).value();
        QCOMPARE(n.name, u"server-a"_s);
        QCOMPARE(n.nameSource, u"hosts"_s);
        QCOMPARE(n.toJson(), named);
        QVERIFY(!NodeRef::fromJson(::nodeRef(kNodeA, u"192.0.2.1:3210"_s))->toJson().contains(u"name"_s));
    }

    void networkStatus()
    {
        Test::checkValueType<NetworkStatus>(statusWire(), {u"name"_s, u"state"_s}, u"peerCount"_s);
        const NetworkStatus s = NetworkStatus::fromJson(statusWire()).value();
        QCOMPARE(s.lastFailover->unreachableMs, qint64(1840));
        QCOMPARE(s.unresolvedPeers, QStringList {u"vpn.example.org:3210"_s});
        QVERIFY(s.isActive());

        QJsonObject none = statusWire();
        none.insert(u"lastFailover"_s, QJsonValue::Null);
        none.remove(u"algorithm"_s);
        none.insert(u"state"_s, u"disconnected"_s);
        Test::checkValueType<NetworkStatus>(none, {u"name"_s}, QString());
        QVERIFY(!NetworkStatus::fromJson(none)->lastFailover);
        QVERIFY(!NetworkStatus::fromJson(none)->isActive());

        QJsonObject badFailover = statusWire();
        QJsonObject f = failoverWire();
        f.remove(u"unreachableMs"_s);
        badFailover.insert(u"lastFailover"_s, f);
        QCOMPARE(NetworkStatus::fromJson(badFailover).error().message, u"lastFailover.unreachableMs: missing"_s);
    }

    void networkStatusOwner()
    {
        // `owner` is there only for a network connected over the socket.
        QVERIFY(!NetworkStatus::fromJson(statusWire())->owner);
        QVERIFY(!NetworkStatus::fromJson(statusWire())->toJson().contains(u"owner"_s));
        QJsonObject owned = statusWire();
        owned.insert(u"owner"_s, 1000);
        Test::checkValueType<NetworkStatus>(owned, {u"name"_s, u"state"_s}, u"owner"_s);
        QCOMPARE(NetworkStatus::fromJson(owned)->owner, std::optional<quint32>(1000));
        owned.insert(u"owner"_s, -1);
        QCOMPARE(NetworkStatus::fromJson(owned).error().message, u"owner: expected a uid"_s);
    }

    void helloResult()
    {
        const QJsonObject wire {
            {u"version"_s, 1},
            {u"helper"_s, u"0.1.0"_s},
            {u"capabilities"_s, QJsonArray {u"hello"_s, u"status"_s}},
            {u"role"_s, u"operator"_s},
            {u"uid"_s, 1000},
            {u"mode"_s, u"service"_s},
        };
        Test::checkValueType<HelloResult>(wire, {u"version"_s}, u"capabilities"_s);
        const HelloResult h = HelloResult::fromJson(wire).value();
        QCOMPARE(h.version, 1);
        QCOMPARE(h.capabilities, (QStringList {u"hello"_s, u"status"_s}));
        QCOMPARE(h.role, u"operator"_s);
        QCOMPARE(h.uid, qint64(1000));
        QCOMPARE(h.mode, u"service"_s);
    }

    void helperStatus()
    {
        const QJsonObject wire {
            {u"helper"_s, u"0.1.0"_s}, {u"mode"_s, u"service"_s}, {u"networks"_s, QJsonArray {statusWire()}}};
        Test::checkValueType<HelperStatus>(wire, {}, u"networks"_s);
        QCOMPARE(HelperStatus::fromJson(wire)->networks.size(), 1);
        QJsonObject bad = statusWire();
        bad.remove(u"state"_s);
        QCOMPARE(HelperStatus::fromJson(QJsonObject {{u"networks"_s, QJsonArray {statusWire(), bad}}}).error().message,
            u"networks[1].state: missing"_s);
    }

    void stats()
    {
        Test::checkValueType<Stats>(statsWire(), {u"network"_s}, u"knocks"_s);
        const Stats s = Stats::fromJson(statsWire()).value();
        QCOMPARE(s.rxBytes, qint64(1000));
        QCOMPARE(s.duplicateInits, qint64(1009));
        QCOMPARE(s.respondersExpired, qint64(1010));
        QCOMPARE(s.deviceWriteErrors, qint64(1021));
        QCOMPARE(s.counters().size(), statsWire().size() - 1);
        // counters() is in wire order: each counter's name with its own value.
        const QList<std::pair<QString, qint64>> counters = s.counters();
        for (const auto &[name, value] : counters)
            QCOMPARE(value, statsWire().value(name).toInteger(-1));
    }

    void statsFromAnOlderHelper()
    {
        // A helper from before duplicateInits and respondersExpired: they read as 0.
        QJsonObject older = statsWire();
        older.remove(u"duplicateInits"_s);
        older.remove(u"respondersExpired"_s);
        const Result<Stats> s = Stats::fromJson(older);
        QVERIFY(s.ok());
        QCOMPARE(s->duplicateInits, qint64(0));
        QCOMPARE(s->respondersExpired, qint64(0));
        QCOMPARE(s->knocks, qint64(1019));
    }

    void fieldError()
    {
        Test::checkValueType<FieldError>(
            QJsonObject {{u"field"_s, u"ip"_s}, {u"message"_s, u"bad"_s}}, {u"field"_s}, u"message"_s);
    }

    void keyPair()
    {
        Test::checkValueType<KeyPair>(QJsonObject {{u"privateKey"_s, u"priv"_s}, {u"publicKey"_s, u"pub"_s}},
            {u"privateKey"_s, u"publicKey"_s},
            u"publicKey"_s);
    }

    void listFromJson()
    {
        QJsonObject bad = peerWire();
        bad.remove(u"address"_s);
        const Result<QList<Peer>> peers = Protocol::listFromJson<Peer>(QJsonArray {peerWire(), bad});
        QVERIFY(!peers.ok());
        QCOMPARE(peers.error().message, u"[1].address: missing"_s);
        QCOMPARE(
            Protocol::listFromJson<Peer>(QJsonArray {peerWire(), 3}).error().message, u"[1]: expected an object"_s);
        const Result<QList<Peer>> good = Protocol::listFromJson<Peer>(QJsonArray {peerWire(), peerWire()});
        QCOMPARE(good->size(), 2);
        QCOMPARE(listToJson(*good), (QJsonArray {peerWire(), peerWire()}));
    }
};

QTEST_GUILESS_MAIN(tst_Types)
#include "tst_types.moc"
