#pragma once

#include <QObject>

#include "ui/tray/iconprovider.h"

class QSettings;

namespace Nimbus
{

/// The GUI's own settings (not profiles), in QSettings under "ui/".
class AppSettings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppSettings)

public:
    explicit AppSettings(QSettings &settings, QObject *parent = nullptr);
    ~AppSettings() override;

    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    bool startMinimized() const;
    void setStartMinimized(bool minimized);
    TrayTheme trayTheme() const;
    void setTrayTheme(TrayTheme theme);

Q_SIGNALS:
    void changed();

private:
    QSettings &m_settings;
};

} // namespace Nimbus
