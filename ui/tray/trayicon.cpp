#include "ui/tray/trayicon.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>

#include "ui/common/appsettings.h"
#include "ui/connection/connectioncontroller.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/profilestore.h"
#include "ui/tray/iconprovider.h"

namespace Nimbus
{

TrayIcon::TrayIcon(ConnectionController &controller, ProfileStore &profiles, AppSettings &settings, QObject *parent)
    : QObject(parent)
    , m_controller(controller)
    , m_profiles(profiles)
    , m_settings(settings)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(std::make_unique<QMenu>())
{
    m_menu->setAccessibleName(tr("Nimbus"));
    m_menu->setAccessibleDescription(tr("Connect and disconnect profiles, see who serves shared addresses, open "
                                        "the Nimbus window or quit"));
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            Q_EMIT toggleWindowRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showWindowRequested);
    connect(&m_controller, &ConnectionController::linkChanged, this, &TrayIcon::refresh);
    connect(&m_controller, &ConnectionController::networksChanged, this, &TrayIcon::refresh);
    connect(&m_controller, &ConnectionController::claimsChanged, this, &TrayIcon::refresh);
    connect(&m_controller, &ConnectionController::pendingChanged, this, &TrayIcon::refresh);
    connect(&m_controller, &ConnectionController::lastErrorChanged, this, &TrayIcon::refresh);
    connect(&m_profiles, &ProfileStore::changed, this, &TrayIcon::refresh);
    connect(&m_settings, &AppSettings::changed, this, &TrayIcon::refresh);
    refresh();
}

TrayIcon::~TrayIcon() = default;

bool TrayIcon::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::show()
{
    m_tray->show();
}

QMenu *TrayIcon::menu() const
{
    return m_menu.get();
}

TrayPresentation TrayIcon::presentation() const
{
    return m_presentation;
}

TrayInput TrayIcon::input() const
{
    TrayInput in;
    in.link = m_controller.link();
    in.socketPath = m_controller.client().socketPath();
    in.linkDetail = m_controller.client().linkDetail();
    in.canControl = m_controller.canControlNetworks();
    in.profiles = m_profiles.names();
    in.networks = m_controller.networks();
    for (const NetworkStatus &n : std::as_const(in.networks))
        in.claims.insert(n.name, m_controller.claims(n.name));
    in.pending = m_controller.pending();
    in.lastError = m_controller.lastError();
    if (const NodeNames *names = m_names) {
        in.nodeName
            = [names](const QString &network, const Protocol::NodeRef &node) { return names->text(network, node); };
    }
    return in;
}

void TrayIcon::setNodeNames(const NodeNames *names)
{
    if (m_names)
        disconnect(m_names, nullptr, this, nullptr);
    m_names = names;
    if (m_names)
        connect(m_names, &NodeNames::changed, this, &TrayIcon::refresh);
    refresh();
}

void TrayIcon::refresh()
{
    m_presentation = TrayStateMachine::present(input());
    const TrayAppearance appearance = IconProvider::appearanceFor(m_settings.trayTheme(), QApplication::palette());
    if (!m_haveIcon || m_iconState != m_presentation.state || m_iconAppearance != appearance) {
        m_tray->setIcon(IconProvider::trayIcon(m_presentation.state, appearance));
        m_haveIcon = true;
        m_iconState = m_presentation.state;
        m_iconAppearance = appearance;
    }
    m_tray->setToolTip(m_presentation.toolTip);
    rebuildMenu(m_presentation);
}

void TrayIcon::rebuildMenu(const TrayPresentation &presentation)
{
    m_menu->clear();
    const QList<QMenu *> oldMenus = m_menu->findChildren<QMenu *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(oldMenus);
    QAction *status = m_menu->addAction(presentation.title);
    status->setEnabled(false);
    m_menu->addSeparator();
    for (const TrayMenuEntry &entry : presentation.entries) {
        QAction *action = m_menu->addAction(entry.text);
        action->setEnabled(entry.enabled);
        action->setToolTip(entry.stateText);
        action->setStatusTip(entry.stateText);
        const QString network = entry.network;
        if (entry.action == TrayMenuEntry::Action::Connect)
            connect(
                action, &QAction::triggered, &m_controller, [this, network] { m_controller.connectProfile(network); });
        else
            connect(action, &QAction::triggered, &m_controller, [this, network] {
                m_controller.disconnectNetwork(network);
            });
        if (entry.action == TrayMenuEntry::Action::Disconnect)
            addAddressMenu(entry);
    }
    if (presentation.entries.isEmpty()) {
        QAction *none = m_menu->addAction(tr("No profiles yet"));
        none->setEnabled(false);
    }
    m_menu->addSeparator();
    m_menu->addAction(tr("&Open Nimbus"), this, &TrayIcon::showWindowRequested);
    QAction *quit = m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    quit->setToolTip(tr("Networks keep running after Nimbus quits."));
}

void TrayIcon::addAddressMenu(const TrayMenuEntry &entry)
{
    // Owned by m_menu: clear() deletes the actions, and the submenu with its parent.
    auto *sub = new QMenu(entry.addressesTitle, m_menu.get());
    sub->setAccessibleName(entry.addressesTitle);
    sub->setAccessibleDescription(tr("Addresses more than one node claims, and addresses this computer uses, "
                                     "with the node that serves each"));
    for (const TrayAddressEntry &address : entry.addresses) {
        QAction *a = sub->addAction(address.text);
        a->setToolTip(address.toolTip);
        a->setStatusTip(address.toolTip);
    }
    if (entry.addresses.isEmpty())
        sub->addAction(tr("No shared addresses"))->setEnabled(false);
    m_menu->addMenu(sub);
}

void TrayIcon::showNotification(const Notification &notification)
{
    if (!m_tray->isVisible())
        return;
    QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information;
    if (notification.kind == Notification::Kind::Warning)
        icon = QSystemTrayIcon::Warning;
    else if (notification.kind == Notification::Kind::Critical)
        icon = QSystemTrayIcon::Critical;
    m_tray->showMessage(notification.title, notification.body, icon);
}

} // namespace Nimbus
