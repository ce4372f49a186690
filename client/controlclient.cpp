#include "client/controlclient.h"

#include <QJsonArray>
#include <QLocalSocket>
#include <QTimer>

#include "client/clientlogging.h"
#include "client/platform/linux/serveruid.h"
#include "core/protocol/constants.h"
#include "core/protocol/errorcode.h"
#include "core/protocol/methodtable.h"
#include "core/protocol/types.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr int kFirstBackoffMs = 250;
constexpr int kMaxBackoffMs = 30000;
constexpr int kDefaultHelloTimeoutMs = 10000;
constexpr qsizetype kReadChunk = 64 * 1024;

} // namespace

QString ControlClientReply::connectionLost()
{
    return u"CONNECTION_LOST"_s;
}

ControlClientReply ControlClientReply::success(const QJsonObject &result)
{
    ControlClientReply reply;
    reply.ok = true;
    reply.result = result;
    return reply;
}

ControlClientReply ControlClientReply::failure(const Protocol::ErrorInfo &error)
{
    ControlClientReply reply;
    reply.error = error;
    return reply;
}

ControlClient::ControlClient(QObject *parent)
    : QObject(parent)
    , m_reconnectTimer(new QTimer(this))
    , m_helloTimer(new QTimer(this))
    , m_path(socketPathFromEnvironment())
    , m_clientName(u"nimbus-client"_s)
{
    m_trustedUids.append(0);
    if (const std::optional<quint32> service = ClientPlatform::userId(Protocol::operatorGroup()))
        m_trustedUids.append(*service);
    if (qEnvironmentVariable("NIMBUS_ALLOW_USER_HELPER") == u"1"_s)
        m_trustedUids.append(ClientPlatform::currentUid());

    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &ControlClient::connectToHelper);
    m_helloTimer->setSingleShot(true);
    m_helloTimer->setInterval(kDefaultHelloTimeoutMs);
    connect(m_helloTimer, &QTimer::timeout, this, [this] {
        fail(State::NotRunning, u"the helper at %1 does not answer"_s.arg(m_path));
    });
}

ControlClient::~ControlClient()
{
    m_closing = true;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    // Handlers are not called from the destructor: their owners may be half gone.
    m_pending.clear();
}

QString ControlClient::socketPathFromEnvironment()
{
    return Protocol::clientSocketPath(qEnvironmentVariable("NIMBUS_SOCKET"));
}

void ControlClient::setSocketPath(const QString &path)
{
    m_path = path;
}

void ControlClient::setClientName(const QString &name)
{
    m_clientName = name;
}

void ControlClient::setAutoReconnect(bool enabled)
{
    m_autoReconnect = enabled;
    if (!enabled)
        m_reconnectTimer->stop();
}

bool ControlClient::reconnectPending() const
{
    return m_reconnectTimer->isActive();
}

void ControlClient::setTrustedServerUids(const QList<quint32> &uids)
{
    m_trustedUids = uids;
}

void ControlClient::setHelloTimeout(int milliseconds)
{
    m_helloTimer->setInterval(milliseconds);
}

void ControlClient::resetSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = new QLocalSocket(this);
    m_decoder = std::make_unique<Protocol::FrameDecoder>();
    connect(m_socket, &QLocalSocket::connected, this, &ControlClient::onConnected);
    connect(m_socket, &QLocalSocket::readyRead, this, &ControlClient::onReadyRead);
    connect(m_socket, &QLocalSocket::disconnected, this, &ControlClient::onDisconnected);
    connect(m_socket, &QLocalSocket::errorOccurred, this, &ControlClient::onSocketError);
}

void ControlClient::connectToHelper()
{
    m_closing = false;
    m_reconnectTimer->stop();
    m_helloTimer->stop();
    resetSocket();
    m_role.clear();
    m_capabilities.clear();
    setState(State::Connecting);
    m_socket->connectToServer(m_path);
}

void ControlClient::disconnectFromHelper()
{
    m_closing = true;
    m_reconnectTimer->stop();
    m_helloTimer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    failAllPending();
    setState(State::Idle);
}

void ControlClient::onConnected()
{
    const std::optional<quint32> uid = ClientPlatform::serverUid(m_socket->socketDescriptor());
    if (!uid) {
        fail(State::Untrusted, u"cannot tell who serves %1; refusing to talk to it"_s.arg(m_path));
        return;
    }
    if (!m_trustedUids.contains(*uid)) {
        fail(State::Untrusted,
            u"%1 is served by uid %2, which is neither root nor the nimbus service user; refusing to talk to it "
            "(set NIMBUS_ALLOW_USER_HELPER=1 to trust a helper running as yourself)"_s.arg(m_path)
                .arg(*uid));
        return;
    }
    sendHello();
}

void ControlClient::sendHello()
{
    m_helloId = m_nextId++;
    write(Protocol::makeRequest(m_helloId,
        u"hello"_s,
        QJsonObject {{u"versions"_s, QJsonArray {Protocol::kProtocolVersion}}, {u"client"_s, m_clientName}}));
    m_helloTimer->start();
}

void ControlClient::onReadyRead()
{
    while (m_socket && m_socket->state() == QLocalSocket::ConnectedState) {
        if (std::optional<Result<QJsonObject>> frame = m_decoder->next()) {
            if (!frame->ok()) {
                fail(State::Incompatible, u"the helper sent invalid JSON: %1"_s.arg(frame->error().message));
                return;
            }
            handleMessage(frame->value());
            continue;
        }
        if (m_decoder->failed()) {
            fail(State::Incompatible, u"the helper broke the framing: %1"_s.arg(m_decoder->errorString()));
            return;
        }
        if (m_socket->bytesAvailable() <= 0)
            return;
        m_decoder->feed(m_socket->read(kReadChunk));
    }
}

