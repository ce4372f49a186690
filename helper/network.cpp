#include "helper/network.h"

#include <algorithm>
#include <ctime>

#include <QFile>
#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QTimer>

#include "helper/clock.h"
#include "helper/datagramsocket.h"
#include "helper/engineconfig.h"
#include "helper/hookrunner.h"
#include "helper/networkreporter.h"
#include "helper/packetdevice.h"
#include "helper/peerresolver.h"

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcNetwork, "nimbus.helper.network", QtInfoMsg)

namespace Nimbus
{

namespace
{

constexpr TimeMs kStatsFileIntervalMs = 60'000;
/// CLOCK_BOOTTIME in milliseconds: keeps counting while the machine is suspended.
qint64 boottimeMs()
{
    timespec ts {};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

} // namespace

Network::Network(NetworkConfig config, bool system, NetworkIo io, std::unique_ptr<HookRunner> hooks)
    : m_config(std::move(config))
    , m_system(system)
    , m_device(std::move(io.device))
    , m_socket(std::move(io.socket))
    , m_hooks(std::move(hooks))
{
}

Network::~Network()
{
    close();
    // The hook runner, destroyed with the other members, gives hooks still running their grace time.
}

Result<std::unique_ptr<Network>> Network::create(NetworkConfig config,
    bool system,
    EventSink sink,
    EngineConfig engine,
    NetworkIo io,
    std::unique_ptr<HookRunner> hooks)
{
    std::unique_ptr<Network> network(new Network(std::move(config), system, std::move(io), std::move(hooks)));
    if (Result<Ok> started = network->start(std::move(engine), std::move(sink)); !started)
        return started.error();
    return network;
}

Result<Ok> Network::start(EngineConfig engine, EventSink sink)
{
    NodeConfig &node = engine.node;
    node.ownAddresses = ownAddresses();
    if (engine.statsd) {
        m_statsdName = engine.statsd->text;
        m_statsd = engine.statsd->literal;
    }

    const TimeMs now = MonotonicClock::now();
    m_engine = std::make_unique<MeshNode>(std::move(node), static_cast<NodeHost &>(*this), now);
    m_reporter = std::make_unique<NetworkReporter>(m_config, m_system, *m_engine, m_configuredPeers, std::move(sink));
    // Datagrams the engine produces while it handles a batch are queued and sent together (sendmmsg), device
    // packets merged (TCP segments); what a lone packet produces goes out at once (see sendBatchFor()).
    m_socket->setDatagramHandler([this](const QList<ReceivedDatagram> &datagrams) {
        const TimeMs t = MonotonicClock::now();
        const bool batch = sendBatchFor(datagrams.size());
        for (const ReceivedDatagram &datagram : datagrams)
            m_engine->handleDatagram(datagram.source, datagram.data, t);
        if (batch)
            endSendBatch();
        rearm();
    });
    m_socket->setIcmpErrorHandler([this](const IcmpError &error) {
        qCDebug(lcNetwork,
            "ICMP type %d code %d for %s from %s",
            error.type,
            error.code,
            qPrintable(error.target.toString()),
            qPrintable(error.offender.toString()));
        if (error.portUnreachable || error.hostUnreachable) {
            m_engine->handleUnreachable(error.target, MonotonicClock::now());
            rearm();
        }
    });
    m_device->setPacketHandler([this](const QList<QByteArray> &packets) {
        const TimeMs t = MonotonicClock::now();
        const bool batch = sendBatchFor(packets.size());
        for (const QByteArray &packet : packets)
            m_engine->handleDevicePacket(packet, t);
        if (batch)
            endSendBatch();
        rearm();
    });
    connect(m_socket.get(), &DatagramSocket::readFailed, this, &Network::failed);
    connect(m_device.get(), &PacketDevice::readFailed, this, &Network::failed);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &Network::onTimer);
    m_statsTimer = new QTimer(this);
    m_statsTimer->setInterval(1000);
    connect(m_statsTimer, &QTimer::timeout, this, [this] { m_reporter->publishStats(); });
    m_statsTimer->start();
    m_nextStatsFile = now + kStatsFileIntervalMs + 1000; // VpnCloud: first after about 61 s
    if (m_config.statsFile) {
        // Like VpnCloud, a stats file that cannot be written stops the start (later failures are only logged).
        QFile::remove(*m_config.statsFile);
        if (const QString error = m_reporter->writeStatsFile(); !error.isEmpty())
            return Error {u"bad-config"_s, u"stats-file: cannot write %1: %2"_s.arg(*m_config.statsFile, error)};
    }

