#pragma once

#include <QHash>
#include <QStringList>

#include "ui/profiles/secretstore.h"

namespace Nimbus::Test
{

/// An in-memory SecretStore that answers synchronously. `failWith` makes every keychain operation fail.
class FakeSecretStore final : public SecretStore
{
    Q_OBJECT

public:
    explicit FakeSecretStore(QObject *parent = nullptr);
    ~FakeSecretStore() override;

    void readSecret(const QString &profile, QObject *context, Handler handler) override;
    void writeSecret(const QString &profile, const ProfileSecret &secret, QObject *context, Handler handler) override;
    void deleteSecret(const QString &profile, QObject *context, Handler handler) override;
    void keepForSession(const QString &profile, const ProfileSecret &secret) override;
    bool hasSessionSecret(const QString &profile) const override;

    SecretStatus failWith = SecretStatus::Ok;
    QHash<QString, ProfileSecret> stored;
    QHash<QString, ProfileSecret> session;
    /// The profiles whose secret was read, in order.
    QStringList reads;
};

} // namespace Nimbus::Test
