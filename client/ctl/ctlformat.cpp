#include "client/ctl/ctlformat.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QStringList>

#include "client/ctl/texttable.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::CtlFormat
{

namespace
{

/// Control characters (newlines, terminal escapes) from the helper are shown as '?', so one value stays one cell.
QString clean(const QString &s)
{
    QString out = s;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            c = u'?';
    }
    return out;
}

QString text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString().isEmpty() ? u"-"_s : clean(v.toString());
    case QJsonValue::Double:
        return QString::number(v.toInteger(qint64(v.toDouble())));
    case QJsonValue::Bool:
        return v.toBool() ? u"yes"_s : u"no"_s;
    case QJsonValue::Array:
        return clean(QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)));
    case QJsonValue::Object:
        return clean(QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return u"-"_s;
}

QString joined(const QJsonValue &list)
{
    QStringList items;
    for (const QJsonValue &v : list.toArray())
        items.append(clean(v.toString()));
    return items.isEmpty() ? u"-"_s : items.join(u',');
}

QString node(const QJsonValue &value)
{
    const QJsonObject o = value.toObject();
    if (o.isEmpty())
        return u"-"_s;
    const QString address = o.value(u"address"_s).toString();
    return clean(address.isEmpty() ? o.value(u"nodeId"_s).toString() : address);
}

} // namespace

QString bytes(qint64 count)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (count < 1024)
        return QString::number(count) + u" B"_s;
    double value = double(count);
    int unit = -1;
    while (value >= 1024.0 && unit < 3) {
        value /= 1024.0;
        ++unit;
    }
    return QString::number(value, 'f', 1) + u' ' + QLatin1String(units[unit]);
}

QString time(qint64 ms)
{
    if (ms <= 0)
        return u"-"_s;
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString status(const QJsonObject &status)
{
    QString out = u"helper %1, %2 mode\n"_s.arg(text(status.value(u"helper"_s)), text(status.value(u"mode"_s)));
    const QJsonArray networks = status.value(u"networks"_s).toArray();
    if (networks.isEmpty())
        return out + u"no network is connected\n"_s;
    TextTable table({u"NETWORK"_s, u"STATE"_s, u"DEVICE"_s, u"ADDRESS"_s, u"PEERS"_s, u"CLAIMS"_s, u"RX"_s, u"TX"_s});
    QStringList errors;
    for (const QJsonValue &v : networks) {
        const QJsonObject n = v.toObject();
        QString state = text(n.value(u"state"_s));
        if (n.value(u"system"_s).toBool())
            state += u" (system)"_s;
        table.addRow({text(n.value(u"name"_s)),
            state,
            text(n.value(u"device"_s)),
            text(n.value(u"ip"_s)),
            u"%1/%2"_s.arg(n.value(u"peerCount"_s).toInteger()).arg(n.value(u"configuredPeers"_s).toInteger()),
            joined(n.value(u"claims"_s)),
            bytes(n.value(u"rxBytes"_s).toInteger()),
            bytes(n.value(u"txBytes"_s).toInteger())});
        const QString error = n.value(u"error"_s).toString();
        if (!error.isEmpty())
            errors.append(u"%1: %2"_s.arg(text(n.value(u"name"_s)), clean(error)));
        const QJsonArray unresolved = n.value(u"unresolvedPeers"_s).toArray();
        if (!unresolved.isEmpty())
            errors.append(u"%1: cannot resolve %2 (trying again)"_s.arg(text(n.value(u"name"_s)), joined(unresolved)));
    }
    out += table.toString();
    for (const QString &e : std::as_const(errors))
        out += e + u'\n';
    return out;
}

QString peers(const QJsonArray &peers)
{
    if (peers.isEmpty())
        return u"no peers\n"_s;
    TextTable table({u"NETWORK"_s,
        u"ADDRESS"_s,
        u"NODE ID"_s,
        u"CLAIMS"_s,
        u"CONNECTED SINCE"_s,
        u"ALGORITHM"_s,
        u"RX"_s,
        u"TX"_s});
    for (const QJsonValue &v : peers) {
        const QJsonObject p = v.toObject();
        table.addRow({text(p.value(u"network"_s)),
            text(p.value(u"address"_s)),
            text(p.value(u"nodeId"_s)),
            joined(p.value(u"claims"_s)),
            time(p.value(u"connectedSince"_s).toInteger()),
            text(p.value(u"algorithm"_s)),
            bytes(p.value(u"rxBytes"_s).toInteger()),
            bytes(p.value(u"txBytes"_s).toInteger())});
    }
    return table.toString();
}

QString claims(const QJsonArray &claims)
{
    if (claims.isEmpty())
        return u"no claims\n"_s;
    TextTable table({u"NETWORK"_s, u"RANGE"_s, u"SERVED BY"_s, u"CLAIMANTS"_s, u"FLAGS"_s});
    for (const QJsonValue &v : claims) {
        const QJsonObject c = v.toObject();
        QStringList claimants;
        for (const QJsonValue &n : c.value(u"claimants"_s).toArray())
            claimants.append(node(n));
        QStringList flags;
        for (const QString &flag : {u"local"_s, u"used"_s, u"serving"_s}) {
            if (c.value(flag).toBool())
                flags.append(flag);
        }
        table.addRow({text(c.value(u"network"_s)),
            text(c.value(u"range"_s)),
            node(c.value(u"servedBy"_s)),
            claimants.isEmpty() ? u"-"_s : claimants.join(u','),
            flags.isEmpty() ? u"-"_s : flags.join(u',')});
    }
    return table.toString();
}

QString eventLine(const QJsonObject &event)
{
    QString line = time(event.value(u"time"_s).toInteger());
    if (event.contains(u"seq"_s))
        line += u"  #"_s + QString::number(event.value(u"seq"_s).toInteger());
    line += u"  "_s + clean(event.value(u"event"_s).toString());
    const QJsonObject data = event.value(u"data"_s).toObject();
    // The network first, then the other fields in key order.
    if (data.contains(u"network"_s))
        line += u"  "_s + text(data.value(u"network"_s));
    if (event.value(u"event"_s).toString() == u"route.failover"_s) {
        // "10.0.0.1/32  192.0.2.11:3210 -> 192.0.2.12:3210  unreachable  367 ms"
        return line + u"  "_s + text(data.value(u"range"_s)) + u"  "_s + node(data.value(u"from"_s)) + u" -> "_s
            + node(data.value(u"to"_s)) + u"  "_s + text(data.value(u"reason"_s)) + u"  "_s
            + QString::number(data.value(u"unreachableMs"_s).toInteger()) + u" ms"_s;
    }
    for (auto it = data.constBegin(); it != data.constEnd(); ++it) {
        if (it.key() != u"network"_s)
            line += u"  "_s + clean(it.key()) + u'=' + text(it.value());
    }
    return line;
}

} // namespace Nimbus::CtlFormat
