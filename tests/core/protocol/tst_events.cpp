#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/protocol/events.h"
#include "tests/support/typecheck.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Protocol;

namespace
{

const QString kNode = u"0123456789abcdef0123456789abcdef"_s;

QJsonObject nodeRef()
{
    return QJsonObject {{u"nodeId"_s, kNode}, {u"address"_s, u"192.0.2.1:3210"_s}};
}

QJsonObject claimWire()
{
    return QJsonObject {
        {u"network"_s, u"office"_s},
        {u"range"_s, u"10.0.0.1/32"_s},
        {u"servedBy"_s, QJsonValue::Null},
        {u"claimants"_s, QJsonArray {}},
        {u"local"_s, true},
        {u"used"_s, false},
        {u"serving"_s, true},
    };
}

} // namespace

class tst_Events : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names()
    {
        const QStringList expected {u"network.state"_s,
            u"peer.connected"_s,
            u"peer.disconnected"_s,
            u"claims.changed"_s,
            u"route.failover"_s,
            u"path.recovered"_s,
            u"network.changed"_s,
            u"network.resumed"_s,
            u"stats"_s,
            u"log"_s,
            u"resync"_s};
        QStringList names;
        for (const EventType type : allEventTypes()) {
            names.append(eventName(type));
            QCOMPARE(eventTypeFromName(eventName(type)), std::optional<EventType>(type));
        }
        QCOMPARE(names, expected);
        QVERIFY(!eventTypeFromName(u"peer.connecting").has_value());
        QVERIFY(!eventTypeFromName(u"Stats").has_value());
    }

    void networkState()
    {
        Test::checkValueType<NetworkStateEvent>(
            QJsonObject {{u"network"_s, u"office"_s}, {u"state"_s, u"error"_s}, {u"error"_s, u"no tun"_s}},
            {u"network"_s, u"state"_s},
            u"error"_s);
        Test::checkValueType<NetworkStateEvent>(
            QJsonObject {{u"network"_s, u"office"_s}, {u"state"_s, u"connected"_s}}, {u"state"_s}, u"state"_s);
    }

    void peerDisconnected()
    {
        Test::checkValueType<PeerDisconnectedEvent>(QJsonObject {{u"network"_s, u"office"_s},
                                                        {u"address"_s, u"192.0.2.1:3210"_s},
                                                        {u"nodeId"_s, kNode},
                                                        {u"reason"_s, u"silent"_s}},
            {u"network"_s, u"address"_s, u"reason"_s},
            u"nodeId"_s);
    }

    void claimsChanged()
    {
        const QJsonObject wire {{u"network"_s, u"office"_s}, {u"claims"_s, QJsonArray {claimWire()}}};
        Test::checkValueType<ClaimsChangedEvent>(wire, {u"network"_s, u"claims"_s}, u"claims"_s);
        QCOMPARE(ClaimsChangedEvent::fromJson(wire)->claims.first().range, u"10.0.0.1/32"_s);
        QJsonObject bad = claimWire();
        bad.remove(u"range"_s);
        QCOMPARE(
            ClaimsChangedEvent::fromJson(QJsonObject {{u"network"_s, u"office"_s}, {u"claims"_s, QJsonArray {bad}}})
                .error()
                .message,
            u"claims[0].range: missing"_s);
    }

    void pathRecovered()
    {
        const QJsonObject wire {{u"network"_s, u"office"_s},
            {u"peer"_s, nodeRef()},
            {u"cause"_s, u"peer-roamed"_s},
            {u"gapMs"_s, qint64(120)},
            {u"previousAddress"_s, u"192.0.2.7:3210"_s},
            {u"time"_s, qint64(1700000000000)}};
        Test::checkValueType<PathRecoveredEvent>(wire, {u"network"_s, u"peer"_s, u"cause"_s}, u"gapMs"_s);
        QJsonObject rebound = wire;
        rebound.insert(u"previousAddress"_s, QJsonValue::Null);
        rebound.insert(u"cause"_s, u"rebound"_s);
        Test::checkValueType<PathRecoveredEvent>(rebound, {}, QString());
        QCOMPARE(PathRecoveredEvent::fromJson(rebound)->previousAddress, QString());
        QJsonObject badPeer = wire;
        badPeer.insert(u"peer"_s, QJsonObject {{u"address"_s, u"192.0.2.1:3210"_s}});
        QCOMPARE(PathRecoveredEvent::fromJson(badPeer).error().message, u"peer.nodeId: missing"_s);
    }

    void networkChanged()
    {
        Test::checkValueType<NetworkChangedEvent>(QJsonObject {{u"network"_s, u"office"_s},
                                                      {u"what"_s, u"address added (wlan0)"_s},
                                                      {u"time"_s, qint64(1700000000000)}},
            {u"network"_s, u"what"_s},
            u"time"_s);
    }

    void networkResumed()
    {
        Test::checkValueType<NetworkResumedEvent>(QJsonObject {{u"network"_s, u"office"_s},
                                                      {u"pausedMs"_s, qint64(12000)},
                                                      {u"what"_s, u"suspend"_s},
                                                      {u"time"_s, qint64(1700000000000)}},
            {u"network"_s, u"pausedMs"_s},
            u"pausedMs"_s);
    }

    void traffic()
    {
        Test::checkValueType<TrafficEvent>(QJsonObject {{u"network"_s, u"office"_s},
                                               {u"rxBytes"_s, qint64(1)},
                                               {u"txBytes"_s, qint64(2)},
                                               {u"rxPackets"_s, qint64(3)},
                                               {u"txPackets"_s, qint64(4)}},
            {u"network"_s},
            u"txBytes"_s);
    }

    void log()
    {
        Test::checkValueType<LogEvent>(QJsonObject {{u"network"_s, u"office"_s},
                                           {u"level"_s, u"warning"_s},
                                           {u"message"_s, u"handshake with 192.0.2.1:3210 failed: x"_s}},
            {u"message"_s},
            u"level"_s);
    }

    void recentEvent()
    {
        Test::checkValueType<RecentEvent>(QJsonObject {{u"event"_s, u"network.state"_s},
                                              {u"time"_s, qint64(1700000000000)},
                                              {u"data"_s, QJsonObject {{u"network"_s, u"office"_s}}}},
            {u"event"_s},
            u"data"_s);
    }

    void subscribeResult()
    {
        const QJsonObject snapshot {
            {u"status"_s,
                QJsonObject {{u"helper"_s, u"0.1.0"_s}, {u"mode"_s, u"service"_s}, {u"networks"_s, QJsonArray {}}}},
            {u"peers"_s, QJsonArray {}},
            {u"claims"_s, QJsonArray {claimWire()}},
            {u"events"_s,
                QJsonArray {QJsonObject {{u"event"_s, u"log"_s},
                    {u"time"_s, qint64(5)},
                    {u"data"_s, QJsonObject {{u"message"_s, u"m"_s}}}}}},
        };
        Test::checkValueType<SubscribeResult>(
            QJsonObject {{u"snapshot"_s, snapshot}, {u"seq"_s, qint64(7)}}, {u"seq"_s}, u"snapshot"_s);
        // An empty snapshot is valid (a helper with nothing to report).
        const Result<SubscribeResult> empty
            = SubscribeResult::fromJson(QJsonObject {{u"snapshot"_s, QJsonObject {}}, {u"seq"_s, 0}});
        QVERIFY(empty.ok());
        QVERIFY(empty->snapshot.status.networks.isEmpty());
        QJsonObject badSnapshot = snapshot;
        badSnapshot.insert(u"events"_s, QJsonArray {QJsonObject {{u"time"_s, 1}}});
        QCOMPARE(SubscribeResult::fromJson(QJsonObject {{u"snapshot"_s, badSnapshot}, {u"seq"_s, 1}}).error().message,
            u"snapshot.events[0].event: missing"_s);
    }
};

QTEST_GUILESS_MAIN(tst_Events)
#include "tst_events.moc"
