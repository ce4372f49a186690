#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/tray/traystatemachine.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

NetworkStatus net(const QString &name, const QString &state)
{
    NetworkStatus n = NetworkStatus::fromJson(Test::Sample::networkStatus(name, state, 2, 3)).value();
    return n;
}

TrayInput ready(QList<NetworkStatus> networks)
{
    TrayInput in;
    in.link = ControlClient::State::Ready;
    in.canControl = true;
    in.profiles = {u"office"_s, u"lab"_s};
    in.networks = std::move(networks);
    return in;
}

} // namespace

class tst_TrayStateMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyState_data();
    void everyState();
    void stateNamesAreDistinct();
    void tooltipShowsProfileAddressPeersFailover();
    void tooltipExplainsHelperProblems_data();
    void tooltipExplainsHelperProblems();
    void menuHasConnectAndDisconnect();
    void menuDisabledWithoutPermission();
    void pendingEntriesAreDisabled();
    void systemNetworksAppear();
    void connectedProfilesListSharedAddresses();
    void onlyFailuresAreFailovers();
};

void tst_TrayStateMachine::everyState_data()
{
    QTest::addColumn<TrayInput>("input");
    QTest::addColumn<TrayState>("expected");

    TrayInput idle;
    idle.link = ControlClient::State::Connecting;
    QTest::addRow("link connecting") << idle << TrayState::Connecting;
    for (const ControlClient::State link : {ControlClient::State::NotRunning,
             ControlClient::State::PermissionDenied,
             ControlClient::State::Untrusted,
             ControlClient::State::Incompatible}) {
        TrayInput in;
        in.link = link;
        in.networks = {net(u"office"_s, u"connected"_s)};
        QTest::addRow("helper unavailable %d", int(link)) << in << TrayState::HelperUnavailable;
    }
    QTest::addRow("no networks") << ready({}) << TrayState::Disconnected;
    QTest::addRow("all disconnected") << ready({net(u"office"_s, u"disconnected"_s)}) << TrayState::Disconnected;
    QTest::addRow("connecting") << ready({net(u"office"_s, u"connecting"_s)}) << TrayState::Connecting;
    QTest::addRow("connected") << ready({net(u"office"_s, u"connected"_s)}) << TrayState::Connected;
    QTest::addRow("degraded") << ready({net(u"office"_s, u"connected"_s), net(u"lab"_s, u"degraded"_s)})
                              << TrayState::Degraded;
    QTest::addRow("failover") << ready({net(u"office"_s, u"failover"_s), net(u"lab"_s, u"degraded"_s)})
                              << TrayState::Failover;
    QTest::addRow("error") << ready({net(u"office"_s, u"failover"_s), net(u"lab"_s, u"error"_s)}) << TrayState::Error;
    TrayInput failed = ready({net(u"office"_s, u"connected"_s)});
    failed.lastError = u"could not connect"_s;
    QTest::addRow("command failed") << failed << TrayState::Error;
    TrayInput pending = ready({});
    pending.pending = {u"office"_s};
    QTest::addRow("connect pending") << pending << TrayState::Connecting;
    TrayInput disconnecting = ready({net(u"office"_s, u"connected"_s)});
    disconnecting.pending = {u"office"_s};
    QTest::addRow("disconnect pending") << disconnecting << TrayState::Connected;
}

void tst_TrayStateMachine::everyState()
{
    QFETCH(TrayInput, input);
    QFETCH(TrayState, expected);
    QCOMPARE(TrayStateMachine::stateFor(input), expected);
    const TrayPresentation p = TrayStateMachine::present(input);
    QCOMPARE(p.state, expected);
    QVERIFY(p.title.contains(TrayStateMachine::stateName(expected)));
    QVERIFY(p.toolTip.startsWith(p.title));
}

void tst_TrayStateMachine::stateNamesAreDistinct()
{
    QSet<QString> names;
    for (const TrayState s : {TrayState::Disconnected,
             TrayState::Connecting,
             TrayState::Connected,
             TrayState::Degraded,
             TrayState::Failover,
             TrayState::Error,
             TrayState::HelperUnavailable})
        names.insert(TrayStateMachine::stateName(s));
    QCOMPARE(names.size(), 7);
}

