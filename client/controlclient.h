#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include "core/protocol/envelope.h"
#include "core/protocol/framecodec.h"
#include "core/protocol/methodtable.h"

class QLocalSocket;
class QTimer;

namespace Nimbus
{

/// The answer to one request: the result, or the helper's error (or CONNECTION_LOST when the link dropped first).
struct ControlClientReply {
    /// The client-side code for a request whose connection dropped before the answer; not a wire code.
    static QString connectionLost();

    bool ok = false;
    QJsonObject result;
    Protocol::ErrorInfo error;

    /// True if the request failed because the link dropped (error code connectionLost()).
    bool lostConnection() const { return !ok && error.code == connectionLost(); }

    static ControlClientReply success(const QJsonObject &result);
    static ControlClientReply failure(const Protocol::ErrorInfo &error);
};

/// A client of the helper's control socket (docs/control-protocol.md): QLocalSocket plus the shared codec.
///
/// Before anything is sent, the client checks with SO_PEERCRED that the server runs as root, as the helper's
/// service user, or (only with $NIMBUS_ALLOW_USER_HELPER=1) as ourselves: a secret never goes to a process
/// someone else could have put behind the socket path. Then it sends hello and becomes Ready.
/// With auto-reconnect on (for the GUI) a lost or failed connection is retried with backoff (250 ms doubling up to
/// 30 s); the state keeps saying why the helper is unavailable meanwhile.
class ControlClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlClient)

public:
    enum class State {
        Idle,
        Connecting,
        Ready,
        /// No socket at the path, or nobody answers on it.
        NotRunning,
        /// The socket exists but we may not open it.
        PermissionDenied,
        /// The process behind the socket runs as a user we do not trust.
        Untrusted,
        /// No common protocol version, or the helper sent something this client cannot read.
        Incompatible,
    };
    Q_ENUM(State)

    using ReplyHandler = std::function<void(const ControlClientReply &)>;

    explicit ControlClient(QObject *parent = nullptr);
    ~ControlClient() override;

    /// $NIMBUS_SOCKET if set, else the default `/run/nimbus/control.sock`.
    static QString socketPathFromEnvironment();

    void setSocketPath(const QString &path);
    QString socketPath() const { return m_path; }
    /// The `client` of hello, e.g. "nimbusctl 0.1.0".
    void setClientName(const QString &name);
    void setAutoReconnect(bool enabled);
    /// True while a reconnect attempt is scheduled.
    bool reconnectPending() const;
    /// Replaces the uids a helper may run as. The default is root, the user `nimbus` if it exists, and our own uid
    /// when $NIMBUS_ALLOW_USER_HELPER=1.
    void setTrustedServerUids(const QList<quint32> &uids);
    QList<quint32> trustedServerUids() const { return m_trustedUids; }
    /// How long to wait for the hello answer before giving up (10 s by default).
    void setHelloTimeout(int milliseconds);

    /// Connects (or reconnects) now.
    void connectToHelper();
    /// Disconnects and stops reconnecting; pending requests get CONNECTION_LOST.
    void disconnectFromHelper();

    State state() const { return m_state; }
    /// Why the state is what it is, in English, with what to do where there is something to do.
    QString errorString() const { return m_errorString; }
    /// From the hello answer (empty before Ready).
    QString role() const { return m_role; }
    QStringList capabilities() const { return m_capabilities; }
    QString helperVersion() const { return m_helperVersion; }
    QString helperMode() const { return m_helperMode; }

    /// Sends \a method with \a params. \a handler runs once with the answer unless \a context is destroyed first.
    /// While Connecting the request waits for hello; in any other state but Ready it fails at once (queued) with
    /// CONNECTION_LOST. Returns the request id (0 if it failed at once).
    qint64 request(Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler);

Q_SIGNALS:
    void stateChanged(Nimbus::ControlClient::State state);
    /// hello succeeded; requests can go out.
    void ready();
    void eventReceived(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data);

private:
    struct Pending {
        QString method;
        QJsonObject params;
        QPointer<QObject> context;
        bool hasContext = false;
        ReplyHandler handler;
        bool sent = false;
    };

    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void handleMessage(const QJsonObject &object);
    void sendHello();
    void sendPending(qint64 id, Pending &pending);
    void write(const QJsonObject &message);
    void fail(State state, const QString &error);
    void setState(State state, const QString &error = {});
    void failAllPending();
    void scheduleReconnect();
    void resetSocket();

    QLocalSocket *m_socket = nullptr;
    QTimer *m_reconnectTimer;
    QTimer *m_helloTimer;
    QString m_path;
    QString m_clientName;
    QList<quint32> m_trustedUids;
    std::unique_ptr<Protocol::FrameDecoder> m_decoder;
    std::map<qint64, Pending> m_pending;
    qint64 m_nextId = 1;
    qint64 m_helloId = 0;
    State m_state = State::Idle;
    QString m_errorString;
    QString m_role;
    QStringList m_capabilities;
    QString m_helperVersion;
    QString m_helperMode;
    int m_backoffMs = 0;
    bool m_autoReconnect = false;
    bool m_closing = false;
};

} // namespace Nimbus
