#include "helper/hostsfile.h"

#include <QFile>
#include <QFileInfo>

namespace Nimbus
{

namespace
{

/// A key for the table: IPv4-mapped addresses as IPv4, no scope id.
QHostAddress normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QHostAddress(v4);
    QHostAddress plain(address.toIPv6Address());
    return plain;
}

} // namespace

HostsFile::HostsFile(QString path, int checkIntervalMs) : m_path(std::move(path)), m_checkIntervalMs(checkIntervalMs)
{
}

QHash<QHostAddress, QString> HostsFile::parse(const QByteArray &text)
{
    QHash<QHostAddress, QString> names;
    for (QByteArray line : text.split('\n')) {
        if (const qsizetype hash = line.indexOf('#'); hash >= 0)
            line.truncate(hash);
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 2)
            continue;
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(fields[0])) || address.isLoopback())
            continue;
        address = normalized(address);
        if (!names.contains(address))
            names.insert(address, QString::fromUtf8(fields[1]));
    }
    return names;
}

bool HostsFile::refresh()
{
    if (m_loaded && m_checked.isValid() && m_checked.elapsed() < m_checkIntervalMs)
        return false;
    m_checked.start();
    const QFileInfo info(m_path);
    const QDateTime modified = info.exists() ? info.lastModified() : QDateTime();
    const qint64 size = info.exists() ? info.size() : -1;
    if (m_loaded && modified == m_modified && size == m_size)
        return false;
    m_loaded = true;
    m_modified = modified;
    m_size = size;
    QHash<QHostAddress, QString> names;
    if (QFile file(m_path); file.open(QIODevice::ReadOnly))
        names = parse(file.read(1 << 20)); // a hosts file of more than 1 MiB is cut there
    if (names == m_names)
        return false;
    m_names = std::move(names);
    return true;
}

QString HostsFile::nameFor(const QHostAddress &address) const
{
    return m_names.value(normalized(address));
}

} // namespace Nimbus
