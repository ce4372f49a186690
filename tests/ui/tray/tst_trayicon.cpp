#include <QAccessible>
#include <QAction>
#include <QJsonArray>
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

namespace
{

/// A tray over a controller over fakes, with a profile for each name.
struct Fixture {
    explicit Fixture(const QStringList &names)
        : settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat), store(settings), appSettings(settings)
    {
        for (const QString &name : names) {
            ClientProfile p;
            p.name = name;
            store.save(p);
        }
        controller.setPeerRefreshInterval(0);
    }

    QTemporaryDir dir;
    QSettings settings;
    Test::FakeControlClient client;
    Test::FakeSecretStore secrets;
    Test::FakeUserPrompter prompter;
    ProfileStore store;
    AppSettings appSettings;
    ConnectionController controller {client, store, secrets, prompter};
    TrayIcon tray {controller, store, appSettings};
};

} // namespace

class tst_TrayIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheController();
    void connectedProfileHasAnAddressMenu();
};

void tst_TrayIcon::followsTheController()
{
    Fixture f({u"office"_s, u"lab"_s});
    f.secrets.stored.insert(u"lab"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s});
    Test::FakeControlClient &client = f.client;
    TrayIcon &tray = f.tray;

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

void tst_TrayIcon::connectedProfileHasAnAddressMenu()
{
    Fixture f({u"office"_s});
    Test::FakeControlClient &client = f.client;
    TrayIcon &tray = f.tray;
    client.setSnapshot(Test::Sample::snapshot(3, 1'700'000'000'000));
    client.setLink(ControlClient::State::Ready);

    QMenu *addresses = nullptr;
    for (QAction *a : tray.menu()->actions()) {
        if (a->menu() && a->text() == u"Addresses of “office”"_s)
            addresses = a->menu();
    }
    QVERIFY(addresses);
    QStringList texts;
    for (QAction *a : addresses->actions())
        texts.append(a->text());
    const QString server = Test::Sample::nodeId(1).left(8);
    QVERIFY2(
        texts.contains(u"10.0.0.1/32 via "_s + server + u" (standby: "_s + Test::Sample::nodeId(0).left(8) + u")"_s),
        qPrintable(texts.join(u'|')));

    // A claims.changed with a name for the server renames it in the menu.
    QJsonObject claim = Test::Sample::claim(QString(), u"10.0.0.1/32"_s, 1, {1, 0}, true);
    QJsonObject servedBy = claim.value(u"servedBy"_s).toObject();
    servedBy.insert(u"name"_s, u"server-b"_s);
    claim.insert(u"servedBy"_s, servedBy);
    client.sendEvent(u"claims.changed"_s, {{u"network"_s, u"office"_s}, {u"claims"_s, QJsonArray {claim}}});
    addresses = nullptr;
    for (QAction *a : tray.menu()->actions()) {
        if (a->menu() && a->text() == u"Addresses of “office”"_s)
            addresses = a->menu();
    }
    QVERIFY(addresses);
    QCOMPARE(addresses->actions().size(), 1);
    QVERIFY2(addresses->actions().constFirst()->text().startsWith(u"10.0.0.1/32 via server-b"_s),
        qPrintable(addresses->actions().constFirst()->text()));

    // Screen readers: the menu and the submenu have names and descriptions, every entry a name without '&'.
    QAccessibleInterface *menu = QAccessible::queryAccessibleInterface(tray.menu());
    QVERIFY(menu);
    QCOMPARE(menu->text(QAccessible::Name), u"Nimbus"_s);
    QVERIFY(!menu->text(QAccessible::Description).isEmpty());
    QStringList names;
    for (int i = 0; i < menu->childCount(); ++i) {
        QAccessibleInterface *item = menu->child(i);
        QVERIFY(item);
        if (item->role() == QAccessible::Separator)
            continue;
        QVERIFY2(!item->text(QAccessible::Name).isEmpty(), qPrintable(QString::number(i)));
        QVERIFY(!item->text(QAccessible::Name).contains(u'&'));
        names.append(item->text(QAccessible::Name));
    }
    QVERIFY2(names.contains(u"Open Nimbus"_s) && names.contains(u"Quit"_s), qPrintable(names.join(u'|')));
    QVERIFY2(names.contains(u"Disconnect “office” (Connected)"_s), qPrintable(names.join(u'|')));
    QAccessibleInterface *sub = QAccessible::queryAccessibleInterface(addresses);
    QCOMPARE(sub->text(QAccessible::Name), u"Addresses of “office”"_s);
    QVERIFY(!sub->text(QAccessible::Description).isEmpty());
    QVERIFY(sub->child(0)->text(QAccessible::Name).startsWith(u"10.0.0.1/32 via server-b"_s));
    // The keyboard reaches the entries: Down moves through the enabled ones.
    tray.menu()->popup(QPoint(0, 0));
    QVERIFY(QTest::qWaitForWindowExposed(tray.menu()));
    QTest::keyClick(tray.menu(), Qt::Key_Down);
    QVERIFY(tray.menu()->activeAction());
    QVERIFY(tray.menu()->activeAction()->isEnabled());
    tray.menu()->hide();

    // Disconnected: the submenu goes.
    client.sendEvent(u"network.state"_s, {{u"network"_s, u"office"_s}, {u"state"_s, u"disconnected"_s}});
    for (QAction *a : tray.menu()->actions())
        QVERIFY2(!a->menu() || a->text() != u"Addresses of “office”"_s, qPrintable(a->text()));
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_TrayIcon)
#include "tst_trayicon.moc"
