// Renders the main window (sample data from a fake helper), the profile dialog and the tray icon matrix to PNG
// files; the tray menu is taken from the real program in a real tray host (scripts/screenshots --tray).
// Usage: nimbus_screenshots OUTPUT_DIR   (run with QT_QPA_PLATFORM=offscreen)
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QPainter>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "tests/support/sampledata.h"
#include "ui/common/appsettings.h"
#include "ui/common/autostart.h"
#include "ui/common/translationloader.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profileeditor.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/iconprovider.h"
#include "ui/widgets/mainwindow.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

namespace
{

bool save(QWidget &widget, const QString &path)
{
    widget.ensurePolished();
    QApplication::processEvents();
    const bool ok = widget.grab().save(path);
    qInfo("%s %s", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

QImage iconMatrix()
{
    const QList<TrayState> states {TrayState::Disconnected,
        TrayState::Connecting,
        TrayState::Connected,
        TrayState::Degraded,
        TrayState::Failover,
        TrayState::Error,
        TrayState::HelperUnavailable};
    const QList<std::pair<TrayAppearance, QColor>> rows {{TrayAppearance::Color, QColor(0xf6, 0xf5, 0xf4)},
        {TrayAppearance::Color, QColor(0x24, 0x1f, 0x31)},
        {TrayAppearance::MonoDark, QColor(0xf6, 0xf5, 0xf4)},
        {TrayAppearance::MonoLight, QColor(0x24, 0x1f, 0x31)}};
    const int cell = 124;
    QImage image(cell * static_cast<int>(states.size()),
        cell * static_cast<int>(rows.size()) + 24,
        QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    for (qsizetype c = 0; c < states.size(); ++c)
        p.drawText(
            QRect(static_cast<int>(c) * cell, 0, cell, 24), Qt::AlignCenter, TrayStateMachine::stateName(states.at(c)));
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const int y = 24 + static_cast<int>(r) * cell;
        p.fillRect(QRect(0, y, image.width(), cell), rows.at(r).second);
        for (qsizetype c = 0; c < states.size(); ++c) {
            const int x = static_cast<int>(c) * cell;
            p.drawImage(QPoint(x + 8, y + 8), IconProvider::trayImage(states.at(c), rows.at(r).first, 48));
            p.drawImage(QPoint(x + 62, y + 8), IconProvider::trayImage(states.at(c), rows.at(r).first, 22));
            p.drawImage(QPoint(x + 62, y + 40), IconProvider::trayImage(states.at(c), rows.at(r).first, 16));
        }
    }
    return image;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"nimbus"_s);
    installTranslations(app, QLocale());
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"docs/screenshots"_s;
    QDir().mkpath(out);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);

    Test::FakeControlClient client;
    Test::FakeSecretStore secrets;
    Test::FakeUserPrompter prompter;
    ProfileStore profiles(settings);
    AppSettings appSettings(settings);
    Autostart autostart(dir.filePath(u"autostart"_s));
    for (const QString &name : {u"office"_s, u"lab"_s, u"home"_s}) {
        ClientProfile p;
        p.name = name;
        profiles.save(p);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    client.setCapabilities({u"keys.generate"_s});
    client.setSnapshot(Test::Sample::snapshot(24, now));
    ConnectionController controller(client, profiles, secrets, prompter);
    controller.setPeerRefreshInterval(0);
    ProfileManager manager(profiles, secrets, prompter, client);
    MainWindow window(controller, manager, profiles, appSettings, autostart);
    client.setLink(ControlClient::State::Ready);
    // The window with a live mesh (peers, addresses, events, availability) is taken from the real program:
    // scripts/screenshots --tray. Here only the state a root session cannot show: no permission on the socket.
    window.resize(1100, 700);
    window.selectProfile(u"office"_s);
    window.show();
    client.setLink(ControlClient::State::PermissionDenied);
    window.tabs()->setCurrentIndex(0);
    bool ok = save(window, out + u"/main-window-no-permission.png"_s);
    client.setLink(ControlClient::State::Ready);

    ProfileEditor editor(client, {u"lab"_s, u"home"_s});
    ProfileEdit edit;
    edit.profile.name = u"office"_s;
    edit.profile.ip = u"10.0.0.100/24"_s;
    edit.profile.claims = {u"10.1.0.0/16"_s};
    edit.profile.peers = {u"server-a.example.com:3210"_s, u"server-b.example.com:3210"_s};
    edit.profile.peerTimeout = 20;
    edit.profile.keepalive = 5;
    edit.hasStoredSecret = true;
    ProfileDialog dialog(editor, edit, ProfileDialogMode::Edit, &window);
    dialog.show();
    ok = save(dialog, out + u"/profile-dialog.png"_s) && ok;
    auto *dialogTabs = dialog.findChild<QTabWidget *>();
    dialogTabs->setCurrentIndex(1);
    ok = save(dialog, out + u"/profile-dialog-security.png"_s) && ok;
    dialogTabs->setCurrentIndex(2);
    ok = save(dialog, out + u"/profile-dialog-advanced.png"_s) && ok;
    dialogTabs->setCurrentIndex(0);
    client.setResponder(u"profiles.validate"_s, [](const QJsonObject &) {
        return ControlClientReply::success({{u"valid"_s, false},
            {u"errors"_s,
                QJsonArray {
                    QJsonObject {{u"field"_s, u"ip"_s}, {u"message"_s, u"10.0.0.300/24 is not an IPv4 address"_s}},
                    QJsonObject {{u"field"_s, u"peers"_s}, {u"message"_s, u"server-c: a peer needs host:port"_s}}}}});
    });
    dialog.validateNow();
    ok = save(dialog, out + u"/profile-dialog-errors.png"_s) && ok;
    dialog.hide();

    // The tray's menu and icon in a real panel: scripts/screenshots --tray (tray-menu.png, tray-panel.png).
    ok = iconMatrix().save(out + u"/tray-icons.png"_s) && ok;
    qInfo("%s %s/tray-icons.png", ok ? "wrote" : "FAILED", qPrintable(out));
    return ok ? 0 : 1;
}
