#include "ui/common/format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QLocale>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Format
{

QString addressSortKey(const QString &address)
{
    QString host = address;
    QString suffix;
    const qsizetype slash = host.indexOf(u'/');
    if (slash >= 0) {
        suffix = host.mid(slash + 1);
        host = host.left(slash);
    } else if (host.startsWith(u'[')) {
        const qsizetype close = host.indexOf(u']');
        suffix = close >= 0 ? host.mid(close + 2) : QString();
        host = host.mid(1, close >= 0 ? close - 1 : -1);
    } else if (host.count(u':') == 1) {
        suffix = host.section(u':', 1);
        host = host.section(u':', 0, 0);
    }
    const QString tail = u'/' + suffix.rightJustified(5, u'0');
    const QHostAddress ip(host);
    if (ip.protocol() == QAbstractSocket::IPv4Protocol)
        return u"4:"_s + QString::number(ip.toIPv4Address(), 16).rightJustified(8, u'0') + tail;
    if (ip.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR a = ip.toIPv6Address();
        QString hex;
        for (int i = 0; i < 16; ++i)
            hex += QString::number(a[i], 16).rightJustified(2, u'0');
        return u"6:"_s + hex + tail;
    }
    return u"9:"_s + address.toLower();
}

QString bytes(qint64 bytes)
{
    return QLocale().formattedDataSize(qMax<qint64>(bytes, 0), 1);
}

QString rate(double bytesPerSecond)
{
    return QCoreApplication::translate("Nimbus::Format", "%1/s")
        .arg(QLocale().formattedDataSize(static_cast<qint64>(qMax(bytesPerSecond, 0.0)), 1));
}

QString duration(qint64 ms)
{
    const QLocale locale;
    if (ms < 0)
        ms = 0;
    if (ms < 1000)
        return QCoreApplication::translate("Nimbus::Format", "%1 ms").arg(ms);
    if (ms < 60'000)
        return QCoreApplication::translate("Nimbus::Format", "%1 s").arg(locale.toString(ms / 1000.0, 'f', 1));
    const qint64 seconds = ms / 1000;
    if (seconds < 3600)
        return QCoreApplication::translate("Nimbus::Format", "%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QCoreApplication::translate("Nimbus::Format", "%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString timestamp(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return QString();
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString shortNodeId(const QString &nodeId)
{
    return nodeId.left(8);
}

QString node(const std::optional<Protocol::NodeRef> &node)
{
    return node ? Format::node(node->nodeId, node->address) : Format::node(QString(), QString());
}

QString node(const QString &id, const QString &address)
{
    if (id.isEmpty() && address.isEmpty())
        return QCoreApplication::translate("Nimbus::Format", "nobody");
    if (id.isEmpty())
        return address;
    if (address.isEmpty())
        return shortNodeId(id);
    return shortNodeId(id) + u" ("_s + address + u')';
}

QString reason(const QString &reason)
{
    if (reason == u"timeout")
        return QCoreApplication::translate("Nimbus::Format", "timed out");
    if (reason == u"closed")
        return QCoreApplication::translate("Nimbus::Format", "closed by the peer");
    if (reason == u"unreachable")
        return QCoreApplication::translate("Nimbus::Format", "unreachable");
    if (reason == u"silent")
        return QCoreApplication::translate("Nimbus::Format", "stopped answering");
    if (reason == u"roamed")
        return QCoreApplication::translate("Nimbus::Format", "the node moved to another address");
    if (reason == u"replaced")
        return QCoreApplication::translate("Nimbus::Format", "replaced by a restarted node");
    if (reason == u"rejected")
        return QCoreApplication::translate("Nimbus::Format", "rejected");
    if (reason == u"shutdown")
        return QCoreApplication::translate("Nimbus::Format", "network shut down");
    if (reason == u"more-specific")
        return QCoreApplication::translate("Nimbus::Format", "a more specific claim appeared");
    if (reason == u"returned")
        return QCoreApplication::translate("Nimbus::Format", "the preferred node returned");
    if (reason == u"balance")
        return QCoreApplication::translate("Nimbus::Format", "load balancing");
    if (reason == u"new-claimant")
        return QCoreApplication::translate("Nimbus::Format", "a node claimed it");
    if (reason == u"claim-withdrawn")
        return QCoreApplication::translate("Nimbus::Format", "the node withdrew its claim");
    if (reason == u"preferred")
        return QCoreApplication::translate("Nimbus::Format", "the preferred node became ready");
    return reason;
}

QString networkState(const QString &state)
{
    if (state == u"connecting")
        return QCoreApplication::translate("Nimbus::Format", "Connecting");
    if (state == u"connected")
        return QCoreApplication::translate("Nimbus::Format", "Connected");
    if (state == u"degraded")
        return QCoreApplication::translate("Nimbus::Format", "Degraded");
    if (state == u"failover")
        return QCoreApplication::translate("Nimbus::Format", "Failover in progress");
    if (state == u"error")
        return QCoreApplication::translate("Nimbus::Format", "Error");
    if (state == u"disconnected" || state.isEmpty())
        return QCoreApplication::translate("Nimbus::Format", "Disconnected");
    return state;
}

} // namespace Nimbus::Format
