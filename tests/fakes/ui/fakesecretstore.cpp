#include "tests/fakes/ui/fakesecretstore.h"

namespace Nimbus::Test
{

FakeSecretStore::FakeSecretStore(QObject *parent) : SecretStore(parent)
{
}

FakeSecretStore::~FakeSecretStore() = default;

void FakeSecretStore::readSecret(const QString &profile, QObject *context, Handler handler)
{
    Q_UNUSED(context)
    reads.append(profile);
    if (session.contains(profile)) {
        handler({SecretStatus::Ok, session.value(profile), QString()});
        return;
    }
    if (failWith != SecretStatus::Ok) {
        handler({failWith, std::nullopt, QStringLiteral("fake failure")});
        return;
    }
    if (!stored.contains(profile)) {
        handler({SecretStatus::NotFound, std::nullopt, QString()});
        return;
    }
    handler({SecretStatus::Ok, stored.value(profile), QString()});
}

void FakeSecretStore::writeSecret(
    const QString &profile, const ProfileSecret &secret, QObject *context, Handler handler)
{
    Q_UNUSED(context)
    if (failWith != SecretStatus::Ok) {
        handler({failWith, std::nullopt, QStringLiteral("fake failure")});
        return;
    }
    stored.insert(profile, secret);
    session.remove(profile);
    handler({SecretStatus::Ok, std::nullopt, QString()});
}

void FakeSecretStore::deleteSecret(const QString &profile, QObject *context, Handler handler)
{
    Q_UNUSED(context)
    session.remove(profile);
    if (failWith != SecretStatus::Ok) {
        handler({failWith, std::nullopt, QStringLiteral("fake failure")});
        return;
    }
    stored.remove(profile);
    handler({SecretStatus::Ok, std::nullopt, QString()});
}

void FakeSecretStore::keepForSession(const QString &profile, const ProfileSecret &secret)
{
    session.insert(profile, secret);
}

bool FakeSecretStore::hasSessionSecret(const QString &profile) const
{
    return session.contains(profile);
}

} // namespace Nimbus::Test
