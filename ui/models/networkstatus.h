#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Nimbus
{

/// The helper's view of one network (control-protocol.md "Network status").
struct NetworkStatus {
    QString name;
    /// "connecting", "connected", "degraded", "failover", "disconnected" or "error".
    QString state = QStringLiteral("disconnected");
    QString error;
    QString device;
    QString ip;
    QString nodeId;
    QString listen;
    QString algorithm;
    int peerCount = 0;
    int configuredPeers = 0;
    QStringList unresolvedPeers; ///< configured peers whose name does not resolve (yet)
    QStringList claims;
    bool system = false;
    /// The last route.failover of this network (FailoverEvent), empty if none.
    QJsonObject lastFailover;
    /// When it happened (Unix epoch ms), 0 if unknown.
    qint64 lastFailoverTime = 0;
    qint64 rxBytes = 0;
    qint64 txBytes = 0;

    bool isActive() const;
    static NetworkStatus fromJson(const QJsonObject &json);
    bool operator==(const NetworkStatus &other) const = default;
};

} // namespace Nimbus
