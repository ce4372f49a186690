#include "ui/profiles/profileeditor.h"

#include <QJsonArray>

#include "ui/connection/controlclientinterface.h"
#include "ui/connection/errortext.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

ProfileEditor::ProfileEditor(ControlClientInterface &client, const QStringList &takenNames, QObject *parent)
    : QObject(parent), m_client(client), m_takenNames(takenNames)
{
}

ProfileEditor::~ProfileEditor() = default;

QHash<QString, QString> ProfileEditor::localErrors(const ProfileEdit &edit) const
{
    QHash<QString, QString> errors;
    const QString name = edit.profile.name.trimmed();
    if (name.isEmpty())
        errors.insert(QLatin1String(ProfileField::Name), tr("Enter a name for the profile."));
    else if (m_takenNames.contains(name))
        errors.insert(QLatin1String(ProfileField::Name), tr("Another profile is already called “%1”.").arg(name));
    else if (name != edit.profile.name)
        errors.insert(QLatin1String(ProfileField::Name), tr("The name must not start or end with a space."));
    const bool haveSecret = edit.secret && !edit.secret->isEmpty();
    if (!haveSecret && !edit.hasStoredSecret) {
        errors.insert(QLatin1String(ProfileField::Secret),
            edit.profile.secretKind == ClientProfile::SecretKind::PrivateKey
                ? tr("Enter a private key or generate a key pair.")
                : tr("Enter the network's password."));
    }
    return errors;
}

bool ProfileEditor::helperAvailable() const
{
    return m_client.link() == ControlClient::State::Ready;
}

void ProfileEditor::validate(const ProfileEdit &edit)
{
    const quint64 generation = ++m_generation;
    const QHash<QString, QString> local = localErrors(edit);
    if (!helperAvailable()) {
        Q_EMIT validated(local);
        return;
    }
    QJsonObject params;
    params.insert(u"profile"_s, edit.profile.toJson());
    m_client.request(
        Protocol::Method::ProfilesValidate, params, this, [this, generation, local](const ControlClientReply &reply) {
            if (generation != m_generation)
                return;
            QHash<QString, QString> errors = local;
            if (!reply.ok) {
                // A helper that cannot validate (gone, too old) leaves the local checks; it validates on connect.
                Q_EMIT validated(errors);
                return;
            }
            if (const Result<Protocol::ValidationResult> result = Protocol::ValidationResult::fromJson(reply.result)) {
                for (const Protocol::FieldError &e : result->errors) {
                    if (!errors.contains(e.field))
                        errors.insert(e.field, e.message);
                }
            }
            // A helper that cannot validate (gone, too old) leaves the local checks; it validates on connect.
            Q_EMIT validated(errors);
        });
}

bool ProfileEditor::canGenerateKeys() const
{
    return helperAvailable() && m_client.capabilities().contains(Protocol::methodName(Protocol::Method::KeysGenerate));
}

void ProfileEditor::generateKeys()
{
    if (!canGenerateKeys()) {
        Q_EMIT keyGenerationFailed(tr("The helper cannot generate keys."));
        return;
    }
    m_client.request(Protocol::Method::KeysGenerate, {}, this, [this](const ControlClientReply &reply) {
        if (!reply.ok) {
            Q_EMIT keyGenerationFailed(ErrorText::forError(reply.error));
            return;
        }
        const Result<Protocol::KeyPair> keys = Protocol::KeyPair::fromJson(reply.result);
        if (!keys || keys->privateKey.isEmpty() || keys->publicKey.isEmpty())
            Q_EMIT keyGenerationFailed(tr("The helper sent no key pair."));
        else
            Q_EMIT keysGenerated(keys->privateKey, keys->publicKey);
    });
}

} // namespace Nimbus
