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

} // namespace

QString formatMs(qint64 ms)
{
    return ms < 10'000 ? u"%1 ms"_s.arg(ms) : u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

NetworkReporter::NetworkReporter(const NetworkConfig &config,
    bool system,
    const MeshNode &engine,
    const ConfiguredPeers &configuredPeers,
    EventSink sink)
    : m_config(config), m_system(system), m_engine(engine), m_configuredPeers(configuredPeers), m_sink(std::move(sink))
{
}

NetworkReporter::~NetworkReporter() = default;

QString NetworkReporter::name() const
{
    return m_config.name;
}

void NetworkReporter::publish(const QString &event, const QJsonObject &data) const
{
    if (!m_sink)
        return;
    QJsonObject withNetwork = data;
    withNetwork.insert(u"network"_s, name());
    m_sink(event, withNetwork);
}

void NetworkReporter::localNetworkChanged(const QString &what)
{
    if (m_sink) {
        m_sink(u"network.changed"_s,
            QJsonObject {{u"network"_s, name()}, {u"what"_s, what}, {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    }
}

void NetworkReporter::resumed(qint64 pausedMs, const QString &what)
{
    if (m_sink) {
        m_sink(u"network.resumed"_s,
            QJsonObject {{u"network"_s, name()},
                {u"pausedMs"_s, pausedMs},
                {u"what"_s, what},
                {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    }
}

void NetworkReporter::closed()
{
    m_closed = true;
    if (m_sink)
        m_sink(u"network.state"_s, QJsonObject {{u"network"_s, name()}, {u"state"_s, u"disconnected"_s}});
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
    if (m_sink)
        m_sink(u"network.state"_s, QJsonObject {{u"network"_s, name()}, {u"state"_s, current}});
}

void NetworkReporter::publishStats()
{
    publishState();
    if (!m_sink || m_closed)
        return;
    const NodeCounters &c = m_engine.counters();
    m_sink(u"stats"_s,
        QJsonObject {{u"network"_s, name()},
            {u"rxBytes"_s, qint64(c.rxBytes)},
            {u"txBytes"_s, qint64(c.txBytes)},
            {u"rxPackets"_s, qint64(c.rxPackets)},
            {u"txPackets"_s, qint64(c.txPackets)}});
}

QJsonObject NetworkReporter::status(const QString &device, const QString &listen) const
{
    QJsonArray claims;
    for (const Range &range : m_engine.config().claims)
        claims.append(range.toDisplayString());
    const QList<PeerInfo> peers = m_engine.peers();
    const NodeCounters &c = m_engine.counters();
    QJsonArray unresolved;
    for (const QString &peer : std::as_const(m_config.peers)) {
        if (m_configuredPeers.value(peer).isEmpty())
            unresolved.append(peer);
    }
    QJsonObject status {
        {u"name"_s, name()},
        {u"state"_s, state()},
        {u"device"_s, device},
        {u"ip"_s, m_config.ip.value_or(QString())},
        {u"nodeId"_s, nodeIdToHex(m_engine.nodeId())},
        {u"listen"_s, listen},
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

QJsonArray NetworkReporter::peers() const
{
    QJsonArray result;
    for (const PeerInfo &peer : m_engine.peers())
        result.append(peerJson(peer));
    return result;
}

QJsonArray NetworkReporter::claims() const
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
    for (const ClaimInfo &claim : m_engine.claims(now)) {
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

QJsonObject NetworkReporter::claimJson(const ClaimInfo &claim) const
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

QJsonObject NetworkReporter::stats(quint64 sendErrors, quint64 deviceWriteErrors) const
{
    const NodeCounters &c = m_engine.counters();
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
        {u"sendErrors"_s, qint64(sendErrors)},
        {u"deviceWriteErrors"_s, qint64(deviceWriteErrors)}};
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

QJsonObject NetworkReporter::nodeRef(const std::optional<NodeRef> &ref) const
{
    if (!ref)
        return {};
    return QJsonObject {{u"nodeId"_s, nodeIdToHex(ref->nodeId)}, {u"address"_s, ref->address.toString()}};
}

QJsonObject NetworkReporter::peerJson(const PeerInfo &peer) const
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

void NetworkReporter::onEvent(const NodeEvent &event)
{
    if (const auto *connected = std::get_if<PeerConnectedEvent>(&event)) {
        qCInfo(lcReport, "Added peer %s", qPrintable(connected->peer.address.toString()));
        if (const std::optional<PeerInfo> peer = m_engine.peer(connected->peer.address))
            publish(u"peer.connected"_s, peerJson(*peer));
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
        publish(u"peer.disconnected"_s,
            QJsonObject {{u"address"_s, address},
                {u"nodeId"_s, nodeIdToHex(disconnected->peer.nodeId)},
                {u"reason"_s, toString(disconnected->reason)}});
    } else if (const auto *failed = std::get_if<HandshakeFailedEvent>(&event)) {
        qCInfo(lcReport,
            "Closing pending connection to %s due to error in crypto init: %s",
            qPrintable(failed->address.toString()),
            qPrintable(failed->reason));
        publish(u"log"_s,
            QJsonObject {{u"level"_s, u"warning"_s},
                {u"message"_s, u"handshake with %1 failed: %2"_s.arg(failed->address.toString(), failed->reason)}});
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
        publish(u"path.recovered"_s,
            QJsonObject {{u"peer"_s, nodeRef(recovered->peer)},
                {u"cause"_s, toString(recovered->cause)},
                {u"gapMs"_s, recovered->gapMs},
                {u"previousAddress"_s,
                    recovered->previousAddress ? QJsonValue(recovered->previousAddress->toString()) : QJsonValue()},
                {u"time"_s, QDateTime::currentMSecsSinceEpoch()}});
    } else if (std::holds_alternative<ClaimsChangedEvent>(event)) {
        publish(u"claims.changed"_s, QJsonObject {{u"claims"_s, claims()}});
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
            qCInfo(lcReport,
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
        publish(u"claims.changed"_s, QJsonObject {{u"claims"_s, claims()}});
    }
    publishState();
}

} // namespace Nimbus
