#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QString>

namespace Nimbus
{

/// The names of the hosts file (/etc/hosts), by address: the first name of the first line that lists an address,
/// as the resolver uses it. Loopback addresses (127.0.0.0/8, ::1) and their names (localhost, ...) are left out:
/// they never name a peer. Re-read when the file's modification time or size changes, checked at most once per
/// check interval. A missing or unreadable file names nothing.
class HostsFile final
{
public:
    explicit HostsFile(QString path = QStringLiteral("/etc/hosts"), int checkIntervalMs = 1000);

    /// Checks the file (if the check interval passed) and re-reads it if it changed; true if its names changed.
    bool refresh();
    /// The name of \a address (IPv4-mapped IPv6 addresses are looked up as IPv4); "" if it has none. Does not
    /// check the file: call refresh() first.
    QString nameFor(const QHostAddress &address) const;
    QString path() const { return m_path; }

    /// The names of the hosts-file text \a text, by address (see the class comment).
    static QHash<QHostAddress, QString> parse(const QByteArray &text);

private:
    QString m_path;
    int m_checkIntervalMs;
    QElapsedTimer m_checked;
    bool m_loaded = false;
    QDateTime m_modified;
    qint64 m_size = -1;
    QHash<QHostAddress, QString> m_names;
};

} // namespace Nimbus
