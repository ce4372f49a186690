#include <QAction>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "tests/support/sampledata.h"
#include "ui/common/appsettings.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/trayicon.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_TrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheController();
};

void tst_TrayIcon::followsTheController()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    Test::FakeControlClient client;
    Test::FakeSecretStore secrets;
    Test::FakeUserPrompter prompter;
    ProfileStore store(settings);
    AppSettings appSettings(settings);
    ClientProfile office;
    office.name = u"office"_s;
    QVERIFY(store.save(office));
    ClientProfile lab;
    lab.name = u"lab"_s;
    QVERIFY(store.save(lab));
    secrets.stored.insert(u"lab"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s});
    ConnectionController controller(client, store, secrets, prompter);
    controller.setPeerRefreshInterval(0);
    TrayIcon tray(controller, store, appSettings);

    client.setLink(ControlClient::State::NotRunning);
    QCOMPARE(tray.presentation().state, TrayState::HelperUnavailable);

    client.setSnapshot(Test::Sample::snapshot(3, 1'700'000'000'000));
    client.setLink(ControlClient::State::Ready);
    QCOMPARE(tray.presentation().state, TrayState::Degraded);

    QStringList texts;
    QAction *connectLab = nullptr;
    QAction *quit = nullptr;
    for (QAction *a : tray.menu()->actions()) {
        texts.append(a->text());
        if (a->text().contains(u"Connect “lab”"_s))
            connectLab = a;
        if (a->text().contains(u"Quit"_s))
            quit = a;
    }
    QVERIFY2(texts.join(u'|').contains(u"Disconnect “office”"_s), qPrintable(texts.join(u'|')));
    QVERIFY(texts.join(u'|').contains(u"Open Nimbus"_s));
    QVERIFY(quit);
    // "lab" is degraded in the snapshot: it is active, so it offers Disconnect; send it down first.
    QVERIFY(!connectLab);
    client.sendEvent(u"network.state"_s, {{u"network"_s, u"lab"_s}, {u"state"_s, u"disconnected"_s}});
    for (QAction *a : tray.menu()->actions()) {
        if (a->text().contains(u"Connect “lab”"_s))
            connectLab = a;
    }
    QVERIFY(connectLab);
    QVERIFY(connectLab->isEnabled());
    connectLab->trigger();
    QCOMPARE(client.requests().constLast().method, u"networks.connect"_s);
    QCOMPARE(tray.presentation().state, TrayState::Connecting);

    QSignalSpy quitSpy(&tray, &TrayIcon::quitRequested);
    for (QAction *a : tray.menu()->actions()) {
        if (a->text().contains(u"Quit"_s))
            a->trigger();
    }
    QCOMPARE(quitSpy.count(), 1);
    // Quitting disconnects nothing.
    QCOMPARE(client.count(u"networks.disconnect"_s), 0);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_TrayIcon)
#include "tst_trayicon.moc"
