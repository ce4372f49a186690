#include "core/node/meshnode.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/crypto/cryptocore.h"
#include "core/crypto/rotation.h"
#include "core/node/peer.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr quint8 kTypeData = 0x00;
constexpr quint8 kTypeNodeInfo = 0x01;
constexpr quint8 kTypeKeepalive = 0x02;
constexpr quint8 kTypeRotation = 0x10;
constexpr quint8 kTypeClose = 0xFF;

constexpr TimeMs kHousekeepingMs = 1000;
/// Replay pinning every 2 s keeps our window as permissive as VpnCloud's 2-tick window (spec §4.5).
constexpr TimeMs kCryptoTickMs = 2000;
/// An initiator routes traffic to a new peer once the responder has surely completed (it sent us something),
/// or after this fallback (plaintext sessions, where the responder sends nothing at once).
constexpr TimeMs kRoutableFallbackMs = 1000;
/// A new session keeps the previous one's crypto core this long, so packets sealed before the switch still open.
constexpr TimeMs kPreviousCoreMs = 10'000;
constexpr TimeMs kActivityWindowMs = 5000;
constexpr int kMaxPendingHandshakes = 256;
constexpr int kMaxOwnAddresses = 16;
constexpr int kMaxPeerListEntries = 20;
constexpr qsizetype kMaxRouteCache = 65536;
constexpr qsizetype kMaxLearned = 65536;
constexpr qsizetype kMaxUsedRoutes = 65536;
/// Unfinished responder handshakes per source (HandshakeLimiter::sourceKey()): bounds the PONGs a spoofed PING
/// flood can make us send to one victim.
constexpr int kMaxRespondersPerSource = 8;
/// Unfinished responder handshakes in all. Each holds a crypto core (about 40 KiB, mostly locked key memory), and
/// a real one needs to live only for one round trip, until the PENG arrives.
constexpr int kMaxPendingResponders = 128;
/// Global budget units (HandshakeLimiter) for a signature check, and for answering a PING (key pair, key
/// agreement, signature).
constexpr int kVerifyCost = 1;
constexpr int kRespondCost = 2;
/// Responder work (a new or restarted responder handshake) starts at most once per this period per address.
constexpr TimeMs kResponderRestartMs = 1000;
constexpr TimeMs kPeerLimitReportMs = 10'000;
// Former peers' sessions are kept this long (a laptop that slept through our timeout), at most this many, and
// a handshake towards one is started at most once per kKnockIntervalMs.
constexpr TimeMs kFormerPeerMs = 600'000;
constexpr size_t kMaxFormerPeers = 32;
constexpr TimeMs kKnockIntervalMs = 1000;
// A path recovery is reported if the peer's data flows within this time after the session was renewed.
constexpr TimeMs kRecoveryReportMs = 2000;

/// The stage an init datagram claims, read without any crypto (nullopt: none, or not 1-3). Only a hint for which
/// limit applies: the signature check decides whether the message is what it claims.
std::optional<Stage> peekStage(QByteArrayView datagram)
{
    qsizetype at = 1 + 8; // 0xFF, key salt and key tag (spec §3.2)
    while (at < datagram.size() && datagram[at] != 0) {
        if (at + 3 > datagram.size())
            return std::nullopt;
        const quint8 type = quint8(datagram[at]);
        const qsizetype length = (qsizetype(quint8(datagram[at + 1])) << 8) | quint8(datagram[at + 2]);
        if (type == 0x01) {
            if (length != 1 || at + 4 > datagram.size())
                return std::nullopt;
            const quint8 value = quint8(datagram[at + 3]);
            if (value < quint8(Stage::Ping) || value > quint8(Stage::Peng))
                return std::nullopt;
            return Stage(value);
        }
        at += 3 + length;
    }
    return std::nullopt;
}

QByteArrayView idView(const NodeId &id)
{
    return QByteArrayView(reinterpret_cast<const char *>(id.data()), qsizetype(id.size()));
}

/// The destination address of a TUN packet as a view into it (empty if the packet is not a complete IPv4/IPv6
/// header): the same bytes as extractAddresses(DeviceType::Tun, ...).destination, without allocating.
QByteArrayView tunDestination(QByteArrayView packet)
{
    if (packet.isEmpty())
        return {};
    switch (quint8(packet[0]) >> 4) {
    case 4:
        return packet.size() < 20 ? QByteArrayView() : packet.sliced(16, 4);
    case 6:
        return packet.size() < 40 ? QByteArrayView() : packet.sliced(24, 16);
    default:
        return {};
    }
}

/// A deep copy of \a key (which may be a QByteArray::fromRawData() view into a packet), for storing in a table.
QByteArray ownedKey(const QByteArray &key)
{
    return QByteArray(key.constData(), key.size());
}

/// Marks a reusable buffer busy for the lifetime of the guard.
class BusyGuard
{
public:
    explicit BusyGuard(bool &flag) : m_flag(flag) { m_flag = true; }
    ~BusyGuard() { m_flag = false; }
    BusyGuard(const BusyGuard &) = delete;
    BusyGuard &operator=(const BusyGuard &) = delete;

private:
    bool &m_flag;
};

} // namespace

QString toString(DisconnectReason reason)
{
    switch (reason) {
    case DisconnectReason::Timeout:
        return u"timeout"_s;
    case DisconnectReason::Closed:
        return u"closed"_s;
    case DisconnectReason::Unreachable:
        return u"unreachable"_s;
    case DisconnectReason::Replaced:
        return u"replaced"_s;
    case DisconnectReason::Shutdown:
        return u"shutdown"_s;
    case DisconnectReason::Silent:
        return u"silent"_s;
    }
    return {};
}

QString toString(RecoveryCause cause)
{
    switch (cause) {
    case RecoveryCause::Rebound:
        return u"rebound"_s;
    case RecoveryCause::Roamed:
        return u"roamed"_s;
    case RecoveryCause::Resumed:
        return u"resumed"_s;
    case RecoveryCause::PeerRoamed:
        return u"peer-roamed"_s;
    }
    return {};
}

QString toString(RouteChangeKind kind)
{
    switch (kind) {
    case RouteChangeKind::Reachable:
        return u"reachable"_s;
    case RouteChangeKind::Failover:
        return u"failover"_s;
    case RouteChangeKind::Switchback:
        return u"switchback"_s;
    case RouteChangeKind::Move:
        return u"move"_s;
    case RouteChangeKind::Lost:
        return u"lost"_s;
    }
    return {};
}

QString toString(RouteChangeReason reason)
{
    switch (reason) {
    case RouteChangeReason::Silent:
        return u"silent"_s;
    case RouteChangeReason::Roamed:
        return u"roamed"_s;
    case RouteChangeReason::Timeout:
        return u"timeout"_s;
    case RouteChangeReason::Closed:
        return u"closed"_s;
    case RouteChangeReason::Unreachable:
        return u"unreachable"_s;
    case RouteChangeReason::MoreSpecific:
        return u"more-specific"_s;
    case RouteChangeReason::NewClaimant:
        return u"new-claimant"_s;
    case RouteChangeReason::ClaimWithdrawn:
        return u"claim-withdrawn"_s;
    case RouteChangeReason::Balance:
        return u"balance"_s;
    case RouteChangeReason::Preferred:
        return u"preferred"_s;
    }
    return {};
}

AlgorithmList NodeConfig::defaultAlgorithms()
{
    // Ascending ids and distinct speeds, so that the two sides can never tie (spec §3.6, §13 item 11).
    AlgorithmList list;
    if (algorithmAvailable(Algorithm::Aes256Gcm))
        list.algorithms.append({Algorithm::Aes256Gcm, 2000.0f});
    list.algorithms.append({Algorithm::Chacha20Poly1305, 1500.0f});
    return list;
}

struct MeshNode::FormerPeer {
    SocketAddress address;
    NodeId nodeId {};
    std::unique_ptr<CryptoCore> core;
    TimeMs until = 0;
    TimeMs lastKnock = std::numeric_limits<TimeMs>::min() / 2;
};

struct MeshNode::ConfiguredPeer {
    QString name;
    QList<SocketAddress> resolved;
    int tries = 0;
    TimeMs intervalMs = 1000;
    TimeMs next = 0;
};

