#pragma once

#include <functional>

#include "ui/widgets/userprompter.h"

namespace Nimbus::Test
{

/// Scripted answers for every modal question; records what was asked.
class FakeUserPrompter final : public UserPrompter
{
public:
    using EditHandler
        = std::function<std::optional<ProfileEdit>(const ProfileEdit &, ProfileDialogMode, const QStringList &)>;

    bool confirm(const QString &title, const QString &text, const QString &acceptText) override;
    void showError(const QString &title, const QString &text) override;
    void showInfo(const QString &title, const QString &text) override;
    std::optional<ProfileSecret> askSecret(
        const QString &profile, ClientProfile::SecretKind kind, const QString &reason) override;
    std::optional<ProfileEdit> editProfile(
        const ProfileEdit &initial, ProfileDialogMode mode, const QStringList &takenNames) override;
    std::optional<QString> askText(const QString &title, const QString &label, const QString &current) override;
    QString openFileName(const QString &title, const QString &filter) override;
    QString saveFileName(const QString &title, const QString &suggestedName, const QString &filter) override;

    bool confirmAnswer = false;
    std::optional<ProfileSecret> secretAnswer;
    /// Default: cancel.
    EditHandler editHandler;
    /// askText's answer (nullopt: cancel); each question is recorded in textRequests (its label).
    std::optional<QString> textAnswer;
    QStringList textRequests;
    QString openFileAnswer;
    QString saveFileAnswer;

    QStringList confirms;
    QStringList errors;
    QStringList infos;
    QStringList secretRequests;
    QList<ProfileEdit> editRequests;
    QList<ProfileDialogMode> editModes;
};

} // namespace Nimbus::Test
