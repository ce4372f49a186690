#include "ui/profiles/profiledialog.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/profiles/profileeditor.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr int kDebounceMs = 400;

QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(u"[\\s,]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

QStringList splitLines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            out.append(trimmed);
    }
    return out;
}

/// A tab page whose form keeps to the top instead of spreading its rows over the page.
QFormLayout *formPage(QWidget *page)
{
    auto *outer = new QVBoxLayout(page);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    outer->addLayout(form);
    outer->addStretch(1);
    return form;
}

QString titleFor(ProfileDialogMode mode)
{
    switch (mode) {
    case ProfileDialogMode::Create:
        return ProfileDialog::tr("New Profile");
    case ProfileDialogMode::Edit:
        return ProfileDialog::tr("Edit Profile");
    case ProfileDialogMode::Duplicate:
        return ProfileDialog::tr("Duplicate Profile");
    case ProfileDialogMode::Import:
        return ProfileDialog::tr("Import Profile");
    }
    return QString();
}

} // namespace

ProfileDialog::ProfileDialog(ProfileEditor &editor, const ProfileEdit &initial, ProfileDialogMode mode, QWidget *parent)
    : QDialog(parent)
    , m_editor(editor)
    , m_dialogMode(mode)
    , m_hasStoredSecret(initial.hasStoredSecret)
    , m_debounce(new QTimer(this))
{
    setWindowTitle(titleFor(mode));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &ProfileDialog::validateNow);
    buildUi();
    load(initial);
    connect(&m_editor, &ProfileEditor::validated, this, [this](const QHash<QString, QString> &errors) {
        showErrors(errors);
        if (m_acceptWhenValid) {
            m_acceptWhenValid = false;
            if (errors.isEmpty())
                QDialog::accept();
            else
                focusFirstError();
        }
    });
    connect(
        &m_editor, &ProfileEditor::keysGenerated, this, [this](const QString &privateKey, const QString &publicKey) {
            m_privateKey->setText(privateKey);
            m_publicKey->setText(publicKey);
            const QStringList trusted = splitLines(m_trustedKeys->toPlainText());
            if (!trusted.contains(publicKey))
                m_trustedKeys->setPlainText((trusted + QStringList {publicKey}).join(u'\n'));
        });
    connect(&m_editor, &ProfileEditor::keyGenerationFailed, this, [this](const QString &text) {
        QLabel *label = m_errorLabels.value(QLatin1String(ProfileField::Secret));
        label->setText(text);
        label->setVisible(true);
    });
    // The name is checked at once; the rest after typing stops.
    showErrors({});
    const QHash<QString, QString> local = m_editor.localErrors(edit());
    if (local.contains(QLatin1String(ProfileField::Name)) && !m_name->text().isEmpty())
        showErrors({{QLatin1String(ProfileField::Name), local.value(QLatin1String(ProfileField::Name))}});
}

ProfileDialog::~ProfileDialog() = default;

QVBoxLayout *ProfileDialog::withError(QWidget *field, const QString &key)
{
    // A layout, not a wrapper widget: the input stays a sibling of its form label, which is how a screen reader on
    // Linux finds the label of a combo box (the "labelled by" relation looks at siblings).
    auto *layout = new QVBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    auto *error = new QLabel;
    error->setObjectName(u"error_"_s + key);
    error->setWordWrap(true);
    error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = error->palette();
    pal.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    error->setPalette(pal);
    error->setVisible(false);
    layout->addWidget(error);
    m_errorLabels.insert(key, error);
    m_fields.insert(key, field);
    m_fieldTab.insert(key, m_tabs->count());
    return layout;
}

