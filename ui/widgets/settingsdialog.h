#pragma once

#include <QDialog>

#include "ui/tray/iconprovider.h"

class QCheckBox;
class QComboBox;

namespace Nimbus
{

/// The values the settings dialog edits.
struct UiSettings {
    bool notifications = true;
    bool autostart = false;
    bool startMinimized = false;
    TrayTheme trayTheme = TrayTheme::Auto;

    bool operator==(const UiSettings &other) const = default;
};

/// Notifications on/off, start at login, start minimized, tray icon style.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const UiSettings &initial, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    UiSettings values() const;

private:
    QCheckBox *m_notifications;
    QCheckBox *m_autostart;
    QCheckBox *m_startMinimized;
    QComboBox *m_trayTheme;
};

} // namespace Nimbus
