#include "ui/profiles/profilemanager.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

#include "ui/connection/controlclientinterface.h"
#include "ui/connection/errortext.h"
#include "ui/profiles/profilestore.h"
#include "ui/profiles/secretstore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

ProfileManager::ProfileManager(ProfileStore &profiles,
    SecretStore &secrets,
    UserPrompter &prompter,
    ControlClientInterface &client,
    QObject *parent)
    : QObject(parent), m_profiles(profiles), m_secrets(secrets), m_prompter(prompter), m_client(client)
{
}

ProfileManager::~ProfileManager() = default;

QStringList ProfileManager::namesExcept(const QString &name) const
{
    QStringList names = m_profiles.names();
    names.removeAll(name);
    return names;
}

void ProfileManager::createProfile()
{
    ProfileEdit initial;
    initial.profile.name = m_profiles.uniqueName(tr("New network"));
    const std::optional<ProfileEdit> edit
        = m_prompter.editProfile(initial, ProfileDialogMode::Create, m_profiles.names());
    if (edit)
        save(*edit, QString(), QString());
}

void ProfileManager::editProfile(const QString &name)
{
    const std::optional<ClientProfile> profile = m_profiles.find(name);
    if (!profile)
        return;
    ProfileEdit initial;
    initial.profile = *profile;
    initial.hasStoredSecret = true;
    const std::optional<ProfileEdit> edit = m_prompter.editProfile(initial, ProfileDialogMode::Edit, namesExcept(name));
    if (edit)
        save(*edit, name, name);
}

void ProfileManager::duplicateProfile(const QString &name)
{
    const std::optional<ClientProfile> profile = m_profiles.find(name);
    if (!profile)
        return;
    ProfileEdit initial;
    initial.profile = *profile;
    initial.profile.name = m_profiles.uniqueName(tr("%1 (copy)").arg(name));
    initial.hasStoredSecret = true;
    const std::optional<ProfileEdit> edit
        = m_prompter.editProfile(initial, ProfileDialogMode::Duplicate, m_profiles.names());
    if (edit)
        save(*edit, QString(), name);
}

void ProfileManager::deleteProfile(const QString &name)
{
    if (!m_profiles.contains(name))
        return;
    if (!m_prompter.confirm(tr("Delete Profile"),
            tr("Delete the profile “%1” and its stored secret? A running network stays "
               "connected until you disconnect it.")
                .arg(name),
            tr("&Delete")))
        return;
    m_profiles.remove(name);
    m_secrets.deleteSecret(name, this, [this, name](const SecretResult &result) {
        if (result.status != SecretStatus::Ok && result.status != SecretStatus::NoKeychain)
            m_prompter.showError(tr("Delete Profile"),
                tr("The profile was deleted, but its secret could not be removed from the "
                   "keychain: %1")
                    .arg(ErrorText::forSecret(result)));
    });
    Q_EMIT profileDeleted(name);
}