void ProfileDialog::addField(
    QFormLayout *form, const QString &label, QWidget *field, const QString &key, QWidget *focus)
{
    QVBoxLayout *box = withError(field, key);
    // The label's mnemonic focuses the input itself (the first of a box of several).
    QWidget *input = focus ? focus : field;
    if (label.isEmpty()) {
        form->addRow(QString(), box);
        return;
    }
    auto *labelWidget = new QLabel(label);
    labelWidget->setBuddy(input);
    // A screen reader names an input by its label; buttons and check boxes have a text of their own.
    const QString name = QString(label).remove(u'&').remove(u':').trimmed();
    if (input->accessibleName().isEmpty() && !qobject_cast<QAbstractButton *>(input))
        input->setAccessibleName(name);
    if (input != field && field->accessibleName().isEmpty())
        field->setAccessibleName(name);
    form->addRow(labelWidget, box);
}

void ProfileDialog::setTabOrders(const QList<QWidget *> &widgets)
{
    for (qsizetype i = 1; i < widgets.size(); ++i)
        QWidget::setTabOrder(widgets.at(i - 1), widgets.at(i));
}

void ProfileDialog::buildUi()
{
    auto *outer = new QVBoxLayout(this);
    m_generalError = new QLabel(this);
    m_generalError->setWordWrap(true);
    m_generalError->setVisible(false);
    m_generalError->setStyleSheet(u"color: #c01c28;"_s);
    outer->addWidget(m_generalError);

    m_tabs = new QTabWidget(this);
    outer->addWidget(m_tabs);

    // General
    auto *general = new QWidget;
    auto *form = formPage(general);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("e.g. office"));
    addField(form, tr("&Name:"), m_name, u"name"_s);

    auto *secretBox = new QWidget;
    auto *secretLayout = new QVBoxLayout(secretBox);
    secretLayout->setContentsMargins(0, 0, 0, 0);
    auto *kindRow = new QHBoxLayout;
    m_usePassword = new QRadioButton(tr("Shared pass&word"));
    m_useKey = new QRadioButton(tr("&Key pair"));
    kindRow->addWidget(m_usePassword);
    kindRow->addWidget(m_useKey);
    kindRow->addStretch();
    secretLayout->addLayout(kindRow);
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    secretLayout->addWidget(m_password);
    auto *keyRow = new QHBoxLayout;
    m_privateKey = new QLineEdit;
    m_privateKey->setEchoMode(QLineEdit::Password);
    m_privateKey->setPlaceholderText(tr("Private key (base62)"));
    m_privateKey->setAccessibleName(tr("Private key"));
    m_generate = new QPushButton(tr("&Generate"));
    keyRow->addWidget(m_privateKey, 1);
    keyRow->addWidget(m_generate);
    secretLayout->addLayout(keyRow);
    addField(form, tr("Secret:"), secretBox, u"secret"_s, m_usePassword);
    m_fields.insert(u"secret"_s, m_password);

    m_ip = new QLineEdit;
    m_ip->setPlaceholderText(tr("e.g. 10.0.0.100/24"));
    addField(form, tr("&Address:"), m_ip, u"ip"_s);
    auto *claimsBox = new QWidget;
    auto *claimsLayout = new QVBoxLayout(claimsBox);
    claimsLayout->setContentsMargins(0, 0, 0, 0);
    m_claims = new QLineEdit;
    m_claims->setPlaceholderText(tr("Ranges this node serves, e.g. 10.1.0.0/16"));
    m_autoClaim = new QCheckBox(tr("Also claim the &own address"));
    claimsLayout->addWidget(m_claims);
    claimsLayout->addWidget(m_autoClaim);
    addField(form, tr("&Claims:"), claimsBox, u"claims"_s, m_claims);
    m_fields.insert(u"claims"_s, m_claims);
    m_peers = new QPlainTextEdit;
    m_peers->setTabChangesFocus(true);
    m_peers->setPlaceholderText(tr("One host:port per line"));
    m_peers->setFixedHeight(4 * fontMetrics().height() + 12);
    addField(form, tr("&Peers:"), m_peers, u"peers"_s);
    m_listen = new QLineEdit;
    m_listen->setPlaceholderText(u"3210"_s);
    addField(form, tr("&Listen port:"), m_listen, u"listen"_s);
    m_autoConnect = new QCheckBox(tr("Connect a&utomatically"));
    m_autoConnect->setToolTip(tr("Connect this profile when Nimbus starts and whenever the helper comes back, "
                                 "with the secret from the keychain and without asking. Disconnecting it "
                                 "yourself pauses this until you connect it again."));
    m_autoConnect->setAccessibleDescription(m_autoConnect->toolTip());
    form->addRow(QString(), m_autoConnect);
    m_tabs->addTab(general, tr("General"));

    // Security
    auto *security = new QWidget;
    auto *secForm = formPage(security);
    secForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_publicKey = new QLineEdit;
    m_publicKey->setPlaceholderText(tr("Optional: checks that the private key matches"));
    addField(secForm, tr("P&ublic key:"), m_publicKey, u"publicKey"_s);
    m_trustedKeys = new QPlainTextEdit;
    m_trustedKeys->setTabChangesFocus(true);
    m_trustedKeys->setPlaceholderText(tr("Public keys of trusted nodes, one per line"));
    m_trustedKeys->setFixedHeight(4 * fontMetrics().height() + 12);
    addField(secForm, tr("&Trusted keys:"), m_trustedKeys, u"trustedKeys"_s);
    auto *algoBox = new QWidget;
    auto *algoLayout = new QHBoxLayout(algoBox);
    algoLayout->setContentsMargins(0, 0, 0, 0);
    const QStringList algorithms = knownAlgorithms();
    for (const QString &algorithm : algorithms) {
        auto *check = new QCheckBox(algorithm == u"plain" ? tr("plain (unencrypted)") : algorithm);
        m_algorithms.insert(algorithm, check);
        algoLayout->addWidget(check);
    }
    algoLayout->addStretch();
    algoBox->setToolTip(tr("None checked: aes256 (where the processor has AES instructions) and chacha20. "
                           "Nimbus never offers AES-128."));
    addField(secForm, tr("Al&gorithms:"), algoBox, u"algorithms"_s, m_algorithms.value(algorithms.constFirst()));
    m_tabs->addTab(security, tr("Security"));

    // Advanced
    auto *advanced = new QWidget;
    auto *advForm = formPage(advanced);
    m_mode = new QComboBox;
    const QStringList modes = knownModes();
    for (const QString &mode : modes)
        m_mode->addItem(mode, mode);
    addField(advForm, tr("&Mode:"), m_mode, u"mode"_s);
    m_peerTimeout = new QSpinBox;
    m_peerTimeout->setRange(1, 86400);
    m_peerTimeout->setSuffix(tr(" s"));
    addField(advForm, tr("Peer &timeout:"), m_peerTimeout, u"peerTimeout"_s);
    m_keepalive = new QSpinBox;
    m_keepalive->setRange(0, 86400);
    m_keepalive->setSuffix(tr(" s"));
    m_keepalive->setSpecialValueText(tr("Automatic"));
    addField(advForm, tr("&Keepalive:"), m_keepalive, u"keepalive"_s);
    m_switchTimeout = new QSpinBox;
    m_switchTimeout->setRange(1, 86400);
    m_switchTimeout->setSuffix(tr(" s"));
    addField(advForm, tr("S&witch timeout:"), m_switchTimeout, u"switchTimeout"_s);
    m_fastFailover = new QCheckBox(tr("&Fast failover (confirm dead peers early)"));
    addField(advForm, QString(), m_fastFailover, u"fastFailover"_s);
    m_balance = new QCheckBox(tr("&Balance traffic over equal claimants"));
    addField(advForm, QString(), m_balance, u"balance"_s);
    m_deviceType = new QComboBox;
    m_deviceType->addItem(u"tun"_s, u"tun"_s);
    m_deviceType->addItem(u"tap"_s, u"tap"_s);
    addField(advForm, tr("De&vice type:"), m_deviceType, u"deviceType"_s);
    m_deviceName = new QLineEdit;
    m_deviceName->setPlaceholderText(tr("Automatic"));
    addField(advForm, tr("Device &name:"), m_deviceName, u"deviceName"_s);
    m_advertise = new QLineEdit;
    m_advertise->setPlaceholderText(tr("Extra public addresses, e.g. 203.0.113.5:3210"));
    addField(advForm, tr("A&dvertise:"), m_advertise, u"advertiseAddresses"_s);
    m_tabs->addTab(advanced, tr("Advanced"));

    // Keyboard order: top to bottom within each page (Ctrl+Tab changes the page), then the buttons.
    setTabOrders({m_name,
        m_usePassword,
        m_useKey,
        m_password,
        m_privateKey,
        m_generate,
        m_ip,
        m_claims,
        m_autoClaim,
        m_peers,
        m_listen,
        m_autoConnect});
    QList<QWidget *> securityOrder {m_publicKey, m_trustedKeys};
    for (const QString &algorithm : algorithms)
        securityOrder.append(m_algorithms.value(algorithm));
    setTabOrders(securityOrder);
    setTabOrders({m_mode,
        m_peerTimeout,
        m_keepalive,
        m_switchTimeout,
        m_fastFailover,
        m_balance,
        m_deviceType,
        m_deviceName,
        m_advertise});

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(m_dialogMode == ProfileDialogMode::Edit ? tr("&Save") : tr("C&reate"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProfileDialog::reject);
    outer->addWidget(m_buttons);

    if (!m_editor.canGenerateKeys()) {
        m_generate->setEnabled(false);
        m_generate->setToolTip(m_editor.helperAvailable()
                ? tr("This helper cannot generate keys (it lacks keys.generate). Run "
                     "“nimbus-helper genkey” and paste the private key, or use a password.")
                : tr("Key generation needs the Nimbus helper, which is not reachable. Use a "
                     "password, or paste a key from “nimbus-helper genkey”."));
    } else {
        m_generate->setToolTip(tr("Ask the helper for a new key pair."));
    }
    connect(m_generate, &QPushButton::clicked, &m_editor, &ProfileEditor::generateKeys);
    connect(m_usePassword, &QRadioButton::toggled, this, &ProfileDialog::updateSecretWidgets);

    for (QLineEdit *e :
        {m_name, m_password, m_privateKey, m_publicKey, m_ip, m_claims, m_listen, m_deviceName, m_advertise})
        connect(e, &QLineEdit::textChanged, this, &ProfileDialog::onChanged);
    for (QPlainTextEdit *e : {m_trustedKeys, m_peers})
        connect(e, &QPlainTextEdit::textChanged, this, &ProfileDialog::onChanged);
    for (QSpinBox *s : {m_keepalive, m_peerTimeout, m_switchTimeout})
        connect(s, &QSpinBox::valueChanged, this, &ProfileDialog::onChanged);
    for (QComboBox *c : {m_mode, m_deviceType})
        connect(c, &QComboBox::currentIndexChanged, this, &ProfileDialog::onChanged);
    QList<QCheckBox *> checks {m_autoClaim, m_balance, m_fastFailover, m_autoConnect};
    checks.append(m_algorithms.values());
    for (QCheckBox *c : std::as_const(checks))
        connect(c, &QCheckBox::toggled, this, &ProfileDialog::onChanged);
    connect(m_useKey, &QRadioButton::toggled, this, &ProfileDialog::onChanged);
    resize(560, sizeHint().height());
}

