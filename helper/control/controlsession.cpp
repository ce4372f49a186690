#include "helper/control/controlsession.h"

#include <algorithm>

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QTimer>

#include "core/protocol/constants.h"
#include "core/protocol/envelope.h"
#include "core/protocol/errorcode.h"
#include "core/protocol/methodtable.h"
#include "core/protocol/profile.h"
#include "core/protocol/types.h"
#include "helper/control/controllogging.h"
#include "nimbus/version.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

using Protocol::ErrorCode;
using Protocol::Method;
using Protocol::Role;

namespace
{

/// Bytes handed to the socket at a time; the rest waits in the session's own bounded queues.
constexpr qsizetype kSocketWatermark = 64 * 1024;
/// The socket reads at most this much ahead of the session.
constexpr qsizetype kReadBufferSize = 256 * 1024;
/// Bytes read from the socket per step.
constexpr qsizetype kReadChunk = 64 * 1024;
/// Reading pauses while this many bytes of answers wait for a client that does not read them.
constexpr qsizetype kMaxPendingAnswerBytes = 2 * Protocol::kMaxFrameSize;

QString permissionHint(Method method)
{
    if (Protocol::isAllowed(method, Role::Operator))
        return u"add your user to group nimbus (then log in again)"_s;
    return u"only root may do this"_s;
}

/// The optional string parameter \a key: true and \a out set if absent or a string, false otherwise.
bool optionalString(const QJsonObject &params, const QString &key, QString &out)
{
    const QJsonValue v = params.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return false;
    out = v.toString();
    return true;
}

/// The owner uid of each network in a `status` result, -1 for one without (a network the helper was started with).
QHash<QString, qint64> networkOwners(const QJsonObject &status)
{
    QHash<QString, qint64> owners;
    for (const QJsonValue &v : status.value(u"networks"_s).toArray()) {
        const Result<Protocol::NetworkStatus> network = Protocol::NetworkStatus::fromJson(v.toObject());
        if (network)
            owners.insert(network->name, network->owner ? qint64(*network->owner) : -1);
    }
    return owners;
}

/// The errors for the privileged profile keys \a keys a non-admin sent.
QList<Protocol::FieldError> privilegedKeyErrors(const QStringList &keys)
{
    QList<Protocol::FieldError> errors;
    for (const QString &key : keys)
        errors.append({key, u"only root may set this (it runs a command or opens a path)"_s});
    return errors;
}

QString printable(const QString &text, qsizetype max)
{
    QString out;
    for (const QChar c : text.left(max))
        out.append(c.isPrint() ? c : u'?');
    return out;
}

} // namespace

ControlSession::ControlSession(QLocalSocket *socket,
    const ControlCaller &caller,
    ControlBackend &backend,
    EventLimits limits,
    const Policy &policy,
    QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_caller(caller)
    , m_backend(backend)
    , m_limits(limits)
    , m_policy(policy)
    , m_helloTimer(new QTimer(this))
    , m_idleTimer(new QTimer(this))
    , m_profileTokens(policy.profileBurst)
{
    m_clock.start();
    m_helloTimer->setSingleShot(true);
    m_helloTimer->setInterval(qMax(1, m_policy.helloTimeoutMs));
    connect(m_helloTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcControl) << "closing client pid" << m_caller.pid << "uid" << m_caller.uid << ": no hello within"
                          << m_policy.helloTimeoutMs << "ms";
        abort();
    });
    m_helloTimer->start();
    m_idleTimer->setSingleShot(true);
    m_idleTimer->setInterval(qMax(1, m_policy.idleTimeoutMs));
    connect(m_idleTimer, &QTimer::timeout, this, &ControlSession::onIdleTimeout);

    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferSize);
    connect(m_socket, &QLocalSocket::readyRead, this, &ControlSession::processInput);
    connect(m_socket, &QLocalSocket::bytesWritten, this, &ControlSession::flush);
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlSession::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError error) {
        if (error != QLocalSocket::PeerClosedError)
            qCDebug(lcControl) << "client pid" << m_caller.pid << "socket error" << error;
    });
}

ControlSession::~ControlSession() = default;

void ControlSession::abort()
{
    if (m_closed)
        return;
    m_out.clear();
    m_queuedEvents = 0;
    m_queuedEventBytes = 0;
    m_pendingAnswerBytes = 0;
    m_socket->abort();
    onDisconnected();
}

