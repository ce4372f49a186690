#pragma once

#include <limits>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QList>

#include "core/crypto/identity.h"
#include "core/crypto/initmessage.h"
#include "core/node/handshakelimiter.h"
#include "core/node/nodetypes.h"

namespace Nimbus
{

class CryptoCore;

/// The handshake state for one remote address (spec §3.9): PING/PONG/PENG, retransmission, simultaneous open,
/// self detection. Pure logic: the caller sends what it returns.
class Handshake
{
public:
    /// Retransmit period and give-up count: 240 one-second retries ≈ VpnCloud's 120 two-second ticks.
    static constexpr TimeMs kRetransmitMs = 1000;
    static constexpr int kMaxRetries = 240;
    /// The initiator keeps its finished state this long to answer duplicate PONGs (VpnCloud: 60 ticks).
    static constexpr TimeMs kFinishedRetentionMs = 120'000;
    /// At most one answer to a stage-mismatched message in this period (spec §3.10 recommendation).
    static constexpr TimeMs kMismatchResendMs = 500;
    /// A responder's PONG goes out at most this often in all (the first one, retransmissions and answers to
    /// duplicates), and the state is given up one retransmit period after the last: until the PENG arrives nothing
    /// proves that the PING came from its source address, so a spoofed PING must not make us send for 240 s. The
    /// initiator retransmits its own PING (spec §3.9), which starts a new responder state if this one is gone.
    static constexpr int kMaxResponderSends = 4;

    struct Context {
        const Identity &identity;
        const QList<QByteArray> &trustedKeys;
        const AlgorithmList &algorithms;
        const NodeId &nodeId;
    };

    /// A completed handshake: everything needed to set up the session.
    struct Established {
        std::unique_ptr<CryptoCore> core; ///< null in plaintext mode
        Algorithm algorithm = Algorithm::Plain;
        NodeInfo peerInfo;
        bool initiator = false;
    };

    struct Output {
        QByteArray send; ///< datagram to send back (may be empty)
        std::optional<Established> established; ///< set once when the handshake completes
        std::optional<QString> fatal; ///< the state must be discarded
        bool expired = false; ///< an unanswered responder state used up its sends: discard it quietly
    };

    /// A (initiator): builds the PING; send initialMessage().
    static std::unique_ptr<Handshake> initiate(const Context &context, const NodeInfo &ownInfo, TimeMs now);
    /// B (responder): a fresh state for an incoming PING; feed the PING with handle().
    static std::unique_ptr<Handshake> respond(const Context &context, const NodeInfo &ownInfo, TimeMs now);
    ~Handshake();

    /// Processes a verified init message from the remote address; \a datagram is the message as received, kept
    /// when it starts an answer (answers()).
    Output handle(const Context &context, const InitMessage &message, TimeMs now, QByteArrayView datagram = {});
    /// Retransmission and give-up, once per kRetransmitMs (spec §3.9 periodic processing).
    Output tick(TimeMs now);
    TimeMs nextDeadline() const { return m_nextRetransmit; }
    /// When the state was created (initiate() or respond()).
    TimeMs createdAt() const { return m_createdAt; }

    const QByteArray &lastMessage() const { return m_lastMessage; }
    const QByteArray &ownSaltedId() const { return m_ownSaltedId; }
    const QByteArray &peerSaltedId() const { return m_peerSaltedId; }
    bool isInitiator() const { return m_next == Stage::Pong || m_finished; }
    /// True once the initiator sent PENG (state WAITING).
    bool isFinished() const { return m_finished; }
    /// Re-sends the last message if the mismatch rate limit (and for a responder, kMaxResponderSends) allows;
    /// empty otherwise.
    QByteArray resendLimited(TimeMs now);
    /// True if \a datagram is byte for byte the message our last message answers (the PING a responder answered,
    /// the PONG a finished initiator answered): a duplicate, to be answered with resendLimited() without any crypto.
    bool answers(QByteArrayView datagram) const { return !m_answered.isEmpty() && datagram == m_answered; }
    /// True while we answered a PING and wait for the PENG (spec state PENG).
    bool isResponder() const { return m_next == Stage::Peng; }
    /// When the responder work (key pair, key agreement, PONG) was last done: a new or restarted responder.
    TimeMs respondedAt() const { return m_respondedAt; }
    /// Bounds the signature checks that init messages from this state's address may cost (MeshNode::handleInit()).
    InitAllowance &allowance() { return m_allowance; }
    /// The PINGs this state answered (MeshNode::handleInit()).
    RecentPings &recentPings() { return m_recentPings; }

private:
    Handshake(const NodeInfo &ownInfo, TimeMs now);
    Output handlePing(const Context &context, const InitMessage &message, TimeMs now, QByteArrayView datagram);
    Output handlePong(const Context &context, const InitMessage &message);
    Output handlePeng(const InitMessage &message);
    std::optional<QString> setupCore(const Context &context, const InitMessage &message);
    QByteArray sealPayload();
    std::optional<NodeInfo> openPayload(const InitMessage &message);

    QByteArray m_ownSaltedId;
    QByteArray m_peerSaltedId;
    QByteArray m_ownInfo;
    Stage m_next = Stage::Ping;
    bool m_finished = false;
    QByteArray m_lastMessage;
    std::optional<X25519KeyPair> m_ephemeral;
    std::unique_ptr<CryptoCore> m_core;
    Algorithm m_algorithm = Algorithm::Plain;
    int m_retries = 0;
    int m_responderSends = 0;
    QByteArray m_answered;
    TimeMs m_respondedAt = std::numeric_limits<TimeMs>::min();
    InitAllowance m_allowance;
    RecentPings m_recentPings;
    TimeMs m_nextRetransmit = 0;
    TimeMs m_createdAt = 0;
    TimeMs m_lastMismatchResend = -kMismatchResendMs;
};

} // namespace Nimbus
