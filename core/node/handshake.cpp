#include "core/node/handshake.h"

#include "core/crypto/cryptocore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

Handshake::Handshake(const NodeInfo &ownInfo, TimeMs now)
    : m_ownInfo(ownInfo.encode()), m_nextRetransmit(now + kRetransmitMs), m_createdAt(now)
{
    m_ownSaltedId = saltedNodeId(QByteArrayView(reinterpret_cast<const char *>(ownInfo.nodeId.data()), 16));
}

Handshake::~Handshake() = default;

std::unique_ptr<Handshake> Handshake::initiate(const Context &context, const NodeInfo &ownInfo, TimeMs now)
{
    std::unique_ptr<Handshake> state(new Handshake(ownInfo, now));
    state->m_ephemeral = X25519KeyPair::generate();
    InitMessage ping;
    ping.stage = Stage::Ping;
    ping.saltedNodeId = state->m_ownSaltedId;
    ping.ecdhPublicKey = state->m_ephemeral->publicKey();
    ping.algorithms = context.algorithms;
    state->m_lastMessage = ping.encode(context.identity);
    state->m_next = Stage::Pong;
    return state;
}

std::unique_ptr<Handshake> Handshake::respond(const Context &, const NodeInfo &ownInfo, TimeMs now)
{
    return std::unique_ptr<Handshake>(new Handshake(ownInfo, now));
}

QByteArray Handshake::resendLimited(TimeMs now)
{
    if (m_lastMessage.isEmpty() || now - m_lastMismatchResend < kMismatchResendMs)
        return {};
    if (isResponder() && m_responderSends >= kMaxResponderSends)
        return {};
    m_lastMismatchResend = now;
    if (isResponder())
        ++m_responderSends;
    return m_lastMessage;
}

Handshake::Output Handshake::handle(
    const Context &context, const InitMessage &message, TimeMs now, QByteArrayView datagram)
{
    const QByteArrayView ownId(reinterpret_cast<const char *>(context.nodeId.data()), 16);
    if (message.saltedNodeId == m_ownSaltedId || saltedIdMatches(message.saltedNodeId, ownId))
        return {{}, {}, u"connected to self"_s};

    if (m_finished)
        return {resendLimited(now), {}, {}};

    if (message.stage == m_next) {
        if (m_next == Stage::Peng && message.saltedNodeId != m_peerSaltedId)
            return {resendLimited(now), {}, {}}; // a PENG of another attempt: answer with our PONG
        m_retries = 0;
        switch (message.stage) {
        case Stage::Ping:
            return handlePing(context, message, now, datagram);
        case Stage::Pong: {
            Output output = handlePong(context, message);
            if (output.established)
                m_answered = datagram.toByteArray();
            return output;
        }
        case Stage::Peng:
            return handlePeng(message);
        }
    }
    if (m_next == Stage::Pong && message.stage == Stage::Ping) {
        // Simultaneous open (spec §3.11): the smaller salted id gives up its initiator role.
        if (message.saltedNodeId > m_ownSaltedId) {
            m_lastMessage.clear();
            m_ephemeral.reset();
            m_next = Stage::Ping;
            m_retries = 0;
            return handlePing(context, message, now, datagram);
        }
        // We keep the initiator role: send our PING again at once (rate-limited), so the other side can give up
        // its role now instead of at our next retransmission, up to a second later.
        return {resendLimited(now), {}, {}};
    }
    if (m_next == Stage::Peng && message.stage == Stage::Ping && message.saltedNodeId != m_peerSaltedId) {
        // The initiator restarted its attempt (or the node restarted): answer the new PING afresh.
        m_lastMessage.clear();
        m_core.reset();
        m_next = Stage::Ping;
        m_retries = 0;
        return handlePing(context, message, now, datagram);
    }
    if (!m_lastMessage.isEmpty())
        return {resendLimited(now), {}, {}};
    return {{}, {}, u"received invalid stage as first message"_s};
}

