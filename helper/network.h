#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include "core/config/config.h"
#include "core/node/meshnode.h"
#include "core/node/pausedetector.h"
#include "core/protocol/result.h"
#include "core/protocol/types.h"

class QTimer;

namespace Nimbus
{

class DatagramSocket;
class HookRunner;
class NetworkReporter;
class PacketDevice;
class PeerResolver;
struct EngineConfig;

/// The opened and configured device and bound socket of one network (NetworkSetup makes them).
struct NetworkIo {
    std::unique_ptr<PacketDevice> device;
    std::unique_ptr<DatagramSocket> socket;
};

/// One running VPN network: drives a MeshNode with a datagram socket, a packet device and one timer on the Qt
/// event loop. What it reports (control-protocol JSON, log lines, stats file, statsd) is NetworkReporter's job,
/// its hook scripts HookRunner's, and opening the device and the socket NetworkSetup's (startNetwork()).
class Network final : public QObject, private NodeHost
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Network)

public:
    /// Receives control-protocol events (`peer.connected`, `route.failover`, ...) with their data objects.
    using EventSink = std::function<void(const QString &event, const QJsonObject &data)>;

    /// Starts the engine of \a config (translated into \a engine) on \a io, whose device and socket must be open,
    /// and runs the hook vpn_started. \a system: the helper was started with this network (network mode).
    /// Fails (and closes what it was given) if the stats file cannot be written.
    static Result<std::unique_ptr<Network>> create(NetworkConfig config,
        bool system,
        EventSink sink,
        EngineConfig engine,
        NetworkIo io,
        std::unique_ptr<HookRunner> hooks);
    ~Network() override;

    /// Orderly stop (spec §6.9): hook vpn_shutdown, CLOSE to every peer, ifdown, close the device. Idempotent.
    void close();
    /// Our addresses, routes or links changed: renew the sessions from where we are now.
    void localNetworkChanged(const QString &what);

    QString name() const { return m_config.name; }
    bool isSystem() const { return m_system; }
    QString deviceName() const;
    /// The `status` entry of this network (without `owner`, which only the helper service knows).
    Protocol::NetworkStatus statusValue() const;
    QJsonObject status() const;
    QJsonArray peers() const;
    QJsonArray claims() const;
    QJsonObject stats() const;
    const MeshNode &engine() const { return *m_engine; }

Q_SIGNALS:
    /// The socket or the device failed for good; the network is unusable and should be closed.
    void failed(const QString &message);

private:
    Network(NetworkConfig config, bool system, NetworkIo io, std::unique_ptr<HookRunner> hooks);
    Result<Ok> start(EngineConfig engine, EventSink sink);

    void sendDatagram(const SocketAddress &to, QByteArrayView datagram) override;
    /// Between these, sendDatagram() and writeToDevice() queue and the end flushes both queues: datagrams with
    /// sendmmsg(), device packets with TCP segments merged (nestable).
    void beginSendBatch();
    void endSendBatch();
    /// Calls beginSendBatch() and returns true if the engine is about to handle more than one packet; a lone
    /// packet's output goes out at once (the shortest path: fewer copies and system calls, no flush).
    bool sendBatchFor(qsizetype packets);
    void writeToDevice(QByteArrayView packet) override;
    void onEvent(const NodeEvent &event) override;
    /// The hooks an engine event starts (spec §9.9).
    void runEventHooks(const NodeEvent &event);

    void onNameResolved(const QString &text, const QList<SocketAddress> &addresses);
    void onNameFailed(const QString &text, const QString &error, int retryMs);
    void rearm();
    void onTimer();
    /// Tells the engine if the machine slept or the process was stopped since the last call.
    void checkPaused();
    /// The addresses peers can reach us at (spec §5.3.2): advertised ones, then this host's, with our port.
    QList<SocketAddress> ownAddresses() const;

    NetworkConfig m_config;
    bool m_system;
    std::unique_ptr<PacketDevice> m_device;
    std::unique_ptr<DatagramSocket> m_socket;
    std::unique_ptr<HookRunner> m_hooks;
    std::unique_ptr<MeshNode> m_engine;
    std::unique_ptr<NetworkReporter> m_reporter;
    QTimer *m_timer = nullptr;
    TimeMs m_timerDeadline = 0; ///< when m_timer fires, while it is active; 0 while it is not
    QTimer *m_statsTimer = nullptr;
    PeerResolver *m_resolver = nullptr;
    QHash<QString, QList<SocketAddress>> m_configuredPeers; ///< as configured -> resolved (empty: not yet)
    QString m_statsdName;
    std::optional<SocketAddress> m_statsd;
    quint64 m_deviceWriteErrors = 0;
    quint64 m_sendErrors = 0;
    int m_sendBatchDepth = 0;
    TimeMs m_nextStatsFile = 0;
    /// The engine timer fires at least once a second: a longer gap means a pause (sleep, SIGSTOP, a frozen VM).
    PauseDetector m_pauseDetector;
    bool m_closed = false;
};

} // namespace Nimbus