MeshNode::MeshNode(NodeConfig config, NodeHost &host, TimeMs now)
    : m_config(std::move(config))
    , m_host(host)
    , m_routes(
          m_table,
          [this](const QByteArray &address) -> std::optional<NodeRef> {
              const std::optional<SocketAddress> target = lookup(address);
              return target ? std::optional<NodeRef>(NodeRef {*target, findPeer(*target)->nodeId}) : std::nullopt;
          },
          [this](const SocketAddress &address) { return hasPeer(address); },
          m_config.balance,
          [this](const Range &range, TimeMs since) { return firstForwardSince(range, since); })
    , m_limiter(m_config.handshakeLimits)
{
    m_random = m_config.random ? m_config.random : std::make_shared<SystemRandomSource>();
    if (m_config.nodeId)
        m_nodeId = *m_config.nodeId;
    else
        m_random->fill(m_nodeId.data(), qsizetype(m_nodeId.size()));
    if (m_config.random) {
        m_jitter = m_config.random;
    } else {
        // Jitter of the probes: seeded from the node id, so a test that fixes the id fixes the schedule.
        quint64 seed = 0;
        for (size_t i = 0; i < m_nodeId.size(); ++i)
            seed = seed * 131 + quint8(m_nodeId[i]);
        m_jitter = std::make_shared<SeededRandomSource>(seed | 1);
    }
    m_trusted = m_config.trustedKeys;
    if (m_trusted.isEmpty())
        m_trusted.append(m_config.identity.publicKey());
    m_ownAddresses = m_config.ownAddresses;
    for (const Range &claim : std::as_const(m_config.claims))
        m_ownClaimServed.append({claim, TimeMs(std::numeric_limits<TimeMs>::min() / 2)});
    m_nextHousekeeping = now + kHousekeepingMs;
    m_nextNodeInfo = now; // first broadcast due at once (spec §6.6)
    m_nextCryptoTick = now + kCryptoTickMs;
}

MeshNode::~MeshNode() = default;

Handshake::Context MeshNode::handshakeContext() const
{
    return {m_config.identity, m_trusted, m_config.algorithms, m_nodeId};
}

bool MeshNode::isOwnAddress(const SocketAddress &address) const
{
    return m_ownAddresses.contains(address);
}

void MeshNode::countInvalid(QByteArrayView datagram)
{
    ++m_counters.invalidPackets;
    m_counters.invalidBytes += quint64(datagram.size());
}

// ---------------------------------------------------------------------------------------------- receiving

void MeshNode::handleDatagram(const SocketAddress &from, QByteArrayView datagram, TimeMs now)
{
    if (m_closed || datagram.isEmpty())
        return; // empty datagrams come from VpnCloud's simultaneous open (spec §3.11)
    Peer *peer = findPeer(from);
    if (quint8(datagram[0]) == 0xFF) {
        if (peer && !peer->core && datagram.size() == 1) {
            // Plaintext CLOSE is a lone 0xFF byte; VpnCloud loses it (spec §1.4), we honour it.
            removePeer(from, DisconnectReason::Closed, now);
            return;
        }
        handleInit(from, datagram, now);
        return;
    }
    if (peer) {
        handleSealed(*peer, datagram, now);
        return;
    }
    if (!tryRoam(from, datagram, now))
        countInvalid(datagram); // non-init message from an unknown peer, or before the handshake completed
}

bool MeshNode::admitInit(const SocketAddress &from, QByteArrayView datagram, TimeMs now)
{
    if (m_limiter.admit(from, now) == HandshakeLimiter::Verdict::Admitted)
        return true;
    ++m_counters.rateLimited;
    countInvalid(datagram);
    return false;
}

void MeshNode::handleInit(const SocketAddress &from, QByteArrayView datagram, TimeMs now)
{
    Peer *peer = findPeer(from);
    const auto found = m_pending.find(from);
    Handshake *state = found != m_pending.end() ? found->second.get() : nullptr;
    // An exact copy of what a state last answered (a retransmitted PING, a duplicated PONG; or a replay) is answered
    // again, rate-limited, without any crypto: one captured PING replayed from one address costs a compare.
    Handshake *answering = state ? state : (peer ? peer->finished.get() : nullptr);
    if (answering && answering->answers(datagram)) {
        ++m_counters.duplicateInits;
        const QByteArray again = answering->resendLimited(now);
        if (again.isEmpty()) {
            countInvalid(datagram);
        } else if (peer && answering == peer->finished.get()) {
            sendRaw(*peer, again);
        } else {
            m_host.sendDatagram(from, again);
            ++m_counters.txPackets;
            m_counters.txBytes += quint64(again.size());
        }
        return;
    }
    const bool probeAnswer = peer && peer->liveness.probing() && state && state->isInitiator() && !state->isFinished();
    if (peer && !peer->establishedBy.isEmpty() && datagram == peer->establishedBy && !probeAnswer) {
        // A copy of the PENG that completed the session (duplicated on the way, or replayed): nothing to do. While
        // we probe the peer it is the answer a VpnCloud node gives to our PING (spec §3.10), handled below.
        ++m_counters.duplicateInits;
        countInvalid(datagram);
        return;
    }
    // Anything that may create or restart responder work (key pair, key agreement, signed PONG) is a PING (or
    // claims no stage; the signature check tells). Each address starts such work at most once per
    // kResponderRestartMs: the initiator retransmits its PING, so a real restart waits at most that long.
    const std::optional<Stage> stage = peekStage(datagram);
    const bool ping = !stage || *stage == Stage::Ping;
    if (ping && state && state->isResponder()
        && (state->recentPings().contains(datagram) || (peer && peer->recentPings.contains(datagram)))) {
        // A PING this address already had answered, while a newer one is being answered: a replay (an initiator
        // only retransmits its latest PING). Ignored, so that replays of a few captured PINGs cannot keep taking the
        // restarts a restarted peer's new PING needs.
        ++m_counters.duplicateInits;
        countInvalid(datagram);
        return;
    }
    if (ping) {
        TimeMs started = peer ? peer->responderStartedAt : std::numeric_limits<TimeMs>::min();
        if (state && state->isResponder())
            started = std::max(started, state->respondedAt());
        if (now < started + kResponderRestartMs) {
            ++m_counters.rateLimited;
            countInvalid(datagram);
            return;
        }
    }
    // Sources without an established session pay for every PING, and for anything else unless a handshake is in
    // progress with them, from HandshakeLimiter (per source and global budget), before any signature check. The
    // rest (a peer's messages; PONG or PENG for our states) comes from a known address: its allowance bounds what a
    // spoofer of that one address can cost, and a flood from elsewhere cannot take it away.
    const bool paid = !peer && (ping || !state);
    if (paid) {
        if (!admitInit(from, datagram, now))
            return;
    } else if (!(state ? state->allowance() : peer->initAllowance).take(now)) {
        ++m_counters.rateLimited;
        countInvalid(datagram);
        return;
    }
    Result<InitMessage> message = InitMessage::decode(datagram, m_trusted);
    // Only a matching key tag leads to the (expensive) signature check; garbage costs no budget.
    if (paid && (message || (message.error().code != u"untrusted-peer"_s && message.error().code != u"truncated"_s)))
        m_limiter.charge(kVerifyCost, now);
    if (!message) {
        countInvalid(datagram);
        return;
    }
    const Handshake::Context context = handshakeContext();
    if (const auto pending = m_pending.find(from); pending != m_pending.end()) {
        if (peer && peer->liveness.probing() && message->stage == Stage::Peng && pending->second->isInitiator()
            && !pending->second->isFinished() && saltedIdMatches(message->saltedNodeId, idView(peer->nodeId))) {
            // Our probe reached a VpnCloud node that initiated the session less than a minute ago: it still has
            // that handshake and answers any PING with its PENG (spec §3.10). Signed by the peer's key and sent
            // for our probe, that proves the node alive; the session stays as it is. The probe state goes, so a
            // later probe starts afresh instead of trading PING and PENG with the old state.
            m_pending.erase(pending);
            if (peer->liveness.onReceived(m_config.liveness, now))
                ++m_counters.probesAnswered;
            return;
        }
        const TimeMs respondedBefore = pending->second->respondedAt();
        const bool responder = pending->second->isResponder();
        Handshake::Output output = pending->second->handle(context, *message, now, datagram);
        if (pending->second->respondedAt() != respondedBefore) {
            // A restarted responder (a new PING, or a simultaneous open we gave up).
            if (paid)
                m_limiter.charge(kRespondCost, now);
            pending->second->recentPings().add(datagram);
            if (peer) {
                peer->responderStartedAt = now;
                peer->recentPings.add(datagram);
            }
        }
        const bool completed = responder && output.established;
        processHandshakeOutput(from, std::move(output), now);
        if (Peer *established = completed ? findPeer(from) : nullptr)
            established->establishedBy = datagram.toByteArray();
        return;
    }
    if (peer && peer->finished
        && !(message->stage == Stage::Ping && message->saltedNodeId != peer->finished->peerSaltedId())) {
        // A duplicate PONG (or PING) of the session we initiated: answer with our PENG again (spec §3.10).
        Handshake::Output output = peer->finished->handle(context, *message, now);
        if (!output.send.isEmpty())
            sendRaw(*peer, output.send);
        return;
    }
    if (message->stage != Stage::Ping) {
        countInvalid(datagram); // stray PONG/PENG: harmless, the established session is not affected
        return;
    }
    if (peerTableFull(from, now) || !makeRoomForHandshake(from, true)) {
        countInvalid(datagram);
        return;
    }
    if (paid)
        m_limiter.charge(kRespondCost, now);
    if (peer) {
        peer->responderStartedAt = now;
        peer->recentPings.add(datagram);
    }
    std::unique_ptr<Handshake> responder = Handshake::respond(context, currentNodeInfo(), now);
    responder->recentPings().add(datagram);
    Handshake::Output output = responder->handle(context, *message, now, datagram);
    if (output.fatal) {
        ++m_counters.handshakesFailed;
        m_host.onEvent(HandshakeFailedEvent {from, *output.fatal});
        return;
    }
    m_pending[from] = std::move(responder);
    m_host.onEvent(PeerConnectingEvent {from});
    processHandshakeOutput(from, std::move(output), now);
}

