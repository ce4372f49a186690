#include "tests/fakes/ui/fakeuserprompter.h"

namespace Nimbus::Test
{

bool FakeUserPrompter::confirm(const QString &title, const QString &text, const QString &acceptText)
{
    Q_UNUSED(title)
    Q_UNUSED(acceptText)
    confirms.append(text);
    return confirmAnswer;
}

void FakeUserPrompter::showError(const QString &title, const QString &text)
{
    Q_UNUSED(title)
    errors.append(text);
}

void FakeUserPrompter::showInfo(const QString &title, const QString &text)
{
    Q_UNUSED(title)
    infos.append(text);
}

std::optional<ProfileSecret> FakeUserPrompter::askSecret(
    const QString &profile, ClientProfile::SecretKind kind, const QString &reason)
{
    Q_UNUSED(kind)
    Q_UNUSED(reason)
    secretRequests.append(profile);
    return secretAnswer;
}

std::optional<ProfileEdit> FakeUserPrompter::editProfile(
    const ProfileEdit &initial, ProfileDialogMode mode, const QStringList &takenNames)
{
    editRequests.append(initial);
    editModes.append(mode);
    if (!editHandler)
        return std::nullopt;
    return editHandler(initial, mode, takenNames);
}

std::optional<QString> FakeUserPrompter::askText(const QString &title, const QString &label, const QString &current)
{
    Q_UNUSED(title)
    Q_UNUSED(current)
    textRequests.append(label);
    return textAnswer;
}

QString FakeUserPrompter::openFileName(const QString &title, const QString &filter)
{
    Q_UNUSED(title)
    Q_UNUSED(filter)
    return openFileAnswer;
}

QString FakeUserPrompter::saveFileName(const QString &title, const QString &suggestedName, const QString &filter)
{
    Q_UNUSED(title)
    Q_UNUSED(suggestedName)
    Q_UNUSED(filter)
    return saveFileAnswer;
}

} // namespace Nimbus::Test
