#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/nodelabels.h"
#include "ui/tray/notificationpresenter.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_NotificationPresenter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectOnceThenDisconnect();
    void peerDisconnectWithReason();
    void shutdownIsQuiet();
    void failover();
    void routeChangesInWords();
    void labelsNameNodes();
    void failoverToNobodyIsCritical();
    void errorState();
    void disabled();
    void otherEventsAreQuiet();
};

namespace
{

QJsonObject state(const QString &s)
{
    return {{u"network"_s, u"office"_s}, {u"state"_s, s}};
}

} // namespace

void tst_NotificationPresenter::connectOnceThenDisconnect()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"network.state"_s, 0, state(u"connecting"_s));
    QCOMPARE(spy.count(), 0);
    p.handleEvent(u"network.state"_s, 0, state(u"connected"_s));
    QCOMPARE(spy.count(), 1);
    QVERIFY(spy.at(0).at(0).value<Notification>().title.contains(u"office"_s));
    // degraded -> connected is not a new connect
    p.handleEvent(u"network.state"_s, 0, state(u"degraded"_s));
    p.handleEvent(u"network.state"_s, 0, state(u"connected"_s));
    QCOMPARE(spy.count(), 1);
    p.handleEvent(u"network.state"_s, 0, state(u"disconnected"_s));
    QCOMPARE(spy.count(), 2);
    QVERIFY(spy.at(1).at(0).value<Notification>().title.contains(u"Disconnected"_s));
}

void tst_NotificationPresenter::peerDisconnectWithReason()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    QJsonObject data = Test::Sample::node(3);
    data.insert(u"network"_s, u"office"_s);
    data.insert(u"reason"_s, u"timeout"_s);
    p.handleEvent(u"peer.disconnected"_s, 0, data);
    QCOMPARE(spy.count(), 1);
    const Notification n = spy.at(0).at(0).value<Notification>();
    QVERIFY(n.body.contains(u"timed out"_s));
    QVERIFY(n.body.contains(Test::Sample::nodeId(3).left(8)));
    QCOMPARE(n.kind, Notification::Kind::Warning);
}

void tst_NotificationPresenter::shutdownIsQuiet()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"peer.disconnected"_s, 0, {{u"network"_s, u"office"_s}, {u"reason"_s, u"shutdown"_s}});
    QCOMPARE(spy.count(), 0);
}

void tst_NotificationPresenter::failover()
{
    // An older helper: no kind and no no-path figure, so the body names the nodes and the reason only.
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"route.failover"_s, 0, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 2500));
    QCOMPARE(spy.count(), 1);
    const Notification n = spy.at(0).at(0).value<Notification>();
    QCOMPARE(n.title, u"Failover on office"_s);
    QCOMPARE(n.body,
        u"%1 took over 10.0.0.1/32 from %2 (timed out)."_s.arg(
            Test::Sample::nodeId(1).left(8), Test::Sample::nodeId(0).left(8)));
    QCOMPARE(n.kind, Notification::Kind::Warning);
}

void tst_NotificationPresenter::routeChangesInWords()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    const QString range = u"10.0.0.1/32"_s;
    const qint64 t = 1'700'000'000'000;
    // Connecting: the address becomes reachable, a preferred node takes over: neither is a failover.
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, -1, 1, u"reachable"_s, t, 0, -1));
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 1, 0, u"switchback"_s, t, 0, -1));
    p.handleEvent(u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 0, 2, u"move"_s, t, 0, -1));
    QCOMPARE(spy.count(), 0);
    // A real failover, named, with the gap the user felt.
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 2, 1, u"failover"_s, t, t - 2300, 180));
    QCOMPARE(spy.count(), 1);
    Notification n = spy.at(0).at(0).value<Notification>();
    QCOMPARE(n.body, u"server-b took over 10.0.0.1/32 from server-c (timed out). Traffic had no path for 180 ms."_s);
    // Back on the preferred node: told, once.
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 1, 0, u"switchback"_s, t, 0, -1));
    QCOMPARE(spy.count(), 2);
    n = spy.at(1).at(0).value<Notification>();
    QCOMPARE(n.title, u"10.0.0.1/32 back on server-a"_s);
    QCOMPARE(n.kind, Notification::Kind::Information);
    p.handleEvent(u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 0, 1, u"move"_s, t, 0, -1));
    QCOMPARE(spy.count(), 2);
    // Lost, then reachable again: both told.
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, 1, -1, u"lost"_s, t, t - 900, -1));
    QCOMPARE(spy.count(), 3);
    n = spy.at(2).at(0).value<Notification>();
    QCOMPARE(n.kind, Notification::Kind::Critical);
    QCOMPARE(n.body, u"Nobody serves 10.0.0.1/32 any more: server-b is gone (timed out)."_s);
    p.handleEvent(
        u"route.failover"_s, t, Test::Sample::routeChange(u"office"_s, range, -1, 0, u"reachable"_s, t, 0, -1));
    QCOMPARE(spy.count(), 4);
}

void tst_NotificationPresenter::labelsNameNodes()
{
    Test::Sample::LabelledNames labelled;
    NodeNames &names = labelled.names;
    names.setLabel(u"office"_s, Test::Sample::nodeId(3), Test::Sample::address(3), u"printer"_s);
    NotificationPresenter p;
    p.setNodeNames(&names);
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    QJsonObject data = Test::Sample::node(3);
    data.insert(u"network"_s, u"office"_s);
    data.insert(u"reason"_s, u"timeout"_s);
    p.handleEvent(u"peer.disconnected"_s, 0, data);
    QCOMPARE(spy.at(0).at(0).value<Notification>().body, u"printer disconnected: timed out"_s);
}

void tst_NotificationPresenter::failoverToNobodyIsCritical()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"route.failover"_s, 0, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, -1, 0));
    QCOMPARE(spy.at(0).at(0).value<Notification>().kind, Notification::Kind::Critical);
}

void tst_NotificationPresenter::errorState()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    QJsonObject data = state(u"error"_s);
    data.insert(u"error"_s, u"cannot open /dev/net/tun"_s);
    p.handleEvent(u"network.state"_s, 0, data);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<Notification>().body, u"cannot open /dev/net/tun"_s);
}

void tst_NotificationPresenter::disabled()
{
    NotificationPresenter p;
    p.setEnabled(false);
    QVERIFY(!p.isEnabled());
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"route.failover"_s, 0, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 2500));
    p.handleEvent(u"network.state"_s, 0, state(u"connected"_s));
    QCOMPARE(spy.count(), 0);
    // The state is still tracked: turning notifications on does not replay a stale connect.
    p.setEnabled(true);
    p.handleEvent(u"network.state"_s, 0, state(u"connected"_s));
    QCOMPARE(spy.count(), 0);
}

void tst_NotificationPresenter::otherEventsAreQuiet()
{
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"stats"_s, 0, {{u"network"_s, u"office"_s}});
    p.handleEvent(u"peer.connected"_s, 0, Test::Sample::peer(u"office"_s, 1, 0));
    p.handleEvent(u"claims.changed"_s, 0, {{u"network"_s, u"office"_s}});
    QCOMPARE(spy.count(), 0);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_NotificationPresenter)
#include "tst_notificationpresenter.moc"
