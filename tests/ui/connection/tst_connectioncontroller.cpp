#include <QJsonArray>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "tests/support/sampledata.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/peermodel.h"
#include "ui/models/traffichistory.h"
#include "ui/profiles/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_ConnectionController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void subscribesWhenReady();
    void eventsUpdateIncrementally();
    void hundredsOfPeersFromEvents();
    void sequenceGapResubscribes();
    void resyncResubscribes();
    void linkLossClearsLiveState();
    void connectSendsProfileAndSecret();
    void connectAsksForMissingSecret();
    void connectCancelledSendsNothing();
    void connectErrorIsReported();
    void connectWhileHelperDown();
    void disconnect();
    void observerCannotControl();
    void peerRefreshPolls();
    void autoConnectsMarkedProfilesWhenReady();
    void autoConnectsAgainWhenTheHelperComesBack();
    void userDisconnectPausesAutoConnect();
    void autoConnectNeverPrompts();
    void claimsPerNetwork();

private:
    /// Saves a profile `name` with a stored secret, marked "connect automatically" or not.
    void addProfile(const QString &name, bool autoConnect);
    /// The profile names of the networks.connect requests sent so far.
    QStringList connectRequests() const;
    /// The helper goes away and comes back (a new helper: the snapshot has the networks of `snapshot`).
    void restartHelper(const QJsonObject &snapshot);

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Test::FakeControlClient> m_client;
    std::unique_ptr<Test::FakeSecretStore> m_secrets;
    std::unique_ptr<Test::FakeUserPrompter> m_prompter;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<ConnectionController> m_controller;
};

void tst_ConnectionController::init()
{
    QStandardPaths::setTestModeEnabled(true);
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"nimbus.ini"_s), QSettings::IniFormat);
    m_settings->clear();
    m_client = std::make_unique<Test::FakeControlClient>();
    m_secrets = std::make_unique<Test::FakeSecretStore>();
    m_prompter = std::make_unique<Test::FakeUserPrompter>();
    m_store = std::make_unique<ProfileStore>(*m_settings);
    ClientProfile office;
    office.name = u"office"_s;
    office.ip = u"10.0.0.100/24"_s;
    office.peers = {u"server-a:3210"_s};
    QVERIFY(m_store->save(office));
    m_controller = std::make_unique<ConnectionController>(*m_client, *m_store, *m_secrets, *m_prompter);
    m_controller->setPeerRefreshInterval(0);
    m_client->setSnapshot(Test::Sample::snapshot(5, 1'700'000'000'000));
}

void tst_ConnectionController::cleanup()
{
    m_controller.reset();
    m_store.reset();
    m_client.reset();
}

void tst_ConnectionController::subscribesWhenReady()
{
    QSignalSpy networks(m_controller.get(), &ConnectionController::networksChanged);
    QVERIFY(!m_controller->isLive());
    m_client->setLink(ControlClient::State::Ready);
    QCOMPARE(m_client->count(u"events.subscribe"_s), 1);
    QVERIFY(m_controller->isLive());
    QCOMPARE(m_controller->peerModel()->rowCount(), 7);
    QVERIFY(m_controller->claimModel()->rowCount() > 3);
    QCOMPARE(m_controller->eventModel()->rowCount(), 6);
    QCOMPARE(m_controller->networks().size(), 2);
    QCOMPARE(m_controller->network(u"office"_s)->state, u"connected"_s);
    QCOMPARE(m_controller->network(u"lab"_s)->state, u"degraded"_s);
    QVERIFY(networks.count() >= 1);
}