bool MeshNode::makeRoomForHandshake(const SocketAddress &from, bool responder)
{
    // Unfinished responder states are what a flood creates (anyone can replay a signed PING), so they make room,
    // oldest first; our own attempts (initiator states) are never evicted.
    const HandshakeLimiter::SourceKey key = HandshakeLimiter::sourceKey(from);
    const auto end = m_pending.end();
    auto oldest = end;
    auto oldestOfSource = end;
    int ofSource = 0;
    int responders = 0;
    for (auto it = m_pending.begin(); it != end; ++it) {
        if (it->second->isInitiator())
            continue;
        ++responders;
        if (oldest == end || it->second->createdAt() < oldest->second->createdAt())
            oldest = it;
        if (responder && HandshakeLimiter::sourceKey(it->first) == key) {
            ++ofSource;
            if (oldestOfSource == end || it->second->createdAt() < oldestOfSource->second->createdAt())
                oldestOfSource = it;
        }
    }
    auto victim = end;
    if (ofSource >= kMaxRespondersPerSource)
        victim = oldestOfSource;
    else if ((responder && responders >= kMaxPendingResponders) || int(m_pending.size()) >= kMaxPendingHandshakes)
        victim = oldest;
    else
        return true;
    if (victim == end)
        return false;
    m_pending.erase(victim);
    ++m_counters.handshakesEvicted;
    return true;
}

bool MeshNode::peerTableFull(const SocketAddress &address, TimeMs now)
{
    if (m_peers.size() < m_config.maxPeers || hasPeer(address))
        return false;
    ++m_counters.peerLimitRejected;
    if (now >= m_nextPeerLimitReport) {
        m_nextPeerLimitReport = now + kPeerLimitReportMs;
        m_host.onEvent(
            HandshakeFailedEvent {address, u"peer table full (%1 peers), refusing new peers"_s.arg(m_config.maxPeers)});
    }
    return true;
}

void MeshNode::processHandshakeOutput(const SocketAddress &from, Handshake::Output output, TimeMs now)
{
    if (!output.send.isEmpty()) {
        m_host.sendDatagram(from, output.send);
        ++m_counters.txPackets;
        m_counters.txBytes += quint64(output.send.size());
    }
    if (output.fatal) {
        m_pending.erase(from);
        ++m_counters.handshakesFailed;
        m_host.onEvent(HandshakeFailedEvent {from, *output.fatal});
        return;
    }
    if (output.established) {
        auto node = m_pending.extract(from);
        std::unique_ptr<Handshake> state = node.empty() ? nullptr : std::move(node.mapped());
        Handshake::Established established = std::move(*output.established);
        if (established.peerInfo.nodeId == m_nodeId) {
            // We reached one of our own addresses: remember it, never connect there again.
            if (!m_ownAddresses.contains(from) && m_ownAddresses.size() < kMaxOwnAddresses)
                m_ownAddresses.append(from);
            ++m_counters.handshakesFailed;
            m_host.onEvent(HandshakeFailedEvent {from, u"connected to self"_s});
            return;
        }
        if (peerTableFull(from, now))
            return; // several handshakes finished at once: the table filled up meanwhile
        establish(from, std::move(established), now);
        if (Peer *peer = findPeer(from); peer && state && state->isFinished()) {
            peer->finished = std::move(state);
            peer->finishedUntil = now + Handshake::kFinishedRetentionMs;
        }
    }
}

void MeshNode::establish(const SocketAddress &address, Handshake::Established established, TimeMs now)
{
    const QList<Range> previousClaims = m_table.claimsOf(address);
    auto peer = std::make_unique<Peer>();
    peer->address = address;
    peer->nodeId = established.peerInfo.nodeId;
    peer->advertisedTimeout = established.peerInfo.peerTimeout.value_or(300);
    peer->expiry = now + TimeMs(m_config.peerTimeoutSecs) * 1000;
    peer->connectedSince = now;
    peer->lastReceived = now;
    peer->algorithm = established.algorithm;
    peer->core = std::move(established.core);
    peer->initiator = established.initiator;
    peer->routable = !established.initiator;
    peer->routableAt = now + kRoutableFallbackMs;

    if (Peer *old = findPeer(address)) {
        // A new session replaces the old one at the same address (spec §6.2); keep the old core briefly so
        // packets sealed before the switch still open, and keep routing if the old session was routable.
        Peer &previous = *old;
        peer->previousCore = std::move(previous.core);
        peer->previousCoreUntil = now + kPreviousCoreMs;
        peer->routable = peer->routable || previous.routable;
        peer->connectedSince = previous.nodeId == peer->nodeId ? previous.connectedSince : now;
        peer->rxBytes = previous.rxBytes;
        peer->rxPackets = previous.rxPackets;
        peer->txBytes = previous.txBytes;
        peer->txPackets = previous.txPackets;
        if (previous.nodeId == peer->nodeId) {
            // A renewed session (a probe's handshake, or the peer's): the path works again. Report it once the
            // peer's data flows, if it had stopped (an episode of probes, or a local change or resume).
            if (previous.liveness.probing()) {
                RecoveryCause cause = RecoveryCause::Rebound;
                if (previous.liveness.cause() == ProbeCause::Roamed)
                    cause = RecoveryCause::Roamed;
                else if (previous.liveness.cause() == ProbeCause::Resumed)
                    cause = RecoveryCause::Resumed;
                peer->recovery = Peer::Recovery {cause, previous.liveness.silentSince(), now + kRecoveryReportMs};
                if (previous.liveness.onReceived(m_config.liveness, now))
                    ++m_counters.probesAnswered;
            } else if (previous.recovery) {
                peer->recovery = previous.recovery;
            }
            peer->liveness.inherit(previous.liveness);
        }
        if (previous.nodeId != peer->nodeId) {
            m_table.removePeer(address);
            m_host.onEvent(PeerDisconnectedEvent {{address, previous.nodeId}, DisconnectReason::Replaced});
        }
    }
    Peer &ref = *peer;
    m_peers.insert(std::move(peer));
    m_routeCache.clear();
    invalidatePeerTimers();
    ++m_counters.handshakesCompleted;

    if (ref.core) {
        ref.rotation = std::make_unique<RotationState>(!ref.initiator);
        ref.nextRotation = now + TimeMs(m_config.rotationIntervalSecs) * 1000;
        if (std::optional<RotationMessage> first = ref.rotation->start())
            sendMessage(ref, kTypeRotation, first->encode());
    }
    m_host.onEvent(
        PeerConnectedEvent {{address, ref.nodeId}, established.peerInfo.claims, ref.algorithm, ref.initiator});
    processNodeInfo(ref, established.peerInfo, now);
    updateRoutes(now, RouteChangeReason::NewClaimant, &address, previousClaims);
}

