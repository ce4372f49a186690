#include "ui/widgets/widgetuserprompter.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profileeditor.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

WidgetUserPrompter::WidgetUserPrompter(ControlClientInterface &client) : m_client(client)
{
}

WidgetUserPrompter::~WidgetUserPrompter() = default;

void WidgetUserPrompter::setParentWidget(QWidget *parent)
{
    m_parent = parent;
}

bool WidgetUserPrompter::confirm(const QString &title, const QString &text, const QString &acceptText)
{
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, m_parent);
    QPushButton *accept = box.addButton(acceptText, QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

void WidgetUserPrompter::showError(const QString &title, const QString &text)
{
    QMessageBox::warning(m_parent, title, text);
}

void WidgetUserPrompter::showInfo(const QString &title, const QString &text)
{
    QMessageBox::information(m_parent, title, text);
}

std::optional<ProfileSecret> WidgetUserPrompter::askSecret(
    const QString &profile, ClientProfile::SecretKind kind, const QString &reason)
{
    const bool key = kind == ClientProfile::SecretKind::PrivateKey;
    const QString label = reason + u"\n\n"_s
        + (key ? QCoreApplication::translate("Nimbus::WidgetUserPrompter", "Private key for “%1”:").arg(profile)
               : QCoreApplication::translate("Nimbus::WidgetUserPrompter", "Password for “%1”:").arg(profile));
    bool ok = false;
    const QString value = QInputDialog::getText(m_parent,
        QCoreApplication::translate("Nimbus::WidgetUserPrompter", "Connect"),
        label,
        QLineEdit::Password,
        QString(),
        &ok);
    if (!ok || value.isEmpty())
        return std::nullopt;
    return ProfileSecret {kind, value};
}

std::optional<ProfileEdit> WidgetUserPrompter::editProfile(
    const ProfileEdit &initial, ProfileDialogMode mode, const QStringList &takenNames)
{
    ProfileEditor editor(m_client, takenNames);
    ProfileDialog dialog(editor, initial, mode, m_parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.edit();
}

std::optional<QString> WidgetUserPrompter::askText(const QString &title, const QString &label, const QString &current)
{
    bool ok = false;
    const QString text = QInputDialog::getText(m_parent, title, label, QLineEdit::Normal, current, &ok);
    if (!ok)
        return std::nullopt;
    return text;
}

QString WidgetUserPrompter::openFileName(const QString &title, const QString &filter)
{
    return QFileDialog::getOpenFileName(
        m_parent, title, QStandardPaths::writableLocation(QStandardPaths::HomeLocation), filter);
}

QString WidgetUserPrompter::saveFileName(const QString &title, const QString &suggestedName, const QString &filter)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
    return QFileDialog::getSaveFileName(m_parent, title, dir + u'/' + suggestedName, filter);
}

} // namespace Nimbus
