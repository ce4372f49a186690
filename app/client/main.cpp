// nimbus: parses the command line, makes sure only one instance runs, builds the object graph, runs the loop.
#include <memory>

#include <QApplication>
#include <QLocale>
#include <QProcessEnvironment>
#include <QSettings>

#include "nimbus/version.h"
#include "ui/common/appsettings.h"
#include "ui/common/autostart.h"
#include "ui/common/clientoptions.h"
#include "ui/common/singleinstance.h"
#include "ui/common/translationloader.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/connection/controlclientfactory.h"
#include "ui/connection/controlclientinterface.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/credentialstore.h"
#include "ui/profiles/nodelabels.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/iconprovider.h"
#include "ui/tray/notificationpresenter.h"
#include "ui/tray/trayicon.h"
#include "ui/widgets/mainwindow.h"
#include "ui/widgets/widgetuserprompter.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"nimbus"_s);
    QApplication::setOrganizationName(u"nimbus"_s);
    QApplication::setOrganizationDomain(u"nimbusvpn.org"_s);
    QApplication::setApplicationDisplayName(u"Nimbus"_s);
    QApplication::setApplicationVersion(QLatin1String(kVersion));
    QApplication::setDesktopFileName(u"org.nimbusvpn.Nimbus"_s);
    QApplication::setWindowIcon(IconProvider::appIcon());
    installTranslations(app, QLocale());

    const ClientOptions options
        = ClientOptions::parse(QApplication::arguments(), QProcessEnvironment::systemEnvironment());
    SingleInstance instance(SingleInstance::defaultServerName());
    if (!instance.claim())
        return 0;

    QSettings settings;
    const std::unique_ptr<ControlClientInterface> client = createControlClient(options.socketPath);
    CredentialStore secrets(QLatin1String(CredentialStore::kDefaultService));
    WidgetUserPrompter prompter(*client);
    ProfileStore profiles(settings);
    AppSettings appSettings(settings);
    Autostart autostart(Autostart::defaultDirectory());
    ConnectionController controller(*client, profiles, secrets, prompter);
    ProfileManager profileManager(profiles, secrets, prompter, *client);
    NotificationPresenter notifications;
    notifications.setEnabled(appSettings.notificationsEnabled());
    MainWindow window(controller, profileManager, profiles, appSettings, autostart);
    prompter.setParentWidget(&window);
    notifications.setNodeNames(window.nodeNames()); // the user's labels for nodes the helper has no name for
    // The user's node labels belong to a profile: they follow its renames and go with it.
    if (NodeLabels *labels = window.nodeNames()->labels()) {
        QObject::connect(&profileManager, &ProfileManager::profileRenamed, labels, &NodeLabels::renameProfile);
        QObject::connect(&profileManager, &ProfileManager::profileDeleted, labels, [labels](const QString &name) {
            labels->renameProfile(name, QString());
        });
    }
    TrayIcon tray(controller, profiles, appSettings);
    tray.setNodeNames(window.nodeNames()); // the user's labels in the tray's menu and tooltip too

    const bool haveTray = TrayIcon::isSystemTrayAvailable();
    window.setHideOnClose(haveTray);
    QApplication::setQuitOnLastWindowClosed(!haveTray);

    QObject::connect(&appSettings, &AppSettings::changed, &notifications, [&] {
        notifications.setEnabled(appSettings.notificationsEnabled());
    });
    QObject::connect(
        &controller, &ConnectionController::helperEvent, &notifications, &NotificationPresenter::handleEvent);
    QObject::connect(&notifications, &NotificationPresenter::notify, &tray, &TrayIcon::showNotification);
    QObject::connect(&tray, &TrayIcon::toggleWindowRequested, &window, &MainWindow::toggleVisible);
    QObject::connect(&tray, &TrayIcon::showWindowRequested, &window, &MainWindow::showAndRaise);
    QObject::connect(&tray, &TrayIcon::quitRequested, &app, &QApplication::quit);
    QObject::connect(&window, &MainWindow::quitRequested, &app, &QApplication::quit);
    QObject::connect(&instance, &SingleInstance::activationRequested, &window, &MainWindow::showAndRaise);

    if (!options.importFile.isEmpty())
        profileManager.addFromFile(options.importFile);
    if (haveTray)
        tray.show();
    // Without a tray the window is the only way in, so it always shows.
    if (!haveTray || !(options.minimized || appSettings.startMinimized()))
        window.show();
    return QApplication::exec();
}
