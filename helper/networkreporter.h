#pragma once

#include <functional>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include "core/node/meshnode.h"
#include "core/protocol/events.h"
#include "core/protocol/types.h"
#include "helper/nodenames.h"

namespace Nimbus
{

struct NetworkConfig;

/// A duration for log lines: `850 ms` below 10 s, `12.5 s` from there.
QString formatMs(qint64 ms);

/// What one network tells the world, apart from its hooks: the control protocol's JSON (status, peers, claims with
/// a cache of unchanged entries, stats, events with their data), VpnCloud-style log lines for engine events, the
/// stats file (spec §10.2) and the statsd payload (spec §10.3). Reads the engine, never drives it. Every JSON object
/// is built as its protocol value type (core/protocol/types.h, events.h) and written by its toJson(), so the helper
/// writes the wire of docs/control-protocol.md exactly as the clients read it.
class NetworkReporter final
{
    Q_DISABLE_COPY_MOVE(NetworkReporter)

public:
    /// Receives control-protocol events (`peer.connected`, `route.failover`, ...) with their data objects.
    using EventSink = std::function<void(const QString &event, const QJsonObject &data)>;
    /// Configured peer (as configured) -> its addresses (empty: not resolved yet).
    using ConfiguredPeers = QHash<QString, QList<SocketAddress>>;

    /// \a config, \a engine and \a configuredPeers belong to the network and outlive the reporter. Nodes are named
    /// after the configured peers and, failing that, the hosts file \a hostsFile (NodeNames).
    NetworkReporter(const NetworkConfig &config,
        bool system,
        const MeshNode &engine,
        const ConfiguredPeers &configuredPeers,
        EventSink sink,
        const QString &hostsFile = QStringLiteral("/etc/hosts"));
    ~NetworkReporter();

    QString name() const;

    /// Logs \a event and publishes its control-protocol event(s), then the network state if it changed.
    void onEvent(const NodeEvent &event);
    /// A configured peer resolved to other addresses: the nodes' names follow.
    void configuredPeersChanged();
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
    Protocol::NetworkStatus status(const QString &device, const QString &listen) const;
    QList<Protocol::Peer> peers() const;
    /// The claims list as JSON: unchanged entries reuse the JSON of the last list (see m_claimsCache).
    QJsonArray claims() const;
    Protocol::Stats stats(quint64 sendErrors, quint64 deviceWriteErrors) const;

    /// Writes the stats file if one is configured; the error, or empty. A failure is logged once until a write
    /// succeeds.
    QString writeStatsFile();
    /// The statsd datagram with the counters since the last call.
    QByteArray statsdPayload();

private:
    /// Picks up changed names (configured peers, the hosts file); drops cached claim JSON if any changed.
    void refreshNames() const;
    Protocol::NodeRef nodeValue(const NodeRef &ref) const;
    std::optional<Protocol::NodeRef> nodeValue(const std::optional<NodeRef> &ref) const;
    /// The name of \a ref for log lines: "name (address)", or the address.
    QString logName(const NodeRef &ref) const;
    Protocol::FailoverEvent failoverValue(const RouteChangedEvent &route) const;
    Protocol::Peer peerValue(const PeerInfo &peer) const;
    /// \a claim with its claimants' times made wall times with m_claimsCacheOffset.
    Protocol::Claim claimValue(const ClaimInfo &claim) const;
    /// Sends \a payload (its `network` already set) as event \a type.
    template<typename Payload>
    void publish(Protocol::EventType type, const Payload &payload) const;
    void publishNetworkState(const QString &state) const;
    void publishClaims() const;

    const NetworkConfig &m_config;
    bool m_system;
    const MeshNode &m_engine;
    const ConfiguredPeers &m_configuredPeers;
    EventSink m_sink;
    mutable NodeNames m_names;
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
    std::optional<Protocol::FailoverEvent> m_lastFailover;
    QString m_lastState;
    bool m_statsFileFailing = false;
    NodeCounters m_statsdLast;
};

} // namespace Nimbus
