#pragma once

#include <memory>

#include <QObject>

#include "ui/tray/iconprovider.h"
#include "ui/tray/notificationpresenter.h"
#include "ui/tray/traystatemachine.h"

class QMenu;
class QSystemTrayIcon;

namespace Nimbus
{

class AppSettings;
class ConnectionController;
class NodeNames;
class ProfileStore;

/// The tray icon and its menu: renders TrayStateMachine's presentation and shows notifications.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    TrayIcon(
        ConnectionController &controller, ProfileStore &profiles, AppSettings &settings, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isSystemTrayAvailable();
    void show();
    QMenu *menu() const;
    TrayPresentation presentation() const;
    TrayInput input() const;
    /// Names nodes as the window does (the user's labels included); null: the helper's names only. Must outlive
    /// the tray icon.
    void setNodeNames(const NodeNames *names);

public Q_SLOTS:
    void showNotification(const Nimbus::Notification &notification);
    void refresh();

Q_SIGNALS:
    void toggleWindowRequested();
    void showWindowRequested();
    void quitRequested();

private:
    void rebuildMenu(const TrayPresentation &presentation);
    void addAddressMenu(const TrayMenuEntry &entry);

    ConnectionController &m_controller;
    ProfileStore &m_profiles;
    AppSettings &m_settings;
    QSystemTrayIcon *m_tray;
    std::unique_ptr<QMenu> m_menu;
    TrayPresentation m_presentation;
    bool m_haveIcon = false;
    TrayState m_iconState = TrayState::Disconnected;
    TrayAppearance m_iconAppearance = TrayAppearance::Color;
    const NodeNames *m_names = nullptr;
};

} // namespace Nimbus