    m_resolver = new PeerResolver(this);
    connect(m_resolver, &PeerResolver::resolved, this, &Network::onNameResolved);
    connect(m_resolver, &PeerResolver::failed, this, &Network::onNameFailed);
    for (const PeerName &name : std::as_const(engine.peers)) {
        const QList<SocketAddress> addresses
            = name.literal ? QList<SocketAddress> {*name.literal} : QList<SocketAddress> {};
        m_configuredPeers.insert(name.text, addresses);
        m_engine->addConfiguredPeer(name.text, addresses, now);
        if (!name.literal)
            m_resolver->add(name);
    }
    m_reporter->configuredPeersChanged();
    if (engine.statsd && !engine.statsd->literal)
        m_resolver->add(*engine.statsd);
    m_pauseDetector.check(MonotonicClock::now(), boottimeMs());
    m_hooks->run(u"vpn_started"_s);
    rearm();
    m_reporter->publishState();
    return Ok {};
}

void Network::close()
{
    if (m_closed)
        return;
    m_closed = true;
    if (m_engine) {
        qCInfo(lcNetwork, "Shutting down...");
        m_hooks->run(u"vpn_shutdown"_s);
        m_engine->close(MonotonicClock::now());
    }
    if (m_timer)
        m_timer->stop();
    m_timerDeadline = 0;
    if (m_statsTimer)
        m_statsTimer->stop();
    if (m_config.ifdown && m_device)
        m_hooks->run(u"ifdown"_s);
    if (m_device)
        m_device->close();
    if (m_socket)
        m_socket->close();
    if (m_reporter)
        m_reporter->closed();
}

Protocol::NetworkStatus Network::statusValue() const
{
    return m_reporter->status(deviceName(), m_socket ? m_socket->localAddress().toString() : QString());
}

QJsonObject Network::status() const
{
    return statusValue().toJson();
}

QJsonArray Network::peers() const
{
    return Protocol::listToJson(m_reporter->peers());
}

QJsonArray Network::claims() const
{
    return m_reporter->claims();
}

QJsonObject Network::stats() const
{
    return m_reporter->stats(m_sendErrors, m_deviceWriteErrors).toJson();
}

void Network::onEvent(const NodeEvent &event)
{
    runEventHooks(event);
    if (m_reporter)
        m_reporter->onEvent(event);
}

void Network::runEventHooks(const NodeEvent &event)
{
    if (const auto *connecting = std::get_if<PeerConnectingEvent>(&event)) {
        m_hooks->run(u"peer_connecting"_s, {{u"PEER"_s, connecting->address.toString()}});
    } else if (const auto *connected = std::get_if<PeerConnectedEvent>(&event)) {
        QStringList claims;
        for (const Range &range : connected->claims)
            claims.append(range.toString());
        m_hooks->run(u"peer_connected"_s,
            {{u"PEER"_s, connected->peer.address.toString()},
                {u"CLAIMS"_s, claims.join(u' ')},
                {u"NODE_ID"_s, nodeIdToHex(connected->peer.nodeId)}});
    } else if (const auto *disconnected = std::get_if<PeerDisconnectedEvent>(&event)) {
        if (disconnected->reason == DisconnectReason::Closed) {
            m_hooks->run(u"peer_disconnected"_s,
                {{u"PEER"_s, disconnected->peer.address.toString()},
                    {u"NODE_ID"_s, nodeIdToHex(disconnected->peer.nodeId)}});
        }
    } else if (const auto *failed = std::get_if<HandshakeFailedEvent>(&event)) {
        m_hooks->run(u"peer_disconnected"_s, {{u"PEER"_s, failed->address.toString()}}); // without NODE_ID (§9.9)
    }
}

void Network::rearm()
{
    if (m_closed)
        return;
    const TimeMs now = MonotonicClock::now();
    const TimeMs deadline = now + std::clamp<TimeMs>(m_engine->nextDeadline() - now, 0, 1000);
    // Called after every batch: a timer that fires no later than needed is kept (firing early only costs a
    // tick() that finds nothing to do), which spares restarting it - a timer unregistration, registration and
    // allocation - on nearly every packet. m_timerDeadline is 0 while the timer is not running (it is single-shot
    // and onTimer() clears it), so this asks nothing of the timer itself.
    if (m_timerDeadline != 0 && m_timerDeadline <= deadline)
        return;
    m_timerDeadline = deadline;
    m_timer->start(int(deadline - now));
}

QList<SocketAddress> Network::ownAddresses() const
{
    // Own addresses (spec §5.3.2): advertised ones, then this host's addresses with the listening port.
    QList<SocketAddress> result;
    const quint16 port = m_socket->localAddress().port();
    for (const QString &text : std::as_const(m_config.advertiseAddresses)) {
        if (std::optional<SocketAddress> address = SocketAddress::parse(text, port))
            result.append(*address);
    }
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        if (interface.name() == m_device->name())
            continue; // the VPN's own address is no way to reach this node
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isLinkLocal() || address.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            const SocketAddress own = SocketAddress(address, port).withV4Form(false);
            if (!result.contains(own) && result.size() < 6)
                result.append(own);
        }
    }
    return result;
}

