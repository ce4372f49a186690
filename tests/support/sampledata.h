#pragma once

#include <QJsonArray>
#include <QJsonObject>

namespace Nimbus::Test::Sample
{

/// A 32-hex-digit node id derived from `i`.
QString nodeId(int i);
/// "192.0.2.x:3210"-style public address of node `i`.
QString address(int i);
/// {"nodeId", "address"} of node `i`.
QJsonObject node(int i);
QJsonObject peer(const QString &network, int i, qint64 nowMs);
QJsonArray peers(const QString &network, int count, qint64 nowMs);
QJsonObject claim(const QString &network, const QString &range, int servedBy, const QList<int> &claimants, bool used);
QJsonObject networkStatus(const QString &name, const QString &state, int peerCount, int configuredPeers);
QJsonObject failover(const QString &network, const QString &range, int from, int to, qint64 unreachableMs);
/// A realistic events.subscribe snapshot: network "office" (connected, `peerCount` peers, two servers sharing
/// 10.0.0.1/32) and "lab" (degraded), with recent events.
QJsonObject snapshot(int peerCount, qint64 nowMs);

} // namespace Nimbus::Test::Sample
