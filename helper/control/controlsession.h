#pragma once

#include <deque>

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include "core/protocol/constants.h"
#include "core/protocol/framecodec.h"
#include "helper/control/controlbackend.h"

class QLocalSocket;
class QTimer;

namespace Nimbus
{

namespace Protocol
{
struct Request;
enum class Method;
enum class ErrorCode : quint16;
} // namespace Protocol

/// One control client: reads its frames, enforces hello-first and the method x role table, calls the
/// ControlBackend, writes the answers and, once subscribed, its events.
///
/// Memory per client is bounded: the socket's read buffer is capped, reading pauses while too many answers wait
/// for a client that does not read, and events wait in a queue of at most EventLimits; on overflow that queue is
/// cleared, `resync` is queued and no more events follow until the client subscribes again. Only a small
/// watermark of bytes is handed to the socket at a time, so a stuck client never makes the helper block or grow.
class ControlSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlSession)

public:
    struct EventLimits {
        int maxEvents;
        qsizetype maxBytes;
    };

    /// The resource limits of docs/control-protocol.md, "Limits".
    struct Policy {
        /// Largest profiles.import YAML, and largest profile of profiles.validate/export, in bytes (UTF-8/JSON).
        qsizetype maxProfileBytes = Protocol::kMaxProfileInputBytes;
        /// Token bucket for profiles.import/validate/export per connection: this many at once...
        int profileBurst = 5;
        /// ...then one more every this many milliseconds.
        int profileRefillMs = 500;
        /// Networks one non-root uid may have connected (admins are exempt).
        int maxNetworksPerUser = Protocol::kMaxNetworksPerUser;
        /// Networks in total, for everyone (admins too).
        int maxNetworks = Protocol::kMaxNetworks;
        /// A client that has not sent hello this long after connecting is closed.
        int helloTimeoutMs = 5000;
        /// A client that has sent no request this long and is not subscribed to events is closed.
        int idleTimeoutMs = 10 * 60 * 1000;
    };

    /// Takes \a socket (connected) over as a child. \a backend must outlive the session.
    ControlSession(QLocalSocket *socket,
        const ControlCaller &caller,
        ControlBackend &backend,
        EventLimits limits,
        const Policy &policy,
        QObject *parent = nullptr);
    ~ControlSession() override;

    const ControlCaller &caller() const { return m_caller; }
    bool helloDone() const { return m_helloDone; }
    bool isSubscribed() const { return m_subscribed; }
    bool isClosed() const { return m_closed; }

    /// Queues an event for this client if it is subscribed; never blocks.
    void queueEvent(const QString &name, qint64 timeMs, const QJsonObject &data);
    /// Events (including `resync`) waiting to be handed to the socket.
    int queuedEventCount() const { return m_queuedEvents; }
    /// Encoded bytes of the events waiting to be handed to the socket.
    qsizetype queuedEventBytes() const { return m_queuedEventBytes; }
    /// The seq of the newest event queued or sent on this connection (0 before the first).
    qint64 lastSeq() const { return m_nextSeq - 1; }

    /// Drops the connection at once (pending data is discarded).
    void abort();

Q_SIGNALS:
    /// The connection is gone; the owner deletes the session later.
    void closed();
    /// An admin asked for `helper.shutdown`; the answer has been handed to the socket.
    void shutdownRequested();

private:
    struct Outgoing {
        QByteArray frame;
        qint64 seq; // 0 for answers
        bool shutdownAfter = false;
    };

    void processInput();
    void handleFrame(const QJsonObject &object);
    void dispatch(const Protocol::Request &request, Protocol::Method method);
    void handleHello(const Protocol::Request &request);
    void handleSubscribe(const Protocol::Request &request);
    void handleValidate(const Protocol::Request &request);
    void handleExport(const Protocol::Request &request);
    void handleConnect(const Protocol::Request &request);
    void handleDisconnect(const Protocol::Request &request);
    /// Answers LIMIT_EXCEEDED and returns true if \a bytes is over the profile input limit or the caller's
    /// profile token bucket is empty.
    bool refuseProfileInput(qint64 id, qsizetype bytes);
    /// Answers LIMIT_EXCEEDED and returns true if connecting one more network would exceed a network limit.
    bool refuseNetworkLimit(qint64 id);
    void onIdleTimeout();
    /// Answers INVALID_PROFILE with the `fields` of a `profiles.validate` result; false if \a validation is valid.
    bool refuseInvalid(qint64 id, const Protocol::ValidationResult &validation);
    void sendResult(qint64 id, const QJsonObject &result);
    void sendError(qint64 id,
        Protocol::ErrorCode code,
        const QString &message,
        const QString &hint = {},
        const QJsonObject &extra = {});
    void sendBackendError(qint64 id, const Error &error);
    void send(const QJsonObject &message);
    void overflow(qint64 timeMs);
    void flush();
    void onDisconnected();

    QLocalSocket *m_socket;
    ControlCaller m_caller;
    ControlBackend &m_backend;
    EventLimits m_limits;
    Policy m_policy;
    QTimer *m_helloTimer;
    QTimer *m_idleTimer;
    QElapsedTimer m_clock;
    double m_profileTokens = 0;
    qint64 m_profileTokensAt = 0;
    Protocol::FrameDecoder m_decoder;
    std::deque<Outgoing> m_out;
    qsizetype m_pendingAnswerBytes = 0;
    int m_queuedEvents = 0;
    qsizetype m_queuedEventBytes = 0;
    qint64 m_nextSeq = 1;
    qint64 m_lastSentSeq = 0;
    qint64 m_announcedSeq = 0;
    bool m_helloDone = false;
    bool m_subscribed = false;
    bool m_processing = false;
    bool m_resumeQueued = false;
    bool m_closeAfterFlush = false;
    bool m_closed = false;
};

} // namespace Nimbus
