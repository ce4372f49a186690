#include "helper/control/controlserver.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalSocket>
#include <QScopeGuard>
#include <QSocketNotifier>
#include <QTimer>

#include "core/protocol/constants.h"
#include "core/protocol/errorcode.h"
#include "helper/control/controllogging.h"
#include "helper/platform/linux/filesystem.h"
#include "helper/platform/linux/peercredentials.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

using Protocol::Role;

namespace
{

/// How long listen() waits for a helper that may be answering on the path already.
constexpr int kProbeTimeoutMs = 1000;
/// Connections accepted per turn of the event loop at most (the rest wait for the next turn).
constexpr int kAcceptsPerTurn = 64;

Error listenError(const QString &message)
{
    return Error {u"control-socket"_s, message};
}

QString systemMessage(const QString &what)
{
    return u"%1: %2"_s.arg(what, QString::fromLocal8Bit(std::strerror(errno)));
}

/// A listening, non-blocking Unix socket at \a path with mode 0660 and \a gid (if given and allowed), bound in a
/// fresh mode-0700 folder beside \a path and renamed into place.
Result<int> bindInPrivateFolder(const QString &path, std::optional<quint32> gid)
{
    const QFileInfo info(path);
    QByteArray folder = QFile::encodeName(info.absolutePath() + u"/.nimbus-bind-XXXXXX"_s);
    if (::mkdtemp(folder.data()) == nullptr)
        return Error {u"system"_s, systemMessage(u"cannot create a folder beside %1"_s.arg(path))};
    const QByteArray staged = folder + "/socket";
    const auto removeFolder = qScopeGuard([&] {
        ::unlink(staged.constData());
        ::rmdir(folder.constData());
    });
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const QByteArray target = QFile::encodeName(info.absoluteFilePath());
    if (std::size_t(qMax(staged.size(), target.size())) >= sizeof(address.sun_path))
        return Error {u"system"_s, u"the path %1 is too long for a Unix socket"_s.arg(path)};
    std::memcpy(address.sun_path, staged.constData(), std::size_t(staged.size()) + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Error {u"system"_s, systemMessage(u"cannot create a socket"_s)};
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0 || ::listen(fd, SOMAXCONN) != 0)
        return Error {u"system"_s, systemMessage(u"cannot listen on %1"_s.arg(path))};
    const Result<Ok> secured = secureSocketFile(QFile::decodeName(staged), 0660, gid);
    if (!secured && secured.error().code != u"group"_s)
        return secured.error();
    if (!secured)
        qCWarning(lcControl).noquote() << secured.error().message;
    if (::rename(staged.constData(), target.constData()) != 0)
        return Error {u"system"_s, systemMessage(u"cannot move the control socket into place at %1"_s.arg(path))};
    closeFd.dismiss();
    return fd;
}

} // namespace

ControlServer::ControlServer(ControlBackend &backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_retryTimer(new QTimer(this))
    , m_operatorGroup(Protocol::operatorGroup())
    , m_limits {Protocol::kMaxQueuedEvents, Protocol::kMaxQueuedEventBytes}
{
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(kAcceptRetryMs);
    connect(m_retryTimer, &QTimer::timeout, this, [this] {
        reopenReserve();
        if (m_notifier)
            m_notifier->setEnabled(true);
    });
}

ControlServer::~ControlServer()
{
    close();
}

Role ControlServer::roleFor(quint32 uid, quint32 gid, const QString &operatorGroup)
{
    if (uid == 0)
        return Role::Admin;
    if (PeerCredentials::userInGroup(uid, operatorGroup))
        return Role::Operator;
    const std::optional<quint32> groupId = PeerCredentials::groupId(operatorGroup);
    if (groupId && *groupId == gid)
        return Role::Operator;
    return Role::Observer;
}

Result<Ok> ControlServer::listen(const QString &path)
{
    if (isListening())
        return listenError(u"already listening on %1"_s.arg(m_path));
    if (path.isEmpty())
        return listenError(u"no control socket path"_s);

    const QFileInfo info(path);
    if (info.exists() || info.isSymLink()) {
        if (info.isSymLink() || info.isDir() || info.isFile())
            return listenError(u"%1 exists and is not a socket; not touching it"_s.arg(path));
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(kProbeTimeoutMs)) {
            probe.abort();
            return listenError(u"another nimbus-helper is already answering on %1"_s.arg(path));
        }
        qCInfo(lcControl).noquote() << "removing stale control socket" << path;
        if (!QFile::remove(path))
            return listenError(u"cannot remove the stale control socket %1"_s.arg(path));
    }
    if (!QDir().mkpath(info.absolutePath()))
        return listenError(u"cannot create the folder %1"_s.arg(info.absolutePath()));

    // Bound in a private folder beside the path and moved into place once its mode and group are right, so nobody
    // can connect in between; the mode and group are set through a descriptor (never by path: the folder may belong
    // to a less privileged user).
    const std::optional<quint32> gid = PeerCredentials::groupId(m_operatorGroup);
    const Result<int> bound = bindInPrivateFolder(path, gid);
    if (!bound)
        return listenError(bound.error().message);
    const int fd = bound.value();
    m_path = info.absoluteFilePath();
    m_listenFd = fd;
    m_notifier = new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ControlServer::onReadable);
    reopenReserve();

    if (!gid) {
        qCInfo(lcControl).noquote() << "group" << m_operatorGroup << "does not exist; only root and the helper's"
                                    << "own group can open" << m_path;
    }
    qCInfo(lcControl).noquote() << "control socket listening on" << m_path;
    return Ok {};
}