void MeshNode::handleSealed(Peer &peer, QByteArrayView datagram, TimeMs now)
{
    // Messages are opened in place in m_receiveBuffer (or, in a nested call, in a local buffer); plaintext
    // sessions are read straight from the datagram.
    QByteArray local;
    const bool reuse = !m_receiveBufferBusy;
    QByteArray &buffer = reuse ? m_receiveBuffer : local;
    std::optional<BusyGuard> busy;
    if (reuse)
        busy.emplace(m_receiveBufferBusy);
    QByteArrayView plain = datagram;
    if (peer.core) {
        const auto load = [&] {
            buffer.resize(datagram.size());
            std::memcpy(buffer.data(), datagram.data(), size_t(datagram.size()));
        };
        load();
        OpenError error = OpenError::AuthFailed;
        bool opened = peer.core->openInPlace(buffer.data(), buffer.size(), &error);
        if (!opened && peer.previousCore && now < peer.previousCoreUntil && error == OpenError::AuthFailed) {
            load(); // a failed open leaves the buffer unspecified
            opened = peer.previousCore->openInPlace(buffer.data(), buffer.size());
        }
        if (!opened || buffer.size() <= CryptoCore::kOverhead) {
            countInvalid(datagram);
            return;
        }
        plain = QByteArrayView(buffer).sliced(CryptoCore::kHeaderSize, buffer.size() - CryptoCore::kOverhead);
    }
    deliver(peer, plain, datagram.size(), now);
}

void MeshNode::deliver(Peer &peer, QByteArrayView plain, qsizetype datagramSize, TimeMs now)
{
    ++m_counters.rxPackets;
    m_counters.rxBytes += quint64(datagramSize);
    ++peer.rxPackets;
    peer.rxBytes += quint64(datagramSize);
    peer.lastReceived = now;
    if (peer.liveness.onReceived(m_config.liveness, now))
        ++m_counters.probesAnswered;
    if (peer.suspectSince) {
        peer.suspectSince = 0; // an authenticated message proves the peer is alive
        peer.icmpCount = 0;
        invalidatePeerTimers();
    }
    if (!peer.routable) {
        peer.routable = true;
        invalidatePeerTimers();
        m_routeCache.clear();
        updateRoutes(now, RouteChangeReason::NewClaimant, &peer.address);
    }
    const quint8 type = quint8(plain[0]);
    handleMessage(peer, type, plain.sliced(1), now);
}

void MeshNode::handleMessage(Peer &peer, quint8 type, QByteArrayView body, TimeMs now)
{
    switch (type) {
    case kTypeData: {
        m_host.writeToDevice(body);
        if (peer.recovery) [[unlikely]] {
            if (now <= peer.recovery->until) {
                ++m_counters.pathRecoveries;
                m_host.onEvent(PathRecoveredEvent {{peer.address, peer.nodeId},
                    peer.recovery->cause,
                    std::max<qint64>(now - peer.recovery->since, 0),
                    {}});
            }
            peer.recovery.reset();
        }
        const bool learning = m_config.mode == Mode::Switch
            || (m_config.mode == Mode::Normal && m_config.deviceType == DeviceType::Tap);
        if (!learning && m_ownClaimServed.isEmpty())
            return;
        const auto markServed = [this, now](const QByteArray &destination) {
            for (auto &[range, lastServed] : m_ownClaimServed) {
                if (range.matches(destination))
                    lastServed = now;
            }
        };
        if (!learning && m_config.deviceType == DeviceType::Tun) {
            // Only our claims' activity to note: the destination is a view into the packet (no allocation).
            const QByteArrayView destination = tunDestination(body);
            if (!destination.isEmpty())
                markServed(QByteArray::fromRawData(destination.data(), destination.size()));
            return;
        }
        const std::optional<PacketAddresses> addresses = extractAddresses(m_config.deviceType, body);
        if (!addresses)
            return;
        if (learning && !isBroadcastOrMulticast(m_config.deviceType, addresses->source)
            && (m_learned.size() < kMaxLearned || m_learned.contains(addresses->source)))
            m_learned.insert(addresses->source, {peer.address, now + TimeMs(m_config.switchTimeoutSecs) * 1000});
        markServed(addresses->destination);
        return;
    }
    case kTypeNodeInfo: {
        Result<NodeInfo> info = NodeInfo::decode(body);
        if (!info) {
            ++m_counters.invalidPackets;
            return;
        }
        peer.expiry = now + TimeMs(m_config.peerTimeoutSecs) * 1000;
        processNodeInfo(peer, *info, now);
        return;
    }
    case kTypeKeepalive:
        peer.expiry = now + TimeMs(m_config.peerTimeoutSecs) * 1000;
        return;
    case kTypeRotation: {
        if (!peer.core || !peer.rotation)
            return;
        Result<RotationMessage> message = RotationMessage::decode(body);
        if (!message) {
            ++m_counters.invalidPackets;
            return;
        }
        if (std::optional<RotationKey> key = peer.rotation->receive(*message)) {
            peer.core->installKey(key->slot, key->key.view(), key->forSending);
            m_host.onEvent(KeyRotatedEvent {peer.address, key->slot});
        }
        return;
    }
    case kTypeClose:
        removePeer(peer.address, DisconnectReason::Closed, now);
        return;
    default:
        ++m_counters.invalidPackets;
        return;
    }
}

void MeshNode::processNodeInfo(Peer &peer, const NodeInfo &info, TimeMs now)
{
    QList<SocketAddress> addresses {peer.address};
    for (const SocketAddress &address : info.addresses) {
        if (!addresses.contains(address))
            addresses.append(address);
    }
    peer.addresses = addresses;

    const QList<Range> previousClaims = m_table.claimsOf(peer.address);
    if (m_table.update(
            peer.address, limitClaims(peer.address, info.claims), now + TimeMs(m_config.peerTimeoutSecs) * 1000)) {
        m_routeCache.clear();
        m_host.onEvent(ClaimsChangedEvent {});
        updateRoutes(now, std::nullopt, &peer.address, previousClaims);
    }

    // Full mesh (spec §6.5): connect to every node we hear about.
    const SocketAddress self = peer.address;
    for (const PeerListEntry &entry : info.peers) {
        const bool known = std::any_of(
            entry.addresses.begin(), entry.addresses.end(), [&](const SocketAddress &a) { return hasPeer(a); });
        if (known)
            continue;
        if (entry.nodeId && *entry.nodeId == m_nodeId) {
            for (const SocketAddress &address : entry.addresses) {
                if (!m_ownAddresses.contains(address) && m_ownAddresses.size() < kMaxOwnAddresses)
                    m_ownAddresses.append(address);
            }
            continue;
        }
        if (entry.nodeId && m_peers.containsNodeId(*entry.nodeId))
            continue;
        connectToNode(entry.addresses, now);
        if (!hasPeer(self))
            return; // defensive: nothing above removes peers, but never touch a dangling reference
    }
}

QList<Range> MeshNode::limitClaims(const SocketAddress &peer, const QList<Range> &claims)
{
    const qsizetype others = qsizetype(m_table.entries().size()) - m_table.countOf(peer);
    const qsizetype room = std::clamp<qsizetype>(
        std::min<qsizetype>(m_config.maxClaimsPerPeer, m_config.maxClaims - others), 0, claims.size());
    if (room == claims.size())
        return claims;
    m_counters.claimsIgnored += quint64(claims.size() - room);
    return claims.first(room);
}

// ---------------------------------------------------------------------------------------------- connecting

void MeshNode::connectToNode(const QList<SocketAddress> &addresses, TimeMs now)
{
    for (const SocketAddress &address : addresses) {
        if (hasPeer(address) || isOwnAddress(address) || m_pending.contains(address))
            return;
    }
    for (const SocketAddress &address : addresses)
        connectTo(address, now);
}

void MeshNode::connectTo(const SocketAddress &address, TimeMs now)
{
    if (m_closed || address.port() == 0 || address.isUnspecified() || hasPeer(address) || isOwnAddress(address)
        || m_pending.contains(address) || m_peers.size() >= m_config.maxPeers)
        return;
    if (!makeRoomForHandshake(address, false))
        return;
    std::unique_ptr<Handshake> state = Handshake::initiate(handshakeContext(), currentNodeInfo(), now);
    const QByteArray ping = state->lastMessage();
    m_pending[address] = std::move(state);
    m_host.onEvent(PeerConnectingEvent {address});
    m_host.sendDatagram(address, ping);
    ++m_counters.txPackets;
    m_counters.txBytes += quint64(ping.size());
}

void MeshNode::addConfiguredPeer(const QString &name, const QList<SocketAddress> &resolved, TimeMs now)
{
    connectToNode(resolved, now);
    m_configured.push_back({name, resolved, 0, 1000, now});
}

