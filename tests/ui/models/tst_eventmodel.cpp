#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/nodelabels.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_EventModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timelineEvents_data();
    void timelineEvents();
    void ignoresNonTimelineEvents();
    void failoverHasDuration();
    void routeChangesSayWhatHappened_data();
    void routeChangesSayWhatHappened();
    void failoverToolTipIsLabelled();
    void namesFollowLabels();
    void snapshotIsDeduplicated();
    void bounded();
    void copyText();
};

void tst_EventModel::timelineEvents_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("detailContains");
    QJsonObject disconnected = Test::Sample::node(4);
    disconnected.insert(u"network"_s, u"office"_s);
    disconnected.insert(u"reason"_s, u"timeout"_s);
    QTest::addRow("failover") << u"route.failover"_s
                              << Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 1500)
                              << int(EventModel::Kind::Failover) << u"10.0.0.1/32"_s;
    QTest::addRow("connected") << u"peer.connected"_s << Test::Sample::peer(u"office"_s, 3, 0)
                               << int(EventModel::Kind::PeerConnected) << u"CHACHA20"_s;
    QTest::addRow("disconnected") << u"peer.disconnected"_s << disconnected << int(EventModel::Kind::PeerDisconnected)
                                  << u"timed out"_s;
    QTest::addRow("state") << u"network.state"_s
                           << QJsonObject {{u"network"_s, u"office"_s},
                                  {u"state"_s, u"error"_s},
                                  {u"error"_s, u"no tun"_s}}
                           << int(EventModel::Kind::NetworkState) << u"no tun"_s;
    QJsonObject roamed {{u"network"_s, u"office"_s},
        {u"peer"_s, Test::Sample::node(2)},
        {u"cause"_s, u"peer-roamed"_s},
        {u"gapMs"_s, 120},
        {u"previousAddress"_s, u"192.0.2.7:3210"_s}};
    QTest::addRow("peer roamed") << u"path.recovered"_s << roamed << int(EventModel::Kind::Recovered)
                                 << u"moved to another address (was 192.0.2.7:3210)"_s;
    QJsonObject rebound = roamed;
    rebound.insert(u"cause"_s, u"resumed"_s);
    QTest::addRow("resumed") << u"path.recovered"_s << rebound << int(EventModel::Kind::Recovered)
                             << u"after this computer woke up"_s;
    QTest::addRow("network changed") << u"network.changed"_s
                                     << QJsonObject {{u"network"_s, u"office"_s},
                                            {u"what"_s, u"address added (wlan0)"_s}}
                                     << int(EventModel::Kind::LocalChange) << u"address added (wlan0)"_s;
    QTest::addRow("woke up") << u"network.resumed"_s
                             << QJsonObject {{u"network"_s, u"office"_s}, {u"pausedMs"_s, 12000}}
                             << int(EventModel::Kind::LocalChange) << u"Woke up after"_s;
    QJsonObject silent = Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 700);
    silent.insert(u"reason"_s, u"silent"_s);
    QTest::addRow("silent failover") << u"route.failover"_s << silent << int(EventModel::Kind::Failover)
                                     << u"stopped answering"_s;
    QTest::addRow("log") << u"log"_s
                         << QJsonObject {{u"network"_s, u"office"_s},
                                {u"level"_s, u"warning"_s},
                                {u"message"_s, u"bad handshake"_s}}
                         << int(EventModel::Kind::Log) << u"bad handshake"_s;
}

void tst_EventModel::timelineEvents()
{
    QFETCH(QString, name);
    QFETCH(QJsonObject, data);
    QFETCH(int, kind);
    QFETCH(QString, detailContains);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.addHelperEvent(name, 1'700'000'000'000, data));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data(EventModel::KindRole).value<EventModel::Kind>(), EventModel::Kind(kind));
    QVERIFY2(model.index(0, EventModel::Details).data().toString().contains(detailContains),
        qPrintable(model.index(0, EventModel::Details).data().toString()));
    QCOMPARE(model.index(0, EventModel::Network).data().toString(), u"office"_s);
    QVERIFY(!model.index(0, EventModel::Time).data().toString().isEmpty());
}

void tst_EventModel::ignoresNonTimelineEvents()
{
    EventModel model;
    QVERIFY(!model.addHelperEvent(u"stats"_s, 1, {{u"network"_s, u"office"_s}}));
    QVERIFY(!model.addHelperEvent(u"claims.changed"_s, 1, {{u"network"_s, u"office"_s}}));
    QCOMPARE(model.rowCount(), 0);
}