void ProfileManager::importProfile()
{
    const QString path = m_prompter.openFileName(
        tr("Import VpnCloud Configuration"), tr("VpnCloud configuration (*.net *.yaml *.yml);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_prompter.showError(tr("Import"), tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    if (file.size() > kMaxImportBytes) {
        m_prompter.showError(tr("Import"), tr("%1 is too large for a configuration file.").arg(path));
        return;
    }
    importYaml(file.read(kMaxImportBytes));
}

void ProfileManager::importYaml(const QByteArray &yaml)
{
    if (m_client.link() != ControlClient::State::Ready) {
        m_prompter.showError(tr("Import"),
            tr("Importing needs the Nimbus helper, which reads the file. %1")
                .arg(ErrorText::forLink(m_client.link(), m_client.socketPath(), m_client.linkDetail())));
        return;
    }
    QJsonObject params;
    params.insert(u"yaml"_s, QString::fromUtf8(yaml));
    m_client.request(Protocol::Method::ProfilesImport, params, this, [this](const ControlClientReply &reply) {
        if (!reply.ok) {
            m_prompter.showError(tr("Import"), ErrorText::forError(reply.error));
            return;
        }
        const Result<Protocol::ImportResult> imported = Protocol::ImportResult::fromJson(reply.result);
        if (!imported) {
            m_prompter.showError(
                tr("Import"), tr("The helper sent an answer Nimbus cannot read (%1).").arg(imported.error().message));
            return;
        }
        ProfileEdit initial;
        initial.profile = ClientProfile::fromProfile(imported->profile);
        initial.profile.name
            = m_profiles.uniqueName(initial.profile.name.isEmpty() ? tr("Imported") : initial.profile.name);
        if (imported->secret) {
            initial.secret = ProfileSecret::fromSecret(*imported->secret);
            initial.profile.secretKind = initial.secret->kind;
        }
        const QStringList &warnings = imported->warnings;
        if (!warnings.isEmpty())
            m_prompter.showInfo(tr("Import"), tr("The file was read with warnings:\n%1").arg(warnings.join(u'\n')));
        const std::optional<ProfileEdit> edit
            = m_prompter.editProfile(initial, ProfileDialogMode::Import, m_profiles.names());
        if (edit)
            save(*edit, QString(), QString());
    });
}

void ProfileManager::addFromFile(const QString &path)
{
    const QString name = QFileInfo(path).completeBaseName();
    if (name.isEmpty() || m_profiles.find(name))
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_prompter.showError(tr("Import"), tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const QByteArray yaml = file.read(kMaxImportBytes);
    const auto run = [this, yaml, name] {
        QJsonObject params;
        params.insert(u"yaml"_s, QString::fromUtf8(yaml));
        m_client.request(Protocol::Method::ProfilesImport, params, this, [this, name](const ControlClientReply &reply) {
            if (!reply.ok) {
                m_prompter.showError(tr("Import"), ErrorText::forError(reply.error));
                return;
            }
            if (m_profiles.find(name))
                return;
            const Result<Protocol::ImportResult> imported = Protocol::ImportResult::fromJson(reply.result);
            if (!imported) {
                m_prompter.showError(tr("Import"),
                    tr("The helper sent an answer Nimbus cannot read (%1).").arg(imported.error().message));
                return;
            }
            ProfileEdit edit;
            edit.profile = ClientProfile::fromProfile(imported->profile);
            edit.profile.name = name;
            if (imported->secret) {
                edit.secret = ProfileSecret::fromSecret(*imported->secret);
                edit.profile.secretKind = edit.secret->kind;
            }
            save(edit, QString(), QString());
        });
    };
    if (m_client.link() == ControlClient::State::Ready) {
        run();
        return;
    }
    auto *waiter = new QObject(this);
    connect(&m_client, &ControlClientInterface::linkChanged, waiter, [waiter, run](ControlClient::State link) {
        if (link != ControlClient::State::Ready)
            return;
        waiter->deleteLater();
        run();
    });
}

void ProfileManager::exportProfile(const QString &name)
{
    const std::optional<ClientProfile> profile = m_profiles.find(name);
    if (!profile)
        return;
    if (m_client.link() != ControlClient::State::Ready) {
        m_prompter.showError(tr("Export Profile"),
            tr("Exporting needs the Nimbus helper, which writes the file. %1")
                .arg(ErrorText::forLink(m_client.link(), m_client.socketPath(), m_client.linkDetail())));
        return;
    }
    const QString path
        = m_prompter.saveFileName(tr("Export Profile"), name + u".net"_s, tr("VpnCloud configuration (*.net *.yaml)"));
    if (path.isEmpty())
        return;
    // The helper writes the file's text (profiles.export); no secret is sent, so the file has none.
    QJsonObject params;
    params.insert(u"profile"_s, profile->toJson());
    m_client.request(Protocol::Method::ProfilesExport, params, this, [this, path](const ControlClientReply &reply) {
        if (!reply.ok) {
            m_prompter.showError(tr("Export Profile"), ErrorText::forError(reply.error));
            return;
        }
        const Result<Protocol::ExportResult> exported = Protocol::ExportResult::fromJson(reply.result);
        if (!exported) {
            m_prompter.showError(tr("Export Profile"),
                tr("The helper sent an answer Nimbus cannot read (%1).").arg(exported.error().message));
            return;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(exported->yaml.toUtf8()) < 0 || !file.commit())
            m_prompter.showError(tr("Export Profile"), tr("Cannot write %1: %2").arg(path, file.errorString()));
    });
}

void ProfileManager::save(const ProfileEdit &edit, const QString &originalName, const QString &secretSource)
{
    const QString name = edit.profile.name;
    if (!m_profiles.save(edit.profile, originalName)) {
        m_prompter.showError(tr("Save Profile"), tr("A profile called “%1” exists already.").arg(name));
        return;
    }
    if (edit.secret && !edit.secret->isEmpty()) {
        storeSecret(name, *edit.secret);
        if (!originalName.isEmpty() && originalName != name)
            m_secrets.deleteSecret(originalName, this, [](const SecretResult &) {});
    } else if (!secretSource.isEmpty() && secretSource != name) {
        // Renamed or duplicated without a new secret: carry the stored one over.
        const bool move = secretSource == originalName;
        m_secrets.readSecret(secretSource, this, [this, name, secretSource, move](const SecretResult &result) {
            if (result.status != SecretStatus::Ok || !result.secret)
                return;
            storeSecret(name, *result.secret);
            if (move)
                m_secrets.deleteSecret(secretSource, this, [](const SecretResult &) {});
        });
    }
    if (!originalName.isEmpty() && originalName != name)
        Q_EMIT profileRenamed(originalName, name);
    Q_EMIT profileSaved(name);
}

void ProfileManager::storeSecret(const QString &name, const ProfileSecret &secret)
{
    m_secrets.writeSecret(name, secret, this, [this, name, secret](const SecretResult &result) {
        if (result.status == SecretStatus::Ok)
            return;
        if (result.status == SecretStatus::NoKeychain) {
            if (m_prompter.confirm(tr("No Keychain"),
                    tr("No keychain is available to store the secret of “%1” safely. Keep it in "
                       "memory for this session only? You will be asked again after Nimbus "
                       "restarts.")
                        .arg(name),
                    tr("&Keep for This Session")))
                m_secrets.keepForSession(name, secret);
            return;
        }
        m_prompter.showError(tr("Save Secret"),
            tr("The secret of “%1” could not be stored: %2").arg(name, ErrorText::forSecret(result)));
    });
}

} // namespace Nimbus
