#pragma once

#include <memory>

#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>

#include "ui/models/availabilitymodel.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"
#include "ui/profiles/nodelabels.h"

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
/// "server-a", "server-b", … "server-z", then "node-26", …: the name the helper knows node `i` by in named samples.
QString nodeName(int i);
/// node(i) with its name ("peer": a configured peer name resolved to its address).
QJsonObject namedNode(int i);
/// A route change as issue 15's helper sends it (named nodes; from/to -1 for nobody): kind, detection time, the old
/// node's last sign of life and how long traffic had no path (-1 unknown).
QJsonObject routeChange(const QString &network,
    const QString &range,
    int from,
    int to,
    const QString &kind,
    qint64 detectedAt,
    qint64 lastSeenAt,
    qint64 noPathMs);
/// snapshot() as a helper with names sends it: named peers and claimants, 10.0.0.1/32 claimed by three servers,
/// and route changes of the last hour with their kinds (a connect, a failover, a loss and a switchback).
QJsonObject namedSnapshot(int peerCount, qint64 nowMs);
/// A realistic events.subscribe snapshot: network "office" (connected, `peerCount` peers, two servers sharing
/// 10.0.0.1/32) and "lab" (degraded), with recent events.
QJsonObject snapshot(int peerCount, qint64 nowMs);

/// NodeNames with a NodeLabels store in a temporary settings file.
struct LabelledNames {
    LabelledNames();

    QTemporaryDir dir;
    QSettings settings;
    NodeLabels labels;
    NodeNames names;
};

/// The window's models (peers, claims, events, availability) naming nodes alike, fed with namedSnapshot(peerCount,
/// nowMs); the availability model's clock stands at `nowMs`.
struct LiveModels {
    LiveModels(int peerCount, qint64 nowMs);

    NodeNames names;
    PeerModel peers;
    ClaimModel claims;
    EventModel events;
    AvailabilityModel availability;
};

} // namespace Nimbus::Test::Sample
