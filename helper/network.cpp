#include "helper/network.h"

#include <cstdlib>
#include <ctime>

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QNetworkInterface>
#include <QProcess>
#include <QSaveFile>
#include <QTimer>

#include "core/crypto/identity.h"
#include "helper/clock.h"
#include "helper/peerresolver.h"
#include "helper/platform/linux/netlinkmonitor.h"
#include "helper/platform/linux/tundevice.h"
#include "helper/platform/linux/udpsocket.h"

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcNetwork, "nimbus.helper.network", QtInfoMsg)

namespace Nimbus
{

namespace
{

constexpr TimeMs kStatsFileIntervalMs = 60'000;
/// How long the helper waits at shutdown for hooks still running.
constexpr int kHookGraceMs = 2000;
/// CLOCK_BOOTTIME in milliseconds: keeps counting while the machine is suspended.
qint64 boottimeMs()
{
    timespec ts {};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}
/// How far the wall clock may move against the monotonic one before cached claim JSON (its "since" times) is
/// rebuilt.
constexpr qint64 kWallOffsetToleranceMs = 100;

Mode toMode(NodeMode mode)
{
    switch (mode) {
    case NodeMode::Normal:
        return Mode::Normal;
    case NodeMode::Router:
        return Mode::Router;
    case NodeMode::Switch:
        return Mode::Switch;
    case NodeMode::Hub:
        return Mode::Hub;
    }
    return Mode::Normal;
}

QString formatMs(qint64 ms)
{
    return ms < 10'000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

AlgorithmList advertisedAlgorithms(const QList<Algorithm> &configured)
{
    if (configured.isEmpty())
        return NodeConfig::defaultAlgorithms();
    AlgorithmList list;
    for (Algorithm algorithm : configured) {
        switch (algorithm) {
        case Algorithm::Plain:
            list.allowPlain = true;
            break;
        case Algorithm::Aes128Gcm:
            break; // never advertised: libsodium has no AES-128-GCM (spec §3.6)
        case Algorithm::Aes256Gcm:
            if (algorithmAvailable(Algorithm::Aes256Gcm))
                list.algorithms.append({algorithm, 2000.0f});
            break;
        case Algorithm::Chacha20Poly1305:
            list.algorithms.append({algorithm, 1500.0f});
            break;
        }
    }
    // Ascending ids, as VpnCloud advertises them (spec §3.6).
    std::sort(list.algorithms.begin(), list.algorithms.end(), [](const AlgorithmSpeed &a, const AlgorithmSpeed &b) {
        return quint8(a.algorithm) < quint8(b.algorithm);
    });
    return list;
}

Network::Network(NetworkConfig config, bool system, EventSink sink)
    : m_config(std::move(config)), m_system(system), m_sink(std::move(sink))
{
}

Network::~Network()
{
    close();
    // Hooks are not awaited (spec §9.9), but the helper must not exit from under them with their QProcess objects
    // alive: give the ones still running (typically vpn_shutdown) a moment, then stop them.
    for (QProcess *process : std::as_const(m_hooks)) {
        process->disconnect();
        if (process->state() != QProcess::NotRunning && !process->waitForFinished(kHookGraceMs))
            qCWarning(lcNetwork, "Hook still running %d ms after shutdown: stopping it", kHookGraceMs);
        delete process;
    }
}

Result<std::unique_ptr<Network>> Network::start(NetworkConfig config, bool system, EventSink sink)
{
    if (Result<Ok> valid = validateForRun(config); !valid)
        return valid.error();
    std::optional<Identity> identity;
    if (config.privateKey) {
        Result<QByteArray> seed = decodeKey32(*config.privateKey);
        if (!seed)
            return Error {u"bad-key"_s, u"crypto.private-key: %1"_s.arg(seed.error().message)};
        Result<Identity> fromSeed = Identity::fromSeed(*seed);
        if (!fromSeed)
            return fromSeed.error();
        identity = std::move(fromSeed).value();
    } else {
        identity = Identity::fromPassword(*config.password);
    }
    // The secret is not needed any more: keep it out of memory dumps of the config.
    config.password.reset();
    config.privateKey.reset();
    std::unique_ptr<Network> network(new Network(std::move(config), system, std::move(sink)));
    if (Result<Ok> opened = network->open(std::move(*identity)); !opened)
        return opened.error();
    return network;
}

Result<Ok> Network::open(Identity identity)
{
    NodeConfig node(std::move(identity));
    for (const QString &key : std::as_const(m_config.trustedKeys)) {
        Result<QByteArray> decoded = decodeKey32(key);
        if (!decoded)
            return Error {u"bad-key"_s, u"crypto.trusted-keys: invalid key \"%1\""_s.arg(key)};
        node.trustedKeys.append(*decoded);
    }
    node.algorithms = advertisedAlgorithms(m_config.algorithms);
    if (node.algorithms.algorithms.isEmpty() && !node.algorithms.allowPlain)
        return Error {u"bad-config"_s, u"crypto.algorithms: none of the configured algorithms is available here"_s};
    for (const QString &claim : std::as_const(m_config.claims)) {
        const std::optional<Range> range = Range::parse(claim);
        if (!range)
            return Error {u"bad-config"_s, u"claims: invalid range \"%1\""_s.arg(claim)};
        node.claims.append(*range);
    }
    node.peerTimeoutSecs = m_config.peerTimeout;
    node.keepaliveSecs = m_config.keepalive;
    node.switchTimeoutSecs = m_config.switchTimeout;
    node.mode = toMode(m_config.mode);
    node.deviceType = m_config.deviceType;
    node.balance = m_config.balance;
    node.fastFailover = m_config.fastFailover;

    // Names are looked up after the start, without blocking (PeerResolver); only their syntax is checked here.
    QList<PeerName> configured;
    for (const QString &peer : std::as_const(m_config.peers)) {
        Result<PeerName> name = PeerName::parse(peer);
        if (!name)
            return name.error();
        configured.append(*name);
    }
    std::optional<PeerName> statsd;
    if (m_config.statsdServer) {
        Result<PeerName> name = PeerName::parse(*m_config.statsdServer);
        if (!name)
            return Error {u"bad-config"_s, u"statsd.server: %1"_s.arg(name.error().message)};
        statsd = *name;
        m_statsdName = name->text;
        m_statsd = name->literal;
    }

    m_socket = new UdpSocket(this);
    if (Result<Ok> bound = m_socket->bind(m_config.listen); !bound)
        return Error {u"NETWORK_FAILED"_s, u"cannot listen on %1: %2"_s.arg(m_config.listen, bound.error().message)};
    (void)m_socket->setReceiveBufferSize(4 << 20);
    (void)m_socket->setSendBufferSize(4 << 20);

    m_device = new TunDevice(this);
    if (!m_config.deviceName.contains(u'%')) {
        // A persistent device of that name left behind by a crash would make the open fail.
        if (Result<bool> removed = removeStaleDevice(m_config.deviceName); removed && *removed)
            qCInfo(lcNetwork, "Removed the stale device %s", qPrintable(m_config.deviceName));
    }
    Result<QString> name = m_device->open(m_config.deviceType, m_config.deviceName, m_config.devicePath);
    if (!name)
        return Error {u"NETWORK_FAILED"_s, name.error().message};
    qCInfo(lcNetwork, "Opened device %s", qPrintable(*name));
    runHook(u"device_setup"_s, {});
    const int mtu = tunMtu(m_config.deviceType);
    qCInfo(lcNetwork, "Setting MTU %d on device %s", mtu, qPrintable(*name));
    if (Result<Ok> set = m_device->setMtu(mtu); !set)
        qCWarning(lcNetwork, "%s", qPrintable(set.error().message));
    if (m_config.ip) {
        const QStringList parts = m_config.ip->split(u'/');
        const QHostAddress address(parts.value(0));
        bool ok = true;
        const int prefix = parts.size() > 1 ? parts[1].toInt(&ok) : 24;
        if (address.protocol() != QAbstractSocket::IPv4Protocol || !ok || prefix < 0 || prefix > 32)
            return Error {u"bad-config"_s, u"ip: invalid address \"%1\" (expected A.B.C.D[/len])"_s.arg(*m_config.ip)};
        qCInfo(lcNetwork, "Configuring device with ip %s/%d", qPrintable(address.toString()), prefix);
        if (Result<Ok> configuredIp = m_device->configureIpv4(address, prefix); !configuredIp)
            return Error {u"NETWORK_FAILED"_s, configuredIp.error().message};
    } else {
        (void)m_device->setUp(true);
    }
    if (m_config.ifup)
        runHook(u"ifup"_s, {});
    runHook(u"device_configured"_s, {});
    if (m_config.autoClaim && m_config.deviceType == DeviceType::Tun) {
        if (Result<QHostAddress> address = m_device->ipv4Address(); address && !address->isNull()) {
            const std::optional<Range> claim = Range::parse(QString(address->toString() + u"/32"_s));
            if (claim && !node.claims.contains(*claim)) {
                qCInfo(lcNetwork, "Auto-claiming %s due to interface address", qPrintable(claim->toDisplayString()));
                node.claims.append(*claim);
            }
        }
    }

    node.ownAddresses = ownAddresses();

    const TimeMs now = MonotonicClock::now();
    m_engine = std::make_unique<MeshNode>(std::move(node), static_cast<NodeHost &>(*this), now);
    // Datagrams the engine produces while it handles one batch are queued and sent together (sendmmsg).
    m_socket->setDatagramHandler([this](const QList<ReceivedDatagram> &datagrams) {
        const TimeMs t = MonotonicClock::now();
        beginSendBatch();
        for (const ReceivedDatagram &datagram : datagrams)
            m_engine->handleDatagram(datagram.source, datagram.data, t);
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
        beginSendBatch();
        for (const QByteArray &packet : packets)
            m_engine->handleDevicePacket(packet, t);
        endSendBatch();
        rearm();
    });
    connect(m_socket, &UdpSocket::readFailed, this, &Network::failed);
    connect(m_device, &TunDevice::readFailed, this, &Network::failed);

    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &Network::onTimer);
    m_statsTimer = new QTimer(this);
    m_statsTimer->setInterval(1000);
    connect(m_statsTimer, &QTimer::timeout, this, &Network::publishStats);
    m_statsTimer->start();
    m_nextStatsFile = now + kStatsFileIntervalMs + 1000; // VpnCloud: first after about 61 s
    if (m_config.statsFile) {
        // Like VpnCloud, a stats file that cannot be written stops the start (later failures are only logged).
        QFile::remove(*m_config.statsFile);
        if (const QString error = writeStatsFile(); !error.isEmpty())
            return Error {u"bad-config"_s, u"stats-file: cannot write %1: %2"_s.arg(*m_config.statsFile, error)};
    }

    m_resolver = new PeerResolver(this);
    connect(m_resolver, &PeerResolver::resolved, this, &Network::onNameResolved);
    connect(m_resolver, &PeerResolver::failed, this, &Network::onNameFailed);
    for (const PeerName &name : std::as_const(configured)) {
        const QList<SocketAddress> addresses
            = name.literal ? QList<SocketAddress> {*name.literal} : QList<SocketAddress> {};
        m_configuredPeers.insert(name.text, addresses);
        m_engine->addConfiguredPeer(name.text, addresses, now);
        if (!name.literal)
            m_resolver->add(name);
    }
    if (statsd && !statsd->literal)
        m_resolver->add(*statsd);
    // A laptop that changes networks renews its sessions at once (docs/failover.md, "Roaming").
    m_netMonitor = new NetlinkMonitor(this);
    if (Result<Ok> watching = m_netMonitor->start(m_device->name()); !watching)
        qCWarning(lcNetwork, "Not watching for network changes: %s", qPrintable(watching.error().message));
    connect(m_netMonitor, &NetlinkMonitor::changed, this, &Network::onLocalNetworkChanged);
    m_pauseDetector.check(MonotonicClock::now(), boottimeMs());
    runHook(u"vpn_started"_s, {});
    rearm();
    publishState();
    return Ok {};
}

void Network::close()
{
    if (m_closed)
        return;
    m_closed = true;
    if (m_engine) {
        qCInfo(lcNetwork, "Shutting down...");
        runHook(u"vpn_shutdown"_s, {});
        m_engine->close(MonotonicClock::now());
    }
    if (m_timer)
        m_timer->stop();
    if (m_statsTimer)
        m_statsTimer->stop();
    if (m_config.ifdown && m_device)
        runHook(u"ifdown"_s, {});
    if (m_device)
        m_device->close();
    if (m_socket)
        m_socket->close();
    if (m_sink)
        m_sink(u"network.state"_s, QJsonObject {{u"network"_s, name()}, {u"state"_s, u"disconnected"_s}});
}

QString Network::deviceName() const
{
    return m_device ? m_device->name() : QString();
}

void Network::rearm()
{
    if (m_closed)
        return;
    const TimeMs now = MonotonicClock::now();
    const TimeMs deadline = now + std::clamp<TimeMs>(m_engine->nextDeadline() - now, 0, 1000);
    // Called after every batch: a timer that fires no later than needed is kept (firing early only costs a
    // tick() that finds nothing to do), which spares restarting it - a timer unregistration, registration and
    // allocation - on nearly every packet.
    if (m_timer->isActive() && m_timerDeadline <= deadline)
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

void Network::onLocalNetworkChanged(const QString &what)
{
    if (m_closed || !m_engine)
        return;
    qCInfo(lcNetwork, "Local network changed (%s): checking every peer from here", qPrintable(what));
    m_engine->setOwnAddresses(ownAddresses());
    m_engine->localNetworkChanged(MonotonicClock::now());
    if (m_sink) {
        m_sink(u"network.changed"_s,
            QJsonObject {{u"network"_s, name()}, {u"what"_s, what}, {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    }
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
    if (m_sink) {
        m_sink(u"network.resumed"_s,
            QJsonObject {{u"network"_s, name()},
                {u"pausedMs"_s, pause->pausedMs},
                {u"what"_s, why},
                {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    }
}

void Network::onTimer()
{
    checkPaused(); // before the tick: time spent asleep or stopped must not count against the peers
    const TimeMs now = m_engine->tick(MonotonicClock::now());
    Q_UNUSED(now);
    if ((m_config.statsFile || m_statsd) && MonotonicClock::now() >= m_nextStatsFile) {
        m_nextStatsFile = MonotonicClock::now() + kStatsFileIntervalMs;
        writeStatsFile();
        sendStatsd();
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

QJsonObject Network::nodeRef(const std::optional<NodeRef> &ref) const
{
    if (!ref)
        return {};
    return QJsonObject {{u"nodeId"_s, nodeIdToHex(ref->nodeId)}, {u"address"_s, ref->address.toString()}};
}

QJsonObject Network::peerJson(const PeerInfo &peer) const
{
    QJsonArray claims;
    for (const Range &range : peer.claims)
        claims.append(range.toDisplayString());
    return QJsonObject {
        {u"network"_s, name()},
        {u"address"_s, peer.address.toString()},
        {u"nodeId"_s, nodeIdToHex(peer.nodeId)},
        {u"claims"_s, claims},
        {u"connectedSince"_s, MonotonicClock::toWallMs(peer.connectedSince)},
        {u"lastSeen"_s, MonotonicClock::toWallMs(peer.lastReceived)},
        {u"algorithm"_s, algorithmName(peer.algorithm)},
        {u"rxBytes"_s, qint64(peer.rxBytes)},
        {u"txBytes"_s, qint64(peer.txBytes)},
        {u"rxPackets"_s, qint64(peer.rxPackets)},
        {u"txPackets"_s, qint64(peer.txPackets)},
        {u"initiator"_s, peer.initiator},
        {u"suspect"_s, peer.suspect},
    };
}

void Network::onEvent(const NodeEvent &event)
{
    const auto publish = [this](const QString &name, QJsonObject data) {
        data.insert(u"network"_s, this->name());
        if (m_sink)
            m_sink(name, data);
    };
    if (const auto *connecting = std::get_if<PeerConnectingEvent>(&event)) {
        runHook(u"peer_connecting"_s, {{u"PEER"_s, connecting->address.toString()}});
    } else if (const auto *connected = std::get_if<PeerConnectedEvent>(&event)) {
        qCInfo(lcNetwork, "Added peer %s", qPrintable(connected->peer.address.toString()));
        QStringList claims;
        for (const Range &range : connected->claims)
            claims.append(range.toString());
        runHook(u"peer_connected"_s,
            {{u"PEER"_s, connected->peer.address.toString()},
                {u"CLAIMS"_s, claims.join(u' ')},
                {u"NODE_ID"_s, nodeIdToHex(connected->peer.nodeId)}});
        if (const std::optional<PeerInfo> peer = m_engine->peer(connected->peer.address))
            publish(u"peer.connected"_s, peerJson(*peer));
    } else if (const auto *disconnected = std::get_if<PeerDisconnectedEvent>(&event)) {
        const QString address = disconnected->peer.address.toString();
        switch (disconnected->reason) {
        case DisconnectReason::Timeout:
            qCInfo(lcNetwork, "Forgot peer %s due to timeout", qPrintable(address));
            break;
        case DisconnectReason::Closed:
            qCInfo(lcNetwork, "Closing connection to %s", qPrintable(address));
            runHook(
                u"peer_disconnected"_s, {{u"PEER"_s, address}, {u"NODE_ID"_s, nodeIdToHex(disconnected->peer.nodeId)}});
            break;
        case DisconnectReason::Unreachable:
            qCInfo(
                lcNetwork, "Forgot peer %s: reported unreachable (ICMP) and no answer to a probe", qPrintable(address));
            break;
        case DisconnectReason::Silent:
            qCInfo(lcNetwork,
                "Forgot peer %s: silent, no answer to %d probes",
                qPrintable(address),
                m_engine->config().liveness.probes);
            break;
        default:
            break;
        }
        publish(u"peer.disconnected"_s,
            QJsonObject {{u"address"_s, address},
                {u"nodeId"_s, nodeIdToHex(disconnected->peer.nodeId)},
                {u"reason"_s, toString(disconnected->reason)}});
    } else if (const auto *failed = std::get_if<HandshakeFailedEvent>(&event)) {
        qCInfo(lcNetwork,
            "Closing pending connection to %s due to error in crypto init: %s",
            qPrintable(failed->address.toString()),
            qPrintable(failed->reason));
        runHook(u"peer_disconnected"_s, {{u"PEER"_s, failed->address.toString()}}); // without NODE_ID (§9.9)
        publish(u"log"_s,
            QJsonObject {{u"level"_s, u"warning"_s},
                {u"message"_s, u"handshake with %1 failed: %2"_s.arg(failed->address.toString(), failed->reason)}});
    } else if (const auto *recovered = std::get_if<PathRecoveredEvent>(&event)) {
        const QString address = recovered->peer.address.toString();
        if (recovered->previousAddress) {
            qCInfo(lcNetwork,
                "Peer %s moved from %s (%s, silent for %s)",
                qPrintable(address),
                qPrintable(recovered->previousAddress->toString()),
                qPrintable(toString(recovered->cause)),
                qPrintable(formatMs(recovered->gapMs)));
        } else {
            qCInfo(lcNetwork,
                "Path to %s recovered (%s, silent for %s)",
                qPrintable(address),
                qPrintable(toString(recovered->cause)),
                qPrintable(formatMs(recovered->gapMs)));
        }
        publish(u"path.recovered"_s,
            QJsonObject {{u"peer"_s, nodeRef(recovered->peer)},
                {u"cause"_s, toString(recovered->cause)},
                {u"gapMs"_s, recovered->gapMs},
                {u"previousAddress"_s,
                    recovered->previousAddress ? QJsonValue(recovered->previousAddress->toString()) : QJsonValue()},
                {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    } else if (std::holds_alternative<ClaimsChangedEvent>(event)) {
        publish(u"claims.changed"_s, QJsonObject {{u"claims"_s, claimsJson()}});
    } else if (const auto *route = std::get_if<RouteChangedEvent>(&event)) {
        if (route->to)
            m_lostRoutes.remove(route->address);
        else
            m_lostRoutes.insert(route->address);
        QJsonObject data {{u"range"_s, route->range.toDisplayString()},
            {u"address"_s, formatRoutingAddress(route->address)},
            {u"from"_s, route->from ? QJsonValue(nodeRef(route->from)) : QJsonValue()},
            {u"to"_s, route->to ? QJsonValue(nodeRef(route->to)) : QJsonValue()},
            {u"reason"_s, toString(route->reason)},
            {u"unreachableMs"_s, route->unreachableMs},
            {u"time"_s, QDateTime::currentMSecsSinceEpoch()}};
        const bool failure = route->reason == RouteChangeReason::Timeout || route->reason == RouteChangeReason::Closed
            || route->reason == RouteChangeReason::Unreachable || route->reason == RouteChangeReason::ClaimWithdrawn
            || route->reason == RouteChangeReason::Silent;
        if (route->from && route->to && failure) {
            qCInfo(lcNetwork,
                "Failover of %s from %s to %s (%s, unreachable %s)",
                qPrintable(formatRoutingAddress(route->address)),
                qPrintable(route->from->address.toString()),
                qPrintable(route->to->address.toString()),
                qPrintable(toString(route->reason)),
                qPrintable(formatMs(route->unreachableMs)));
            m_lastFailover = data;
            m_lastFailover.insert(u"network"_s, name());
        }
        publish(u"route.failover"_s, data);
        // Who serves the range is part of the claims list: keep subscribers' claim tables current.
        publish(u"claims.changed"_s, QJsonObject {{u"claims"_s, claimsJson()}});
    }
    publishState();
}

QString Network::computeState() const
{
    if (m_closed)
        return u"disconnected"_s;
    // Runs after every engine event: only O(1) engine queries here, no copy of the peer table.
    if (m_engine->peerCount() == 0)
        return u"connecting"_s;
    // A route is "in failover" when a remote-claimed address we do not claim ourselves lost every claimant.
    for (const QByteArray &address : m_lostRoutes) {
        const QList<Range> &own = m_engine->config().claims;
        if (std::none_of(own.begin(), own.end(), [&](const Range &r) { return r.matches(address); }))
            return u"failover"_s;
    }
    // Degraded: a configured peer (any of its addresses) is not connected, or its name does not resolve.
    for (const QList<SocketAddress> &addresses : m_configuredPeers) {
        const bool up = std::any_of(
            addresses.begin(), addresses.end(), [&](const SocketAddress &a) { return m_engine->hasPeer(a); });
        if (!up)
            return u"degraded"_s;
    }
    return u"connected"_s;
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
    m_engine->updateConfiguredPeer(text, addresses, MonotonicClock::now());
    rearm();
    publishState();
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

void Network::publishState()
{
    const QString state = computeState();
    if (state == m_lastState)
        return;
    m_lastState = state;
    if (m_sink)
        m_sink(u"network.state"_s, QJsonObject {{u"network"_s, name()}, {u"state"_s, state}});
}

void Network::publishStats()
{
    publishState();
    if (!m_sink || m_closed)
        return;
    const NodeCounters &c = m_engine->counters();
    m_sink(u"stats"_s,
        QJsonObject {{u"network"_s, name()},
            {u"rxBytes"_s, qint64(c.rxBytes)},
            {u"txBytes"_s, qint64(c.txBytes)},
            {u"rxPackets"_s, qint64(c.rxPackets)},
            {u"txPackets"_s, qint64(c.txPackets)}});
}

QJsonObject Network::status() const
{
    QJsonArray claims;
    for (const Range &range : m_engine->config().claims)
        claims.append(range.toDisplayString());
    const QList<PeerInfo> peers = m_engine->peers();
    const NodeCounters &c = m_engine->counters();
    QJsonArray unresolved;
    for (const QString &peer : std::as_const(m_config.peers)) {
        if (m_configuredPeers.value(peer).isEmpty())
            unresolved.append(peer);
    }
    QJsonObject status {
        {u"name"_s, name()},
        {u"state"_s, computeState()},
        {u"device"_s, deviceName()},
        {u"ip"_s, m_config.ip.value_or(QString())},
        {u"nodeId"_s, nodeIdToHex(m_engine->nodeId())},
        {u"listen"_s, m_socket ? m_socket->localAddress().toString() : QString()},
        {u"peerCount"_s, int(peers.size())},
        {u"configuredPeers"_s, int(m_config.peers.size())},
        {u"unresolvedPeers"_s, unresolved},
        {u"claims"_s, claims},
        {u"system"_s, m_system},
        {u"lastFailover"_s, m_lastFailover.isEmpty() ? QJsonValue() : QJsonValue(m_lastFailover)},
        {u"rxBytes"_s, qint64(c.rxBytes)},
        {u"txBytes"_s, qint64(c.txBytes)},
    };
    if (!peers.isEmpty())
        status.insert(u"algorithm"_s, algorithmName(peers.first().algorithm));
    return status;
}

QJsonArray Network::peers() const
{
    QJsonArray result;
    for (const PeerInfo &peer : m_engine->peers())
        result.append(peerJson(peer));
    return result;
}

QJsonArray Network::claimsJson() const
{
    const TimeMs now = MonotonicClock::now();
    // Engine times become wall times with one offset per cache generation (toWallMs() would give a value that
    // jitters by a millisecond from call to call); a clock step invalidates every cached entry.
    const qint64 offset = QDateTime::currentMSecsSinceEpoch() - now;
    if (std::abs(offset - m_claimsCacheOffset) > kWallOffsetToleranceMs) {
        m_claimsCache.clear();
        m_claimsCacheOffset = offset;
    }
    // Claim and route events publish the whole list: entries that did not change since the last list reuse their
    // JSON, so each event formats only what changed.
    QHash<QByteArray, CachedClaim> cache;
    QJsonArray result;
    for (const ClaimInfo &claim : m_engine->claims(now)) {
        const QByteArray key = claim.range.address + char(claim.range.prefixLength);
        const auto cached = m_claimsCache.constFind(key);
        const QJsonObject json
            = cached != m_claimsCache.cend() && cached->info == claim ? cached->json : claimJson(claim);
        result.append(json);
        cache.insert(key, CachedClaim {claim, json});
    }
    m_claimsCache = std::move(cache);
    return result;
}

QJsonObject Network::claimJson(const ClaimInfo &claim) const
{
    QJsonArray claimants;
    for (qsizetype i = 0; i < claim.claimants.size(); ++i) {
        QJsonObject object = nodeRef(claim.claimants[i]);
        object.insert(u"since"_s, claim.claimantsSince.value(i) + m_claimsCacheOffset);
        claimants.append(object);
    }
    return QJsonObject {
        {u"network"_s, name()},
        {u"range"_s, claim.range.toDisplayString()},
        {u"servedBy"_s, claim.servedBy ? QJsonValue(nodeRef(claim.servedBy)) : QJsonValue()},
        {u"claimants"_s, claimants},
        {u"local"_s, claim.local},
        {u"used"_s, claim.used},
        {u"serving"_s, claim.serving},
    };
}

QJsonArray Network::claims() const
{
    return claimsJson();
}

QJsonObject Network::stats() const
{
    const NodeCounters &c = m_engine->counters();
    return QJsonObject {{u"network"_s, name()},
        {u"rxBytes"_s, qint64(c.rxBytes)},
        {u"txBytes"_s, qint64(c.txBytes)},
        {u"rxPackets"_s, qint64(c.rxPackets)},
        {u"txPackets"_s, qint64(c.txPackets)},
        {u"invalidPackets"_s, qint64(c.invalidPackets)},
        {u"rateLimited"_s, qint64(c.rateLimited)},
        {u"peerLimitRejected"_s, qint64(c.peerLimitRejected)},
        {u"handshakesEvicted"_s, qint64(c.handshakesEvicted)},
        {u"claimsIgnored"_s, qint64(c.claimsIgnored)},
        {u"droppedPackets"_s, qint64(c.droppedPackets)},
        {u"handshakes"_s, qint64(c.handshakesCompleted)},
        {u"failovers"_s, qint64(c.routeChanges)},
        {u"probes"_s, qint64(c.probesSent)},
        {u"probesAnswered"_s, qint64(c.probesAnswered)},
        {u"silentPeers"_s, qint64(c.silentPeers)},
        {u"pathRecoveries"_s, qint64(c.pathRecoveries)},
        {u"peersRoamed"_s, qint64(c.peersRoamed)},
        {u"knocks"_s, qint64(c.knocks)},
        {u"sendErrors"_s, qint64(m_sendErrors)},
        {u"deviceWriteErrors"_s, qint64(m_deviceWriteErrors)}};
}

QString Network::writeStatsFile()
{
    if (!m_config.statsFile || !m_engine)
        return {};
    const TimeMs now = MonotonicClock::now();
    QByteArray out = "peers:\n";
    for (const PeerInfo &peer : m_engine->peers()) {
        out += "  - \"" + peer.address.toString().toUtf8()
            + "\": { ttl_secs: " + QByteArray::number(std::max<qint64>((peer.expiry - now) / 1000, 0))
            + ", crypto: " + algorithmName(peer.algorithm).toUtf8() + " }\n";
    }
    out += "\nforwarding_table:\n  claims:\n";
    for (const ClaimInfo &claim : m_engine->claims(now)) {
        for (const NodeRef &ref : claim.claimants) {
            out += "    - \"" + claim.range.toString().toUtf8() + "\": { peer: \"" + ref.address.toString().toUtf8()
                + "\" }\n";
        }
    }
    const NodeCounters &c = m_engine->counters();
    out += "\ntraffic:\n  in: { bytes: " + QByteArray::number(c.rxBytes)
        + ", packets: " + QByteArray::number(c.rxPackets) + " }\n  out: { bytes: " + QByteArray::number(c.txBytes)
        + ", packets: " + QByteArray::number(c.txPackets) + " }\n\ninvalid_protocol_traffic: { bytes: "
        + QByteArray::number(c.invalidBytes) + ", packets: " + QByteArray::number(c.invalidPackets)
        + " }\ndropped_payload_traffic: { bytes: " + QByteArray::number(c.droppedBytes)
        + ", packets: " + QByteArray::number(c.droppedPackets) + " }\nabuse_limits: { rate_limited: "
        + QByteArray::number(c.rateLimited) + ", peer_limit_rejected: " + QByteArray::number(c.peerLimitRejected)
        + ", handshakes_evicted: " + QByteArray::number(c.handshakesEvicted)
        + ", claims_ignored: " + QByteArray::number(c.claimsIgnored) + " }\n";
    QSaveFile file(*m_config.statsFile);
    if (!file.open(QIODevice::WriteOnly) || file.write(out) != out.size() || !file.commit()) {
        const QString error = file.errorString();
        if (!m_statsFileFailing)
            qCWarning(
                lcNetwork, "Failed to write the stats file %s: %s", qPrintable(*m_config.statsFile), qPrintable(error));
        m_statsFileFailing = true;
        return error.isEmpty() ? u"write failed"_s : error;
    }
    m_statsFileFailing = false;
    QFile::setPermissions(
        *m_config.statsFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return {};
}

void Network::sendStatsd()
{
    if (!m_statsd)
        return;
    // spec §10.3: one datagram from the VPN socket, counters of the last period.
    const NodeCounters &c = m_engine->counters();
    const NodeCounters &l = m_statsdLast;
    const QByteArray p = m_config.statsdPrefix.value_or(u"vpncloud"_s).toUtf8();
    int claims = 0;
    for (const ClaimInfo &claim : m_engine->claims(MonotonicClock::now()))
        claims += int(claim.claimants.size());
    QByteArrayList lines {
        p + ".peer_count:" + QByteArray::number(m_engine->peerCount()) + "|g",
        p + ".table_cache_entries:0|g",
        p + ".table_claims:" + QByteArray::number(claims) + "|g",
        p + ".traffic.protocol.inbound.bytes:" + QByteArray::number(c.rxBytes - l.rxBytes) + "|c",
        p + ".traffic.protocol.inbound.packets:" + QByteArray::number(c.rxPackets - l.rxPackets) + "|c",
        p + ".traffic.protocol.outbound.bytes:" + QByteArray::number(c.txBytes - l.txBytes) + "|c",
        p + ".traffic.protocol.outbound.packets:" + QByteArray::number(c.txPackets - l.txPackets) + "|c",
        p + ".invalid_protocol_traffic.bytes:" + QByteArray::number(c.invalidBytes - l.invalidBytes) + "|c",
        p + ".invalid_protocol_traffic.packets:" + QByteArray::number(c.invalidPackets - l.invalidPackets) + "|c",
        p + ".dropped_payload.bytes:" + QByteArray::number(c.droppedBytes - l.droppedBytes) + "|c",
        p + ".dropped_payload.packets:" + QByteArray::number(c.droppedPackets - l.droppedPackets) + "|c",
    };
    m_statsdLast = c;
    (void)m_socket->send(*m_statsd, lines.join('\n'));
}

void Network::runHook(const QString &event, const QHash<QString, QString> &vars) const
{
    QString script;
    if (event == u"ifup"_s)
        script = m_config.ifup.value_or(QString());
    else if (event == u"ifdown"_s)
        script = m_config.ifdown.value_or(QString());
    else
        script = m_config.hooks.value(event, m_config.hook.value_or(QString()));
    if (script.isEmpty())
        return;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"IFNAME"_s, deviceName());
    if (event != u"ifup"_s && event != u"ifdown"_s)
        env.insert(u"EVENT"_s, event);
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        env.insert(it.key(), it.value());
    auto *process = new QProcess();
    m_hooks.insert(process);
    process->setProcessEnvironment(env);
    process->setProcessChannelMode(QProcess::ForwardedChannels);
    QObject::connect(process, &QProcess::finished, process, [this, process, event](int code) {
        if (code != 0)
            qCWarning(lcNetwork, "Hook %s exited with status %d", qPrintable(event), code);
        m_hooks.remove(process);
        process->deleteLater();
    });
    QObject::connect(process, &QProcess::errorOccurred, process, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // a crash or a timeout is followed by finished()
        m_hooks.remove(process);
        process->deleteLater();
    });
    process->start(u"/bin/sh"_s, {u"-c"_s, script});
    if (event == u"ifup"_s || event == u"ifdown"_s)
        process->waitForFinished(30'000); // spec §9.8: ifup/ifdown are awaited
}

} // namespace Nimbus
