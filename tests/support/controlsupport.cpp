#include "tests/support/controlsupport.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTimer>

#include "core/protocol/envelope.h"
#include "core/protocol/errorcode.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

FrameClient::FrameClient(QObject *parent) : QObject(parent)
{
}

bool FrameClient::connectTo(const QString &path)
{
    socket.connectToServer(path);
    return socket.waitForConnected(5000);
}

void FrameClient::sendRaw(const QByteArray &bytes)
{
    socket.write(bytes);
    socket.flush();
}

void FrameClient::send(const QJsonObject &message)
{
    sendRaw(Protocol::encodeFrame(message));
}

qint64 FrameClient::request(const QString &method, const QJsonObject &params)
{
    const qint64 id = nextId++;
    send(Protocol::makeRequest(id, method, params));
    return id;
}

std::optional<QJsonObject> FrameClient::next(int timeoutMs)
{
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(timeoutMs);
    while (true) {
        if (std::optional<Result<QJsonObject>> frame = decoder.next())
            return frame->ok() ? std::optional<QJsonObject>(frame->value()) : std::nullopt;
        if (decoder.failed())
            return std::nullopt;
        if (socket.bytesAvailable() > 0) {
            decoder.feed(socket.readAll());
            continue;
        }
        if (!deadline.isActive() || socket.state() != QLocalSocket::ConnectedState)
            return std::nullopt;
        QEventLoop loop;
        connect(&socket, &QLocalSocket::readyRead, &loop, &QEventLoop::quit);
        connect(&socket, &QLocalSocket::disconnected, &loop, &QEventLoop::quit);
        connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

QJsonObject FrameClient::call(const QString &method, const QJsonObject &params)
{
    const qint64 id = request(method, params);
    while (std::optional<QJsonObject> message = next()) {
        if (message->contains(u"event"_s))
            events.append(*message);
        else if (message->value(u"id"_s).toInteger() == id)
            return *message;
    }
    return {};
}

QJsonObject FrameClient::hello()
{
    return call(u"hello"_s, QJsonObject {{u"versions"_s, QJsonArray {1}}, {u"client"_s, u"test"_s}});
}

bool FrameClient::waitForDisconnected(int timeoutMs)
{
    if (socket.state() == QLocalSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&socket, &QLocalSocket::disconnected);
    // Reading drives the disconnection detection.
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(timeoutMs);
    while (socket.state() != QLocalSocket::UnconnectedState && deadline.isActive()) {
        socket.readAll();
        spy.wait(50);
    }
    return socket.state() == QLocalSocket::UnconnectedState;
}

QString errorCode(const QJsonObject &response)
{
    return response.value(u"error"_s).toObject().value(u"code"_s).toString();
}

} // namespace Nimbus::Test