void tst_EventModel::failoverHasDuration()
{
    // An older helper: no kind, no no-path figure. The time since the last sign of life is still labelled.
    EventModel model;
    model.addHelperEvent(u"route.failover"_s, 5, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 1840));
    QCOMPARE(model.index(0, EventModel::Duration).data(EventModel::SortRole).toLongLong(), -1);
    QCOMPARE(model.index(0, EventModel::Duration).data().toString(), u"unknown"_s);
    const QString details = model.index(0, EventModel::Details).data().toString();
    QVERIFY2(details.contains(u"Last heard from %1 1.8 s before detection"_s.arg(Test::Sample::nodeId(0).left(8))),
        qPrintable(details));
    QVERIFY(model.index(0, EventModel::Details).data(Qt::ToolTipRole).toString().contains(Test::Sample::address(1)));
    model.addHelperEvent(u"route.failover"_s, 6, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 1, -1, 0));
    QCOMPARE(model.index(1, 0).data(EventModel::KindRole).value<EventModel::Kind>(), EventModel::Kind::Lost);
    QVERIFY(model.index(1, EventModel::Details).data().toString().contains(u"Lost: nobody serves 10.0.0.1"_s));
}

void tst_EventModel::routeChangesSayWhatHappened_data()
{
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("details");
    QTest::addColumn<QString>("duration");
    const QString range = u"10.0.0.1/32"_s;
    const qint64 t = 1'700'000'000'000;
    QTest::addRow("reachable") << Test::Sample::routeChange(u"office"_s, range, -1, 0, u"reachable"_s, t, 0, -1)
                               << int(EventModel::Kind::Reachable) << u"10.0.0.1/32: Reachable via server-a"_s
                               << QString();
    QTest::addRow("failover") << Test::Sample::routeChange(u"office"_s, range, 0, 1, u"failover"_s, t, t - 2300, 180)
                              << int(EventModel::Kind::Failover)
                              << u"10.0.0.1/32: Failover: server-a → server-b (timed out). Detected at %1; No path "
                                 "for 180 ms; Last heard from server-a 2.3 s before detection"_s.arg(
                                     QDateTime::fromMSecsSinceEpoch(t).toString(u"HH:mm:ss.zzz"_s))
                              << u"180 ms"_s;
    QTest::addRow("failover, no traffic")
        << Test::Sample::routeChange(u"office"_s, range, 0, 1, u"failover"_s, t, t - 2300, -1)
        << int(EventModel::Kind::Failover) << u"No path for unknown"_s << u"unknown"_s;
    QTest::addRow("switchback") << Test::Sample::routeChange(u"office"_s, range, 1, 0, u"switchback"_s, t, 0, -1)
                                << int(EventModel::Kind::Switchback) << u"10.0.0.1/32: Switchback to server-a"_s
                                << QString();
    QTest::addRow("move") << Test::Sample::routeChange(u"office"_s, range, 0, 2, u"move"_s, t, 0, -1)
                          << int(EventModel::Kind::Move) << u"10.0.0.1/32: Moved to server-c"_s << QString();
    QTest::addRow("lost") << Test::Sample::routeChange(u"office"_s, range, 1, -1, u"lost"_s, t, t - 900, -1)
                          << int(EventModel::Kind::Lost)
                          << u"10.0.0.1/32: Lost: nobody serves 10.0.0.1 (timed out). Detected at"_s << QString();
    // An older helper's connect (nobody -> a node) is no failover either.
    QJsonObject old = Test::Sample::failover(u"office"_s, range, -1, 0, 0);
    QTest::addRow("old connect") << old << int(EventModel::Kind::Reachable) << u"Reachable via"_s << QString();
    old = Test::Sample::failover(u"office"_s, range, 0, 1, 0);
    old.insert(u"reason"_s, u"preferred"_s);
    QTest::addRow("old switchback") << old << int(EventModel::Kind::Switchback) << u"Switchback to"_s << QString();
}

