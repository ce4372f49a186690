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

QString nodeName(const QString &helperName, const QString &label, const QString &nodeId, const QString &address)
{
    if (!helperName.isEmpty())
        return helperName;
    if (!label.isEmpty())
        return label;
    if (!nodeId.isEmpty())
        return shortNodeId(nodeId);
    if (!address.isEmpty())
        return address;
    return QCoreApplication::translate("Nimbus::Format", "nobody");
}

QString nodeToolTip(const QString &nodeId, const QString &address, const QString &nameSource)
{
    QStringList lines;
    if (!nodeId.isEmpty())
        lines.append(QCoreApplication::translate("Nimbus::Format", "Node id: %1").arg(nodeId));
    if (!address.isEmpty())
        lines.append(QCoreApplication::translate("Nimbus::Format", "Address: %1").arg(address));
    if (nameSource == u"peer")
        lines.append(QCoreApplication::translate("Nimbus::Format", "Named after the configured peer"));
    else if (nameSource == u"hosts")
        lines.append(QCoreApplication::translate("Nimbus::Format", "Named by the hosts file"));
    else if (nameSource == u"label")
        lines.append(QCoreApplication::translate("Nimbus::Format", "Named by you"));
    return lines.join(u'\n');
}

QString node(const std::optional<Protocol::NodeRef> &node)
{
    return node ? nodeName(node->name, QString(), node->nodeId, node->address) : Format::node(QString(), QString());
}

QString node(const QString &id, const QString &address)
{
    return nodeName(QString(), QString(), id, address);
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

QString timeOfDay(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return QString();
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toLocalTime().toString(u"HH:mm:ss.zzz"_s);
}

QString routeChangeKind(const Protocol::FailoverEvent &change)
{
    if (!change.kind.isEmpty())
        return change.kind;
    if (!change.from)
        return u"reachable"_s;
    if (!change.to)
        return u"lost"_s;
    const QString &r = change.reason;
    if (r == u"preferred" || r == u"returned")
        return u"switchback"_s;
    if (r == u"more-specific" || r == u"balance" || r == u"new-claimant" || r == u"claim-withdrawn" || r == u"roamed")
        return u"move"_s;
    return u"failover"_s;
}

QString routeChangeKindText(const QString &kind)
{
    if (kind == u"reachable")
        return QCoreApplication::translate("Nimbus::Format", "Reachable");
    if (kind == u"switchback")
        return QCoreApplication::translate("Nimbus::Format", "Switchback");
    if (kind == u"move")
        return QCoreApplication::translate("Nimbus::Format", "Move");
    if (kind == u"lost")
        return QCoreApplication::translate("Nimbus::Format", "Lost");
    return QCoreApplication::translate("Nimbus::Format", "Failover");
}

QString routeChange(const QString &kind, const QString &from, const QString &to, const QString &address)
{
    if (kind == u"reachable")
        return QCoreApplication::translate("Nimbus::Format", "Reachable via %1").arg(to);
    if (kind == u"switchback")
        return QCoreApplication::translate("Nimbus::Format", "Switchback to %1").arg(to);
    if (kind == u"move")
        return QCoreApplication::translate("Nimbus::Format", "Moved to %1").arg(to);
    if (kind == u"lost")
        return QCoreApplication::translate("Nimbus::Format", "Lost: nobody serves %1").arg(address);
    return QCoreApplication::translate("Nimbus::Format", "Failover: %1 → %2").arg(from, to);
}

QString noPath(qint64 noPathMs)
{
    return noPathMs < 0 ? QCoreApplication::translate("Nimbus::Format", "unknown") : duration(noPathMs);
}

QStringList routeChangeFacts(
    const Protocol::FailoverEvent &change, const QString &kind, const QString &from, qint64 timeMs)
{
    QStringList facts;
    if (kind != u"failover" && kind != u"lost")
        return facts;
    const qint64 detected = change.detectedAt > 0 ? change.detectedAt : (change.time > 0 ? change.time : timeMs);
    if (detected > 0)
        facts.append(QCoreApplication::translate("Nimbus::Format", "Detected at %1").arg(timeOfDay(detected)));
    if (kind == u"failover")
        facts.append(QCoreApplication::translate("Nimbus::Format", "No path for %1").arg(noPath(change.noPathMs)));
    // unreachableMs runs to the switch, which is the detection for an older helper that sends no times.
    const qint64 silence = change.lastSeenAt > 0 && detected > 0
        ? detected - change.lastSeenAt
        : (change.unreachableMs > 0 ? change.unreachableMs : -1);
    if (silence >= 0 && change.from) {
        facts.append(QCoreApplication::translate("Nimbus::Format", "Last heard from %1 %2 before detection")
                         .arg(from, duration(silence)));
    }
    return facts;
}

} // namespace Nimbus::Format