void tst_TrayStateMachine::tooltipShowsProfileAddressPeersFailover()
{
    NetworkStatus office = net(u"office"_s, u"connected"_s);
    office.peerCount = 4;
    office.configuredPeers = 5;
    office.lastFailover
        = Protocol::FailoverEvent::fromJson(Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 1840)).value();
    office.lastFailover->time = 1'700'000'000'000;
    office.lastFailover->kind = u"failover"_s;
    office.lastFailover->noPathMs = 1840;
    const TrayPresentation p = TrayStateMachine::present(ready({office, net(u"lab"_s, u"disconnected"_s)}));
    QVERIFY2(p.toolTip.contains(u"office"_s), qPrintable(p.toolTip));
    QVERIFY(p.toolTip.contains(u"10.0.0.100/24"_s));
    QVERIFY(p.toolTip.contains(u"4 of 5"_s));
    QVERIFY(p.toolTip.contains(u"10.0.0.1/32"_s));
    // The node it moved to, by name, else by its short node id.
    QVERIFY2(p.toolTip.contains(Test::Sample::nodeId(1).left(8)), qPrintable(p.toolTip));
    QVERIFY(p.toolTip.contains(u"1.8"_s));
    QVERIFY(!p.toolTip.contains(u"lab"_s));
    QVERIFY(!p.toolTip.contains(u"resolve"_s));

    // A configured peer whose name does not resolve is named, so a typo in a profile is visible.
    office.unresolvedPeers = {u"vpn.exmple.org:3210"_s};
    const TrayPresentation unresolved = TrayStateMachine::present(ready({office}));
    QVERIFY2(unresolved.toolTip.contains(u"Cannot resolve: vpn.exmple.org:3210"_s), qPrintable(unresolved.toolTip));
}

void tst_TrayStateMachine::tooltipExplainsHelperProblems_data()
{
    QTest::addColumn<ControlClient::State>("link");
    QTest::addColumn<QString>("expected");
    QTest::addRow("not running") << ControlClient::State::NotRunning << u"not running"_s;
    QTest::addRow("permission") << ControlClient::State::PermissionDenied << u"usermod -aG nimbus"_s;
    QTest::addRow("incompatible") << ControlClient::State::Incompatible << u"incompatible"_s;
    QTest::addRow("untrusted") << ControlClient::State::Untrusted << u"does not run as root"_s;
}

void tst_TrayStateMachine::tooltipExplainsHelperProblems()
{
    QFETCH(ControlClient::State, link);
    QFETCH(QString, expected);
    TrayInput in;
    in.link = link;
    in.socketPath = u"/run/nimbus/control.sock"_s;
    in.profiles = {u"office"_s};
    const TrayPresentation p = TrayStateMachine::present(in);
    QVERIFY2(p.toolTip.contains(expected), qPrintable(p.toolTip));
    QVERIFY(p.toolTip.contains(in.socketPath));
    QCOMPARE(p.entries.size(), 1);
    QVERIFY(!p.entries.at(0).enabled);
}

void tst_TrayStateMachine::menuHasConnectAndDisconnect()
{
    const TrayPresentation p = TrayStateMachine::present(ready({net(u"office"_s, u"connected"_s)}));
    QCOMPARE(p.entries.size(), 2);
    QCOMPARE(p.entries.at(0).network, u"office"_s);
    QCOMPARE(p.entries.at(0).action, TrayMenuEntry::Action::Disconnect);
    QVERIFY(p.entries.at(0).text.contains(u"Disconnect"_s));
    QVERIFY(p.entries.at(0).enabled);
    QCOMPARE(p.entries.at(1).network, u"lab"_s);
    QCOMPARE(p.entries.at(1).action, TrayMenuEntry::Action::Connect);
    QVERIFY(p.entries.at(1).text.contains(u"Connect"_s));
}

void tst_TrayStateMachine::menuDisabledWithoutPermission()
{
    TrayInput in = ready({});
    in.canControl = false;
    const TrayPresentation p = TrayStateMachine::present(in);
    for (const TrayMenuEntry &e : p.entries)
        QVERIFY(!e.enabled);
}

void tst_TrayStateMachine::pendingEntriesAreDisabled()
{
    TrayInput in = ready({});
    in.pending = {u"lab"_s};
    const TrayPresentation p = TrayStateMachine::present(in);
    QVERIFY(p.entries.at(0).enabled);
    QVERIFY(!p.entries.at(1).enabled);
    QVERIFY(p.entries.at(1).stateText.contains(u"Connecting"_s));
}

void tst_TrayStateMachine::systemNetworksAppear()
{
    NetworkStatus system = net(u"backbone"_s, u"connected"_s);
    system.system = true;
    const TrayPresentation p = TrayStateMachine::present(ready({system}));
    QCOMPARE(p.entries.size(), 3);
    QCOMPARE(p.entries.at(2).network, u"backbone"_s);
    QCOMPARE(p.entries.at(2).action, TrayMenuEntry::Action::Disconnect);
}

