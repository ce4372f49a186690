// The GUI's controller against a real nimbus-helper in service mode: tests/ui/real-helper.sh starts two servers
// sharing 10.0.0.1 and a client helper in network namespaces and runs this test with their socket and pids.
// Connect the profile from the controller, see the peers appear, kill the serving server, see the failover
// event arrive and the tray state change.
#include <csignal>

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "ui/common/appsettings.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/connection/controlclientfactory.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/peermodel.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/trayicon.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_RealHelper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectSeePeersAndFailover();
};

void tst_RealHelper::connectSeePeersAndFailover()
{
    const QString socket = qEnvironmentVariable("NIMBUS_REAL_SOCKET");
    if (socket.isEmpty())
        QSKIP("run through tests/ui/real-helper.sh (needs root and network namespaces)");
    const QHash<QString, pid_t> serverPids {
        {u"192.0.2.11:3210"_s, pid_t(qEnvironmentVariableIntValue("NIMBUS_REAL_PID_A"))},
        {u"192.0.2.12:3210"_s, pid_t(qEnvironmentVariableIntValue("NIMBUS_REAL_PID_B"))},
    };

    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"nimbus.ini"_s), QSettings::IniFormat);
    ProfileStore profiles(settings);
    AppSettings appSettings(settings);
    Test::FakeSecretStore secrets;
    Test::FakeUserPrompter prompter;
    const std::unique_ptr<ControlClientInterface> client = createControlClient(socket);
    ConnectionController controller(*client, profiles, secrets, prompter);
    controller.setPeerRefreshInterval(500);
    TrayIcon tray(controller, profiles, appSettings);

    ClientProfile demo;
    demo.name = u"demo"_s;
    demo.ip = u"10.0.0.100/24"_s;
    demo.peers = {u"server-a:3210"_s, u"server-b:3210"_s};
    demo.peerTimeout = 5;
    demo.keepalive = 2;
    QVERIFY(profiles.save(demo));
    secrets.stored.insert(u"demo"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"gui-secret"_s});

    QTRY_COMPARE_WITH_TIMEOUT(controller.link(), ControlClient::State::Ready, 10000);
    QCOMPARE(TrayStateMachine::stateFor(tray.input()), TrayState::Disconnected);

    controller.connectProfile(u"demo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        controller.network(u"demo"_s) && controller.network(u"demo"_s)->state == u"connected"_s, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(controller.peerModel()->peerCount(u"demo"_s), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(TrayStateMachine::stateFor(tray.input()), TrayState::Connected, 5000);
    QVERIFY(prompter.errors.isEmpty());

    // Which server serves 10.0.0.1 right now, according to the GUI's claims table?
    QString active;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const int row = controller.claimModel()->rowOf(u"demo\x1f"_s + u"10.0.0.1/32"_s);
            if (row < 0)
                return false;
            const QString servedBy = controller.claimModel()->index(row, ClaimModel::ServedBy).data().toString();
            for (auto it = serverPids.cbegin(); it != serverPids.cend(); ++it) {
                if (servedBy.contains(it.key()))
                    active = it.key();
            }
            return !active.isEmpty();
        }(),
        10000);
    const int eventsBefore = controller.eventModel()->rowCount();
    QVERIFY(::kill(serverPids.value(active), SIGKILL) == 0);

    // The failover arrives as an event, the tray leaves "connected", and one peer is left.
    const auto failoverSeen = [&] {
        for (int row = eventsBefore; row < controller.eventModel()->rowCount(); ++row) {
            const QModelIndex details = controller.eventModel()->index(row, EventModel::Details);
            if (details.data(EventModel::KindRole).value<EventModel::Kind>() == EventModel::Kind::Failover
                && details.data().toString().startsWith(u"10.0.0.1/32: "_s)
                && details.data().toString().contains(active))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(failoverSeen(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(TrayStateMachine::stateFor(tray.input()) != TrayState::Connected, 10000);
    QCOMPARE(controller.peerModel()->peerCount(u"demo"_s), 1);
    const TrayState after = TrayStateMachine::stateFor(tray.input());
    QVERIFY2(
        after == TrayState::Degraded || after == TrayState::Failover, qPrintable(TrayStateMachine::stateName(after)));
    QVERIFY(tray.presentation().toolTip.contains(u"demo"_s));

    controller.disconnectNetwork(u"demo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(
        !controller.network(u"demo"_s) || controller.network(u"demo"_s)->state == u"disconnected"_s, 10000);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_RealHelper)
#include "tst_realhelper.moc"