void tst_ConnectionController::eventsUpdateIncrementally()
{
    m_client->setLink(ControlClient::State::Ready);
    QSignalSpy helperEvents(m_controller.get(), &ConnectionController::helperEvent);
    QSignalSpy reset(m_controller->peerModel(), &QAbstractItemModel::modelReset);
    QSignalSpy inserted(m_controller->peerModel(), &QAbstractItemModel::rowsInserted);

    m_client->sendEvent(u"peer.connected"_s, Test::Sample::peer(u"office"_s, 40, 1'700'000'000'000));
    QCOMPARE(m_controller->peerModel()->rowCount(), 8);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(m_controller->network(u"office"_s)->peerCount, 6);

    QJsonObject gone = Test::Sample::node(40);
    gone.insert(u"network"_s, u"office"_s);
    gone.insert(u"reason"_s, u"closed"_s);
    m_client->sendEvent(u"peer.disconnected"_s, gone);
    QCOMPARE(m_controller->peerModel()->rowCount(), 7);

    m_client->sendEvent(
        u"route.failover"_s, Test::Sample::failover(u"office"_s, u"10.0.0.1/32"_s, 1, 0, 900), 1'700'000'100'000);
    QCOMPARE(m_controller->network(u"office"_s)->lastFailover->unreachableMs, 900);
    QCOMPARE(m_controller->network(u"office"_s)->lastFailover->time, 1'700'000'100'000);

    m_client->sendEvent(u"claims.changed"_s,
        {{u"network"_s, u"lab"_s},
            {u"claims"_s, QJsonArray {Test::Sample::claim(u"lab"_s, u"10.9.0.0/24"_s, 4, {4}, true)}}});
    const int labRow = m_controller->claimModel()->rowOf(u"lab\x1f"_s + u"10.9.0.0/24"_s);
    QVERIFY(labRow >= 0);
    QVERIFY(
        !m_controller->claimModel()->index(labRow, ClaimModel::ServedBy).data(ClaimModel::UnreachableRole).toBool());

    m_client->sendEvent(u"stats"_s, {{u"network"_s, u"office"_s}, {u"rxBytes"_s, 1000}, {u"txBytes"_s, 10}}, 10'000);
    m_client->sendEvent(u"stats"_s, {{u"network"_s, u"office"_s}, {u"rxBytes"_s, 3000}, {u"txBytes"_s, 20}}, 11'000);
    QCOMPARE(m_controller->trafficHistory()->latest().rxRate, 2000.0);

    m_client->sendEvent(u"network.state"_s, {{u"network"_s, u"lab"_s}, {u"state"_s, u"disconnected"_s}});
    QCOMPARE(m_controller->network(u"lab"_s)->state, u"disconnected"_s);
    QCOMPARE(m_controller->peerModel()->peerCount(u"lab"_s), 0);

    QCOMPARE(helperEvents.count(), 7);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_controller->eventModel()->rowCount(), 6 + 4);
}

void tst_ConnectionController::hundredsOfPeersFromEvents()
{
    m_client->setSnapshot(Test::Sample::snapshot(400, 1'700'000'000'000));
    m_client->setLink(ControlClient::State::Ready);
    QCOMPARE(m_controller->peerModel()->rowCount(), 402);
    for (int i = 400; i < 700; ++i)
        m_client->sendEvent(u"peer.connected"_s, Test::Sample::peer(u"office"_s, i, 1'700'000'000'000));
    QCOMPARE(m_controller->peerModel()->rowCount(), 702);
    QCOMPARE(m_controller->network(u"office"_s)->peerCount, 700);
}

void tst_ConnectionController::sequenceGapResubscribes()
{
    m_client->setLink(ControlClient::State::Ready);
    QCOMPARE(m_client->count(u"events.subscribe"_s), 1);
    m_client->sendEventWithSeq(u"peer.connected"_s, m_client->lastSeq() + 2, Test::Sample::peer(u"office"_s, 50, 0));
    QCOMPARE(m_client->count(u"events.subscribe"_s), 2);
    // The event after the gap was not applied; the new snapshot is the truth.
    QCOMPARE(m_controller->peerModel()->rowCount(), 7);
    QVERIFY(m_controller->isLive());
    m_client->sendEvent(u"peer.connected"_s, Test::Sample::peer(u"office"_s, 51, 0));
    QCOMPARE(m_controller->peerModel()->rowCount(), 8);
}

void tst_ConnectionController::resyncResubscribes()
{
    m_client->setLink(ControlClient::State::Ready);
    m_client->sendEvent(u"resync"_s, {});
    QCOMPARE(m_client->count(u"events.subscribe"_s), 2);
    QVERIFY(m_controller->isLive());
}

void tst_ConnectionController::linkLossClearsLiveState()
{
    m_client->setLink(ControlClient::State::Ready);
    QSignalSpy link(m_controller.get(), &ConnectionController::linkChanged);
    const int events = m_controller->eventModel()->rowCount();
    m_client->setLink(ControlClient::State::NotRunning);
    QCOMPARE(link.count(), 1);
    QCOMPARE(m_controller->link(), ControlClient::State::NotRunning);
    QVERIFY(!m_controller->isLive());
    QCOMPARE(m_controller->peerModel()->rowCount(), 0);
    QCOMPARE(m_controller->claimModel()->rowCount(), 0);
    QVERIFY(m_controller->networks().isEmpty());
    QCOMPARE(m_controller->eventModel()->rowCount(), events + 1);
    // Back again: a fresh subscription and a note in the timeline.
    m_client->setLink(ControlClient::State::Ready);
    QVERIFY(m_controller->isLive());
    QCOMPARE(m_controller->peerModel()->rowCount(), 7);
    QCOMPARE(m_controller->eventModel()->rowCount(), events + 2);
}

void tst_ConnectionController::connectSendsProfileAndSecret()
{
    m_secrets->stored.insert(u"office"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"s3cret"_s});
    m_client->setLink(ControlClient::State::Ready);
    QSignalSpy pending(m_controller.get(), &ConnectionController::pendingChanged);
    m_controller->connectProfile(u"office"_s);
    QVERIFY(m_controller->isPending(u"office"_s));
    const Test::FakeControlClient::Request r = m_client->requests().constLast();
    QCOMPARE(r.method, u"networks.connect"_s);
    QCOMPARE(r.params.value(u"profile"_s).toObject().value(u"name"_s).toString(), u"office"_s);
    QCOMPARE(r.params.value(u"profile"_s).toObject().value(u"ip"_s).toString(), u"10.0.0.100/24"_s);
    QCOMPARE(r.params.value(u"secret"_s).toObject().value(u"password"_s).toString(), u"s3cret"_s);
    // A second click while pending does nothing.
    m_controller->connectProfile(u"office"_s);
    QCOMPARE(m_client->count(u"networks.connect"_s), 1);
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({{u"network"_s, u"office"_s}})));
    QVERIFY(!m_controller->isPending(u"office"_s));
    QCOMPARE(pending.count(), 2);
    QVERIFY(m_controller->lastError().isEmpty());
    QVERIFY(m_prompter->secretRequests.isEmpty());
}