void MeshNode::updateConfiguredPeer(const QString &name, const QList<SocketAddress> &resolved, TimeMs now)
{
    for (ConfiguredPeer &entry : m_configured) {
        if (entry.name != name || resolved.isEmpty() || entry.resolved == resolved)
            continue;
        // New addresses: the back-off earned by the old ones (or by none at all) does not apply to them.
        entry.resolved = resolved;
        entry.tries = 0;
        entry.intervalMs = 1000;
        entry.next = now + entry.intervalMs;
        connectToNode(resolved, now);
    }
}

void MeshNode::reconnectConfigured(TimeMs now)
{
    for (ConfiguredPeer &entry : m_configured) {
        if (entry.next <= now)
            connectToNode(entry.resolved, now);
        const bool connected = std::any_of(
            entry.resolved.begin(), entry.resolved.end(), [&](const SocketAddress &a) { return hasPeer(a); });
        if (connected) {
            entry.tries = 0;
            entry.intervalMs = 1000;
            entry.next = now + 1000;
            continue;
        }
        if (entry.next > now)
            continue;
        if (++entry.tries > 10) {
            entry.tries = 0;
            entry.intervalMs *= 2;
        }
        entry.intervalMs = std::min<TimeMs>(entry.intervalMs, 3600'000);
        entry.next = now + entry.intervalMs;
    }
}

void MeshNode::addOwnClaim(const Range &range)
{
    if (m_config.claims.contains(range))
        return;
    m_config.claims.append(range);
    m_ownClaimServed.append({range, TimeMs(std::numeric_limits<TimeMs>::min() / 2)});
}

void MeshNode::setOwnAddresses(const QList<SocketAddress> &addresses)
{
    m_ownAddresses = addresses;
}

// ---------------------------------------------------------------------------------------------- sending

void MeshNode::sendRaw(Peer &peer, QByteArrayView datagram)
{
    m_host.sendDatagram(peer.address, datagram);
    ++m_counters.txPackets;
    m_counters.txBytes += quint64(datagram.size());
    ++peer.txPackets;
    peer.txBytes += quint64(datagram.size());
}

void MeshNode::sendMessage(Peer &peer, quint8 type, QByteArrayView body)
{
    // Sealed in m_sendBuffer, which keeps its capacity: no allocation per packet (a nested call, from a host
    // that delivers synchronously, uses a local buffer).
    QByteArray local;
    const bool reuse = !m_sendBufferBusy;
    QByteArray &buffer = reuse ? m_sendBuffer : local;
    std::optional<BusyGuard> busy;
    if (reuse)
        busy.emplace(m_sendBufferBusy);
    const qsizetype header = peer.core ? CryptoCore::kHeaderSize : 0;
    const qsizetype size = header + 1 + body.size() + (peer.core ? Aead::kTagSize : 0);
    buffer.resize(size);
    buffer[header] = char(type);
    if (!body.isEmpty())
        std::memcpy(buffer.data() + header + 1, body.data(), size_t(body.size()));
    if (peer.core)
        peer.core->sealInPlace(buffer.data(), buffer.size());
    sendRaw(peer, buffer);
}

void MeshNode::forwardToPeer(Peer &peer, QByteArrayView packet)
{
    sendMessage(peer, kTypeData, packet);
}

void MeshNode::handleDevicePacket(QByteArrayView packet, TimeMs now)
{
    if (m_closed)
        return;
    // TUN: the destination is a view into the packet (no allocation); tables store deep copies (ownedKey()).
    QByteArray destination;
    if (m_config.deviceType == DeviceType::Tun) {
        const QByteArrayView view = tunDestination(packet);
        if (!view.isEmpty())
            destination = QByteArray::fromRawData(view.data(), view.size());
    } else if (std::optional<PacketAddresses> addresses = extractAddresses(m_config.deviceType, packet)) {
        destination = std::move(addresses->destination);
    }
    if (destination.isEmpty()) {
        ++m_counters.droppedPackets;
        m_counters.droppedBytes += quint64(packet.size());
        return;
    }
    const bool learning
        = m_config.mode == Mode::Switch || (m_config.mode == Mode::Normal && m_config.deviceType == DeviceType::Tap);
    std::optional<SocketAddress> target;
    if (learning) {
        const auto it = m_learned.constFind(destination);
        if (it != m_learned.cend() && it->second >= now)
            target = it->first;
    }
    if (!target)
        target = lookup(destination);
    if (target) {
        if (Peer *peer = findPeer(*target)) {
            forwardToPeer(*peer, packet);
            // Unicast data expects an answer sooner or later: arm the silence timer (liveness).
            if (m_config.fastFailover && peer->liveness.onSent(now))
                m_livenessDeadline = std::min(m_livenessDeadline, peer->liveness.deadline(m_config.liveness));
            if (const auto used = m_usedRoutes.find(destination); used != m_usedRoutes.end()) {
                // The peer was heard from since the first packet of the current run: this one starts a new run.
                if (used->firstUnanswered <= peer->lastReceived)
                    used->firstUnanswered = now;
                used->lastSent = now;
            } else if (m_usedRoutes.size() < kMaxUsedRoutes) {
                m_usedRoutes.insert(ownedKey(destination), UsedRoute {now, now});
            }
            return;
        }
    }
    const bool flood = m_config.mode == Mode::Hub || learning;
    if (flood && !m_peers.empty()) {
        for (auto &[address, peer] : m_peers)
            forwardToPeer(*peer, packet);
        return;
    }
    ++m_counters.droppedPackets;
    m_counters.droppedBytes += quint64(packet.size());
}

void MeshNode::broadcastNodeInfo(TimeMs)
{
    if (m_peers.empty())
        return;
    const QByteArray info = currentNodeInfo().encode();
    for (auto &[address, peer] : m_peers)
        sendMessage(*peer, kTypeNodeInfo, info);
}

TimeMs MeshNode::nodeInfoInterval() const
{
    const qint64 ownTimeout = m_config.peerTimeoutSecs;
    const qint64 keepalive
        = m_config.keepaliveSecs ? qint64(*m_config.keepaliveSecs) : std::max<qint64>(ownTimeout / 2 - 60, 1);
    qint64 minTimeout = 300;
    if (!m_peers.empty()) {
        minTimeout = std::numeric_limits<qint64>::max();
        for (const auto &[address, peer] : m_peers)
            minTimeout = std::min<qint64>(minTimeout, peer->advertisedTimeout);
    }
    // VpnCloud computes Tmin/2 - 60 unsigned, which wraps for Tmin < 120; we instead make sure such a peer still
    // hears from us within its timeout.
    const qint64 peerBound = minTimeout >= 122 ? minTimeout / 2 - 60 : std::max<qint64>(minTimeout / 2, 1);
    return std::max<qint64>(std::min(keepalive, peerBound), 1) * 1000;
}

NodeInfo MeshNode::currentNodeInfo() const
{
    NodeInfo info;
    info.nodeId = m_nodeId;
    info.peerTimeout = quint16(std::min<quint32>(m_config.peerTimeoutSecs, 65535));
    info.claims = m_config.claims;
    info.addresses = m_ownAddresses;
    // With more peers than fit, a random subset (spec §5.3.1), so that every peer is announced sooner or later.
    std::vector<const Peer *> chosen;
    chosen.reserve(size_t(std::min<qsizetype>(qsizetype(m_peers.size()), kMaxPeerListEntries)));
    quint32 seen = 0;
    for (const auto &[address, peer] : m_peers) {
        if (chosen.size() < size_t(kMaxPeerListEntries))
            chosen.push_back(peer.get());
        else if (const quint32 j = m_random->bounded(seen + 1); j < quint32(kMaxPeerListEntries))
            chosen[j] = peer.get();
        ++seen;
    }
    for (const Peer *peer : chosen) {
        PeerListEntry entry;
        entry.nodeId = peer->nodeId;
        for (const SocketAddress &a : peer->addresses)
            entry.addresses.append(a == peer->address ? a.withV4Form(false) : a);
        info.peers.append(entry);
    }
    return info;
}

// ---------------------------------------------------------------------------------------------- peers leaving

void MeshNode::removePeer(const SocketAddress &address, DisconnectReason reason, TimeMs now)
{
    const std::unique_ptr<Peer> peer = m_peers.extract(address);
    if (!peer)
        return;
    const QList<Range> previousClaims = m_table.claimsOf(address);
    const bool hadClaims = m_table.removePeer(address);
    m_routeCache.clear();
    invalidatePeerTimers();
    m_learned.removeIf([&](const auto &it) { return it.value().first == address; });
    m_host.onEvent(PeerDisconnectedEvent {{address, peer->nodeId}, reason});
    if (hadClaims)
        m_host.onEvent(ClaimsChangedEvent {});
    RouteChangeReason routeReason = RouteChangeReason::Timeout;
    if (reason == DisconnectReason::Closed || reason == DisconnectReason::Shutdown)
        routeReason = RouteChangeReason::Closed;
    else if (reason == DisconnectReason::Unreachable)
        routeReason = RouteChangeReason::Unreachable;
    else if (reason == DisconnectReason::Silent)
        routeReason = RouteChangeReason::Silent;
    if (peer->core
        && (reason == DisconnectReason::Timeout || reason == DisconnectReason::Silent
            || reason == DisconnectReason::Unreachable)) {
        if (m_formerPeers.size() >= kMaxFormerPeers)
            m_formerPeers.erase(m_formerPeers.begin());
        std::erase_if(m_formerPeers, [&](const FormerPeer &f) { return f.address == address; });
        m_formerPeers.push_back(FormerPeer {address, peer->nodeId, std::move(peer->core), now + kFormerPeerMs});
    }
    // The address was unreachable since the old node's last sign of life; for a silent peer, since the first data
    // it left unanswered (it may have been quiet before without anything being lost).
    TimeMs lastSeen = peer->lastReceived;
    if (reason == DisconnectReason::Silent && peer->liveness.silentSince())
        lastSeen = std::max(lastSeen, peer->liveness.silentSince());
    reportRouteChanges(m_routes.peerLeft(address, lastSeen, routeReason, now, previousClaims, peer->lastReceived));
}

void MeshNode::handleUnreachable(const SocketAddress &target, TimeMs now)
{
    if (m_closed)
        return;
    if (const auto pending = m_pending.find(target); pending != m_pending.end() && pending->second->isResponder()) {
        // Nobody at the address takes our PONG: the PING was spoofed, or its sender is gone. Stop sending there
        // (a spoofed ICMP error only costs a real initiator a retransmission of its PING).
        m_pending.erase(pending);
        ++m_counters.respondersExpired;
    }
    if (!m_config.fastFailover)
        return;
    Peer *peer = findPeer(target);
    if (!peer)
        return;
    ++peer->icmpCount;
    invalidatePeerTimers();
    if (peer->suspectSince)
        return;
    peer->suspectSince = now;
    // ICMP is unauthenticated: probe with a fresh handshake. A live peer answers with a signed PONG (which also
    // clears the suspicion and renews the session); a dead one makes its host answer with another ICMP error.
    if (!m_pending.contains(target))
        startProbeHandshake(target, now);
}

void MeshNode::checkSuspects(TimeMs now)
{
    if (!peerTimers().suspects)
        return;
    invalidatePeerTimers();
    std::vector<SocketAddress> dead;
    for (auto &[address, peer] : m_peers) {
        if (!peer->suspectSince || now < peer->suspectSince + m_config.suspectGraceMs)
            continue;
        if (peer->icmpCount >= 2 && peer->lastReceived < peer->suspectSince) {
            dead.push_back(address);
        } else if (now >= peer->suspectSince + 10 * TimeMs(m_config.suspectGraceMs)) {
            peer->suspectSince = 0; // inconclusive evidence expires
            peer->icmpCount = 0;
        }
    }
    for (const SocketAddress &address : dead) {
        removePeer(address, DisconnectReason::Unreachable, now);
        connectTo(address, now); // keep knocking: a restarted process is back within a second
    }
}

// ---------------------------------------------------------------------------------------------- liveness

void MeshNode::sendProbe(Peer &peer, TimeMs now)
{
    // The probe is a handshake PING: the one message a VpnCloud node answers with a signed reply (a PONG only the
    // live peer can make for our fresh key). Repeats re-send the same PING, which a responder answers with its
    // PONG again; the finished handshake renews the session (the old key stays valid for a while).
    const SocketAddress address = peer.address;
    if (const auto pending = m_pending.find(address); pending != m_pending.end()) {
        if (pending->second->isFinished() || pending->second->lastMessage().isEmpty())
            return;
        m_host.sendDatagram(address, pending->second->lastMessage());
    } else if (!startProbeHandshake(address, now)) {
        return;
    }
    ++m_counters.probesSent;
    ++m_counters.txPackets;
}

bool MeshNode::startProbeHandshake(const SocketAddress &address, TimeMs now)
{
    if (!makeRoomForHandshake(address, false))
        return false;
    std::unique_ptr<Handshake> state = Handshake::initiate(handshakeContext(), currentNodeInfo(), now);
    const QByteArray ping = state->lastMessage();
    m_pending[address] = std::move(state);
    m_host.sendDatagram(address, ping);
    return true;
}

void MeshNode::checkLiveness(TimeMs now)
{
    m_livenessDeadline = std::numeric_limits<TimeMs>::max();
    if (!m_config.fastFailover)
        return;
    std::vector<SocketAddress> probe;
    std::vector<SocketAddress> dead;
    // The node's probe budget (a token bucket): a network change with a thousand peers spreads its probes over a
    // few seconds instead of sending a thousand handshakes at once. Peers due meanwhile wait for the next token.
    const double rate = std::max(1, m_config.maxProbesPerSecond);
    m_probeTokens = std::min(rate, m_probeTokens + double(now - m_probeTokensAt) * rate / 1000.0);
    m_probeTokensAt = now;
    bool deferred = false;
    for (auto &[address, peer] : m_peers) {
        if (m_probeTokens < 1.0 && peer->liveness.deadline(m_config.liveness) <= now) {
            deferred = true;
            continue;
        }
        switch (peer->liveness.poll(m_config.liveness, now, m_jitter->generate())) {
        case PeerLiveness::Action::Probe:
            probe.push_back(address);
            m_probeTokens -= 1.0;
            break;
        case PeerLiveness::Action::Dead:
            dead.push_back(address);
            break;
        case PeerLiveness::Action::None:
            break;
        }
    }
    for (const SocketAddress &address : probe) {
        if (Peer *peer = findPeer(address))
            sendProbe(*peer, now);
    }
    for (const SocketAddress &address : dead) {
        ++m_counters.silentPeers;
        removePeer(address, DisconnectReason::Silent, now);
        connectTo(address, now); // keep knocking: a frozen process or a healed link comes back
    }
    for (const auto &[address, peer] : m_peers)
        m_livenessDeadline = std::min(m_livenessDeadline, peer->liveness.deadline(m_config.liveness));
    if (deferred) {
        ++m_counters.probesDeferred;
        m_livenessDeadline = std::max(m_livenessDeadline, now + TimeMs(std::ceil(1000.0 / rate)));
    }
}

void MeshNode::localNetworkChanged(TimeMs now)
{
    if (m_closed)
        return;
    if (m_config.fastFailover) {
        for (auto &[address, peer] : m_peers)
            peer->liveness.startEpisode(ProbeCause::Roamed, now);
        m_livenessDeadline = now;
    }
    for (ConfiguredPeer &configured : m_configured) {
        configured.tries = 0;
        configured.intervalMs = 1000;
        configured.next = now;
    }
    reconnectConfigured(now);
    checkLiveness(now);
}

void MeshNode::resumed(TimeMs now, TimeMs pausedMs)
{
    if (m_closed)
        return;
    Q_UNUSED(pausedMs);
    // Nothing could be heard while we were away: every peer gets a full timeout from now, and a probe decides.
    const TimeMs timeout = TimeMs(m_config.peerTimeoutSecs) * 1000;
    for (auto &[address, peer] : m_peers) {
        peer->expiry = std::max(peer->expiry, now + timeout);
        if (m_config.fastFailover)
            peer->liveness.startEpisode(ProbeCause::Resumed, now);
    }
    if (m_config.fastFailover)
        m_livenessDeadline = now;
    for (ConfiguredPeer &configured : m_configured) {
        configured.tries = 0;
        configured.intervalMs = 1000;
        configured.next = now;
    }
    reconnectConfigured(now);
    checkLiveness(now);
}

bool MeshNode::tryRoam(const SocketAddress &from, QByteArrayView datagram, TimeMs now)
{
    if (!m_config.fastFailover || m_closed || datagram.size() <= CryptoCore::kOverhead || isOwnAddress(from))
        return false;
    if (now - m_roamWindowStart >= 1000) {
        m_roamWindowStart = now;
        m_roamAttemptsInWindow = 0;
    }
    if (m_roamAttemptsInWindow >= m_config.roamAttemptsPerSecond)
        return false;
    ++m_roamAttemptsInWindow;
    ++m_counters.roamAttempts;
    QByteArray buffer;
    const auto opens = [&](CryptoCore &core) {
        buffer = datagram.toByteArray();
        return core.openInPlace(buffer.data(), buffer.size()) && buffer.size() > CryptoCore::kOverhead;
    };
    // 1. A live session moved: the peer roamed (a laptop changed networks, its NAT rebound). A message only the
    //    peer can seal, and fresh (the replay window rejects a copy), moves the peer, as WireGuard roams.
    const auto pending = m_pending.find(from);
    for (auto &[address, peer] : m_peers) {
        if (pending != m_pending.end())
            break; // a handshake with this address is under way: its session decides, no peer moves there
        if (!peer->core || address == from)
            continue;
        const bool current = opens(*peer->core);
        if (!current && !(peer->previousCore && now < peer->previousCoreUntil && opens(*peer->previousCore)))
            continue;
        Peer &moved = *peer;
        movePeer(moved, from, now);
        const QByteArrayView plain
            = QByteArrayView(buffer).sliced(CryptoCore::kHeaderSize, buffer.size() - CryptoCore::kOverhead);
        deliver(moved, plain, datagram.size(), now);
        return true;
    }
    // 2. A former peer's session: it slept through its timeout here and still believes in the session. Start a
    //    handshake towards it (it answers a PING like any node); at most one per second per former peer.
    for (FormerPeer &former : m_formerPeers) {
        if (!former.core || !opens(*former.core))
            continue;
        if (now - former.lastKnock >= kKnockIntervalMs) {
            former.lastKnock = now;
            ++m_counters.knocks;
            // First a CLOSE in the old session, so the peer drops it: a VpnCloud node that initiated that session
            // less than a minute ago would otherwise answer our PING with its old PENG (spec §3.10) until then.
            // Then the PING, which the peer now answers like any new one.
            QByteArray close(CryptoCore::kHeaderSize + 1 + Aead::kTagSize, '\0');
            close[CryptoCore::kHeaderSize] = char(kTypeClose);
            former.core->sealInPlace(close.data(), close.size());
            m_host.sendDatagram(from, close);
            // Our reconnect attempt may be waiting for its next retransmission (spec §6.7 reconnects at once
            // after a timeout): the peer is back, so send its PING now.
            if (pending != m_pending.end() && pending->second->isInitiator() && !pending->second->isFinished()
                && !pending->second->lastMessage().isEmpty())
                m_host.sendDatagram(from, pending->second->lastMessage());
            else
                connectTo(from, now);
        }
        return true;
    }
    return false;
}

void MeshNode::movePeer(Peer &peer, const SocketAddress &to, TimeMs now)
{
    const SocketAddress from = peer.address;
    // The peer keeps its identity (the reference stays valid); a stale peer at the new address is replaced.
    if (const std::unique_ptr<Peer> stale = m_peers.move(from, to)) {
        m_table.removePeer(to);
        m_host.onEvent(PeerDisconnectedEvent {{to, stale->nodeId}, DisconnectReason::Replaced});
    }
    const TimeMs silentSince = peer.liveness.silentSince();
    peer.addresses.removeAll(from);
    peer.addresses.prepend(to);
    m_table.renamePeer(from, to);
    for (auto it = m_learned.begin(); it != m_learned.end(); ++it) {
        if (it.value().first == from)
            it.value().first = to;
    }
    if (peer.liveness.onReceived(m_config.liveness, now))
        ++m_counters.probesAnswered;
    m_routeCache.clear();
    invalidatePeerTimers();
    ++m_counters.peersRoamed;
    ++m_counters.pathRecoveries;
    m_host.onEvent(PathRecoveredEvent {
        {to, peer.nodeId}, RecoveryCause::PeerRoamed, silentSince ? std::max<qint64>(now - silentSince, 0) : 0, from});
    // Routes served at the old address now go to the new one (same node, same claims and their order).
    reportRouteChanges(m_routes.peerRoamed(from, to, peer.nodeId));
}

// ---------------------------------------------------------------------------------------------- routing

std::optional<SocketAddress> MeshNode::routeFor(const QByteArray &destination) const
{
    return lookup(destination);
}

std::optional<SocketAddress> MeshNode::lookup(const QByteArray &destination) const
{
    if (const auto it = m_routeCache.constFind(destination); it != m_routeCache.cend())
        return *it;
    const auto eligible = [this](const SocketAddress &address) {
        const Peer *peer = findPeer(address);
        return peer && peer->routable;
    };
    const std::vector<const ClaimTable::Entry *> best = m_table.bestMatches(destination, eligible);
    if (best.empty())
        return std::nullopt;
    const ClaimTable::Entry *chosen = best.front();
    if (m_config.balance && best.size() > 1) {
        // Rendezvous hashing: stable per (client, destination), and only the failed node's share moves.
        size_t bestScore = 0;
        for (const ClaimTable::Entry *entry : best) {
            const NodeId &id = findPeer(entry->peer)->nodeId;
            QByteArray key = idView(m_nodeId).toByteArray() + destination + idView(id).toByteArray();
            const size_t score = qHashBits(key.constData(), size_t(key.size()), 0x9e3779b9);
            if (score >= bestScore) {
                bestScore = score;
                chosen = entry;
            }
        }
    }
    if (m_routeCache.size() >= kMaxRouteCache)
        m_routeCache.clear();
    m_routeCache.insert(ownedKey(destination), chosen->peer);
    return chosen->peer;
}

void MeshNode::updateRoutes(
    TimeMs now, std::optional<RouteChangeReason> hint, const SocketAddress *changed, const QList<Range> &previousClaims)
{
    reportRouteChanges(m_routes.update(now, hint, changed, previousClaims));
}

std::optional<TimeMs> MeshNode::firstForwardSince(const Range &range, TimeMs since) const
{
    // Only destinations with a packet after \a since count; their run started after it at the earliest.
    const auto startOf = [since](const UsedRoute &used) {
        return used.lastSent > since ? std::optional(std::max(used.firstUnanswered, since)) : std::nullopt;
    };
    if (range.prefixLength >= range.address.size() * 8) {
        const auto it = m_usedRoutes.constFind(range.address);
        return it == m_usedRoutes.cend() ? std::nullopt : startOf(it.value());
    }
    std::optional<TimeMs> first;
    for (auto it = m_usedRoutes.cbegin(); it != m_usedRoutes.cend(); ++it) {
        if (!range.matches(it.key()))
            continue;
        if (const std::optional<TimeMs> start = startOf(it.value()); start && (!first || *start < *first))
            first = start;
    }
    return first;
}

void MeshNode::reportRouteChanges(const QList<RouteChangedEvent> &events)
{
    for (const RouteChangedEvent &event : events) {
        ++m_counters.routeChanges;
        m_host.onEvent(event);
    }
}

// ---------------------------------------------------------------------------------------------- time

TimeMs MeshNode::nextDeadline() const
{
    TimeMs deadline = m_nextHousekeeping;
    for (const auto &[address, state] : m_pending)
        deadline = std::min(deadline, state->nextDeadline());
    return std::min({deadline, peerTimers().deadline, m_livenessDeadline});
}

const MeshNode::PeerTimers &MeshNode::peerTimers() const
{
    if (m_peerTimers)
        return *m_peerTimers;
    PeerTimers timers;
    for (const auto &[address, peer] : m_peers) {
        if (peer->suspectSince) {
            // The verdict is due after the grace period only if the evidence is there (checkSuspects()); otherwise
            // the next step is the expiry of the evidence. A further ICMP error brings the verdict forward.
            const bool confirmed = peer->icmpCount >= 2 && peer->lastReceived < peer->suspectSince;
            timers.deadline = std::min(
                timers.deadline, peer->suspectSince + TimeMs(m_config.suspectGraceMs) * (confirmed ? 1 : 10));
            timers.suspects = true;
        }
        if (!peer->routable) {
            timers.deadline = std::min(timers.deadline, peer->routableAt);
            timers.unroutable = true;
        }
    }
    m_peerTimers = timers;
    return *m_peerTimers;
}

TimeMs MeshNode::tick(TimeMs now)
{
    if (m_closed)
        return now + 3600'000;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (now < it->second->nextDeadline()) {
            ++it;
            continue;
        }
        Handshake::Output output = it->second->tick(now);
        if (output.expired) {
            // An unproven responder whose PONGs went unanswered: nothing to report (a spoofed or replayed PING
            // looks just like this); a real initiator's next PING starts afresh.
            it = m_pending.erase(it);
            ++m_counters.respondersExpired;
            continue;
        }
        if (output.fatal) {
            const SocketAddress address = it->first;
            it = m_pending.erase(it);
            ++m_counters.handshakesFailed;
            m_host.onEvent(HandshakeFailedEvent {address, *output.fatal});
            continue;
        }
        if (!output.send.isEmpty()) {
            m_host.sendDatagram(it->first, output.send);
            ++m_counters.txPackets;
            m_counters.txBytes += quint64(output.send.size());
        }
        ++it;
    }
    checkSuspects(now);
    if (now >= m_livenessDeadline)
        checkLiveness(now);
    if (peerTimers().unroutable) {
        std::vector<SocketAddress> nowRoutable;
        for (auto &[address, peer] : m_peers) {
            if (!peer->routable && now >= peer->routableAt) {
                peer->routable = true;
                nowRoutable.push_back(address);
            }
        }
        if (!nowRoutable.empty()) {
            invalidatePeerTimers();
            m_routeCache.clear();
            for (const SocketAddress &address : nowRoutable)
                updateRoutes(now, RouteChangeReason::NewClaimant, &address);
        }
    }
    if (now >= m_nextHousekeeping) {
        housekeeping(now);
        m_nextHousekeeping = now + kHousekeepingMs;
    }
    return nextDeadline();
}

