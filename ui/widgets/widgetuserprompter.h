#pragma once

#include <QPointer>
#include <QWidget>

#include "ui/widgets/userprompter.h"

namespace Nimbus
{

class ControlClientInterface;

/// UserPrompter with real dialogs (QMessageBox, QInputDialog, QFileDialog, ProfileDialog).
class WidgetUserPrompter final : public UserPrompter
{
public:
    explicit WidgetUserPrompter(ControlClientInterface &client);
    ~WidgetUserPrompter() override;

    /// The window dialogs are centred on (may change when the main window is created).
    void setParentWidget(QWidget *parent);

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

private:
    ControlClientInterface &m_client;
    QPointer<QWidget> m_parent;
};

} // namespace Nimbus