void tst_ConnectionController::connectAsksForMissingSecret()
{
    m_client->setLink(ControlClient::State::Ready);
    m_prompter->secretAnswer = ProfileSecret {ClientProfile::SecretKind::Password, u"typed"_s};
    m_controller->connectProfile(u"office"_s);
    QCOMPARE(m_prompter->secretRequests, QStringList {u"office"_s});
    QCOMPARE(m_client->requests().constLast().params.value(u"secret"_s).toObject().value(u"password"_s).toString(),
        u"typed"_s);
    // Kept for this session only, never written to the keychain.
    QVERIFY(m_secrets->hasSessionSecret(u"office"_s));
    QVERIFY(m_secrets->stored.isEmpty());
}

void tst_ConnectionController::connectCancelledSendsNothing()
{
    m_client->setLink(ControlClient::State::Ready);
    m_controller->connectProfile(u"office"_s);
    QCOMPARE(m_prompter->secretRequests.size(), 1);
    QCOMPARE(m_client->count(u"networks.connect"_s), 0);
    QVERIFY(!m_controller->isPending(u"office"_s));
}

void tst_ConnectionController::connectErrorIsReported()
{
    m_secrets->stored.insert(u"office"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"x"_s});
    m_client->setLink(ControlClient::State::Ready);
    QSignalSpy failed(m_controller.get(), &ConnectionController::commandFailed);
    m_controller->connectProfile(u"office"_s);
    Protocol::ErrorInfo e;
    e.code = u"NETWORK_FAILED"_s;
    e.message = u"port 3210 in use"_s;
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::failure(e)));
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(1).toString().contains(u"port 3210 in use"_s));
    QVERIFY(!m_controller->lastError().isEmpty());
    QVERIFY(!m_controller->isPending(u"office"_s));
}

void tst_ConnectionController::connectWhileHelperDown()
{
    m_client->setLink(ControlClient::State::PermissionDenied);
    QSignalSpy failed(m_controller.get(), &ConnectionController::commandFailed);
    m_controller->connectProfile(u"office"_s);
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(1).toString().contains(u"usermod -aG nimbus"_s));
    QCOMPARE(m_client->count(u"networks.connect"_s), 0);
    m_controller->connectProfile(u"nonexistent"_s);
    QCOMPARE(failed.count(), 2);
}

