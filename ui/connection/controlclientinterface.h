#pragma once

#include <functional>

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include "client/controlclient.h"
#include "core/protocol/methodtable.h"

namespace Nimbus
{

/// What the GUI needs from a control-protocol client. The app implements it with the real ControlClient
/// (QLocalSocket + framing, ControlClientAdapter); tests use FakeControlClient. The link state, the reply and
/// its error are the client's and the protocol's own types (ControlClient::State, ControlClientReply,
/// Protocol::ErrorInfo).
class ControlClientInterface : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = ControlClient::ReplyHandler;

    explicit ControlClientInterface(QObject *parent = nullptr);
    ~ControlClientInterface() override;

    virtual ControlClient::State link() const = 0;
    /// Extra words about the link state (OS error text, helper version); may be empty.
    virtual QString linkDetail() const = 0;
    virtual QString socketPath() const = 0;
    /// From the hello answer: "admin", "operator" or "observer"; empty before hello.
    virtual QString role() const = 0;
    virtual QStringList capabilities() const = 0;
    /// Sends `method` with `params`; `handler` runs once with the answer unless `context` is gone by then.
    /// If the link drops first, the handler gets ControlClientReply::connectionLost().
    virtual void request(Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler)
        = 0;

Q_SIGNALS:
    void linkChanged(Nimbus::ControlClient::State link);
    void eventReceived(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data);
};

} // namespace Nimbus