void ControlSession::onIdleTimeout()
{
    if (m_closed)
        return;
    if (m_subscribed) {
        m_idleTimer->start();
        return;
    }
    qCInfo(lcControl) << "closing client pid" << m_caller.pid << "uid" << m_caller.uid << ": idle for"
                      << m_policy.idleTimeoutMs << "ms";
    abort();
}

void ControlSession::onDisconnected()
{
    if (m_closed)
        return;
    m_closed = true;
    m_helloTimer->stop();
    m_idleTimer->stop();
    m_subscribed = false;
    qCDebug(lcControl) << "client pid" << m_caller.pid << "uid" << m_caller.uid << "disconnected";
    Q_EMIT closed();
}

void ControlSession::processInput()
{
    if (m_processing || m_closed)
        return;
    m_processing = true;
    while (!m_closed && !m_closeAfterFlush && m_pendingAnswerBytes < kMaxPendingAnswerBytes) {
        if (std::optional<Result<QJsonObject>> frame = m_decoder.next()) {
            if (frame->ok())
                handleFrame(frame->value());
            else
                sendError(0, ErrorCode::BadRequest, frame->error().message);
            continue;
        }
        if (m_decoder.failed()) {
            qCWarning(lcControl).noquote() << "closing client pid" << m_caller.pid << "uid" << m_caller.uid << "after a"
                                           << "protocol violation:" << m_decoder.errorString();
            m_processing = false;
            abort();
            return;
        }
        if (m_socket->bytesAvailable() <= 0)
            break;
        m_decoder.feed(m_socket->read(kReadChunk));
    }
    m_processing = false;
}

void ControlSession::handleFrame(const QJsonObject &object)
{
    if (m_helloDone)
        m_idleTimer->start();
    const Result<Protocol::Request> request = Protocol::parseRequest(object);
    if (!request) {
        sendError(Protocol::readId(object), ErrorCode::BadRequest, request.error().message);
        return;
    }
    const std::optional<Method> method = Protocol::methodFromName(request->method);
    if (!m_helloDone && method != Method::Hello) {
        sendError(request->id, ErrorCode::HelloRequired, u"the first request must be hello"_s);
        return;
    }
    if (!method) {
        sendError(request->id, ErrorCode::UnknownMethod, u"unknown method %1"_s.arg(printable(request->method, 64)));
        return;
    }
    if (!Protocol::isAllowed(*method, m_caller.role)) {
        qCInfo(lcControl).noquote() << "refused" << request->method << "to uid" << m_caller.uid << "("
                                    << Protocol::roleName(m_caller.role) << ")";
        sendError(request->id,
            ErrorCode::PermissionDenied,
            u"%1 is not allowed for role %2"_s.arg(request->method, Protocol::roleName(m_caller.role)),
            permissionHint(*method));
        return;
    }
    qCDebug(lcControl).noquote() << "uid" << m_caller.uid << "calls" << request->method;
    dispatch(request.value(), *method);
}

void ControlSession::dispatch(const Protocol::Request &request, Method method)
{
    const QJsonObject &params = request.params;
    QString network;
    switch (method) {
    case Method::Hello:
        handleHello(request);
        return;
    case Method::Status:
        sendResult(request.id, m_backend.status());
        return;
    case Method::PeersList:
    case Method::ClaimsList:
    case Method::Stats: {
        if (!optionalString(params, u"network"_s, network)) {
            sendError(request.id, ErrorCode::BadRequest, u"network must be a string"_s);
            return;
        }
        const Result<QJsonArray> list = method == Method::PeersList ? m_backend.peers(network)
            : method == Method::ClaimsList                          ? m_backend.claims(network)
                                                                    : m_backend.stats(network);
        if (!list) {
            sendBackendError(request.id, list.error());
            return;
        }
        const QString key = method == Method::PeersList ? u"peers"_s
            : method == Method::ClaimsList              ? u"claims"_s
                                                        : u"networks"_s;
        sendResult(request.id, QJsonObject {{key, list.value()}});
        return;
    }
    case Method::EventsSubscribe:
        handleSubscribe(request);
        return;
    case Method::ProfilesValidate:
        handleValidate(request);
        return;
    case Method::ProfilesImport: {
        const QJsonValue yaml = params.value(u"yaml"_s);
        if (!yaml.isString()) {
            sendError(request.id, ErrorCode::BadRequest, u"yaml must be a string"_s);
            return;
        }
        // Parsing runs on the event loop: the size cap and the rate limit bound what one client can make it cost.
        if (refuseProfileInput(request.id, yaml.toString().toUtf8().size()))
            return;
        const Result<QJsonObject> imported = m_backend.importProfile(yaml.toString(), m_caller);
        if (!imported)
            sendBackendError(request.id, imported.error());
        else
            sendResult(request.id, imported.value());
        return;
    }
    case Method::ProfilesExport:
        handleExport(request);
        return;
    case Method::NetworksConnect:
        handleConnect(request);
        return;
    case Method::NetworksDisconnect:
        handleDisconnect(request);
        return;
    case Method::KeysGenerate:
        sendResult(request.id, m_backend.generateKeys().toJson());
        return;
    case Method::HelperShutdown:
        qCInfo(lcControl) << "shutdown requested by uid" << m_caller.uid << "pid" << m_caller.pid;
        sendResult(request.id, {});
        if (!m_out.empty()) {
            m_out.back().shutdownAfter = true;
        } else {
            m_socket->flush();
            Q_EMIT shutdownRequested();
        }
        return;
    }
}

