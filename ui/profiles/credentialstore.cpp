#include "ui/profiles/credentialstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <qt6keychain/keychain.h>

#include "ui/common/logging.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QString keyFor(const QString &profile)
{
    return u"profile:"_s + profile;
}

SecretStatus statusFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretStatus::Ok;
    case QKeychain::EntryNotFound:
        return SecretStatus::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretStatus::NoKeychain;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return SecretStatus::Denied;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return SecretStatus::Failed;
}

/// Runs `handler` when `job` finishes, unless `context` is gone by then.
void whenFinished(QKeychain::Job *job, QObject *context, std::function<void(QKeychain::Job *)> handler)
{
    QObject::connect(
        job, &QKeychain::Job::finished, context, [handler = std::move(handler)](QKeychain::Job *j) { handler(j); });
}

} // namespace

CredentialStore::CredentialStore(const QString &service, QObject *parent) : SecretStore(parent), m_service(service)
{
}

CredentialStore::~CredentialStore() = default;

QString CredentialStore::service() const
{
    return m_service;
}

void CredentialStore::readSecret(const QString &profile, QObject *context, Handler handler)
{
    const auto session = m_sessionSecrets.constFind(profile);
    if (session != m_sessionSecrets.constEnd()) {
        SecretResult r {SecretStatus::Ok, *session, QString()};
        QMetaObject::invokeMethod(
            context, [handler, r] { handler(r); }, Qt::QueuedConnection);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(keyFor(profile));
    whenFinished(job, context, [handler, profile](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        SecretResult r;
        r.status = statusFor(read->error());
        if (r.status == SecretStatus::Ok) {
            const QJsonObject json = QJsonDocument::fromJson(read->textData().toUtf8()).object();
            r.secret = ProfileSecret::fromJson(json);
            if (!r.secret) {
                r.status = SecretStatus::Failed;
                r.message = u"The keychain entry is not a Nimbus secret."_s;
            }
        } else {
            r.message = read->errorString();
            qCDebug(lcKeychain) << "reading the secret of" << profile << "failed:" << r.message;
        }
        handler(r);
    });
    job->start();
}

void CredentialStore::writeSecret(
    const QString &profile, const ProfileSecret &secret, QObject *context, Handler handler)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(keyFor(profile));
    job->setTextData(QString::fromUtf8(QJsonDocument(secret.toJson()).toJson(QJsonDocument::Compact)));
    QPointer<CredentialStore> self(this);
    whenFinished(job, context, [handler, profile, self](QKeychain::Job *j) {
        SecretResult r;
        r.status = statusFor(j->error());
        if (r.status == SecretStatus::Ok) {
            if (self)
                self->m_sessionSecrets.remove(profile);
        } else {
            r.message = j->errorString();
            qCWarning(lcKeychain) << "storing the secret of" << profile << "failed:" << r.message;
        }
        handler(r);
    });
    job->start();
}

void CredentialStore::deleteSecret(const QString &profile, QObject *context, Handler handler)
{
    m_sessionSecrets.remove(profile);
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(keyFor(profile));
    whenFinished(job, context, [handler](QKeychain::Job *j) {
        SecretResult r;
        r.status = statusFor(j->error());
        // Deleting what is not there is success.
        if (r.status == SecretStatus::NotFound)
            r.status = SecretStatus::Ok;
        if (r.status != SecretStatus::Ok)
            r.message = j->errorString();
        handler(r);
    });
    job->start();
}

void CredentialStore::keepForSession(const QString &profile, const ProfileSecret &secret)
{
    m_sessionSecrets.insert(profile, secret);
}

bool CredentialStore::hasSessionSecret(const QString &profile) const
{
    return m_sessionSecrets.contains(profile);
}

} // namespace Nimbus
