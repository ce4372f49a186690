#include "ui/models/networkstatus.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

bool NetworkStatus::isActive() const
{
    return state != u"disconnected";
}

NetworkStatus NetworkStatus::fromJson(const QJsonObject &json)
{
    NetworkStatus s;
    s.name = json.value(u"name"_s).toString();
    s.state = json.value(u"state"_s).toString(u"disconnected"_s);
    s.error = json.value(u"error"_s).toString();
    s.device = json.value(u"device"_s).toString();
    s.ip = json.value(u"ip"_s).toString();
    s.nodeId = json.value(u"nodeId"_s).toString();
    s.listen = json.value(u"listen"_s).toString();
    s.algorithm = json.value(u"algorithm"_s).toString();
    s.peerCount = json.value(u"peerCount"_s).toInt();
    s.configuredPeers = json.value(u"configuredPeers"_s).toInt();
    for (const QJsonValue &peer : json.value(u"unresolvedPeers"_s).toArray())
        s.unresolvedPeers.append(peer.toString());
    const QJsonArray claims = json.value(u"claims"_s).toArray();
    for (const QJsonValue &c : claims)
        s.claims.append(c.toString());
    s.system = json.value(u"system"_s).toBool();
    s.lastFailover = json.value(u"lastFailover"_s).toObject();
    s.lastFailoverTime = static_cast<qint64>(s.lastFailover.value(u"time"_s).toDouble());
    s.rxBytes = static_cast<qint64>(json.value(u"rxBytes"_s).toDouble());
    s.txBytes = static_cast<qint64>(json.value(u"txBytes"_s).toDouble());
    return s;
}

} // namespace Nimbus