void MeshNode::housekeeping(TimeMs now)
{
    std::vector<SocketAddress> expired;
    const TimeMs timeout = TimeMs(m_config.peerTimeoutSecs) * 1000;
    for (const auto &[address, peer] : m_peers) {
        // Beyond spec §6.7, where only NODE_INFO and KEEPALIVE extend a peer's life: any authenticated message
        // proves the peer alive, so a lossy link that eats a few keepalives does not drop (and fail over away
        // from) a peer whose data still arrives. Its claims live as long as it does (expire() below).
        peer->expiry = std::max(peer->expiry, peer->lastReceived + timeout);
        if (peer->expiry < now)
            expired.push_back(address);
    }
    for (const SocketAddress &address : expired) {
        removePeer(address, DisconnectReason::Timeout, now);
        connectTo(address, now); // spec §6.7: reconnect at once
    }
    const auto peerExpiry = [this](const SocketAddress &address) {
        const Peer *peer = findPeer(address);
        return peer ? peer->expiry : TimeMs(0);
    };
    if (m_table.expire(now, peerExpiry)) {
        m_routeCache.clear();
        m_host.onEvent(ClaimsChangedEvent {});
        updateRoutes(now, RouteChangeReason::Timeout);
    }
    const bool cryptoTick = now >= m_nextCryptoTick;
    if (cryptoTick)
        m_nextCryptoTick = now + kCryptoTickMs;
    if (cryptoTick) {
        for (FormerPeer &former : m_formerPeers) // replays of a former session's traffic do not knock
            former.core->tick();
    }
    for (auto &[address, peer] : m_peers) {
        if (cryptoTick && peer->core)
            peer->core->tick();
        // The previous session's core pins its replay window too: a copy of its old traffic never opens again.
        if (cryptoTick && peer->previousCore)
            peer->previousCore->tick();
        if (peer->finished && now >= peer->finishedUntil)
            peer->finished.reset();
        if (peer->previousCore && now >= peer->previousCoreUntil)
            peer->previousCore.reset();
        if (peer->rotation && now >= peer->nextRotation) {
            peer->nextRotation = now + TimeMs(m_config.rotationIntervalSecs) * 1000;
            RotationState::CycleResult result = peer->rotation->cycle();
            if (result.key)
                peer->core->installKey(result.key->slot, result.key->key.view(), result.key->forSending);
            if (result.message)
                sendMessage(*peer, kTypeRotation, result.message->encode());
        }
    }
    if (now >= m_nextNodeInfo) {
        broadcastNodeInfo(now);
        m_nextNodeInfo = now + nodeInfoInterval();
    }
    reconnectConfigured(now);
    m_learned.removeIf([&](const auto &it) { return it.value().second < now; });
    std::erase_if(m_formerPeers, [&](const FormerPeer &f) { return f.until < now; });
    m_usedRoutes.removeIf([&](const auto &it) { return now - it.value().lastSent > kActivityWindowMs; });
}