void ProfileDialog::load(const ProfileEdit &edit)
{
    m_loaded = edit.profile;
    const ClientProfile &p = edit.profile;
    m_name->setText(p.name);
    const bool key = p.secretKind == ClientProfile::SecretKind::PrivateKey;
    m_useKey->setChecked(key);
    m_usePassword->setChecked(!key);
    if (edit.secret) {
        (edit.secret->kind == ClientProfile::SecretKind::PrivateKey ? m_privateKey : m_password)
            ->setText(edit.secret->value);
    }
    const QString keep = tr("Stored in the keychain; leave empty to keep it");
    m_password->setPlaceholderText(m_hasStoredSecret ? keep : tr("The network's shared password"));
    if (m_hasStoredSecret)
        m_privateKey->setPlaceholderText(keep);
    m_publicKey->setText(p.publicKey);
    m_trustedKeys->setPlainText(p.trustedKeys.join(u'\n'));
    m_ip->setText(p.ip);
    m_claims->setText(p.claims.join(u", "_s));
    m_autoClaim->setChecked(p.autoClaim);
    m_peers->setPlainText(p.peers.join(u'\n'));
    m_listen->setText(p.listen);
    m_keepalive->setValue(p.keepalive.value_or(0));
    m_peerTimeout->setValue(p.peerTimeout);
    m_switchTimeout->setValue(p.switchTimeout);
    const int modeIndex = m_mode->findData(p.mode);
    if (modeIndex < 0)
        m_mode->addItem(p.mode, p.mode);
    m_mode->setCurrentIndex(m_mode->findData(p.mode));
    for (auto it = m_algorithms.cbegin(); it != m_algorithms.cend(); ++it)
        it.value()->setChecked(p.algorithms.contains(it.key(), Qt::CaseInsensitive));
    m_otherAlgorithms.clear();
    for (const QString &algorithm : p.algorithms) {
        if (!m_algorithms.contains(algorithm.toLower()))
            m_otherAlgorithms.append(algorithm);
    }
    m_balance->setChecked(p.balance);
    m_fastFailover->setChecked(p.fastFailover);
    const int typeIndex = m_deviceType->findData(p.deviceType);
    m_deviceType->setCurrentIndex(typeIndex < 0 ? 0 : typeIndex);
    m_deviceName->setText(p.deviceName);
    m_advertise->setText(p.advertiseAddresses.join(u", "_s));
    m_autoConnect->setChecked(p.autoConnect);
    updateSecretWidgets();
    m_debounce->stop();
}

