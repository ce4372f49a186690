// The GUI's controller against a real nimbus-helper in service mode: tests/ui/real-helper.sh starts two servers
// sharing 10.0.0.1 and a client helper in network namespaces and runs this test with their socket and pids, inside
// a private D-Bus session with a real keyring (run-with-keyring.sh).
// - Always-on: a profile marked "connect automatically" connects by itself with the keychain's secret, and again
//   after the service-mode helper is killed (SIGKILL) and a new one starts on the same socket.
// - Connect the profile from the controller, see the peers appear, kill the serving server, see the failover
//   event arrive and the tray state change.
#include <csignal>

#include <QProcess>
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
#include "ui/profiles/credentialstore.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/trayicon.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

/// A profile for the network real-helper.sh runs: the client's address, both servers.
ClientProfile demoProfile(const QString &name)
{
    ClientProfile p;
    p.name = name;
    p.ip = u"10.0.0.100/24"_s;
    p.peers = {u"server-a:3210"_s, u"server-b:3210"_s};
    p.peerTimeout = 5;
    p.keepalive = 2;
    return p;
}

} // namespace

class tst_RealHelper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alwaysOnSurvivesAHelperCrash();
    void connectSeePeersAndFailover();
};

void tst_RealHelper::alwaysOnSurvivesAHelperCrash()
{
    const QString socket = qEnvironmentVariable("NIMBUS_REAL_SOCKET");
    const QStringList restart = QProcess::splitCommand(qEnvironmentVariable("NIMBUS_REAL_RESTART"));
    if (socket.isEmpty() || restart.isEmpty())
        QSKIP("run through tests/ui/real-helper.sh (needs root and network namespaces)");
    const pid_t helperPid = pid_t(qEnvironmentVariableIntValue("NIMBUS_REAL_PID_CLIENT"));
    QVERIFY(helperPid > 0);

    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"nimbus.ini"_s), QSettings::IniFormat);
    ProfileStore profiles(settings);
    // The secret lives in the session's real keyring (gnome-keyring through QtKeychain).
    CredentialStore secrets(u"org.nimbusvpn.Nimbus.tst_realhelper"_s);
    Test::FakeUserPrompter prompter;
    std::optional<SecretResult> written;
    secrets.writeSecret(u"always"_s,
        ProfileSecret {ClientProfile::SecretKind::Password, u"gui-secret"_s},
        this,
        [&](const SecretResult &r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 10000);
    QVERIFY2(written->status == SecretStatus::Ok, qPrintable(written->message));

    ClientProfile always = demoProfile(u"always"_s);
    always.autoConnect = true;
    QVERIFY(profiles.save(always));

    // The GUI starts: the marked profile connects without anyone asking.
    const std::unique_ptr<ControlClientInterface> client = createControlClient(socket);
    ConnectionController controller(*client, profiles, secrets, prompter);
    controller.setPeerRefreshInterval(0);
    const auto isConnected = [&] {
        const std::optional<NetworkStatus> n = controller.network(u"always"_s);
        return n && n->state == u"connected"_s;
    };
    QTRY_VERIFY_WITH_TIMEOUT(isConnected(), 30000);

    // The helper dies (SIGKILL: no goodbye); the GUI notices, a new helper starts on the same socket (as systemd
    // would restart it), and the profile comes back without user action.
    QVERIFY(::kill(helperPid, SIGKILL) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(controller.link() != ControlClient::State::Ready, 10000);
    // Owned by the test object, so the new helper keeps running for the next test (the script's cleanup ends it
    // with its namespace).
    auto *helper = new QProcess(this);
    helper->setProcessChannelMode(QProcess::MergedChannels);
    helper->setStandardOutputFile(qEnvironmentVariable("NIMBUS_REAL_RESTART_LOG"), QIODevice::Append);
    helper->start(restart.first(), restart.mid(1));
    QVERIFY2(helper->waitForStarted(5000), qPrintable(helper->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(controller.link(), ControlClient::State::Ready, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(isConnected(), 30000);
    QVERIFY2(prompter.secretRequests.isEmpty(), qPrintable(prompter.secretRequests.join(u", "_s)));
    QVERIFY2(prompter.errors.isEmpty(), qPrintable(prompter.errors.join(u", "_s)));

    // The user's own disconnect pauses it (stored), and frees the port for the next test.
    controller.disconnectNetwork(u"always"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!controller.network(u"always"_s) || !controller.network(u"always"_s)->isActive(), 10000);
    QVERIFY(profiles.find(u"always"_s)->autoConnectPaused);
}

void tst_RealHelper::connectSeePeersAndFailover()
{
    const QString socket = qEnvironmentVariable("NIMBUS_REAL_SOCKET");
    if (socket.isEmpty())
        QSKIP("run through tests/ui/real-helper.sh (needs root and network namespaces)");
    // Each server by its address and by the name the GUI may show for it (the peer name the profile uses).
    struct Server {
        QString address;
        QString name;
        pid_t pid;
        bool shownIn(const QString &text) const { return text.contains(address) || text.contains(name); }
    };
    const QList<Server> servers {
        {u"192.0.2.11:3210"_s, u"server-a"_s, pid_t(qEnvironmentVariableIntValue("NIMBUS_REAL_PID_A"))},
        {u"192.0.2.12:3210"_s, u"server-b"_s, pid_t(qEnvironmentVariableIntValue("NIMBUS_REAL_PID_B"))},
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

    const ClientProfile demo = demoProfile(u"demo"_s);
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
    std::optional<Server> active;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const int row = controller.claimModel()->rowOf(u"demo\x1f"_s + u"10.0.0.1/32"_s);
            if (row < 0)
                return false;
            const QString servedBy = controller.claimModel()->index(row, ClaimModel::ServedBy).data().toString();
            for (const Server &server : servers) {
                if (server.shownIn(servedBy))
                    active = server;
            }
            return active.has_value();
        }(),
        10000);
    const int eventsBefore = controller.eventModel()->rowCount();
    QVERIFY(::kill(active->pid, SIGKILL) == 0);

    // The failover arrives as an event, the tray leaves "connected", and one peer is left.
    const auto failoverSeen = [&] {
        for (int row = eventsBefore; row < controller.eventModel()->rowCount(); ++row) {
            const QModelIndex details = controller.eventModel()->index(row, EventModel::Details);
            if (details.data(EventModel::KindRole).value<EventModel::Kind>() == EventModel::Kind::Failover
                && details.data().toString().startsWith(u"10.0.0.1/32: "_s)
                && active->shownIn(details.data().toString()))
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
