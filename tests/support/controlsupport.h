#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/protocol/framecodec.h"
#include "core/protocol/result.h"

// Shared by the tests of the control socket: a frame-level test client (the scripted backend they serve is
// tests/fakes/helper/fakecontrolbackend.h).
namespace Nimbus::Test
{

/// A control client at frame level, for driving a ControlServer in the same thread (it waits by running the
/// event loop, never by blocking).
class FrameClient : public QObject
{
    Q_OBJECT

public:
    explicit FrameClient(QObject *parent = nullptr);

    bool connectTo(const QString &path);
    void sendRaw(const QByteArray &bytes);
    void send(const QJsonObject &message);
    /// Sends a request and returns its id.
    qint64 request(const QString &method, const QJsonObject &params = {});
    /// The next frame, running the event loop up to \a timeoutMs; nullopt on timeout, disconnection or a bad frame.
    std::optional<QJsonObject> next(int timeoutMs = 5000);
    /// Sends a request and waits for its response; events arriving meanwhile go to `events`.
    QJsonObject call(const QString &method, const QJsonObject &params = {});
    /// hello with version 1; returns the response.
    QJsonObject hello();
    /// Waits until the server has closed the connection.
    bool waitForDisconnected(int timeoutMs = 5000);

    QLocalSocket socket;
    Protocol::FrameDecoder decoder;
    QList<QJsonObject> events;
    qint64 nextId = 1;
};

/// The error code of a response, or empty for a result.
QString errorCode(const QJsonObject &response);

} // namespace Nimbus::Test