void ControlSession::handleHello(const Protocol::Request &request)
{
    const std::optional<int> version = Protocol::negotiateVersion(request.params.value(u"versions"_s));
    const QString client = printable(request.params.value(u"client"_s).toString(), 64);
    if (!version) {
        qCInfo(lcControl).noquote() << "client" << client << "pid" << m_caller.pid << "speaks no protocol version"
                                    << "of ours";
        sendError(request.id,
            ErrorCode::UnsupportedVersion,
            u"this helper speaks control protocol version %1 only"_s.arg(Protocol::kProtocolVersion),
            u"use a nimbus client of the same release as the helper"_s);
        m_closeAfterFlush = true;
        flush();
        return;
    }
    if (!m_helloDone)
        qCInfo(lcControl).noquote() << "client" << client << "pid" << m_caller.pid << "uid" << m_caller.uid << "role"
                                    << Protocol::roleName(m_caller.role);
    if (!m_helloDone) {
        m_helloTimer->stop();
        m_idleTimer->start();
    }
    m_helloDone = true;
    QStringList capabilities = Protocol::allowedMethods(m_caller.role);
    if (m_backend.mode() != u"service"_s)
        capabilities.removeAll(u"networks.connect"_s);
    const Protocol::HelloResult hello {*version,
        QString::fromLatin1(kVersion),
        capabilities,
        Protocol::roleName(m_caller.role),
        m_caller.uid,
        m_backend.mode()};
    sendResult(request.id, hello.toJson());
}

void ControlSession::handleSubscribe(const Protocol::Request &request)
{
    // Everything below runs in one turn of the event loop, so no event can fall between the snapshot and seq.
    const Result<QJsonArray> peers = m_backend.peers({});
    const Result<QJsonArray> claims = m_backend.claims({});
    QJsonArray recent = m_backend.recentEvents();
    while (recent.size() > Protocol::kMaxSnapshotEvents)
        recent.removeFirst();
    const QJsonObject snapshot {
        {u"status"_s, m_backend.status()},
        {u"peers"_s, peers ? peers.value() : QJsonArray()},
        {u"claims"_s, claims ? claims.value() : QJsonArray()},
        {u"events"_s, recent},
    };
    m_subscribed = true;
    m_announcedSeq = m_nextSeq - 1;
    sendResult(request.id, QJsonObject {{u"snapshot"_s, snapshot}, {u"seq"_s, m_announcedSeq}});
}

void ControlSession::handleValidate(const Protocol::Request &request)
{
    const QJsonValue profile = request.params.value(u"profile"_s);
    if (!profile.isObject()) {
        sendError(request.id, ErrorCode::BadRequest, u"profile must be an object"_s);
        return;
    }
    if (refuseProfileInput(request.id, QJsonDocument(profile.toObject()).toJson(QJsonDocument::Compact).size()))
        return;
    Protocol::ValidationResult result = m_backend.validateProfile(profile.toObject(), m_caller);
    if (m_caller.role != Role::Admin) {
        const QStringList privileged = Protocol::privilegedProfileKeys(profile.toObject());
        if (!privileged.isEmpty()) {
            result.errors.append(privilegedKeyErrors(privileged));
            result.valid = false;
        }
    }
    sendResult(request.id, result.toJson());
}