void tst_ConnectionController::disconnect()
{
    m_client->setLink(ControlClient::State::Ready);
    m_controller->toggle(u"office"_s);
    QCOMPARE(m_client->requests().constLast().method, u"networks.disconnect"_s);
    QCOMPARE(m_client->requests().constLast().params.value(u"network"_s).toString(), u"office"_s);
    QVERIFY(m_client->answer(u"networks.disconnect"_s, ControlClientReply::success({})));
    QVERIFY(!m_controller->isPending(u"office"_s));
}

void tst_ConnectionController::observerCannotControl()
{
    m_client->setRole(u"observer"_s);
    m_client->setLink(ControlClient::State::Ready);
    QVERIFY(!m_controller->canControlNetworks());
    m_client->setRole(u"operator"_s);
    QVERIFY(m_controller->canControlNetworks());
}

void tst_ConnectionController::peerRefreshPolls()
{
    m_controller->setPeerRefreshInterval(10);
    m_client->setResponder(u"peers.list"_s, [](const QJsonObject &) {
        return ControlClientReply::success({{u"peers"_s, Test::Sample::peers(u"office"_s, 3, 0)}});
    });
    m_client->setLink(ControlClient::State::Ready);
    QTRY_COMPARE(m_controller->peerModel()->rowCount(), 3);
    QVERIFY(m_client->count(u"peers.list"_s) >= 1);
}

void tst_ConnectionController::addProfile(const QString &name, bool autoConnect)
{
    ClientProfile p;
    p.name = name;
    p.ip = u"10.0.0.100/24"_s;
    p.autoConnect = autoConnect;
    QVERIFY(m_store->save(p));
    m_secrets->stored.insert(name, ProfileSecret {ClientProfile::SecretKind::Password, u"pw-"_s + name});
}

QStringList tst_ConnectionController::connectRequests() const
{
    QStringList names;
    for (const Test::FakeControlClient::Request &r : m_client->requests()) {
        if (r.method == u"networks.connect")
            names.append(r.params.value(u"profile"_s).toObject().value(u"name"_s).toString());
    }
    return names;
}

void tst_ConnectionController::restartHelper(const QJsonObject &snapshot)
{
    m_client->setLink(ControlClient::State::NotRunning);
    m_client->setSnapshot(snapshot);
    m_client->setLink(ControlClient::State::Ready);
}

void tst_ConnectionController::autoConnectsMarkedProfilesWhenReady()
{
    addProfile(u"home"_s, true);
    addProfile(u"spare"_s, false);
    // "office" is marked too, but the helper runs it already (the snapshot has it connected).
    ClientProfile office = *m_store->find(u"office"_s);
    office.autoConnect = true;
    QVERIFY(m_store->save(office, u"office"_s));

    // The GUI starts: as soon as the helper's snapshot says what runs, the marked profile connects.
    m_client->setLink(ControlClient::State::Ready);
    QCOMPARE(connectRequests(), QStringList {u"home"_s});
    const QJsonObject params = m_client->requests().constLast().params;
    QCOMPARE(params.value(u"secret"_s).toObject().value(u"password"_s).toString(), u"pw-home"_s);
    QVERIFY(m_prompter->secretRequests.isEmpty());
    QVERIFY(m_controller->isPending(u"home"_s));
    QVERIFY(!m_controller->isPending(u"spare"_s));
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    QCOMPARE(m_controller->network(u"home"_s)->state, u"connecting"_s);
    // A resubscribe to the same helper (a gap, a resync) connects nothing again.
    m_client->sendEvent(u"resync"_s, {});
    QCOMPARE(connectRequests(), QStringList {u"home"_s});
}

void tst_ConnectionController::autoConnectsAgainWhenTheHelperComesBack()
{
    addProfile(u"home"_s, true);
    addProfile(u"spare"_s, false);
    m_client->setLink(ControlClient::State::Ready);
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    m_client->sendEvent(u"network.state"_s, {{u"network"_s, u"home"_s}, {u"state"_s, u"connected"_s}});

    // The helper crashes; systemd starts a new one, which runs nothing.
    restartHelper(QJsonObject {});
    QCOMPARE(connectRequests(), (QStringList {u"home"_s, u"home"_s}));
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    // The GUI lost its link but the helper kept running "home": nothing to do.
    QJsonObject running = Test::Sample::snapshot(1, 1'700'000'000'000);
    QJsonObject status = running.value(u"status"_s).toObject();
    QJsonArray networks = status.value(u"networks"_s).toArray();
    networks.append(Test::Sample::networkStatus(u"home"_s, u"connected"_s, 1, 1));
    status.insert(u"networks"_s, networks);
    running.insert(u"status"_s, status);
    restartHelper(running);
    QCOMPARE(connectRequests(), (QStringList {u"home"_s, u"home"_s}));
    QVERIFY(m_prompter->secretRequests.isEmpty());
}

