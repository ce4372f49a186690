#pragma once

#include <functional>
#include <optional>

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"
#include "helper/control/controlbackend.h"
#include "helper/control/controlsession.h"

class QSocketNotifier;
class QTimer;

namespace Nimbus
{

/// The helper's control socket (docs/control-protocol.md): listens on a Unix socket path, gives every client a
/// ControlSession with the role the kernel's credentials decide, and fans events out to subscribers.
///
/// The server binds and accepts on the socket itself, not through QLocalServer, which on any accept() error (EMFILE
/// among them) closes the server and removes the socket file for good. When descriptors run out
/// it closes a reserve descriptor kept for that, accepts one connection with it (root's is kept, anyone else's is
/// closed at once), and otherwise retries every kAcceptRetryMs until descriptors are free again.
class ControlServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlServer)

public:
    /// Decides who is at the other end of a freshly accepted connection, from its socket descriptor.
    /// std::nullopt refuses the connection.
    using IdentityResolver = std::function<std::optional<ControlCaller>(qintptr socketDescriptor)>;

    /// \a backend must outlive the server.
    explicit ControlServer(ControlBackend &backend, QObject *parent = nullptr);
    ~ControlServer() override;

    /// Listens on \a path with mode 0660 and the operator group (if it exists). A stale socket file
    /// is removed; fails if another helper answers on \a path, if \a path is something other than a socket, or
    /// if listening fails.
    Result<Ok> listen(const QString &path);
    /// How long accepting pauses when no descriptor is free (and the reserve is in use).
    static constexpr int kAcceptRetryMs = 100;

    /// Stops listening, drops every client and removes the socket file.
    void close();
    bool isListening() const;
    QString socketPath() const { return m_path; }

    /// Replaces how connections get their role; the default reads SO_PEERCRED: uid 0 is admin, a member of the
    /// operator group is operator, anyone else observer. For tests.
    void setIdentityResolver(IdentityResolver resolver);
    /// The group whose members are operators and which gets the socket; `nimbus` by default.
    void setOperatorGroup(const QString &group);
    /// Bounds of each subscriber's event queue; kMaxQueuedEvents / kMaxQueuedEventBytes by default.
    void setEventQueueLimits(int maxEvents, qsizetype maxBytes);
    /// The per-client limits (profile input size and rate, networks per uid and in total, hello and idle
    /// timeouts); ControlSession::Policy's defaults unless set. Applies to connections accepted afterwards.
    void setSessionPolicy(const ControlSession::Policy &policy) { m_policy = policy; }
    const ControlSession::Policy &sessionPolicy() const { return m_policy; }
    /// Connections from non-root users beyond this many are refused (64 by default); root is always let in.
    void setMaxClients(int maxClients);

    /// Sends event \a name with \a data (which must carry no secret) to every subscriber, stamped with the current
    /// time and each connection's next seq. Never blocks.
    void publishEvent(const QString &name, const QJsonObject &data);

    /// The open sessions, oldest first.
    QList<ControlSession *> sessions() const { return m_sessions; }

    /// The role the default resolver gives to \a uid with primary group \a gid.
    static Protocol::Role roleFor(quint32 uid, quint32 gid, const QString &operatorGroup);

Q_SIGNALS:
    void sessionOpened(Nimbus::ControlSession *session);
    void sessionClosed();

private:
    void onReadable();
    /// Takes a freshly accepted connection \a fd (closing it if refused; all but root's if \a onlyRoot).
    void admit(int fd, bool onlyRoot);
    /// accept() failed with EMFILE/ENFILE: uses the reserve descriptor, or pauses accepting.
    void onDescriptorsExhausted();
    void reopenReserve();
    std::optional<ControlCaller> resolve(qintptr descriptor) const;

    ControlBackend &m_backend;
    int m_listenFd = -1;
    int m_reserveFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_retryTimer;
    QString m_path;
    QString m_operatorGroup;
    IdentityResolver m_resolver;
    ControlSession::EventLimits m_limits;
    ControlSession::Policy m_policy;
    int m_maxClients = 64;
    QList<ControlSession *> m_sessions;
};

} // namespace Nimbus