ProfileEdit ProfileDialog::edit() const
{
    ProfileEdit e;
    e.hasStoredSecret = m_hasStoredSecret;
    // What the dialog has no field for (port forwarding, rp_filter, admin-only keys, unknown keys) stays as loaded.
    e.profile = m_loaded;
    ClientProfile &p = e.profile;
    p.name = m_name->text();
    p.secretKind = m_useKey->isChecked() ? ClientProfile::SecretKind::PrivateKey : ClientProfile::SecretKind::Password;
    const QString secret = (p.secretKind == ClientProfile::SecretKind::PrivateKey ? m_privateKey : m_password)->text();
    if (!secret.isEmpty())
        e.secret = ProfileSecret {p.secretKind, secret};
    p.publicKey = m_publicKey->text().trimmed();
    p.trustedKeys = splitLines(m_trustedKeys->toPlainText());
    p.ip = m_ip->text().trimmed();
    p.claims = splitList(m_claims->text());
    p.autoClaim = m_autoClaim->isChecked();
    p.peers = splitLines(m_peers->toPlainText());
    p.listen = m_listen->text().trimmed().isEmpty() ? u"3210"_s : m_listen->text().trimmed();
    p.keepalive = m_keepalive->value() > 0 ? std::optional<quint32>(quint32(m_keepalive->value())) : std::nullopt;
    p.peerTimeout = m_peerTimeout->value();
    p.switchTimeout = m_switchTimeout->value();
    p.mode = m_mode->currentData().toString();
    p.algorithms.clear();
    p.algorithms.clear();
    const QStringList algorithms = knownAlgorithms();
    for (const QString &algorithm : algorithms) {
        if (m_algorithms.value(algorithm)->isChecked())
            p.algorithms.append(algorithm);
    }
    p.algorithms.append(m_otherAlgorithms);
    p.balance = m_balance->isChecked();
    p.fastFailover = m_fastFailover->isChecked();
    p.deviceType = m_deviceType->currentData().toString();
    p.deviceName = m_deviceName->text().trimmed();
    p.advertiseAddresses = splitList(m_advertise->text());
    p.autoConnect = m_autoConnect->isChecked();
    // Marking the profile again ends a pause left by an earlier disconnect.
    if (p.autoConnect && !m_loaded.autoConnect)
        p.autoConnectPaused = false;
    return e;
}