void tst_EventModel::routeChangesSayWhatHappened()
{
    QFETCH(QJsonObject, data);
    QFETCH(int, kind);
    QFETCH(QString, details);
    QFETCH(QString, duration);
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.addHelperEvent(u"route.failover"_s, 1'700'000'000'000, data));
    QCOMPARE(model.index(0, 0).data(EventModel::KindRole).value<EventModel::Kind>(), EventModel::Kind(kind));
    const QString text = model.index(0, EventModel::Details).data().toString();
    QVERIFY2(text.contains(details), qPrintable(text));
    QCOMPARE(model.index(0, EventModel::Duration).data().toString(), duration);
    QVERIFY(model.routeChangeAt(0).has_value());
    QCOMPARE(model.timeAt(0), 1'700'000'000'000);
}

void tst_EventModel::failoverToolTipIsLabelled()
{
    EventModel model;
    const qint64 t = 1'700'000'000'000;
    model.addHelperEvent(u"route.failover"_s,
        t,
        Test::Sample::routeChange(u"office"_s, u"10.0.0.1/32"_s, 0, 1, u"failover"_s, t, t - 2300, 180));
    const QStringList lines = model.index(0, EventModel::Details).data(Qt::ToolTipRole).toString().split(u'\n');
    QCOMPARE(lines.at(0), u"Failover: server-a → server-b"_s);
    QVERIFY(lines.contains(u"Address: 10.0.0.1/32"_s));
    QVERIFY(lines.contains(u"No path for 180 ms"_s));
    QVERIFY(lines.contains(u"Last heard from server-a 2.3 s before detection"_s));
    QVERIFY(lines.contains(u"server-a: Node id: %1, Address: %2, Named after the configured peer"_s.arg(
        Test::Sample::nodeId(0), Test::Sample::address(0))));
    QCOMPARE(model.headerData(EventModel::Duration, Qt::Horizontal).toString(), u"No path for"_s);
}

void tst_EventModel::namesFollowLabels()
{
    Test::Sample::LabelledNames labelled;
    NodeNames &names = labelled.names;
    EventModel model;
    model.setNodeNames(&names);
    QJsonObject left = Test::Sample::node(4);
    left.insert(u"network"_s, u"office"_s);
    left.insert(u"reason"_s, u"timeout"_s);
    model.addHelperEvent(u"peer.disconnected"_s, 1, left);
    QVERIFY(model.index(0, EventModel::Details).data().toString().startsWith(Test::Sample::nodeId(4).left(8)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    names.setLabel(u"office"_s, Test::Sample::nodeId(4), Test::Sample::address(4), u"printer"_s);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, EventModel::Details).data().toString(), u"printer disconnected: timed out"_s);
    // A peer that left keeps the helper's name it had while connected.
    QJsonObject peer = Test::Sample::peer(u"office"_s, 6, 0);
    peer.insert(u"name"_s, u"server-g"_s);
    model.addHelperEvent(u"peer.connected"_s, 2, peer);
    QJsonObject gone = Test::Sample::node(6);
    gone.insert(u"network"_s, u"office"_s);
    gone.insert(u"reason"_s, u"closed"_s);
    model.addHelperEvent(u"peer.disconnected"_s, 3, gone);
    QVERIFY(model.index(2, EventModel::Details).data().toString().startsWith(u"server-g disconnected"_s));
}

void tst_EventModel::snapshotIsDeduplicated()
{
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QJsonArray events = Test::Sample::snapshot(3, 1'700'000'000'000).value(u"events"_s).toArray();
    model.addSnapshotEvents(events);
    QCOMPARE(model.rowCount(), events.size());
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.addSnapshotEvents(events);
    QCOMPARE(model.rowCount(), events.size());
    QCOMPARE(inserted.count(), 0);
}

void tst_EventModel::bounded()
{
    EventModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaximumRows(100);
    for (int i = 0; i < 250; ++i)
        model.addLocal(i, u"note %1"_s.arg(i));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.index(0, EventModel::Details).data().toString(), u"note 150"_s);
}

void tst_EventModel::copyText()
{
    EventModel model;
    model.addLocal(1'700'000'000'000, u"first"_s);
    model.addHelperEvent(
        u"route.failover"_s, 1'700'000'000'500, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 250));
    const QString text = model.rowsAsText({1, 0, 7});
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).count(u'\t'), EventModel::ColumnCount - 1);
    QVERIFY(lines.at(0).contains(u"unknown"_s));
    QVERIFY(lines.at(1).endsWith(u"first\t"_s));
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_EventModel)
#include "tst_eventmodel.moc"