void tst_ConnectionController::userDisconnectPausesAutoConnect()
{
    addProfile(u"home"_s, true);
    m_client->setLink(ControlClient::State::Ready);
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    m_client->sendEvent(u"network.state"_s, {{u"network"_s, u"home"_s}, {u"state"_s, u"connected"_s}});

    // The user disconnects: the helper coming back (or the next login) does not connect it again.
    m_controller->disconnectNetwork(u"home"_s);
    QVERIFY(m_client->answer(u"networks.disconnect"_s, ControlClientReply::success({})));
    QVERIFY(m_store->find(u"home"_s)->autoConnectPaused);
    QVERIFY(m_store->find(u"home"_s)->autoConnect);
    restartHelper(QJsonObject {});
    QCOMPARE(connectRequests(), QStringList {u"home"_s});
    // The pause is stored: a new GUI (a new controller on the same settings) leaves it down too.
    ProfileStore reloaded(*m_settings);
    QVERIFY(reloaded.find(u"home"_s)->autoConnectPaused);

    // The user connects it again: from now on it comes back by itself again.
    m_controller->connectProfile(u"home"_s);
    QVERIFY(!m_store->find(u"home"_s)->autoConnectPaused);
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    restartHelper(QJsonObject {});
    QCOMPARE(connectRequests(), (QStringList {u"home"_s, u"home"_s, u"home"_s}));

    // Disconnecting an unmarked profile pauses nothing.
    addProfile(u"spare"_s, false);
    m_controller->disconnectNetwork(u"spare"_s);
    QVERIFY(!m_store->find(u"spare"_s)->autoConnectPaused);
}

void tst_ConnectionController::autoConnectNeverPrompts()
{
    addProfile(u"home"_s, true);
    m_secrets->stored.remove(u"home"_s);
    m_client->setLink(ControlClient::State::Ready);
    // No secret in the keychain: nobody is asked (nobody asked for this connect); the error shows instead.
    QVERIFY(m_prompter->secretRequests.isEmpty());
    QVERIFY(connectRequests().isEmpty());
    QVERIFY(!m_controller->isPending(u"home"_s));
    QVERIFY2(m_controller->lastError().contains(u"home"_s), qPrintable(m_controller->lastError()));
    // An observer may connect nothing, so nothing is tried.
    m_secrets->stored.insert(u"home"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s});
    m_client->setRole(u"observer"_s);
    restartHelper(QJsonObject {});
    QVERIFY(connectRequests().isEmpty());
}

void tst_ConnectionController::claimsPerNetwork()
{
    QSignalSpy spy(m_controller.get(), &ConnectionController::claimsChanged);
    m_client->setLink(ControlClient::State::Ready);
    QVERIFY(spy.count() >= 1);
    const QList<Protocol::Claim> office = m_controller->claims(u"office"_s);
    QVERIFY(office.size() >= 3);
    QCOMPARE(office.constFirst().range, u"10.0.0.1/32"_s);
    QCOMPARE(m_controller->claims(u"lab"_s).size(), 1);
    m_client->sendEvent(u"claims.changed"_s,
        {{u"network"_s, u"lab"_s},
            {u"claims"_s, QJsonArray {Test::Sample::claim(QString(), u"10.9.0.0/24"_s, 1, {1, 2}, true)}}});
    QCOMPARE(m_controller->claims(u"lab"_s).constFirst().claimants.size(), 2);
    m_client->sendEvent(u"network.state"_s, {{u"network"_s, u"lab"_s}, {u"state"_s, u"disconnected"_s}});
    QVERIFY(m_controller->claims(u"lab"_s).isEmpty());
    m_client->setLink(ControlClient::State::NotRunning);
    QVERIFY(m_controller->claims(u"office"_s).isEmpty());
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_ConnectionController)
#include "tst_connectioncontroller.moc"
