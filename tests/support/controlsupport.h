#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/protocol/framecodec.h"
#include "helper/control/controlbackend.h"

// Shared by the tst_control* tests: a scripted ControlBackend and a frame-level test client.
namespace Nimbus::Test
{

/// A ControlBackend with canned answers that records what it was asked.
class FakeControlBackend : public ControlBackend
{
public:
    FakeControlBackend();

    QString mode() const override { return m_mode; }
    QJsonObject status() const override;
    Result<QJsonArray> peers(const QString &network) const override;
    Result<QJsonArray> claims(const QString &network) const override;
    Result<QJsonArray> stats(const QString &network) const override;
    Protocol::ValidationResult validateProfile(const QJsonObject &profile, const ControlCaller &caller) const override;
    Result<QJsonObject> importProfile(const QString &yaml, const ControlCaller &caller) override;
    Result<QString> exportProfile(const QJsonObject &profile,
        const std::optional<Protocol::Secret> &secret,
        const ControlCaller &caller) const override;
    Result<QString> connectNetwork(
        const QJsonObject &profile, const QJsonObject &secret, const ControlCaller &caller) override;
    Result<Ok> disconnectNetwork(const QString &network, const ControlCaller &caller) override;
    void shutdown() override { ++shutdownCalls; }
    Protocol::KeyPair generateKeys() override { return {QStringLiteral("priv"), QStringLiteral("pub")}; }
    QJsonArray recentEvents() const override { return recent; }

    /// Adds a connected network; \a system = started with the helper (network mode).
    void addNetwork(const QString &name, bool system = false);

    QString m_mode = QStringLiteral("service");
    /// name -> system
    QMap<QString, bool> networks;
    /// name -> the uid that connected it over the socket (status shows it as `owner`).
    QMap<QString, quint32> owners;
    QJsonArray recent;
    int shutdownCalls = 0;
    QJsonObject lastSecret;
    QJsonObject lastProfile;
    int connectCalls = 0;
    /// If set, connectNetwork fails with this code.
    QString failConnectWith;
    /// What exportProfile was last asked (mutable: exportProfile is const, as in the real backend).
    mutable QJsonObject lastExportProfile;
    mutable std::optional<Protocol::Secret> lastExportSecret;
    mutable int exportCalls = 0;
    /// If set, exportProfile fails with this code.
    QString failExportWith;
};

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