void ControlClient::handleMessage(const QJsonObject &object)
{
    const Result<Protocol::ServerMessage> message = Protocol::parseServerMessage(object);
    if (!message) {
        fail(State::Incompatible, u"the helper sent an unreadable message: %1"_s.arg(message.error().message));
        return;
    }
    if (const auto *event = std::get_if<Protocol::Event>(&message.value())) {
        if (m_state == State::Ready)
            Q_EMIT eventReceived(event->name, event->seq, event->timeMs, event->data);
        return;
    }
    const Protocol::Response &response = std::get<Protocol::Response>(message.value());
    if (response.id == m_helloId && m_state == State::Connecting) {
        m_helloTimer->stop();
        if (!response.ok) {
            fail(State::Incompatible, response.error.message);
            return;
        }
        Result<Protocol::HelloResult> hello = Protocol::HelloResult::fromJson(response.result);
        if (!hello) {
            fail(State::Incompatible, u"the helper sent an unreadable hello answer: %1"_s.arg(hello.error().message));
            return;
        }
        if (hello->version != Protocol::kProtocolVersion) {
            fail(State::Incompatible, u"the helper chose protocol version %1"_s.arg(hello->version));
            return;
        }
        m_role = hello->role;
        m_capabilities = hello->capabilities;
        m_helperVersion = hello->helper;
        m_helperMode = hello->mode;
        m_backoffMs = 0;
        setState(State::Ready);
        Q_EMIT ready();
        for (auto &[id, pending] : m_pending) {
            if (!pending.sent && m_state == State::Ready)
                sendPending(id, pending);
        }
        return;
    }
    const auto it = m_pending.find(response.id);
    if (it == m_pending.end()) {
        qCWarning(lcClient) << "answer to unknown request" << response.id
                            << (response.ok ? QString() : response.error.message);
        return;
    }
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    if (pending.hasContext && !pending.context)
        return;
    ControlClientReply reply;
    reply.ok = response.ok;
    reply.result = response.result;
    reply.error = response.error;
    pending.handler(reply);
}

qint64 ControlClient::request(
    Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler)
{
    Pending pending {Protocol::methodName(method), params, context, context != nullptr, std::move(handler), false};
    if (m_state != State::Ready && m_state != State::Connecting) {
        QTimer::singleShot(0, this, [pending = std::move(pending), this]() {
            if (pending.hasContext && !pending.context)
                return;
            ControlClientReply reply;
            reply.error.code = ControlClientReply::connectionLost();
            reply.error.message = m_errorString.isEmpty() ? u"not connected to the helper"_s : m_errorString;
            pending.handler(reply);
        });
        return 0;
    }
    const qint64 id = m_nextId++;
    auto [it, inserted] = m_pending.emplace(id, std::move(pending));
    Q_UNUSED(inserted);
    if (m_state == State::Ready)
        sendPending(id, it->second);
    return id;
}

void ControlClient::sendPending(qint64 id, Pending &pending)
{
    pending.sent = true;
    write(Protocol::makeRequest(id, pending.method, pending.params));
    // The params may hold a secret; keep no copy once it is on its way.
    pending.params = {};
}

void ControlClient::write(const QJsonObject &message)
{
    const QByteArray frame = Protocol::encodeFrame(message);
    if (frame.isEmpty()) {
        qCWarning(lcClient) << "request larger than the frame limit not sent";
        return;
    }
    m_socket->write(frame);
}

void ControlClient::onDisconnected()
{
    if (m_state == State::Ready || m_state == State::Connecting)
        fail(State::NotRunning, u"the helper closed the connection"_s);
}

void ControlClient::onSocketError()
{
    if (!m_socket)
        return;
    const QLocalSocket::LocalSocketError error = m_socket->error();
    switch (error) {
    case QLocalSocket::ServerNotFoundError:
        fail(State::NotRunning, u"the helper is not running (no control socket at %1)"_s.arg(m_path));
        return;
    case QLocalSocket::ConnectionRefusedError:
        fail(State::NotRunning, u"the helper is not running (nobody answers on %1)"_s.arg(m_path));
        return;
    case QLocalSocket::SocketAccessError:
        fail(State::PermissionDenied,
            u"permission denied on %1: add your user to group nimbus (then log in again)"_s.arg(m_path));
        return;
    case QLocalSocket::PeerClosedError:
        onDisconnected();
        return;
    default:
        if (m_state == State::Ready || m_state == State::Connecting)
            fail(State::NotRunning, u"lost the helper at %1: %2"_s.arg(m_path, m_socket->errorString()));
        return;
    }
}

void ControlClient::fail(State state, const QString &error)
{
    m_helloTimer->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    qCInfo(lcClient).noquote() << error;
    setState(state, error);
    failAllPending();
    scheduleReconnect();
}

void ControlClient::failAllPending()
{
    std::map<qint64, Pending> pending;
    pending.swap(m_pending);
    for (auto &[id, p] : pending) {
        if (p.hasContext && !p.context)
            continue;
        ControlClientReply reply;
        reply.error.code = ControlClientReply::connectionLost();
        reply.error.message = m_errorString.isEmpty() ? u"the connection to the helper was closed"_s : m_errorString;
        p.handler(reply);
    }
}

void ControlClient::scheduleReconnect()
{
    if (!m_autoReconnect || m_closing)
        return;
    m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : qMin(m_backoffMs * 2, kMaxBackoffMs);
    m_reconnectTimer->start(m_backoffMs);
}

void ControlClient::setState(State state, const QString &error)
{
    m_errorString = error;
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Nimbus
