#pragma once

#include <QObject>

#include "ui/widgets/userprompter.h"

namespace Nimbus
{

class ControlClientInterface;
class ProfileStore;
class SecretStore;

/// Profile management flows: create, edit, duplicate, delete, import (profiles.import) and export
/// (profiles.export: VpnCloud YAML without secrets). Profiles go to ProfileStore, secrets to SecretStore; every
/// question goes through UserPrompter, so a cancelled dialog changes nothing.
class ProfileManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileManager)

public:
    static constexpr qint64 kMaxImportBytes = 1024 * 1024;

    ProfileManager(ProfileStore &profiles,
        SecretStore &secrets,
        UserPrompter &prompter,
        ControlClientInterface &client,
        QObject *parent = nullptr);
    ~ProfileManager() override;

public Q_SLOTS:
    void createProfile();
    void editProfile(const QString &name);
    void duplicateProfile(const QString &name);
    void deleteProfile(const QString &name);
    /// Asks for a VpnCloud YAML file and imports it.
    void importProfile();
    /// Imports YAML text (after the file was read).
    void importYaml(const QByteArray &yaml);
    /// Adds the VpnCloud file at \a path as a profile named after the file (`office.yaml` → "office") without
    /// asking, as soon as the helper is reachable; does nothing if that profile exists. For `nimbus --import`.
    void addFromFile(const QString &path);
    /// Asks for a file name and writes the profile as VpnCloud YAML without its secret; the helper writes the
    /// text (profiles.export), so this needs the helper like importing does.
    void exportProfile(const QString &name);

Q_SIGNALS:
    /// A profile was saved (created, edited, duplicated or imported) under `name`.
    void profileSaved(const QString &name);
    /// An edit renamed profile `from` to `to` (emitted before profileSaved).
    void profileRenamed(const QString &from, const QString &to);
    void profileDeleted(const QString &name);

private:
    /// Saves the dialog's result; moves or copies the secret from `secretSource` when no new one was entered.
    void save(const ProfileEdit &edit, const QString &originalName, const QString &secretSource);
    void storeSecret(const QString &name, const ProfileSecret &secret);
    QStringList namesExcept(const QString &name) const;

    ProfileStore &m_profiles;
    SecretStore &m_secrets;
    UserPrompter &m_prompter;
    ControlClientInterface &m_client;
};

} // namespace Nimbus
