#pragma once

#include <QDialog>
#include <QHash>

#include "ui/widgets/userprompter.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;
class QTimer;
class QVBoxLayout;

namespace Nimbus
{

class ProfileEditor;

/// Creates or edits a profile value. Validation messages appear under each field: the name is checked at
/// once, everything else through ProfileEditor (the helper's profiles.validate) shortly after typing stops
/// and again on OK. Returns the edited value through edit(); saves nothing itself.
class ProfileDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileDialog)

public:
    ProfileDialog(ProfileEditor &editor, const ProfileEdit &initial, ProfileDialogMode mode, QWidget *parent = nullptr);
    ~ProfileDialog() override;

    /// The value as currently entered.
    ProfileEdit edit() const;
    /// The message shown under `field` (empty if none), for tests and accessibility.
    QString errorText(const QString &field) const;
    QLabel *errorLabel(const QString &field) const;
    QWidget *fieldWidget(const QString &field) const;
    /// Runs validation now, as if typing stopped.
    void validateNow();

public Q_SLOTS:
    void accept() override;

private:
    void buildUi();
    QVBoxLayout *withError(QWidget *field, const QString &key);
    /// A form row: `label` (with its mnemonic) for `field` and its error line; `focus` is the input the label
    /// and the row's focus lead to when `field` is a box of several widgets.
    void addField(
        QFormLayout *form, const QString &label, QWidget *field, const QString &key, QWidget *focus = nullptr);
    static void setTabOrders(const QList<QWidget *> &widgets);
    void load(const ProfileEdit &edit);
    void showErrors(const QHash<QString, QString> &errors);
    void onChanged();
    void updateSecretWidgets();
    void focusFirstError();

    ProfileEditor &m_editor;
    ProfileDialogMode m_dialogMode;
    bool m_hasStoredSecret = false;
    bool m_acceptWhenValid = false;
    QTimer *m_debounce = nullptr;

    QTabWidget *m_tabs = nullptr;
    QLabel *m_generalError = nullptr;
    QLineEdit *m_name = nullptr;
    QRadioButton *m_usePassword = nullptr;
    QRadioButton *m_useKey = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_privateKey = nullptr;
    QLineEdit *m_publicKey = nullptr;
    QPushButton *m_generate = nullptr;
    QPlainTextEdit *m_trustedKeys = nullptr;
    QLineEdit *m_ip = nullptr;
    QLineEdit *m_claims = nullptr;
    QCheckBox *m_autoClaim = nullptr;
    QPlainTextEdit *m_peers = nullptr;
    QLineEdit *m_listen = nullptr;
    QSpinBox *m_keepalive = nullptr;
    QSpinBox *m_peerTimeout = nullptr;
    QSpinBox *m_switchTimeout = nullptr;
    QComboBox *m_mode = nullptr;
    QHash<QString, QCheckBox *> m_algorithms;
    /// Algorithms of the loaded profile that have no check box (aes128): kept as they are.
    QStringList m_otherAlgorithms;
    /// The profile as loaded: edit() starts from it, so keys without a field survive an edit.
    ClientProfile m_loaded;
    QCheckBox *m_balance = nullptr;
    QCheckBox *m_fastFailover = nullptr;
    QComboBox *m_deviceType = nullptr;
    QLineEdit *m_deviceName = nullptr;
    QLineEdit *m_advertise = nullptr;
    QCheckBox *m_autoConnect = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    QHash<QString, QLabel *> m_errorLabels;
    QHash<QString, QWidget *> m_fields;
    QHash<QString, int> m_fieldTab;
};

} // namespace Nimbus