void MeshNode::close(TimeMs now)
{
    if (m_closed)
        return;
    for (auto &[address, peer] : m_peers)
        sendMessage(*peer, kTypeClose, {});
    std::vector<SocketAddress> addresses;
    for (const auto &[address, peer] : m_peers)
        addresses.push_back(address);
    for (const SocketAddress &address : addresses)
        removePeer(address, DisconnectReason::Shutdown, now);
    m_pending.clear();
    m_closed = true;
    m_nextHousekeeping = now + 3600'000; // nothing is due any more (nextDeadline() would stay in the past)
}

// ---------------------------------------------------------------------------------------------- views

PeerInfo MeshNode::peerInfo(const Peer &peer) const
{
    PeerInfo info;
    info.address = peer.address;
    info.nodeId = peer.nodeId;
    info.addresses = peer.addresses;
    info.claims = m_table.claimsOf(peer.address);
    info.algorithm = peer.algorithm;
    info.initiator = peer.initiator;
    info.routable = peer.routable;
    info.suspect = peer.suspectSince != 0 || peer.liveness.probing();
    info.connectedSince = peer.connectedSince;
    info.lastReceived = peer.lastReceived;
    info.expiry = peer.expiry;
    info.advertisedTimeoutSecs = peer.advertisedTimeout;
    info.rxBytes = peer.rxBytes;
    info.rxPackets = peer.rxPackets;
    info.txBytes = peer.txBytes;
    info.txPackets = peer.txPackets;
    return info;
}

