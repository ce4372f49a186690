#pragma once

#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include "core/config/config.h"
#include "core/node/meshnode.h"
#include "core/node/pausedetector.h"
#include "core/protocol/result.h"

class QProcess;
class QTimer;

namespace Nimbus
{

class NetlinkMonitor;
class PeerResolver;
class TunDevice;
class UdpSocket;

/// One running VPN network: a MeshNode driven by a UDP socket, a TUN/TAP device and one timer on the Qt event
/// loop. It turns engine events into control-protocol events and VpnCloud-style log lines, runs hooks, and
/// writes the stats file.
class Network final : public QObject, private NodeHost
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Network)

public:
    /// Receives control-protocol events (`peer.connected`, `route.failover`, ...) with their data objects.
    using EventSink = std::function<void(const QString &event, const QJsonObject &data)>;

    /// Opens the socket and the device, configures the device and starts the node; the secret in \a config is
    /// used for the identity and then dropped. \a system: the helper was started with this network (network mode).
    static Result<std::unique_ptr<Network>> start(NetworkConfig config, bool system, EventSink sink);
    ~Network() override;

    /// Orderly stop (spec §6.9): hook vpn_shutdown, CLOSE to every peer, ifdown, close the device. Idempotent.
    void close();

    QString name() const { return m_config.name; }
    bool isSystem() const { return m_system; }
    QString deviceName() const;
    QJsonObject status() const;
    QJsonArray peers() const;
    QJsonArray claims() const;
    QJsonObject stats() const;
    const MeshNode &engine() const { return *m_engine; }

Q_SIGNALS:
    /// The socket or the device failed for good; the network is unusable and should be closed.
    void failed(const QString &message);

private:
    Network(NetworkConfig config, bool system, EventSink sink);
    Result<Ok> open(Identity identity);

    void sendDatagram(const SocketAddress &to, QByteArrayView datagram) override;
    /// Between these, sendDatagram() and writeToDevice() queue and the end flushes both queues: datagrams with
    /// sendmmsg(), device packets with TCP segments merged (nestable).
    void beginSendBatch();
    void endSendBatch();
    void writeToDevice(QByteArrayView packet) override;
    void onEvent(const NodeEvent &event) override;

    void onNameResolved(const QString &text, const QList<SocketAddress> &addresses);
    void onNameFailed(const QString &text, const QString &error, int retryMs);
    void rearm();
    void onTimer();
    /// Our addresses, routes or links changed: renew the sessions from where we are now.
    void onLocalNetworkChanged(const QString &what);
    /// Tells the engine if the machine slept or the process was stopped since the last call.
    void checkPaused();
    /// The addresses peers can reach us at (spec §5.3.2): advertised ones, then this host's, with our port.
    QList<SocketAddress> ownAddresses() const;
    void publishStats();
    void publishState();
    QString computeState() const;
    /// Writes the stats file (spec §10.2); the error, or empty. A failure is logged once until a write succeeds.
    QString writeStatsFile();
    void sendStatsd();
    void runHook(const QString &event, const QHash<QString, QString> &vars) const;
    QJsonObject nodeRef(const std::optional<NodeRef> &ref) const;
    QJsonObject peerJson(const PeerInfo &peer) const;
    QJsonArray claimsJson() const;
    QJsonObject claimJson(const ClaimInfo &claim) const;

    NetworkConfig m_config;
    bool m_system;
    EventSink m_sink;
    std::unique_ptr<MeshNode> m_engine;
    UdpSocket *m_socket = nullptr;
    TunDevice *m_device = nullptr;
    QTimer *m_timer = nullptr;
    TimeMs m_timerDeadline = 0; ///< when m_timer fires, while it is active
    QTimer *m_statsTimer = nullptr;
    PeerResolver *m_resolver = nullptr;
    QHash<QString, QList<SocketAddress>> m_configuredPeers; ///< as configured -> resolved (empty: not yet)
    QString m_statsdName;
    QSet<QByteArray> m_lostRoutes; ///< remote-claimed addresses with no live claimant right now
    struct CachedClaim {
        ClaimInfo info;
        QJsonObject json;
    };
    /// The last claims list's entries by range (address + prefix length byte), reused by claimsJson().
    mutable QHash<QByteArray, CachedClaim> m_claimsCache;
    /// Wall time minus engine time, as used for the cached entries.
    mutable qint64 m_claimsCacheOffset = 0;
    QJsonObject m_lastFailover;
    QString m_lastState;
    quint64 m_deviceWriteErrors = 0;
    quint64 m_sendErrors = 0;
    int m_sendBatchDepth = 0;
    TimeMs m_nextStatsFile = 0;
    bool m_statsFileFailing = false;
    mutable QSet<QProcess *> m_hooks; ///< hook processes still running (runHook is const: it changes no state)
    NetlinkMonitor *m_netMonitor = nullptr;
    /// The engine timer fires at least once a second: a longer gap means a pause (sleep, SIGSTOP, a frozen VM).
    PauseDetector m_pauseDetector;
    std::optional<SocketAddress> m_statsd;
    NodeCounters m_statsdLast;
    bool m_closed = false;
};

/// Maps the configuration's algorithm list to what the engine advertises (never AES-128, AES-256 only with
/// hardware support); empty = Nimbus' defaults.
AlgorithmList advertisedAlgorithms(const QList<Algorithm> &configured);

} // namespace Nimbus