void ControlSession::handleExport(const Protocol::Request &request)
{
    const QJsonValue profile = request.params.value(u"profile"_s);
    if (!profile.isObject()) {
        sendError(request.id, ErrorCode::BadRequest, u"profile must be an object"_s);
        return;
    }
    if (refuseProfileInput(request.id, QJsonDocument(profile.toObject()).toJson(QJsonDocument::Compact).size()))
        return;
    // No secret unless the caller sends one; then it goes into the file for that caller only.
    std::optional<Protocol::Secret> secret;
    const QJsonValue secretValue = request.params.value(u"secret"_s);
    if (!secretValue.isUndefined() && !secretValue.isNull()) {
        const Result<Protocol::Secret> parsed = Protocol::Secret::fromJson(secretValue.toObject());
        if (!secretValue.isObject() || !parsed || parsed->isEmpty()) {
            sendError(request.id,
                ErrorCode::BadRequest,
                u"secret must be {\"password\": \"...\"} or {\"privateKey\": \"...\"} (or absent)"_s);
            return;
        }
        secret = parsed.value();
    }
    if (refuseInvalid(request.id, m_backend.validateProfile(profile.toObject(), m_caller)))
        return;
    const Result<QString> yaml = m_backend.exportProfile(profile.toObject(), secret, m_caller);
    if (!yaml) {
        sendBackendError(request.id, yaml.error());
        return;
    }
    sendResult(request.id, Protocol::ExportResult {yaml.value()}.toJson());
}

bool ControlSession::refuseInvalid(qint64 id, const Protocol::ValidationResult &validation)
{
    if (validation.valid)
        return false;
    QStringList names;
    for (const Protocol::FieldError &f : validation.errors)
        names.append(f.field);
    sendError(id,
        ErrorCode::InvalidProfile,
        u"the profile is invalid: %1"_s.arg(names.join(u", "_s)),
        {},
        QJsonObject {{u"fields"_s, Protocol::listToJson(validation.errors)}});
    return true;
}

bool ControlSession::refuseProfileInput(qint64 id, qsizetype bytes)
{
    const qint64 now = m_clock.elapsed();
    const double refill = double(now - m_profileTokensAt) / double(qMax(1, m_policy.profileRefillMs));
    m_profileTokens = qMin(double(m_policy.profileBurst), m_profileTokens + refill);
    m_profileTokensAt = now;
    if (m_profileTokens < 1.0) {
        const qint64 retryAfter = qint64((1.0 - m_profileTokens) * m_policy.profileRefillMs) + 1;
        qCInfo(lcControl) << "rate-limiting profile requests of client pid" << m_caller.pid << "uid" << m_caller.uid;
        sendError(id,
            ErrorCode::LimitExceeded,
            u"too many profile requests: at most %1 at once, then one every %2 ms"_s.arg(m_policy.profileBurst)
                .arg(m_policy.profileRefillMs),
            u"try again in a moment"_s,
            QJsonObject {
                {u"limit"_s, u"profileRate"_s}, {u"max"_s, m_policy.profileBurst}, {u"retryAfterMs"_s, retryAfter}});
        return true;
    }
    m_profileTokens -= 1.0;
    if (bytes > m_policy.maxProfileBytes) {
        sendError(id,
            ErrorCode::LimitExceeded,
            u"the profile input is %1 bytes; at most %2 bytes are accepted"_s.arg(bytes).arg(m_policy.maxProfileBytes),
            u"a VpnCloud profile is a few KiB; check that this is the right file"_s,
            QJsonObject {{u"limit"_s, u"profileBytes"_s}, {u"max"_s, qint64(m_policy.maxProfileBytes)}});
        return true;
    }
    return false;
}

