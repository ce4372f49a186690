// The tray icon in real tray hosts, under Xvfb (tests/ui/realtray/run-tray-host.sh starts them):
// - XEmbed: Debian's trayer embeds the icon window; a real right click (XTest, xdotool) opens the menu, a real
//   left click on "Connect “home”" connects the profile.
// - StatusNotifierItem: Qt registers the icon with sni-watcher.py's StatusNotifierWatcher; its properties and its
//   com.canonical.dbusmenu menu are read over D-Bus, and Event("clicked") on "Connect “home”" connects the profile.
// The helper is FakeControlClient: what is tested is the tray, not the helper (tst_realhelper does that).
#include <QAction>
#include <QApplication>
#include <QDBusConnection>
#include <QDBusInterface>
#include <QDBusPendingReply>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMenu>
#include <QProcess>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSystemTrayIcon>
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

constexpr int kTimeoutMs = 15000;

QString run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(10000) || p.exitCode() != 0)
        return QString();
    return QString::fromLocal8Bit(p.readAllStandardOutput());
}

/// The value of "Label: value" in xwininfo's output.
QString field(const QString &text, const QString &label)
{
    const QRegularExpression re(QRegularExpression::escape(label) + u":\\s*(\\S+)"_s);
    return re.match(text).captured(1);
}

/// The mean colour difference of two images of the same size, 0..255.
double difference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size() || a.isNull())
        return 0;
    double sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            const QColor p = a.pixelColor(x, y);
            const QColor q = b.pixelColor(x, y);
            sum += (qAbs(p.red() - q.red()) + qAbs(p.green() - q.green()) + qAbs(p.blue() - q.blue())) / 3.0;
        }
    }
    return sum / (a.width() * a.height());
}

} // namespace

class tst_RealTray : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void xembed();
    void statusNotifierItem();

private:
    QString host() const;
    QString connectRequestName() const;
    /// The helper answers the connect of "home" and reports it in `state`.
    void finishConnect(const QString &state);
    /// Calls the test tray host (sni-watcher.py) without blocking the event loop that serves its calls back.
    QString callHost(const QString &method, const QVariantList &args, QString *error = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Test::FakeControlClient> m_client;
    std::unique_ptr<Test::FakeSecretStore> m_secrets;
    std::unique_ptr<Test::FakeUserPrompter> m_prompter;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<AppSettings> m_appSettings;
    std::unique_ptr<ConnectionController> m_controller;
    std::unique_ptr<TrayIcon> m_tray;
};

QString tst_RealTray::host() const
{
    return qEnvironmentVariable("NIMBUS_TRAY_HOST");
}

void tst_RealTray::init()
{
    if (host().isEmpty())
        QSKIP("run through tests/ui/realtray/run-tray-host.sh (Xvfb and a tray host)");
    // One tray host per run: each test function needs its own.
    const bool sniTest = qstrcmp(QTest::currentTestFunction(), "statusNotifierItem") == 0;
    if (sniTest != (host() == u"sni"))
        QSKIP("needs the other tray host");
    m_dir = std::make_unique<QTemporaryDir>();
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"s.ini"_s), QSettings::IniFormat);
    m_client = std::make_unique<Test::FakeControlClient>();
    m_secrets = std::make_unique<Test::FakeSecretStore>();
    m_prompter = std::make_unique<Test::FakeUserPrompter>();
    m_store = std::make_unique<ProfileStore>(*m_settings);
    m_appSettings = std::make_unique<AppSettings>(*m_settings);
    for (const QString &name : {u"office"_s, u"home"_s}) {
        ClientProfile p;
        p.name = name;
        QVERIFY(m_store->save(p));
        m_secrets->stored.insert(name, ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s});
    }
    // "office" runs, with two servers sharing 10.0.0.1; "home" is down.
    QJsonObject snapshot = Test::Sample::snapshot(3, QDateTime::currentMSecsSinceEpoch());
    QJsonObject status = snapshot.value(u"status"_s).toObject();
    status.insert(u"networks"_s, QJsonArray {status.value(u"networks"_s).toArray().at(0)});
    snapshot.insert(u"status"_s, status);
    m_client->setSnapshot(snapshot);
    m_controller = std::make_unique<ConnectionController>(*m_client, *m_store, *m_secrets, *m_prompter);
    m_controller->setPeerRefreshInterval(0);
    m_client->setLink(ControlClient::State::Ready);
    QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), kTimeoutMs);
    m_tray = std::make_unique<TrayIcon>(*m_controller, *m_store, *m_appSettings);
    QCOMPARE(m_tray->presentation().state, TrayState::Connected);
    m_tray->show();
}

void tst_RealTray::cleanup()
{
    m_tray.reset();
    m_controller.reset();
}

