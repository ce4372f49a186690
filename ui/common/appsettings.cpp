#include "ui/common/appsettings.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

AppSettings::AppSettings(QSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
}

AppSettings::~AppSettings() = default;

bool AppSettings::notificationsEnabled() const
{
    return m_settings.value(u"ui/notifications"_s, true).toBool();
}

void AppSettings::setNotificationsEnabled(bool enabled)
{
    if (enabled == notificationsEnabled())
        return;
    m_settings.setValue(u"ui/notifications"_s, enabled);
    Q_EMIT changed();
}

bool AppSettings::startMinimized() const
{
    return m_settings.value(u"ui/startMinimized"_s, false).toBool();
}

void AppSettings::setStartMinimized(bool minimized)
{
    if (minimized == startMinimized())
        return;
    m_settings.setValue(u"ui/startMinimized"_s, minimized);
    Q_EMIT changed();
}

TrayTheme AppSettings::trayTheme() const
{
    const QString value = m_settings.value(u"ui/trayTheme"_s).toString();
    if (value == u"monochrome")
        return TrayTheme::Monochrome;
    if (value == u"light")
        return TrayTheme::Light;
    if (value == u"dark")
        return TrayTheme::Dark;
    return TrayTheme::Auto;
}

void AppSettings::setTrayTheme(TrayTheme theme)
{
    if (theme == trayTheme())
        return;
    QString value = u"auto"_s;
    switch (theme) {
    case TrayTheme::Auto:
        break;
    case TrayTheme::Monochrome:
        value = u"monochrome"_s;
        break;
    case TrayTheme::Light:
        value = u"light"_s;
        break;
    case TrayTheme::Dark:
        value = u"dark"_s;
        break;
    }
    m_settings.setValue(u"ui/trayTheme"_s, value);
    Q_EMIT changed();
}

} // namespace Nimbus
