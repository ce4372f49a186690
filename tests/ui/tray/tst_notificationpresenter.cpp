#include <QSignalSpy>
#include <QTest>

#include "tests/support/sampledata.h"
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
    QVERIFY(n.body.contains(Test::Sample::address(3)));
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
    NotificationPresenter p;
    QSignalSpy spy(&p, &NotificationPresenter::notify);
    p.handleEvent(u"route.failover"_s, 0, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 2500));
    QCOMPARE(spy.count(), 1);
    const Notification n = spy.at(0).at(0).value<Notification>();
    QVERIFY(n.body.contains(u"10.0.0.1/32"_s));
    QVERIFY(n.body.contains(u"2.5"_s));
    QVERIFY(n.body.contains(Test::Sample::address(1)));
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