std::optional<QString> Handshake::setupCore(const Context &context, const InitMessage &message)
{
    const std::optional<Algorithm> algorithm = selectAlgorithm(context.algorithms, *message.algorithms);
    if (!algorithm)
        return u"no common algorithms"_s;
    m_algorithm = *algorithm;
    m_peerSaltedId = message.saltedNodeId;
    m_core.reset();
    if (m_algorithm == Algorithm::Plain)
        return std::nullopt;
    if (!m_ephemeral || !message.ecdhPublicKey)
        return u"missing key exchange"_s;
    std::optional<SecureBytes> shared = m_ephemeral->agree(*message.ecdhPublicKey);
    if (!shared)
        return u"invalid key exchange"_s;
    m_core = std::make_unique<CryptoCore>(m_algorithm, shared->view(), m_ownSaltedId > m_peerSaltedId);
    return std::nullopt;
}

QByteArray Handshake::sealPayload()
{
    if (!m_core)
        return m_ownInfo;
    return m_core->encrypt(m_ownInfo);
}

std::optional<NodeInfo> Handshake::openPayload(const InitMessage &message)
{
    QByteArray plain;
    if (m_core) {
        std::optional<QByteArray> opened = m_core->decrypt(*message.payload);
        if (!opened)
            return std::nullopt;
        plain = std::move(*opened);
    } else {
        plain = *message.payload;
    }
    Result<NodeInfo> info = NodeInfo::decode(plain);
    if (!info)
        return std::nullopt;
    return std::move(info).value();
}

Handshake::Output Handshake::handlePing(
    const Context &context, const InitMessage &message, TimeMs now, QByteArrayView datagram)
{
    m_respondedAt = now;
    m_answered = datagram.toByteArray();
    m_ephemeral = X25519KeyPair::generate();
    if (std::optional<QString> error = setupCore(context, message))
        return {{}, {}, *error};
    InitMessage pong;
    pong.stage = Stage::Pong;
    pong.saltedNodeId = m_ownSaltedId;
    pong.ecdhPublicKey = m_ephemeral->publicKey();
    pong.algorithms = context.algorithms;
    pong.payload = sealPayload();
    m_lastMessage = pong.encode(context.identity);
    m_next = Stage::Peng;
    m_responderSends = 1;
    return {m_lastMessage, {}, {}};
}

Handshake::Output Handshake::handlePong(const Context &context, const InitMessage &message)
{
    if (std::optional<QString> error = setupCore(context, message))
        return {{}, {}, *error};
    std::optional<NodeInfo> info = openPayload(message);
    if (!info)
        return {{}, {}, u"cannot open the peer's node info"_s};
    InitMessage peng;
    peng.stage = Stage::Peng;
    peng.saltedNodeId = m_ownSaltedId;
    peng.payload = sealPayload();
    m_lastMessage = peng.encode(context.identity);
    m_finished = true;
    m_ephemeral.reset();
    Output output {m_lastMessage, Established {std::move(m_core), m_algorithm, std::move(*info), true}, {}};
    return output;
}

Handshake::Output Handshake::handlePeng(const InitMessage &message)
{
    std::optional<NodeInfo> info = openPayload(message);
    if (!info)
        return {{}, {}, u"cannot open the peer's node info"_s};
    m_ephemeral.reset();
    return {{}, Established {std::move(m_core), m_algorithm, std::move(*info), false}, {}};
}

Handshake::Output Handshake::tick(TimeMs now)
{
    if (now < m_nextRetransmit || m_finished)
        return {};
    m_nextRetransmit = now + kRetransmitMs;
    if (isResponder() && m_responderSends >= kMaxResponderSends)
        return {{}, {}, {}, true};
    if (m_retries >= kMaxRetries)
        return {{}, {}, u"initialization timeout"_s};
    ++m_retries;
    if (isResponder())
        ++m_responderSends;
    return {m_lastMessage, {}, {}};
}

} // namespace Nimbus
