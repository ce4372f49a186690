#pragma once

#include <functional>

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Nimbus
{

/// An error answer from the helper (control-protocol.md "Envelope"), or a client-side failure.
/// `code` is one of the protocol's closed list, or kConnectionLost when the link dropped before the answer.
struct ControlError {
    static constexpr const char *kConnectionLost = "CONNECTION_LOST";

    QString code;
    QString message;
    QString hint;
    /// INVALID_PROFILE only: [{"field": "ip", "message": "..."}].
    QJsonArray fields;

    static ControlError fromJson(const QJsonObject &error);
};

/// The answer to one request: either `result` (ok) or `error`.
struct ControlReply {
    bool ok = false;
    QJsonObject result;
    ControlError error;

    static ControlReply success(const QJsonObject &result);
    static ControlReply failure(const ControlError &error);
};

/// The state of the link between the GUI and the helper's control socket.
enum class HelperLink {
    Idle,
    Connecting,
    Ready,
    NotRunning,
    PermissionDenied,
    /// The process behind the socket does not run as root or the helper's service user: no secret goes there.
    Untrusted,
    Incompatible,
};

/// What the GUI needs from a control-protocol client. The app implements it with the real
/// ControlClient (QLocalSocket + framing); tests use FakeControlClient.
class ControlClientInterface : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = std::function<void(const ControlReply &)>;

    explicit ControlClientInterface(QObject *parent = nullptr);
    ~ControlClientInterface() override;

    virtual HelperLink link() const = 0;
    /// Extra words about the link state (OS error text, helper version); may be empty.
    virtual QString linkDetail() const = 0;
    virtual QString socketPath() const = 0;
    /// From the hello answer: "admin", "operator" or "observer"; empty before hello.
    virtual QString role() const = 0;
    virtual QStringList capabilities() const = 0;
    /// Sends `method` with `params`; `handler` runs once with the answer unless `context` is gone by then.
    /// If the link drops first, the handler gets ControlError::kConnectionLost.
    virtual void request(const QString &method, const QJsonObject &params, QObject *context, ReplyHandler handler) = 0;

Q_SIGNALS:
    void linkChanged(Nimbus::HelperLink link);
    void eventReceived(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data);
};

} // namespace Nimbus
