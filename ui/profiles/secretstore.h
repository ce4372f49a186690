#pragma once

#include <functional>
#include <optional>

#include <QObject>
#include <QString>

#include "ui/profiles/clientprofile.h"

namespace Nimbus
{

/// How a secret operation ended.
enum class SecretStatus {
    Ok,
    NotFound,
    /// No keychain (Secret Service, KWallet) is reachable on this desktop.
    NoKeychain,
    Denied,
    Failed,
};

struct SecretResult {
    SecretStatus status = SecretStatus::Failed;
    std::optional<ProfileSecret> secret;
    /// Technical detail for logs and error dialogs; never contains the secret.
    QString message;
};

/// Where profile secrets live. CredentialStore keeps them in the desktop keychain; tests use a fake.
/// Every operation is asynchronous; the handler runs once unless `context` is destroyed first.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const SecretResult &)>;

    explicit SecretStore(QObject *parent = nullptr);
    ~SecretStore() override;

    virtual void readSecret(const QString &profile, QObject *context, Handler handler) = 0;
    virtual void writeSecret(const QString &profile, const ProfileSecret &secret, QObject *context, Handler handler)
        = 0;
    virtual void deleteSecret(const QString &profile, QObject *context, Handler handler) = 0;
    /// Keeps `secret` in memory only, until the app quits (used when no keychain is available).
    virtual void keepForSession(const QString &profile, const ProfileSecret &secret) = 0;
    virtual bool hasSessionSecret(const QString &profile) const = 0;
};

} // namespace Nimbus