QString tst_RealTray::connectRequestName() const
{
    for (const Test::FakeControlClient::Request &r : m_client->requests()) {
        if (r.method == u"networks.connect")
            return r.params.value(u"profile"_s).toObject().value(u"name"_s).toString();
    }
    return QString();
}

void tst_RealTray::finishConnect(const QString &state)
{
    QVERIFY(m_client->answer(u"networks.connect"_s, ControlClientReply::success({})));
    m_client->sendEvent(u"network.state"_s, {{u"network"_s, u"home"_s}, {u"state"_s, state}});
}

void tst_RealTray::xembed()
{
    // Qt's XEmbed icon is a small top-level widget that the tray host reparents into its own window. Qt makes a
    // new one when the tray host (re)claims the tray, so it is looked up afresh each time.
    const auto embeddedIcon = [] {
        const QList<QWidget *> widgets = QApplication::topLevelWidgets();
        for (QWidget *w : widgets) {
            if (qstrcmp(w->metaObject()->className(), "QSystemTrayIconSys") != 0 || !w->isVisible())
                continue;
            const QString wid = u"0x"_s + QString::number(w->winId(), 16);
            const QString tree = run(u"xwininfo"_s, {u"-tree"_s, u"-id"_s, wid});
            if (!tree.isEmpty() && field(tree, u"Parent window id"_s) != field(tree, u"Root window id"_s))
                return wid;
        }
        return QString();
    };
    QString wid;
    QTRY_VERIFY_WITH_TIMEOUT(!(wid = embeddedIcon()).isEmpty(), kTimeoutMs);
    // Embedded: its parent is the tray host's, shown, and of the size the panel gives icons (trayer: its height).
    const QString info = run(u"xwininfo"_s, {u"-id"_s, wid});
    QVERIFY2(info.contains(u"Map State: IsViewable"_s), qPrintable(info));
    const int width = field(info, u"Width"_s).toInt();
    const int height = field(info, u"Height"_s).toInt();
    QVERIFY2(width >= 16 && width <= 64 && height >= 16 && height <= 64, qPrintable(info));
    const QString hostWindows = run(u"xwininfo"_s, {u"-root"_s, u"-tree"_s});
    QVERIFY2(hostWindows.contains(u"panel"_s), qPrintable(hostWindows));

    // What the icon says.
    auto *trayIcon = m_tray->findChild<QSystemTrayIcon *>();
    QVERIFY(trayIcon);
    QVERIFY(trayIcon->isVisible());
    QCOMPARE(trayIcon->toolTip(), m_tray->presentation().toolTip);
    QVERIFY(trayIcon->toolTip().contains(u"Profile: office (Connected)"_s));
    QScreen *screen = QGuiApplication::primaryScreen();
    QImage connected;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            wid = embeddedIcon();
            connected = screen->grabWindow(wid.toULongLong(nullptr, 16)).toImage();
            return !connected.isNull() && connected.pixelColor(width / 2, height / 2) != connected.pixelColor(0, 0);
        }(),
        kTimeoutMs);

    // A real right click on the icon opens the menu.
    QTRY_VERIFY_WITH_TIMEOUT(!(wid = embeddedIcon()).isEmpty(), kTimeoutMs);
    QVERIFY(
        QProcess::execute(u"xdotool"_s, {u"mousemove"_s, u"--window"_s, wid, u"6"_s, u"6"_s, u"click"_s, u"3"_s}) == 0);
    QMenu *menu = m_tray->menu();
    QTRY_VERIFY_WITH_TIMEOUT(menu->isVisible(), kTimeoutMs);
    QAction *connectHome = nullptr;
    QStringList texts;
    for (QAction *a : menu->actions()) {
        texts.append(a->text());
        if (a->text() == u"Connect “home”")
            connectHome = a;
    }
    QVERIFY2(connectHome, qPrintable(texts.join(u'|')));
    QVERIFY2(texts.contains(u"Addresses of “office”"_s), qPrintable(texts.join(u'|')));
    // ...and a real left click on "Connect “home”" connects it.
    const QPoint at = menu->mapToGlobal(menu->actionGeometry(connectHome).center());
    QVERIFY(QProcess::execute(
                u"xdotool"_s, {u"mousemove"_s, QString::number(at.x()), QString::number(at.y()), u"click"_s, u"1"_s})
        == 0);
    QTRY_COMPARE_WITH_TIMEOUT(connectRequestName(), u"home"_s, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!menu->isVisible(), kTimeoutMs);
    finishConnect(u"failover"_s);
    QTRY_VERIFY_WITH_TIMEOUT(trayIcon->toolTip().contains(u"Profile: home"_s), kTimeoutMs);
    // The icon shows the new state: the window's pixels change.
    QCOMPARE(m_tray->presentation().state, TrayState::Failover);
    QTRY_VERIFY_WITH_TIMEOUT(
        difference(screen->grabWindow(embeddedIcon().toULongLong(nullptr, 16)).toImage(), connected) > 2, kTimeoutMs);
}

