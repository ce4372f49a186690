#pragma once

#include <QHash>

#include "ui/profiles/secretstore.h"

namespace Nimbus
{

/// Profile secrets in the desktop keychain through QtKeychain (Secret Service on Linux).
/// Never falls back to an insecure file: without a keychain, operations end with SecretStatus::NoKeychain
/// and the caller may offer keepForSession() (memory only).
class CredentialStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    static constexpr const char *kDefaultService = "org.nimbusvpn.Nimbus";

    explicit CredentialStore(const QString &service, QObject *parent = nullptr);
    ~CredentialStore() override;

    QString service() const;

    void readSecret(const QString &profile, QObject *context, Handler handler) override;
    void writeSecret(const QString &profile, const ProfileSecret &secret, QObject *context, Handler handler) override;
    void deleteSecret(const QString &profile, QObject *context, Handler handler) override;
    void keepForSession(const QString &profile, const ProfileSecret &secret) override;
    bool hasSessionSecret(const QString &profile) const override;

private:
    QString m_service;
    QHash<QString, ProfileSecret> m_sessionSecrets;
};

} // namespace Nimbus
