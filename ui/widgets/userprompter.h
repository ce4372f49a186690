#pragma once

#include <optional>

#include <QString>
#include <QStringList>

#include "ui/profiles/clientprofile.h"

namespace Nimbus
{

/// What the profile dialog edits and returns: a value, never a live object.
struct ProfileEdit {
    ClientProfile profile;
    /// A new secret the user entered; empty optional = keep the stored one.
    std::optional<ProfileSecret> secret;
    /// Whether a secret is stored already (the dialog then allows leaving the field empty).
    bool hasStoredSecret = false;
};

enum class ProfileDialogMode {
    Create,
    Edit,
    Duplicate,
    Import,
};

/// Every modal question the GUI asks. Widgets implement it with dialogs; tests use FakeUserPrompter.
class UserPrompter
{
public:
    virtual ~UserPrompter();

    virtual bool confirm(const QString &title, const QString &text, const QString &acceptText) = 0;
    virtual void showError(const QString &title, const QString &text) = 0;
    virtual void showInfo(const QString &title, const QString &text) = 0;
    /// Asks for the password or private key of `profile`; `reason` says why it is needed.
    virtual std::optional<ProfileSecret> askSecret(
        const QString &profile, ClientProfile::SecretKind kind, const QString &reason)
        = 0;
    /// Shows the profile dialog; returns the edited value, or nothing if the user cancelled.
    virtual std::optional<ProfileEdit> editProfile(
        const ProfileEdit &initial, ProfileDialogMode mode, const QStringList &takenNames)
        = 0;
    /// A line of text (`label` explains it), starting from `current`; nothing if the user cancelled.
    virtual std::optional<QString> askText(const QString &title, const QString &label, const QString &current) = 0;
    /// A file to read; empty if cancelled.
    virtual QString openFileName(const QString &title, const QString &filter) = 0;
    /// A file to write; empty if cancelled.
    virtual QString saveFileName(const QString &title, const QString &suggestedName, const QString &filter) = 0;
};

} // namespace Nimbus