bool ControlSession::refuseNetworkLimit(qint64 id)
{
    const QHash<QString, qint64> owners = networkOwners(m_backend.status());
    if (owners.size() >= m_policy.maxNetworks) {
        qCInfo(lcControl) << "refused a network to uid" << m_caller.uid << ":" << owners.size() << "are running";
        sendError(id,
            ErrorCode::LimitExceeded,
            u"the helper runs %1 networks already, its limit"_s.arg(owners.size()),
            u"disconnect a network first"_s,
            QJsonObject {{u"limit"_s, u"networks"_s}, {u"max"_s, m_policy.maxNetworks}});
        return true;
    }
    if (m_caller.role == Role::Admin)
        return false;
    const qsizetype own = std::count(owners.cbegin(), owners.cend(), qint64(m_caller.uid));
    if (own >= m_policy.maxNetworksPerUser) {
        qCInfo(lcControl) << "refused a network to uid" << m_caller.uid << ": it has" << own << "connected";
        sendError(id,
            ErrorCode::LimitExceeded,
            u"you have %1 networks connected already, the limit per user"_s.arg(own),
            u"disconnect one of yours first"_s,
            QJsonObject {{u"limit"_s, u"networksPerUser"_s}, {u"max"_s, m_policy.maxNetworksPerUser}});
        return true;
    }
    return false;
}

void ControlSession::handleDisconnect(const Protocol::Request &request)
{
    const QJsonValue name = request.params.value(u"network"_s);
    if (!name.isString() || name.toString().isEmpty()) {
        sendError(request.id, ErrorCode::BadRequest, u"network must be a non-empty string"_s);
        return;
    }
    if (m_caller.role != Role::Admin) {
        // Operators disconnect only what they connected; the backend refuses system networks itself.
        const qint64 owner = networkOwners(m_backend.status()).value(name.toString(), -1);
        if (owner >= 0 && owner != qint64(m_caller.uid)) {
            qCInfo(lcControl).noquote() << "refused uid" << m_caller.uid << "to disconnect" << name.toString()
                                        << "of uid" << owner;
            sendError(request.id,
                ErrorCode::PermissionDenied,
                u"network \"%1\" was connected by uid %2; you may disconnect only your own"_s.arg(name.toString())
                    .arg(owner),
                u"ask that user or root"_s);
            return;
        }
    }
    const Result<Ok> done = m_backend.disconnectNetwork(name.toString(), m_caller);
    if (!done)
        sendBackendError(request.id, done.error());
    else
        sendResult(request.id, {});
}

void ControlSession::handleConnect(const Protocol::Request &request)
{
    if (m_backend.mode() != u"service"_s) {
        sendError(request.id,
            ErrorCode::BadRequest,
            u"this helper runs in network mode (the one network of its configuration); it takes no networks over the "
            "socket"_s,
            u"connect through a helper in service mode (nimbus-helper --service)"_s);
        return;
    }
    const QJsonValue profileValue = request.params.value(u"profile"_s);
    const QJsonValue secretValue = request.params.value(u"secret"_s);
    if (!profileValue.isObject() || !secretValue.isObject()) {
        sendError(request.id, ErrorCode::BadRequest, u"networks.connect needs a profile object and a secret object"_s);
        return;
    }
    const QJsonObject profile = profileValue.toObject();
    if (m_caller.role != Role::Admin) {
        const QStringList privileged = Protocol::privilegedProfileKeys(profile);
        if (!privileged.isEmpty()) {
            qCInfo(lcControl).noquote() << "refused privileged profile keys" << privileged.join(u", "_s) << "from uid"
                                        << m_caller.uid;
            sendError(request.id,
                ErrorCode::InvalidProfile,
                u"the profile sets %1, which only root may set"_s.arg(privileged.join(u", "_s)),
                u"remove these keys, or connect the network as a system profile"_s,
                QJsonObject {{u"fields"_s, Protocol::listToJson(privilegedKeyErrors(privileged))}});
            return;
        }
    }
    if (refuseInvalid(request.id, m_backend.validateProfile(profile, m_caller)))
        return;
    if (refuseNetworkLimit(request.id))
        return;
    const Result<QString> network = m_backend.connectNetwork(profile, secretValue.toObject(), m_caller);
    if (!network) {
        sendBackendError(request.id, network.error());
        return;
    }
    qCInfo(lcControl).noquote() << "uid" << m_caller.uid << "connected network" << network.value();
    sendResult(request.id, QJsonObject {{u"network"_s, network.value()}});
}

void ControlSession::sendResult(qint64 id, const QJsonObject &result)
{
    send(Protocol::makeResult(id, result));
}

void ControlSession::sendError(
    qint64 id, ErrorCode code, const QString &message, const QString &hint, const QJsonObject &extra)
{
    send(Protocol::makeError(id, code, message, hint, extra));
}

