#pragma once

#include "ui/connection/controlclientinterface.h"

namespace Nimbus
{

/// ControlClientInterface on top of client/'s ControlClient (QLocalSocket, framing, hello, reconnect).
class ControlClientAdapter final : public ControlClientInterface
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlClientAdapter)

public:
    explicit ControlClientAdapter(const QString &socketPath, QObject *parent = nullptr);
    ~ControlClientAdapter() override;

    /// Starts connecting; reconnects by itself whenever the helper goes away.
    void start();

    ControlClient::State link() const override;
    QString linkDetail() const override;
    QString socketPath() const override;
    QString role() const override;
    QStringList capabilities() const override;
    void request(Protocol::Method method, const QJsonObject &params, QObject *context, ReplyHandler handler) override;

private:
    ControlClient *m_client;
};

} // namespace Nimbus