void tst_TrayStateMachine::onlyFailuresAreFailovers()
{
    Protocol::FailoverEvent f
        = Protocol::FailoverEvent::fromJson(Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 0, 1, 2300)).value();
    f.kind = u"reachable"_s;
    QCOMPARE(TrayStateMachine::failoverLine(f), QString());
    f.kind = u"switchback"_s;
    QCOMPARE(TrayStateMachine::failoverLine(f), QString());
    // A failover leads with the time without a path, not the time since the last message (2.3 s here).
    f.kind = u"failover"_s;
    f.noPathMs = 180;
    QVERIFY2(TrayStateMachine::failoverLine(f).contains(u"no path for 180 ms"_s),
        qPrintable(TrayStateMachine::failoverLine(f)));
    QVERIFY(!TrayStateMachine::failoverLine(f).contains(u"2.3"_s));
    f.noPathMs = -1;
    QVERIFY(!TrayStateMachine::failoverLine(f).contains(u"no path"_s));
    f.kind = u"lost"_s;
    QVERIFY(TrayStateMachine::failoverLine(f).startsWith(u"Lost: nobody serves 10.0.0.1/32"_s));
    // An older helper (no kind): a change away from a node is a failover, a first route is not.
    f.kind.clear();
    QVERIFY(TrayStateMachine::failoverLine(f).startsWith(u"Last failover:"_s));
    f.from.reset();
    QCOMPARE(TrayStateMachine::failoverLine(f), QString());
}

void tst_TrayStateMachine::connectedProfilesListSharedAddresses()
{
    const auto claim = [](const QString &range, int servedBy, const QList<int> &claimants, bool used) {
        return Protocol::Claim::fromJson(Test::Sample::claim(u"office"_s, range, servedBy, claimants, used)).value();
    };
    Protocol::Claim shared = claim(u"10.0.0.1/32"_s, 1, {1, 0}, false);
    shared.servedBy->name = u"server-b"_s;
    shared.claimants[0].node.name = u"server-b"_s;
    shared.claimants[1].node.name = u"server-a"_s;
    TrayInput in = ready({net(u"office"_s, u"connected"_s), net(u"lab"_s, u"disconnected"_s)});
    in.claims.insert(u"office"_s,
        {claim(u"10.1.0.0/16"_s, 2, {2}, false), // one claimant, not used: left out
            claim(u"10.0.0.10/32"_s, 3, {3}, true), // used: listed, named by its node id without a name
            claim(u"10.0.0.9/32"_s, -1, {}, true), // used, nobody serves it
            shared});
    const TrayPresentation p = TrayStateMachine::present(in);
    QCOMPARE(p.entries.size(), 2);
    const TrayMenuEntry &office = p.entries.at(0);
    QCOMPARE(office.action, TrayMenuEntry::Action::Disconnect);
    QCOMPARE(office.addressesTitle, u"Addresses of “office”"_s);
    QStringList texts;
    for (const TrayAddressEntry &a : office.addresses)
        texts.append(a.text);
    // In address order, each with who serves it (by name) and who stands by.
    QCOMPARE(texts,
        (QStringList {u"10.0.0.1/32 via server-b (standby: server-a)"_s,
            u"10.0.0.9/32: nobody serves it"_s,
            u"10.0.0.10/32 via "_s + Test::Sample::nodeId(3).left(8)}));
    QVERIFY(office.addresses.at(0).toolTip.contains(Test::Sample::nodeId(1)));
    QVERIFY(office.addresses.at(0).toolTip.contains(Test::Sample::address(1)));
    // A profile that is down has no submenu.
    QVERIFY(p.entries.at(1).addresses.isEmpty());
    QVERIFY(p.entries.at(1).addressesTitle.isEmpty());

    // With the window's names (the user's labels), the tray names nodes as the window does: here the node without
    // a helper name has the label "lab-gateway" in profile "office".
    in.nodeName = [](const QString &network, const Protocol::NodeRef &node) {
        if (network == u"office"_s && node.nodeId == Test::Sample::nodeId(3))
            return u"lab-gateway"_s;
        return node.name.isEmpty() ? node.nodeId.left(8) : node.name;
    };
    const TrayPresentation labelled = TrayStateMachine::present(in);
    QCOMPARE(labelled.entries.at(0).addresses.at(2).text, u"10.0.0.10/32 via lab-gateway"_s);
    QCOMPARE(labelled.entries.at(0).addresses.at(0).text, u"10.0.0.1/32 via server-b (standby: server-a)"_s);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_TrayStateMachine)
#include "tst_traystatemachine.moc"