void Network::localNetworkChanged(const QString &what)
{
    if (m_closed || !m_engine)
        return;
    qCInfo(lcNetwork, "Local network changed (%s): checking every peer from here", qPrintable(what));
    m_engine->setOwnAddresses(ownAddresses());
    m_engine->localNetworkChanged(MonotonicClock::now());
    m_reporter->localNetworkChanged(what);
    rearm();
}

void Network::checkPaused()
{
    const TimeMs mono = MonotonicClock::now();
    const std::optional<PauseDetector::Pause> pause = m_pauseDetector.check(mono, boottimeMs());
    if (!pause)
        return;
    const QString why = pause->suspended ? u"the machine slept for %1"_s.arg(formatMs(pause->pausedMs))
                                         : u"the helper was stopped for %1"_s.arg(formatMs(pause->pausedMs));
    qCInfo(lcNetwork, "Resumed: %s; checking every peer", qPrintable(why));
    m_engine->resumed(mono, pause->pausedMs);
    m_reporter->resumed(pause->pausedMs, why);
}

void Network::onTimer()
{
    m_timerDeadline = 0; // the single-shot timer is no longer running
    checkPaused(); // before the tick: time spent asleep or stopped must not count against the peers
    const TimeMs now = m_engine->tick(MonotonicClock::now());
    Q_UNUSED(now);
    if ((m_config.statsFile || m_statsd) && MonotonicClock::now() >= m_nextStatsFile) {
        m_nextStatsFile = MonotonicClock::now() + kStatsFileIntervalMs;
        m_reporter->writeStatsFile();
        if (m_statsd)
            (void)m_socket->send(*m_statsd, m_reporter->statsdPayload());
    }
    rearm();
}

void Network::sendDatagram(const SocketAddress &to, QByteArrayView datagram)
{
    if (m_sendBatchDepth > 0) {
        if (!m_socket->queue(to, datagram))
            ++m_sendErrors;
        return;
    }
    if (!m_socket->send(to, datagram))
        ++m_sendErrors;
}

void Network::beginSendBatch()
{
    ++m_sendBatchDepth;
}

bool Network::sendBatchFor(qsizetype packets)
{
    // A lone packet takes the shortest path: the engine's datagram goes out with one sendto() and its device
    // packet with one write, with no queue to fill, no TCP segments to look for and nothing to flush afterwards.
    if (packets <= 1)
        return false;
    beginSendBatch();
    return true;
}

void Network::endSendBatch()
{
    if (--m_sendBatchDepth > 0)
        return;
    m_sendErrors += quint64(m_socket->flush());
    if (m_device)
        m_deviceWriteErrors += quint64(m_device->flushWrites());
}

void Network::writeToDevice(QByteArrayView packet)
{
    // Inside a batch, packets are queued: the device merges TCP segments of one flow into one write.
    const Result<Ok> written = m_sendBatchDepth > 0 ? m_device->queueWrite(packet) : m_device->write(packet);
    if (!written)
        ++m_deviceWriteErrors;
}

void Network::onNameResolved(const QString &text, const QList<SocketAddress> &addresses)
{
    QStringList shown;
    for (const SocketAddress &address : addresses)
        shown.append(address.toString());
    if (text == m_statsdName) {
        m_statsd = addresses.first();
        qCInfo(lcNetwork, "Resolved statsd server %s to %s", qPrintable(text), qPrintable(shown.join(u", ")));
    }
    const auto it = m_configuredPeers.find(text);
    if (it == m_configuredPeers.end())
        return;
    qCInfo(lcNetwork, "Resolved peer %s to %s", qPrintable(text), qPrintable(shown.join(u", ")));
    *it = addresses;
    m_reporter->configuredPeersChanged(); // before the engine's events about the new addresses
    m_engine->updateConfiguredPeer(text, addresses, MonotonicClock::now());
    rearm();
    m_reporter->publishState();
}

void Network::onNameFailed(const QString &text, const QString &error, int retryMs)
{
    const bool peer = m_configuredPeers.contains(text);
    qCWarning(lcNetwork,
        "Cannot resolve %s %s: %s; trying again in %s",
        peer ? "peer" : "statsd server",
        qPrintable(text),
        qPrintable(error),
        qPrintable(formatMs(retryMs)));
}

QString Network::deviceName() const
{
    return m_device ? m_device->name() : QString();
}

} // namespace Nimbus
