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
    return m_client.link() == HelperLink::Ready;
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
    m_client.request(u"profiles.validate"_s, params, this, [this, generation, local](const ControlReply &reply) {
        if (generation != m_generation)
            return;
        QHash<QString, QString> errors = local;
        if (reply.ok) {
            const QJsonArray list = reply.result.value(u"errors"_s).toArray();
            for (const QJsonValue &v : list) {
                const QJsonObject e = v.toObject();
                const QString field = e.value(u"field"_s).toString();
                if (!errors.contains(field))
                    errors.insert(field, e.value(u"message"_s).toString());
            }
        }
        // A helper that cannot validate (gone, too old) leaves the local checks; it validates on connect.
        Q_EMIT validated(errors);
    });
}

bool ProfileEditor::canGenerateKeys() const
{
    return helperAvailable() && m_client.capabilities().contains(u"keys.generate"_s);
}

void ProfileEditor::generateKeys()
{
    if (!canGenerateKeys()) {
        Q_EMIT keyGenerationFailed(tr("The helper cannot generate keys."));
        return;
    }
    m_client.request(u"keys.generate"_s, {}, this, [this](const ControlReply &reply) {
        const QString privateKey = reply.result.value(u"privateKey"_s).toString();
        const QString publicKey = reply.result.value(u"publicKey"_s).toString();
        if (!reply.ok)
            Q_EMIT keyGenerationFailed(ErrorText::forError(reply.error));
        else if (privateKey.isEmpty() || publicKey.isEmpty())
            Q_EMIT keyGenerationFailed(tr("The helper sent no key pair."));
        else
            Q_EMIT keysGenerated(privateKey, publicKey);
    });
}

} // namespace Nimbus
