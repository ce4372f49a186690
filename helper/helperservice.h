#pragma once

#include <map>
#include <memory>

#include <QJsonArray>
#include <QObject>

#include "core/config/addresspolicy.h"
#include "helper/control/controlbackend.h"

namespace Nimbus
{

class ControlServer;
class Network;
struct NetworkConfig;

/// The helper's service: owns the running networks, implements the control protocol's backend, and publishes
/// every network event to the control server. Used in both modes: network mode starts one network at once,
/// service mode starts with none.
class HelperService final : public QObject, public ControlBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HelperService)

public:
    enum class Mode {
        Network,
        Service,
    };

    explicit HelperService(Mode mode, QObject *parent = nullptr);
    /// Where events are published (may be null: no control socket).
    void setControlServer(ControlServer *server) { m_server = server; }
    /// The admin's address policy settings for networks non-admins connect (`--allow-range`).
    void setAddressPolicy(AddressPolicySettings settings) { m_addressPolicy = std::move(settings); }
    ~HelperService() override;

    /// Starts a network (network mode: \a system = true). Errors carry a one-line message.
    Result<QString> startNetwork(NetworkConfig config, bool system);
    /// Closes every network in order (CLOSE to all peers).
    void closeAll();

    // ControlBackend
    QString mode() const override;
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
    void shutdown() override;
    Protocol::KeyPair generateKeys() override;
    QJsonArray recentEvents() const override;

Q_SIGNALS:
    /// Every network is closed and the helper should exit with \a exitCode.
    void finished(int exitCode);

private:
    void publish(const QString &event, const QJsonObject &data);
    const Network *find(const QString &name) const;
    /// Why a non-admin may not connect \a config's device address (core/config/addresspolicy.h), or nullopt.
    std::optional<QString> checkAddressPolicy(const NetworkConfig &config) const;
    template<typename F>
    Result<QJsonArray> collect(const QString &network, F &&perNetwork) const;

    Mode m_mode;
    ControlServer *m_server = nullptr;
    std::map<QString, std::unique_ptr<Network>> m_networks;
    /// Who connected each network over the socket (system networks have no entry).
    std::map<QString, quint32> m_owners;
    QJsonArray m_recent;
    AddressPolicySettings m_addressPolicy;
};

} // namespace Nimbus
