#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include "helper/control/controlbackend.h"

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

} // namespace Nimbus::Test
