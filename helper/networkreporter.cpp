#include "helper/networkreporter.h"

#include <algorithm>
#include <cstdlib>

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>

#include "core/config/config.h"
#include "helper/clock.h"

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcReport, "nimbus.helper.report", QtInfoMsg)

namespace Nimbus
{

namespace
{

/// How far the wall clock may move against the monotonic one before cached claim JSON (its "since" times) is
/// rebuilt.
constexpr qint64 kWallOffsetToleranceMs = 100;

QStringList rangeList(const QList<Range> &ranges)
{
    QStringList out;
    out.reserve(ranges.size());
    for (const Range &range : ranges)
        out.append(range.toDisplayString());
    return out;
}

} // namespace

QString formatMs(qint64 ms)
{
    return ms < 10'000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

NetworkReporter::NetworkReporter(const NetworkConfig &config,
    bool system,
    const MeshNode &engine,
    const ConfiguredPeers &configuredPeers,
    EventSink sink,
    const QString &hostsFile)
    : m_config(config)
    , m_system(system)
    , m_engine(engine)
    , m_configuredPeers(configuredPeers)
    , m_sink(std::move(sink))
    , m_names(configuredPeers, hostsFile)
{
}

void NetworkReporter::configuredPeersChanged()
{
    m_names.configuredChanged();
}

void NetworkReporter::refreshNames() const
{
    if (m_names.refresh())
        m_claimsCache.clear();
}

Protocol::NodeRef NetworkReporter::nodeValue(const NodeRef &ref) const
{
    Protocol::NodeRef node;
    node.nodeId = nodeIdToHex(ref.nodeId);
    node.address = ref.address.toString();
    NodeNames::Name name = m_names.nameFor(ref.address);
    node.name = std::move(name.name);
    node.nameSource = std::move(name.source);
    return node;
}

std::optional<Protocol::NodeRef> NetworkReporter::nodeValue(const std::optional<NodeRef> &ref) const
{
    return ref ? std::optional(nodeValue(*ref)) : std::nullopt;
}

QString NetworkReporter::logName(const NodeRef &ref) const
{
    const QString name = m_names.nameFor(ref.address).name;
    return name.isEmpty() ? ref.address.toString() : u"%1 (%2)"_s.arg(name, ref.address.toString());
}

NetworkReporter::~NetworkReporter() = default;

QString NetworkReporter::name() const
{
    return m_config.name;
}

template<typename Payload>
void NetworkReporter::publish(Protocol::EventType type, const Payload &payload) const
{
    if (m_sink)
        m_sink(Protocol::eventName(type), payload.toJson());
}

void NetworkReporter::publishNetworkState(const QString &state) const
{
    publish(Protocol::EventType::NetworkState,
        Protocol::NetworkStateEvent {.network = name(), .state = state, .error = {}});
}

void NetworkReporter::publishClaims() const
{
    if (!m_sink)
        return;
    // The list is JSON already (unchanged entries come from the cache); the rest of the payload is the type's.
    QJsonObject data = Protocol::ClaimsChangedEvent {.network = name(), .claims = {}}.toJson();
    data.insert(u"claims"_s, claims());
    m_sink(Protocol::eventName(Protocol::EventType::ClaimsChanged), data);
}

void NetworkReporter::localNetworkChanged(const QString &what)
{
    publish(Protocol::EventType::NetworkChanged,
        Protocol::NetworkChangedEvent {.network = name(), .what = what, .time = QDateTime::currentMSecsSinceEpoch()});
}

void NetworkReporter::resumed(qint64 pausedMs, const QString &what)
{
    publish(Protocol::EventType::NetworkResumed,
        Protocol::NetworkResumedEvent {
            .network = name(), .pausedMs = pausedMs, .what = what, .time = QDateTime::currentMSecsSinceEpoch()});
}

void NetworkReporter::closed()
{
    m_closed = true;
    publishNetworkState(u"disconnected"_s);
}

QString NetworkReporter::state() const
{
    if (m_closed)
        return u"disconnected"_s;
    // Runs after every engine event: only O(1) engine queries here, no copy of the peer table.
    if (m_engine.peerCount() == 0)
        return u"connecting"_s;
    // A route is "in failover" when a remote-claimed address we do not claim ourselves lost every claimant.
    for (const QByteArray &address : m_lostRoutes) {
        const QList<Range> &own = m_engine.config().claims;
        if (std::none_of(own.begin(), own.end(), [&](const Range &r) { return r.matches(address); }))
            return u"failover"_s;
    }
    // Degraded: a configured peer (any of its addresses) is not connected, or its name does not resolve.
    for (const QList<SocketAddress> &addresses : m_configuredPeers) {
        const bool up = std::any_of(
            addresses.begin(), addresses.end(), [&](const SocketAddress &a) { return m_engine.hasPeer(a); });
        if (!up)
            return u"degraded"_s;
    }
    return u"connected"_s;
}

void NetworkReporter::publishState()
{
    const QString current = state();
    if (current == m_lastState)
        return;
    m_lastState = current;
    publishNetworkState(current);
}

void NetworkReporter::publishStats()
{
    publishState();
    if (!m_sink || m_closed)
        return;
    const NodeCounters &c = m_engine.counters();
    publish(Protocol::EventType::Stats,
        Protocol::TrafficEvent {.network = name(),
            .rxBytes = qint64(c.rxBytes),
            .txBytes = qint64(c.txBytes),
            .rxPackets = qint64(c.rxPackets),
            .txPackets = qint64(c.txPackets)});
}

Protocol::NetworkStatus NetworkReporter::status(const QString &device, const QString &listen) const
{
    const QList<PeerInfo> peers = m_engine.peers();
    const NodeCounters &c = m_engine.counters();
    Protocol::NetworkStatus status;
    status.name = name();
    status.state = state();
    status.device = device;
    status.ip = m_config.ip.value_or(QString());
    status.nodeId = nodeIdToHex(m_engine.nodeId());
    status.listen = listen;
    status.peerCount = int(peers.size());
    status.configuredPeers = int(m_config.peers.size());
    for (const QString &peer : std::as_const(m_config.peers)) {
        if (m_configuredPeers.value(peer).isEmpty())
            status.unresolvedPeers.append(peer);
    }
    status.claims = rangeList(m_engine.config().claims);
    if (!peers.isEmpty())
        status.algorithm = algorithmName(peers.first().algorithm);
    status.system = m_system;
    status.lastFailover = m_lastFailover;
    status.rxBytes = qint64(c.rxBytes);
    status.txBytes = qint64(c.txBytes);
    return status;
}

QList<Protocol::Peer> NetworkReporter::peers() const
{
    refreshNames();
    QList<Protocol::Peer> result;
    for (const PeerInfo &peer : m_engine.peers())
        result.append(peerValue(peer));
    return result;
}

QJsonArray NetworkReporter::claims() const
{
    refreshNames();
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
    for (const ClaimInfo &claim : m_engine.claims(now)) {
        const QByteArray key = claim.range.address + char(claim.range.prefixLength);
        const auto cached = m_claimsCache.constFind(key);
        const QJsonObject json
            = cached != m_claimsCache.cend() && cached->info == claim ? cached->json : claimValue(claim).toJson();
        result.append(json);
        cache.insert(key, CachedClaim {claim, json});
    }
    m_claimsCache = std::move(cache);
    return result;
}

Protocol::Claim NetworkReporter::claimValue(const ClaimInfo &claim) const
{
    Protocol::Claim value;
    value.network = name();
    value.range = claim.range.toDisplayString();
    value.servedBy = nodeValue(claim.servedBy);
    value.claimants.reserve(claim.claimants.size());
    for (qsizetype i = 0; i < claim.claimants.size(); ++i)
        value.claimants.append(Protocol::Claimant {
            .node = nodeValue(claim.claimants[i]), .since = claim.claimantsSince.value(i) + m_claimsCacheOffset});
    value.local = claim.local;
    value.used = claim.used;
    value.serving = claim.serving;
    return value;
}

Protocol::Stats NetworkReporter::stats(quint64 sendErrors, quint64 deviceWriteErrors) const
{
    const NodeCounters &c = m_engine.counters();
    Protocol::Stats stats;
    stats.network = name();
    stats.rxBytes = qint64(c.rxBytes);
    stats.txBytes = qint64(c.txBytes);
    stats.rxPackets = qint64(c.rxPackets);
    stats.txPackets = qint64(c.txPackets);
    stats.invalidPackets = qint64(c.invalidPackets);
    stats.rateLimited = qint64(c.rateLimited);
    stats.peerLimitRejected = qint64(c.peerLimitRejected);
    stats.handshakesEvicted = qint64(c.handshakesEvicted);
    stats.claimsIgnored = qint64(c.claimsIgnored);
    stats.duplicateInits = qint64(c.duplicateInits);
    stats.respondersExpired = qint64(c.respondersExpired);
    stats.droppedPackets = qint64(c.droppedPackets);
    stats.handshakes = qint64(c.handshakesCompleted);
    stats.failovers = qint64(c.routeChanges);
    stats.probes = qint64(c.probesSent);
    stats.probesAnswered = qint64(c.probesAnswered);
    stats.silentPeers = qint64(c.silentPeers);
    stats.pathRecoveries = qint64(c.pathRecoveries);
    stats.peersRoamed = qint64(c.peersRoamed);
    stats.knocks = qint64(c.knocks);
    stats.sendErrors = qint64(sendErrors);
    stats.deviceWriteErrors = qint64(deviceWriteErrors);
    return stats;
}

QString NetworkReporter::writeStatsFile()
{
    if (!m_config.statsFile)
        return {};
    const TimeMs now = MonotonicClock::now();
    QByteArray out = "peers:\n";
    for (const PeerInfo &peer : m_engine.peers()) {
        out += "  - \"" + peer.address.toString().toUtf8()
            + "\": { ttl_secs: " + QByteArray::number(std::max<qint64>((peer.expiry - now) / 1000, 0))
            + ", crypto: " + algorithmName(peer.algorithm).toUtf8() + " }\n";
    }
    out += "\nforwarding_table:\n  claims:\n";
    for (const ClaimInfo &claim : m_engine.claims(now)) {
        for (const NodeRef &ref : claim.claimants) {
            out += "    - \"" + claim.range.toString().toUtf8() + "\": { peer: \"" + ref.address.toString().toUtf8()
                + "\" }\n";
        }
    }
    const NodeCounters &c = m_engine.counters();
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
                lcReport, "Failed to write the stats file %s: %s", qPrintable(*m_config.statsFile), qPrintable(error));
        m_statsFileFailing = true;
        return error.isEmpty() ? u"write failed"_s : error;
    }
    m_statsFileFailing = false;
    QFile::setPermissions(
        *m_config.statsFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return {};
}

QByteArray NetworkReporter::statsdPayload()
{
    // spec §10.3: one datagram from the VPN socket, counters of the last period.
    const NodeCounters &c = m_engine.counters();
    const NodeCounters &l = m_statsdLast;
    const QByteArray p = m_config.statsdPrefix.value_or(u"vpncloud"_s).toUtf8();
    int claims = 0;
    for (const ClaimInfo &claim : m_engine.claims(MonotonicClock::now()))
        claims += int(claim.claimants.size());
    QByteArrayList lines {
        p + ".peer_count:" + QByteArray::number(m_engine.peerCount()) + "|g",
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
    return lines.join('\n');
}

Protocol::Peer NetworkReporter::peerValue(const PeerInfo &peer) const
{
    Protocol::Peer value;
    value.network = name();
    value.address = peer.address.toString();
    value.nodeId = nodeIdToHex(peer.nodeId);
    NodeNames::Name name = m_names.nameFor(peer.address);
    value.name = std::move(name.name);
    value.nameSource = std::move(name.source);
    value.claims = rangeList(peer.claims);
    value.connectedSince = MonotonicClock::toWallMs(peer.connectedSince);
    value.lastSeen = MonotonicClock::toWallMs(peer.lastReceived);
    value.algorithm = algorithmName(peer.algorithm);
    value.rxBytes = qint64(peer.rxBytes);
    value.txBytes = qint64(peer.txBytes);
    value.rxPackets = qint64(peer.rxPackets);
    value.txPackets = qint64(peer.txPackets);
    value.initiator = peer.initiator;
    value.suspect = peer.suspect;
    return value;
}

Protocol::FailoverEvent NetworkReporter::failoverValue(const RouteChangedEvent &route) const
{
    Protocol::FailoverEvent failover;
    failover.network = name();
    failover.range = route.range.toDisplayString();
    failover.address = formatRoutingAddress(route.address);
    failover.from = nodeValue(route.from);
    failover.to = nodeValue(route.to);
    failover.reason = toString(route.reason);
    failover.unreachableMs = route.unreachableMs;
    failover.time = QDateTime::currentMSecsSinceEpoch();
    failover.kind = toString(route.kind);
    if (route.detectedAt)
        failover.detectedAt = MonotonicClock::toWallMs(route.detectedAt);
    if (route.lastHeard)
        failover.lastSeenAt = MonotonicClock::toWallMs(route.lastHeard);
    failover.noPathMs = route.noPathMs;
    return failover;
}

void NetworkReporter::onEvent(const NodeEvent &event)
{
    refreshNames();
    if (const auto *connected = std::get_if<PeerConnectedEvent>(&event)) {
        qCInfo(lcReport, "Added peer %s", qPrintable(connected->peer.address.toString()));
        if (const std::optional<PeerInfo> peer = m_engine.peer(connected->peer.address))
            publish(Protocol::EventType::PeerConnected, peerValue(*peer));
    } else if (const auto *disconnected = std::get_if<PeerDisconnectedEvent>(&event)) {
        const QString address = disconnected->peer.address.toString();
        switch (disconnected->reason) {
        case DisconnectReason::Timeout:
            qCInfo(lcReport, "Forgot peer %s due to timeout", qPrintable(address));
            break;
        case DisconnectReason::Closed:
            qCInfo(lcReport, "Closing connection to %s", qPrintable(address));
            break;
        case DisconnectReason::Unreachable:
            qCInfo(
                lcReport, "Forgot peer %s: reported unreachable (ICMP) and no answer to a probe", qPrintable(address));
            break;
        case DisconnectReason::Silent:
            qCInfo(lcReport,
                "Forgot peer %s: silent, no answer to %d probes",
                qPrintable(address),
                m_engine.config().liveness.probes);
            break;
        default:
            break;
        }
        publish(Protocol::EventType::PeerDisconnected,
            Protocol::PeerDisconnectedEvent {.network = name(),
                .address = address,
                .nodeId = nodeIdToHex(disconnected->peer.nodeId),
                .reason = toString(disconnected->reason)});
    } else if (const auto *failed = std::get_if<HandshakeFailedEvent>(&event)) {
        qCInfo(lcReport,
            "Closing pending connection to %s due to error in crypto init: %s",
            qPrintable(failed->address.toString()),
            qPrintable(failed->reason));
        publish(Protocol::EventType::Log,
            Protocol::LogEvent {.network = name(),
                .level = u"warning"_s,
                .message = u"handshake with %1 failed: %2"_s.arg(failed->address.toString(), failed->reason)});
    } else if (const auto *recovered = std::get_if<PathRecoveredEvent>(&event)) {
        const QString address = recovered->peer.address.toString();
        if (recovered->previousAddress) {
            qCInfo(lcReport,
                "Peer %s moved from %s (%s, silent for %s)",
                qPrintable(address),
                qPrintable(recovered->previousAddress->toString()),
                qPrintable(toString(recovered->cause)),
                qPrintable(formatMs(recovered->gapMs)));
        } else {
            qCInfo(lcReport,
                "Path to %s recovered (%s, silent for %s)",
                qPrintable(address),
                qPrintable(toString(recovered->cause)),
                qPrintable(formatMs(recovered->gapMs)));
        }
        publish(Protocol::EventType::PathRecovered,
            Protocol::PathRecoveredEvent {.network = name(),
                .peer = nodeValue(recovered->peer),
                .cause = toString(recovered->cause),
                .gapMs = recovered->gapMs,
                .previousAddress = recovered->previousAddress ? recovered->previousAddress->toString() : QString(),
                .time = QDateTime::currentMSecsSinceEpoch()});
    } else if (std::holds_alternative<ClaimsChangedEvent>(event)) {
        publishClaims();
    } else if (const auto *route = std::get_if<RouteChangedEvent>(&event)) {
        if (route->to)
            m_lostRoutes.remove(route->address);
        else
            m_lostRoutes.insert(route->address);
        const Protocol::FailoverEvent failover = failoverValue(*route);
        const QString address = formatRoutingAddress(route->address);
        switch (route->kind) {
        case RouteChangeKind::Failover:
            qCInfo(lcReport,
                "Failover of %s from %s to %s (%s, no path %s, unreachable %s)",
                qPrintable(address),
                qPrintable(logName(*route->from)),
                qPrintable(logName(*route->to)),
                qPrintable(toString(route->reason)),
                qPrintable(route->noPathMs >= 0 ? formatMs(route->noPathMs) : u"unknown"_s),
                qPrintable(formatMs(route->unreachableMs)));
            m_lastFailover = failover;
            break;
        case RouteChangeKind::Lost:
            qCInfo(lcReport,
                "Lost the route to %s: %s is gone (%s), nobody else claims it",
                qPrintable(address),
                qPrintable(logName(*route->from)),
                qPrintable(toString(route->reason)));
            break;
        case RouteChangeKind::Reachable:
            qCInfo(lcReport, "%s is reachable via %s", qPrintable(address), qPrintable(logName(*route->to)));
            break;
        default:
            qCInfo(lcReport,
                "Route to %s moved from %s to %s (%s, %s)",
                qPrintable(address),
                qPrintable(logName(*route->from)),
                qPrintable(logName(*route->to)),
                qPrintable(toString(route->kind)),
                qPrintable(toString(route->reason)));
            break;
        }
        publish(Protocol::EventType::RouteFailover, failover);
        // Who serves the range is part of the claims list: keep subscribers' claim tables current.
        publishClaims();
    }
    publishState();
}

} // namespace Nimbus
