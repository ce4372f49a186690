#include "helper/control/controlserver.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
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

Error listenError(const QString &message)
{
    return Error {u"control-socket"_s, message};
}

} // namespace

ControlServer::ControlServer(ControlBackend &backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_server(new QLocalServer(this))
    , m_operatorGroup(Protocol::operatorGroup())
    , m_limits {Protocol::kMaxQueuedEvents, Protocol::kMaxQueuedEventBytes}
{
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
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
        if (!QLocalServer::removeServer(path))
            return listenError(u"cannot remove the stale control socket %1"_s.arg(path));
    }
    if (!QDir().mkpath(info.absolutePath()))
        return listenError(u"cannot create the folder %1"_s.arg(info.absolutePath()));

    // Qt binds in a private folder, restricts the mode and only then moves the socket into place.
    m_server->setSocketOptions(QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption);
    if (!m_server->listen(path))
        return listenError(u"cannot listen on %1: %2"_s.arg(path, m_server->errorString()));
    m_path = m_server->fullServerName();

    // Mode 0660 and the operator group, through a descriptor of the socket just bound (never by path: the folder
    // may belong to a less privileged user).
    const std::optional<quint32> gid = PeerCredentials::groupId(m_operatorGroup);
    if (const Result<Ok> secured = secureSocketFile(m_path, 0660, gid); !secured) {
        if (secured.error().code != u"group"_s) {
            m_server->close();
            m_path.clear();
            return listenError(secured.error().message);
        }
        qCWarning(lcControl).noquote() << secured.error().message;
    }
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
    if (m_server->isListening())
        m_server->close();
}

bool ControlServer::isListening() const
{
    return m_server->isListening();
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

void ControlServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        const std::optional<ControlCaller> caller = resolve(socket->socketDescriptor());
        if (!caller) {
            qCWarning(lcControl) << "refusing a control connection without peer credentials";
            socket->abort();
            socket->deleteLater();
            continue;
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
                continue;
            }
        }
        auto *session = new ControlSession(socket, *caller, m_backend, m_limits, this);
        m_sessions.append(session);
        connect(session, &ControlSession::closed, this, [this, session] {
            if (m_sessions.removeOne(session)) {
                session->deleteLater();
                Q_EMIT sessionClosed();
            }
        });
        connect(session, &ControlSession::shutdownRequested, this, [this] {
            QTimer::singleShot(0, this, [this] { m_backend.shutdown(); });
        });
        Q_EMIT sessionOpened(session);
    }
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