QString tst_RealTray::callHost(const QString &method, const QVariantList &args, QString *error)
{
    QDBusInterface hostInterface(u"org.kde.StatusNotifierWatcher"_s,
        u"/StatusNotifierWatcher"_s,
        u"org.nimbusvpn.TestTrayHost"_s,
        QDBusConnection::sessionBus());
    QDBusPendingReply<QString> reply = hostInterface.asyncCallWithArgumentList(method, args);
    QDeadlineTimer deadline(kTimeoutMs);
    while (!reply.isFinished() && !deadline.hasExpired())
        QTest::qWait(10);
    if (!reply.isFinished() || reply.isError()) {
        if (error)
            *error = reply.isFinished() ? reply.error().message() : u"no answer"_s;
        return QString();
    }
    if (error)
        error->clear();
    return reply.value();
}

void tst_RealTray::statusNotifierItem()
{
    // The item registers with the watcher; read it back as a panel would.
    QJsonObject item;
    QString error;
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            const QString json = callHost(u"Inspect"_s, {}, &error);
            item = QJsonDocument::fromJson(json.toUtf8()).object();
            return !item.isEmpty();
        }(),
        qPrintable(error),
        kTimeoutMs);
    const QJsonObject props = item.value(u"item"_s).toObject();
    QCOMPARE(props.value(u"Status"_s).toString(), u"Active"_s);
    QCOMPARE(props.value(u"Category"_s).toString(), u"ApplicationStatus"_s);
    // The icon travels as pixels (ARGB, one entry per size) or as a file name.
    const QJsonArray pixmaps = props.value(u"IconPixmap"_s).toArray();
    QVERIFY2(!pixmaps.isEmpty() || !props.value(u"IconName"_s).toString().isEmpty(),
        QJsonDocument(props).toJson().constData());
    // ToolTip is (icon name, icon pixmaps, title, text).
    const QJsonArray toolTip = props.value(u"ToolTip"_s).toArray();
    QCOMPARE(toolTip.size(), 4);
    const QString toolTipText = toolTip.at(2).toString() + u'\n' + toolTip.at(3).toString();
    QVERIFY2(toolTipText.contains(u"Profile: office (Connected)"_s), qPrintable(toolTipText));

    QStringList labels;
    QString addressEntry;
    for (const QJsonValue &v : item.value(u"menu"_s).toArray()) {
        const QJsonObject e = v.toObject();
        labels.append(e.value(u"label"_s).toString());
        if (e.value(u"parent"_s).toString() == u"Addresses of “office”" && addressEntry.isEmpty())
            addressEntry = e.value(u"label"_s).toString();
        if (e.value(u"label"_s).toString() == u"Addresses of “office”")
            QVERIFY(e.value(u"submenu"_s).toBool());
    }
    QVERIFY2(labels.contains(u"Connect “home”"_s), qPrintable(labels.join(u'|')));
    QVERIFY2(labels.contains(u"Disconnect “office” (Connected)"_s), qPrintable(labels.join(u'|')));
    QVERIFY2(labels.contains(u"Open Nimbus"_s) && labels.contains(u"Quit"_s), qPrintable(labels.join(u'|')));
    // The submenu of the connected profile, with who serves the shared address and who stands by.
    QVERIFY2(addressEntry.startsWith(u"10.0.0.1/32 via "_s) && addressEntry.contains(u"standby"_s),
        qPrintable(labels.join(u'|')));

    // A click from the panel on "Connect “home”" connects it.
    QCOMPARE(callHost(u"Click"_s, {u"Connect “home”"_s}, &error), QString());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(connectRequestName(), u"home"_s, kTimeoutMs);
    finishConnect(u"failover"_s);
    // The panel sees the new state: tooltip, menu and icon pixels.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            item = QJsonDocument::fromJson(callHost(u"Inspect"_s, {}).toUtf8()).object();
            const QJsonArray tip = item.value(u"item"_s).toObject().value(u"ToolTip"_s).toArray();
            return tip.size() == 4 && QString(tip.at(2).toString() + tip.at(3).toString()).contains(u"Profile: home"_s);
        }(),
        kTimeoutMs);
    labels.clear();
    for (const QJsonValue &v : item.value(u"menu"_s).toArray())
        labels.append(v.toObject().value(u"label"_s).toString());
    QVERIFY2(labels.contains(u"Disconnect “home” (Failover in progress)"_s), qPrintable(labels.join(u'|')));
    QVERIFY(item.value(u"item"_s).toObject().value(u"IconPixmap"_s) != props.value(u"IconPixmap"_s)
        || item.value(u"item"_s).toObject().value(u"IconName"_s) != props.value(u"IconName"_s));
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_RealTray)
#include "tst_realtray.moc"