QList<PeerInfo> MeshNode::peers() const
{
    QList<PeerInfo> result;
    result.reserve(qsizetype(m_peers.size()));
    for (const auto &[address, peer] : m_peers)
        result.append(peerInfo(*peer));
    return result;
}

std::optional<PeerInfo> MeshNode::peer(const SocketAddress &address) const
{
    const Peer *peer = findPeer(address);
    return peer ? std::optional<PeerInfo>(peerInfo(*peer)) : std::nullopt;
}

QList<ClaimInfo> MeshNode::claims(TimeMs now) const
{
    QList<ClaimInfo> result;
    QHash<QByteArray, qsizetype> positions; // range (address + prefix length) -> index in result
    const auto findOrAdd = [&](const Range &range) -> ClaimInfo & {
        const QByteArray key = range.address + char(range.prefixLength);
        const auto it = positions.constFind(key);
        if (it != positions.cend())
            return result[*it];
        positions.insert(key, result.size());
        result.append(ClaimInfo {range, std::nullopt, {}, false, false, false, {}});
        return result.last();
    };
    for (const auto &[range, lastServed] : m_ownClaimServed) {
        ClaimInfo &info = findOrAdd(range);
        info.local = true;
        info.serving = now - lastServed <= kActivityWindowMs;
    }
    for (const ClaimTable::Entry &entry : m_table.entries()) {
        const Peer *peer = findPeer(entry.peer);
        if (!peer)
            continue;
        ClaimInfo &info = findOrAdd(entry.range);
        info.claimants.append(NodeRef {entry.peer, peer->nodeId});
        info.claimantsSince.append(peer->connectedSince);
    }
    const auto recentlyUsed = [&](TimeMs lastUsed) { return now - lastUsed <= kActivityWindowMs; };
    for (ClaimInfo &info : result) {
        // Traffic to our own claims stays here: servedBy names remote nodes only.
        if (const std::optional<SocketAddress> target = info.local ? std::nullopt : lookup(info.range.address)) {
            info.servedBy = NodeRef {*target, findPeer(*target)->nodeId};
        }
        if (info.range.prefixLength >= info.range.address.size() * 8) {
            // A host range matches only its own address: one lookup instead of a walk over all used destinations.
            const auto it = m_usedRoutes.constFind(info.range.address);
            info.used = it != m_usedRoutes.cend() && recentlyUsed(it.value().lastSent);
            continue;
        }
        for (auto it = m_usedRoutes.cbegin(); it != m_usedRoutes.cend(); ++it) {
            if (info.range.matches(it.key()) && recentlyUsed(it.value().lastSent)) {
                info.used = true;
                break;
            }
        }
    }
    return result;
}

} // namespace Nimbus