void ControlSession::sendBackendError(qint64 id, const Error &error)
{
    const std::optional<ErrorCode> code = Protocol::errorCodeFromName(error.code);
    if (!code) {
        qCWarning(lcControl).noquote() << "backend error with unknown code" << error.code << "reported as INTERNAL";
        sendError(id, ErrorCode::Internal, error.message);
        return;
    }
    QString hint;
    if (*code == ErrorCode::PermissionDenied)
        hint = m_caller.role == Role::Admin ? QString() : u"only root may do this"_s;
    sendError(id, *code, error.message, hint);
}

void ControlSession::send(const QJsonObject &message)
{
    if (m_closed)
        return;
    QByteArray frame = Protocol::encodeFrame(message);
    if (frame.isEmpty()) {
        qCWarning(lcControl) << "answer larger than a frame; sending INTERNAL instead";
        frame = Protocol::encodeFrame(Protocol::makeError(
            Protocol::readId(message), ErrorCode::Internal, u"the answer is larger than the frame limit"_s));
    }
    m_pendingAnswerBytes += frame.size();
    m_out.push_back(Outgoing {std::move(frame), 0});
    flush();
}

void ControlSession::queueEvent(const QString &name, qint64 timeMs, const QJsonObject &data)
{
    if (!m_subscribed || m_closed)
        return;
    QByteArray frame = Protocol::encodeFrame(Protocol::makeEvent(name, m_nextSeq, timeMs, data));
    if (frame.isEmpty()) {
        qCWarning(lcControl).noquote() << "event" << name << "is larger than a frame; dropped";
        return;
    }
    if (m_queuedEvents + 1 > m_limits.maxEvents || m_queuedEventBytes + frame.size() > m_limits.maxBytes) {
        overflow(timeMs);
        return;
    }
    const qint64 seq = m_nextSeq++;
    m_queuedEvents += 1;
    m_queuedEventBytes += frame.size();
    m_out.push_back(Outgoing {std::move(frame), seq});
    flush();
}

void ControlSession::overflow(qint64 timeMs)
{
    // Drop the events this client has not been told about yet (those after the seq of its last subscribe answer),
    // renumber so that seq stays gapless, and tell it to subscribe again.
    qCInfo(lcControl) << "client pid" << m_caller.pid << "uid" << m_caller.uid << "is too slow; dropping"
                      << m_queuedEvents << "events and sending resync";
    for (auto it = m_out.begin(); it != m_out.end();) {
        if (it->seq > m_announcedSeq) {
            m_queuedEvents -= 1;
            m_queuedEventBytes -= it->frame.size();
            it = m_out.erase(it);
        } else {
            ++it;
        }
    }
    m_nextSeq = qMax(m_lastSentSeq, m_announcedSeq) + 1;
    m_subscribed = false;
    QByteArray frame = Protocol::encodeFrame(Protocol::makeEvent(u"resync"_s, m_nextSeq, timeMs, {}));
    const qint64 seq = m_nextSeq++;
    m_queuedEvents += 1;
    m_queuedEventBytes += frame.size();
    m_out.push_back(Outgoing {std::move(frame), seq});
    flush();
}

void ControlSession::flush()
{
    if (m_closed)
        return;
    while (!m_out.empty() && m_socket->bytesToWrite() < kSocketWatermark) {
        Outgoing item = std::move(m_out.front());
        m_out.pop_front();
        if (item.seq > 0) {
            m_queuedEvents -= 1;
            m_queuedEventBytes -= item.frame.size();
            m_lastSentSeq = item.seq;
        } else {
            m_pendingAnswerBytes -= item.frame.size();
        }
        m_socket->write(item.frame);
        if (item.shutdownAfter) {
            m_socket->flush();
            Q_EMIT shutdownRequested();
        }
    }
    if (!m_out.empty())
        return;
    if (m_closeAfterFlush) {
        m_socket->disconnectFromServer();
        return;
    }
    // Reading may have paused while answers piled up. Resume from the event loop, never from inside the caller
    // (which may be the backend publishing an event).
    if (!m_processing && !m_resumeQueued && m_pendingAnswerBytes < kMaxPendingAnswerBytes
        && (m_socket->bytesAvailable() > 0 || m_decoder.bufferedBytes() > 0)) {
        m_resumeQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_resumeQueued = false;
                processInput();
            },
            Qt::QueuedConnection);
    }
}

} // namespace Nimbus
