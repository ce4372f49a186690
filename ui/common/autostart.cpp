#include "ui/common/autostart.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

/// Quotes an Exec= argument per the Desktop Entry spec when it needs it.
QString execArgument(const QString &arg)
{
    static const QString special = u" \t\n\"'\\><~|&;$*?#()`"_s;
    bool needsQuotes = arg.isEmpty();
    for (const QChar c : arg)
        needsQuotes = needsQuotes || special.contains(c);
    if (!needsQuotes)
        return arg;
    QString out = u"\""_s;
    for (const QChar c : arg) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            out += u'\\';
        out += c;
    }
    return out + u'"';
}

} // namespace

Autostart::Autostart(const QString &directory) : m_directory(directory)
{
}

QString Autostart::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/autostart"_s;
}

QString Autostart::filePath() const
{
    return m_directory + u'/' + QLatin1String(kFileName);
}

bool Autostart::isEnabled() const
{
    return QFile::exists(filePath());
}

QByteArray Autostart::entry(const QString &executable)
{
    QString text = u"[Desktop Entry]\n"_s
                   u"Type=Application\n"_s
                   u"Name=Nimbus\n"_s
                   u"Comment=Mesh VPN client\n"_s
                   u"Icon=org.nimbusvpn.Nimbus\n"_s
                   u"Exec="_s;
    text += execArgument(executable) + u" --minimized\n"_s;
    text += u"Terminal=false\n"_s
            u"X-GNOME-Autostart-enabled=true\n"_s;
    return text.toUtf8();
}

bool Autostart::setEnabled(bool enabled, const QString &executable)
{
    if (!enabled)
        return !isEnabled() || QFile::remove(filePath());
    if (!QDir().mkpath(m_directory))
        return false;
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(entry(executable));
    return file.commit();
}

} // namespace Nimbus
