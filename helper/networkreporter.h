#pragma once

#include <functional>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include "core/node/meshnode.h"

namespace Nimbus
{

struct NetworkConfig;

/// A duration for log lines: `850 ms` below 10 s, `12.5 s` from there.
QString formatMs(qint64 ms);

/// What one network tells the world, apart from its hooks: the control protocol's JSON (status, peers, claims with
/// a cache of unchanged entries, stats, events with their data), VpnCloud-style log lines for engine events, the
/// stats file (spec §10.2) and the statsd payload (spec §10.3). Reads the engine, never drives it. The wire format
/// of every JSON object is docs/control-protocol.md's.
class NetworkReporter final
{
    Q_DISABLE_COPY_MOVE(NetworkReporter)

public:
    /// Receives control-protocol events (`peer.connected`, `route.failover`, ...) with their data objects.
    using EventSink = std::function<void(const QString &event, const QJsonObject &data)>;
    /// Configured peer (as configured) -> its addresses (empty: not resolved yet).
    using ConfiguredPeers = QHash<QString, QList<SocketAddress>>;

    /// \a config, \a engine and \a configuredPeers belong to the network and outlive the reporter.
    NetworkReporter(const NetworkConfig &config,
        bool system,
        const MeshNode &engine,
        const ConfiguredPeers &configuredPeers,
        EventSink sink);
    ~NetworkReporter();

    QString name() const;

    /// Logs \a event and publishes its control-protocol event(s), then the network state if it changed.
    void onEvent(const NodeEvent &event);
    /// Publishes `network.changed`.
    void localNetworkChanged(const QString &what);
    /// Publishes `network.resumed`.
    void resumed(qint64 pausedMs, const QString &what);
    /// The network is closed: the state becomes "disconnected" and is published whether it changed or not.
    void closed();
    /// Publishes `network.state` if the state changed since the last call.
    void publishState();
    /// Publishes the state (if changed) and the `stats` event (once a second).
    void publishStats();

    /// connecting, connected, degraded, failover or disconnected.
    QString state() const;
    QJsonObject status(const QString &device, const QString &listen) const;
    QJsonArray peers() const;
    QJsonArray claims() const;
    QJsonObject stats(quint64 sendErrors, quint64 deviceWriteErrors) const;

    /// Writes the stats file if one is configured; the error, or empty. A failure is logged once until a write
    /// succeeds.
    QString writeStatsFile();
    /// The statsd datagram with the counters since the last call.
    QByteArray statsdPayload();

private:
    QJsonObject nodeRef(const std::optional<NodeRef> &ref) const;
    QJsonObject peerJson(const PeerInfo &peer) const;
    QJsonObject claimJson(const ClaimInfo &claim) const;
    void publish(const QString &event, const QJsonObject &data) const;

    const NetworkConfig &m_config;
    bool m_system;
    const MeshNode &m_engine;
    const ConfiguredPeers &m_configuredPeers;
    EventSink m_sink;
    bool m_closed = false;
    QSet<QByteArray> m_lostRoutes; ///< remote-claimed addresses with no live claimant right now
    struct CachedClaim {
        ClaimInfo info;
        QJsonObject json;
    };
    /// The last claims list's entries by range (address + prefix length byte), reused by claims().
    mutable QHash<QByteArray, CachedClaim> m_claimsCache;
    /// Wall time minus engine time, as used for the cached entries.
    mutable qint64 m_claimsCacheOffset = 0;
    QJsonObject m_lastFailover;
    QString m_lastState;
    bool m_statsFileFailing = false;
    NodeCounters m_statsdLast;
};

} // namespace Nimbus