QString ProfileDialog::errorText(const QString &field) const
{
    const QLabel *label = m_errorLabels.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QLabel *ProfileDialog::errorLabel(const QString &field) const
{
    return m_errorLabels.value(field);
}

QWidget *ProfileDialog::fieldWidget(const QString &field) const
{
    return m_fields.value(field);
}

void ProfileDialog::validateNow()
{
    m_debounce->stop();
    m_editor.validate(edit());
}

void ProfileDialog::accept()
{
    m_acceptWhenValid = true;
    validateNow();
}

void ProfileDialog::onChanged()
{
    // The name's own check is instant; everything else waits until typing stops.
    const QHash<QString, QString> local = m_editor.localErrors(edit());
    QLabel *nameError = m_errorLabels.value(QLatin1String(ProfileField::Name));
    const QString nameMessage = local.value(QLatin1String(ProfileField::Name));
    nameError->setText(nameMessage);
    nameError->setVisible(!nameMessage.isEmpty());
    m_debounce->start();
}

void ProfileDialog::updateSecretWidgets()
{
    const bool key = m_useKey->isChecked();
    m_password->setVisible(!key);
    m_privateKey->setVisible(key);
    m_generate->setVisible(key);
    m_fields.insert(u"secret"_s, key ? static_cast<QWidget *>(m_privateKey) : static_cast<QWidget *>(m_password));
}

void ProfileDialog::showErrors(const QHash<QString, QString> &errors)
{
    QStringList unplaced;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it) {
        if (!m_errorLabels.contains(it.key()))
            unplaced.append(it.value());
    }
    for (auto it = m_errorLabels.cbegin(); it != m_errorLabels.cend(); ++it) {
        const QString message = errors.value(it.key());
        it.value()->setText(message);
        it.value()->setVisible(!message.isEmpty());
        if (QWidget *field = m_fields.value(it.key()))
            field->setAccessibleDescription(message);
    }
    m_generalError->setText(unplaced.join(u'\n'));
    m_generalError->setVisible(!unplaced.isEmpty());
    for (int tab = 0; tab < m_tabs->count(); ++tab) {
        bool hasError = false;
        for (auto it = m_fieldTab.cbegin(); it != m_fieldTab.cend(); ++it)
            hasError = hasError || (it.value() == tab && errors.contains(it.key()));
        m_tabs->setTabIcon(tab, hasError ? style()->standardIcon(QStyle::SP_MessageBoxWarning) : QIcon());
    }
}

void ProfileDialog::focusFirstError()
{
    static const QStringList order {u"name"_s,
        u"secret"_s,
        u"ip"_s,
        u"claims"_s,
        u"peers"_s,
        u"listen"_s,
        u"publicKey"_s,
        u"trustedKeys"_s,
        u"algorithms"_s,
        u"mode"_s,
        u"peerTimeout"_s,
        u"keepalive"_s,
        u"switchTimeout"_s,
        u"fastFailover"_s,
        u"balance"_s,
        u"deviceType"_s,
        u"deviceName"_s,
        u"advertiseAddresses"_s};
    for (const QString &field : order) {
        if (errorText(field).isEmpty()
            && !(m_errorLabels.value(field) && !m_errorLabels.value(field)->text().isEmpty()))
            continue;
        m_tabs->setCurrentIndex(m_fieldTab.value(field));
        if (QWidget *w = m_fields.value(field))
            w->setFocus();
        return;
    }
}

} // namespace Nimbus