void ControlServer::close()
{
    const QList<ControlSession *> sessions = m_sessions;
    m_sessions.clear();
    for (ControlSession *session : sessions) {
        session->disconnect(this);
        session->abort();
        session->deleteLater();
    }
    m_retryTimer->stop();
    if (m_notifier) {
        m_notifier->setEnabled(false);
        delete m_notifier;
        m_notifier = nullptr;
    }
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
        ::unlink(QFile::encodeName(m_path).constData());
    }
    if (m_reserveFd >= 0) {
        ::close(m_reserveFd);
        m_reserveFd = -1;
    }
}

bool ControlServer::isListening() const
{
    return m_listenFd >= 0;
}

void ControlServer::setIdentityResolver(IdentityResolver resolver)
{
    m_resolver = std::move(resolver);
}

void ControlServer::setOperatorGroup(const QString &group)
{
    m_operatorGroup = group;
}

void ControlServer::setEventQueueLimits(int maxEvents, qsizetype maxBytes)
{
    m_limits = {qMax(1, maxEvents), qMax<qsizetype>(1, maxBytes)};
}

void ControlServer::setMaxClients(int maxClients)
{
    m_maxClients = qMax(1, maxClients);
}

std::optional<ControlCaller> ControlServer::resolve(qintptr descriptor) const
{
    if (m_resolver)
        return m_resolver(descriptor);
    const std::optional<PeerCredentials> credentials = PeerCredentials::fromSocketDescriptor(descriptor);
    if (!credentials)
        return std::nullopt;
    return ControlCaller {roleFor(credentials->uid, credentials->gid, m_operatorGroup),
        credentials->uid,
        credentials->gid,
        credentials->pid};
}

void ControlServer::reopenReserve()
{
    if (m_reserveFd < 0 && m_listenFd >= 0)
        m_reserveFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

void ControlServer::onReadable()
{
    for (int i = 0; i < kAcceptsPerTurn && m_listenFd >= 0; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            admit(fd, false);
            continue;
        }
        switch (errno) {
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
            continue;
        case EAGAIN:
            return;
        case EMFILE:
        case ENFILE:
        case ENOBUFS:
        case ENOMEM:
            onDescriptorsExhausted();
            return;
        default:
            // Whatever it was, the listening socket stays.
            qCWarning(lcControl).noquote() << "accepting a control connection failed:" << std::strerror(errno);
            m_notifier->setEnabled(false);
            m_retryTimer->start();
            return;
        }
    }
}

void ControlServer::onDescriptorsExhausted()
{
    if (m_reserveFd >= 0) {
        // The reserve makes room for exactly one connection: root keeps it, anyone else is closed at once (rather
        // than left waiting in the backlog).
        ::close(m_reserveFd);
        m_reserveFd = -1;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0)
            admit(fd, true);
        reopenReserve();
        if (m_reserveFd >= 0)
            return;
    }
    qCWarning(lcControl) << "no file descriptor free for control connections; retrying in" << kAcceptRetryMs << "ms";
    m_notifier->setEnabled(false);
    m_retryTimer->start();
}

void ControlServer::admit(int fd, bool onlyRoot)
{
    auto *socket = new QLocalSocket(this);
    if (!socket->setSocketDescriptor(qintptr(fd), QLocalSocket::ConnectedState, QIODevice::ReadWrite)) {
        ::close(fd);
        delete socket;
        return;
    }
    const std::optional<ControlCaller> caller = resolve(socket->socketDescriptor());
    if (!caller) {
        qCWarning(lcControl) << "refusing a control connection without peer credentials";
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (onlyRoot && caller->uid != 0) {
        qCWarning(lcControl) << "refusing uid" << caller->uid << "pid" << caller->pid
                             << ": no file descriptors left, only root is let in";
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (caller->uid != 0) {
        qsizetype others = 0;
        for (const ControlSession *s : std::as_const(m_sessions))
            others += s->caller().uid != 0 ? 1 : 0;
        if (others >= m_maxClients) {
            qCWarning(lcControl) << "refusing uid" << caller->uid << "pid" << caller->pid << ":" << others
                                 << "clients are connected already";
            socket->abort();
            socket->deleteLater();
            return;
        }
    }
    auto *session = new ControlSession(socket, *caller, m_backend, m_limits, m_policy, this);
    m_sessions.append(session);
    connect(session, &ControlSession::closed, this, [this, session] {
        if (m_sessions.removeOne(session)) {
            session->deleteLater();
            QTimer::singleShot(0, this, &ControlServer::reopenReserve); // once the socket is really closed
            Q_EMIT sessionClosed();
        }
    });
    connect(session, &ControlSession::shutdownRequested, this, [this] {
        QTimer::singleShot(0, this, [this] { m_backend.shutdown(); });
    });
    Q_EMIT sessionOpened(session);
}

void ControlServer::publishEvent(const QString &name, const QJsonObject &data)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // A session may close while it writes; iterate over a copy.
    const QList<ControlSession *> sessions = m_sessions;
    for (ControlSession *session : sessions)
        session->queueEvent(name, now, data);
}

} // namespace Nimbus
