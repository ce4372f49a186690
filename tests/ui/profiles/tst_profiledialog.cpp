#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profileeditor.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

ProfileEdit validEdit()
{
    ProfileEdit e;
    e.profile.name = u"office"_s;
    e.profile.ip = u"10.0.0.100/24"_s;
    e.profile.peers = {u"server-a:3210"_s};
    e.secret = ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s};
    return e;
}

QJsonObject validateAnswer(const QList<std::pair<QString, QString>> &errors)
{
    QJsonArray list;
    for (const auto &[field, message] : errors)
        list.append(QJsonObject {{u"field"_s, field}, {u"message"_s, message}});
    return {{u"valid"_s, errors.isEmpty()}, {u"errors"_s, list}};
}

} // namespace

class tst_ProfileDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTripsTheValue();
    void emptyNameIsFlaggedInstantly();
    void duplicateNameIsFlagged();
    void helperErrorsAppearNextToTheirFields_data();
    void helperErrorsAppearNextToTheirFields();
    void okWithErrorsStaysOpen();
    void okWhenValidAccepts();
    void cancelRejects();
    void withoutHelperOnlyLocalChecks();
    void newProfileNeedsSecret();
    void storedSecretMayStayEmpty();
    void generateDisabledWithoutCapability();
    void generateFillsKeys();
    void keyGenerationFailureShown();
    void algorithmsAreWhatTheHelperOffers();
    void storedAes128StillLoads();
    void keysWithoutAFieldSurviveAnEdit();
    void connectAutomaticallyRoundTrips();
    void tabReachesEveryControlInOrder();
    void labelsNameTheirFields();
    void mnemonicsFocusTheirFields();

private:
    std::unique_ptr<Test::FakeControlClient> m_client;
    QJsonObject m_answer;
    QJsonObject m_lastProfile;
};

void tst_ProfileDialog::init()
{
    m_client = std::make_unique<Test::FakeControlClient>();
    m_client->setLink(ControlClient::State::Ready);
    m_answer = validateAnswer({});
    m_client->setResponder(u"profiles.validate"_s, [this](const QJsonObject &params) {
        m_lastProfile = params.value(u"profile"_s).toObject();
        return ControlClientReply::success(m_answer);
    });
}

void tst_ProfileDialog::roundTripsTheValue()
{
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.profile.claims = {u"10.1.0.0/16"_s, u"10.2.0.0/16"_s};
    e.profile.autoClaim = false;
    e.profile.keepalive = 45;
    e.profile.peerTimeout = 120;
    e.profile.mode = u"router"_s;
    e.profile.algorithms = {u"aes256"_s, u"chacha20"_s};
    e.profile.trustedKeys = {u"abc"_s, u"def"_s};
    e.profile.balance = true;
    e.profile.fastFailover = false;
    e.profile.advertiseAddresses = {u"203.0.113.5:3210"_s};
    e.profile.deviceType = u"tap"_s;
    e.profile.deviceName = u"office0"_s;
    ProfileDialog dialog(editor, e, ProfileDialogMode::Edit);
    const ProfileEdit out = dialog.edit();
    QCOMPARE(out.profile, e.profile);
    QVERIFY(out.secret.has_value());
    QCOMPARE(*out.secret, *e.secret);
}

void tst_ProfileDialog::emptyNameIsFlaggedInstantly()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    auto *name = qobject_cast<QLineEdit *>(dialog.fieldWidget(u"name"_s));
    QVERIFY(name);
    QVERIFY(dialog.errorText(u"name"_s).isEmpty());
    name->clear();
    // No wait: the local check runs on the edit itself.
    QVERIFY(!dialog.errorText(u"name"_s).isEmpty());
    QVERIFY(!dialog.errorLabel(u"name"_s)->isHidden());
    // The label sits right under the field.
    QCOMPARE(dialog.errorLabel(u"name"_s)->parentWidget(), name->parentWidget());
    name->setText(u"x"_s);
    QVERIFY(dialog.errorText(u"name"_s).isEmpty());
}

void tst_ProfileDialog::duplicateNameIsFlagged()
{
    ProfileEditor editor(*m_client, {u"lab"_s});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    qobject_cast<QLineEdit *>(dialog.fieldWidget(u"name"_s))->setText(u"lab"_s);
    QVERIFY(dialog.errorText(u"name"_s).contains(u"lab"_s));
}

void tst_ProfileDialog::helperErrorsAppearNextToTheirFields_data()
{
    QTest::addColumn<QString>("field");
    for (const char *f : {"ip",
             "claims",
             "peers",
             "listen",
             "peerTimeout",
             "keepalive",
             "mode",
             "algorithms",
             "trustedKeys",
             "publicKey",
             "switchTimeout",
             "deviceName",
             "advertiseAddresses"})
        QTest::addRow("%s", f) << QString::fromLatin1(f);
}

void tst_ProfileDialog::helperErrorsAppearNextToTheirFields()
{
    QFETCH(QString, field);
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    m_answer = validateAnswer({{field, u"bad "_s + field}});
    dialog.validateNow();
    QCOMPARE(dialog.errorText(field), u"bad "_s + field);
    QLabel *label = dialog.errorLabel(field);
    QVERIFY(label);
    QVERIFY(label->parentWidget()->isAncestorOf(dialog.fieldWidget(field)));
    // Other fields stay clean.
    QVERIFY(dialog.errorText(u"name"_s).isEmpty());
    const QString other = field == u"ip" ? u"peers"_s : u"ip"_s;
    QVERIFY(dialog.errorText(other).isEmpty());
    QCOMPARE(m_lastProfile.value(u"name"_s).toString(), u"office"_s);
    // Fixed: the message goes away.
    m_answer = validateAnswer({});
    dialog.validateNow();
    QVERIFY(dialog.errorText(field).isEmpty());
}

void tst_ProfileDialog::okWithErrorsStaysOpen()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    dialog.show();
    m_answer = validateAnswer({{u"peerTimeout"_s, u"too short"_s}});
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    auto *box = dialog.findChild<QDialogButtonBox *>();
    box->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(accepted.count(), 0);
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.errorText(u"peerTimeout"_s), u"too short"_s);
    QVERIFY(dialog.fieldWidget(u"peerTimeout"_s)->isVisibleTo(&dialog));
}

void tst_ProfileDialog::okWhenValidAccepts()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    dialog.show();
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void tst_ProfileDialog::cancelRejects()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Edit);
    dialog.show();
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    qobject_cast<QLineEdit *>(dialog.fieldWidget(u"ip"_s))->setText(u"10.9.9.9/24"_s);
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->click();
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(m_client->count(u"networks.connect"_s), 0);
}

void tst_ProfileDialog::withoutHelperOnlyLocalChecks()
{
    m_client->setLink(ControlClient::State::NotRunning);
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.accept();
    QCOMPARE(accepted.count(), 1);
    QCOMPARE(m_client->count(u"profiles.validate"_s), 0);
}

void tst_ProfileDialog::newProfileNeedsSecret()
{
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.secret.reset();
    ProfileDialog dialog(editor, e, ProfileDialogMode::Create);
    dialog.validateNow();
    QVERIFY(dialog.errorText(u"secret"_s).contains(u"password"_s));
    const auto radios = dialog.findChildren<QRadioButton *>();
    QCOMPARE(radios.size(), 2);
    radios.at(1)->setChecked(true);
    dialog.validateNow();
    QVERIFY(dialog.errorText(u"secret"_s).contains(u"private key"_s));
}

void tst_ProfileDialog::storedSecretMayStayEmpty()
{
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.secret.reset();
    e.hasStoredSecret = true;
    ProfileDialog dialog(editor, e, ProfileDialogMode::Edit);
    dialog.validateNow();
    QVERIFY(dialog.errorText(u"secret"_s).isEmpty());
    QVERIFY(!dialog.edit().secret.has_value());
}

void tst_ProfileDialog::generateDisabledWithoutCapability()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    QPushButton *generate = nullptr;
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        if (b->text().contains(u"Generate"_s))
            generate = b;
    QVERIFY(generate);
    QVERIFY(!generate->isEnabled());
    QVERIFY(generate->toolTip().contains(u"keys.generate"_s));
}

void tst_ProfileDialog::generateFillsKeys()
{
    m_client->setCapabilities({u"keys.generate"_s});
    m_client->setResponder(u"keys.generate"_s, [](const QJsonObject &) {
        return ControlClientReply::success({{u"privateKey"_s, u"PRIV"_s}, {u"publicKey"_s, u"PUB"_s}});
    });
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.secret.reset();
    e.profile.secretKind = ClientProfile::SecretKind::PrivateKey;
    ProfileDialog dialog(editor, e, ProfileDialogMode::Create);
    QPushButton *generate = nullptr;
    for (QPushButton *b : dialog.findChildren<QPushButton *>())
        if (b->text().contains(u"Generate"_s))
            generate = b;
    QVERIFY(generate->isEnabled());
    generate->click();
    const ProfileEdit out = dialog.edit();
    QVERIFY(out.secret.has_value());
    QCOMPARE(out.secret->kind, ClientProfile::SecretKind::PrivateKey);
    QCOMPARE(out.secret->value, u"PRIV"_s);
    QCOMPARE(out.profile.publicKey, u"PUB"_s);
    QVERIFY(out.profile.trustedKeys.contains(u"PUB"_s));
}

void tst_ProfileDialog::keyGenerationFailureShown()
{
    m_client->setCapabilities({u"keys.generate"_s});
    m_client->setResponder(u"keys.generate"_s, [](const QJsonObject &) {
        Protocol::ErrorInfo e;
        e.code = u"UNKNOWN_METHOD"_s;
        return ControlClientReply::failure(e);
    });
    ProfileEditor editor(*m_client, {});
    QSignalSpy failed(&editor, &ProfileEditor::keyGenerationFailed);
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    editor.generateKeys();
    QCOMPARE(failed.count(), 1);
    QVERIFY(!dialog.errorText(u"secret"_s).isEmpty());
}

void tst_ProfileDialog::algorithmsAreWhatTheHelperOffers()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Create);
    QStringList boxes;
    for (const QCheckBox *check : dialog.fieldWidget(u"algorithms"_s)->findChildren<QCheckBox *>())
        boxes.append(check->text());
    boxes.sort();
    QCOMPARE(boxes, (QStringList {u"aes256"_s, u"chacha20"_s, u"plain (unencrypted)"_s}));
    QCOMPARE(knownAlgorithms(), (QStringList {u"aes256"_s, u"chacha20"_s, u"plain"_s}));
    const QString tip = dialog.fieldWidget(u"algorithms"_s)->toolTip();
    QVERIFY2(tip.contains(u"aes256"_s) && tip.contains(u"chacha20"_s), qPrintable(tip));
    QVERIFY2(!tip.contains(u"aes128"_s), qPrintable(tip));
    QVERIFY2(tip.contains(u"never offers AES-128"_s), qPrintable(tip));
}

void tst_ProfileDialog::storedAes128StillLoads()
{
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.profile.algorithms = {u"aes128"_s, u"chacha20"_s};
    ProfileDialog dialog(editor, e, ProfileDialogMode::Edit);
    QVERIFY(dialog.errorText(u"algorithms"_s).isEmpty());
    bool chachaChecked = false;
    for (const QCheckBox *check : dialog.fieldWidget(u"algorithms"_s)->findChildren<QCheckBox *>())
        chachaChecked = chachaChecked || (check->text() == u"chacha20"_s && check->isChecked());
    QVERIFY(chachaChecked);
    // Kept as it was, so saving the dialog changes nothing the user did not touch.
    QStringList out = dialog.edit().profile.algorithms;
    out.sort();
    QCOMPARE(out, (QStringList {u"aes128"_s, u"chacha20"_s}));
    dialog.validateNow();
    QVERIFY(dialog.errorText(u"algorithms"_s).isEmpty());
    QCOMPARE(m_lastProfile.value(u"algorithms"_s).toArray().size(), 2);
}

void tst_ProfileDialog::keysWithoutAFieldSurviveAnEdit()
{
    // Editing a profile imported from a VpnCloud file must not drop what the dialog shows no field for.
    ProfileEditor editor(*m_client, {});
    ProfileEdit e = validEdit();
    e.profile.portForwarding = false;
    e.profile.fixRpFilter = true;
    e.profile.extra.insert(u"futureKey"_s, u"kept"_s);
    e.profile.keepalive = 30;
    ProfileDialog dialog(editor, e, ProfileDialogMode::Edit);
    ProfileEdit out = dialog.edit();
    QCOMPARE(out.profile.portForwarding, false);
    QCOMPARE(out.profile.fixRpFilter, true);
    QCOMPARE(out.profile.extra.value(u"futureKey"_s).toString(), u"kept"_s);
    QCOMPARE(out.profile, e.profile);
}

namespace
{

QCheckBox *checkBox(QWidget &parent, const QString &text)
{
    const QList<QCheckBox *> boxes = parent.findChildren<QCheckBox *>();
    for (QCheckBox *box : boxes) {
        if (box->text().remove(u'&') == text)
            return box;
    }
    return nullptr;
}

QString describe(QWidget *w)
{
    if (!w)
        return u"(none)"_s;
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
    QString name = iface ? iface->text(QAccessible::Name) : u"?"_s;
    // On Linux a combo box's name is its value; the label it is "labelled by" names it.
    const auto labels = iface ? iface->relations(QAccessible::Label) : decltype(iface->relations()) {};
    if (qobject_cast<QComboBox *>(w) && !labels.isEmpty())
        name = labels.constFirst().first->text(QAccessible::Name).remove(u':');
    return QString::fromLatin1(w->metaObject()->className()) + u':' + name;
}

/// The widgets Tab visits from the focused one until it comes back (at most `limit` steps).
QStringList tabChain(QWidget &window, int limit = 40)
{
    QStringList chain;
    QWidget *start = QApplication::focusWidget();
    chain.append(describe(start));
    for (int i = 0; i < limit; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        if (QApplication::focusWidget() == start || !window.isAncestorOf(QApplication::focusWidget()))
            break;
        chain.append(describe(QApplication::focusWidget()));
    }
    return chain;
}

} // namespace

void tst_ProfileDialog::connectAutomaticallyRoundTrips()
{
    ProfileEdit initial = validEdit();
    initial.profile.autoConnect = true;
    initial.profile.autoConnectPaused = true;
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, initial, ProfileDialogMode::Edit);
    QCheckBox *box = checkBox(dialog, u"Connect automatically"_s);
    QVERIFY(box);
    QVERIFY(box->isChecked());
    QVERIFY(!box->toolTip().isEmpty());
    // Editing other fields keeps the pause (the user's last disconnect still holds).
    QVERIFY(dialog.edit().profile.autoConnect);
    QVERIFY(dialog.edit().profile.autoConnectPaused);
    box->setChecked(false);
    QVERIFY(!dialog.edit().profile.autoConnect);
    // The mark is not part of the protocol's profile.
    QVERIFY(!dialog.edit().profile.toJson().contains(u"autoConnect"_s));

    // Marking an unmarked profile ends an old pause.
    initial.profile.autoConnect = false;
    ProfileDialog unmarked(editor, initial, ProfileDialogMode::Edit);
    checkBox(unmarked, u"Connect automatically"_s)->setChecked(true);
    QVERIFY(unmarked.edit().profile.autoConnect);
    QVERIFY(!unmarked.edit().profile.autoConnectPaused);
}

void tst_ProfileDialog::tabReachesEveryControlInOrder()
{
    m_client->setCapabilities({u"keys.generate"_s});
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Edit);
    dialog.show();
    QApplication::setActiveWindow(&dialog);
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto *tabs = dialog.findChild<QTabWidget *>();
    QVERIFY(tabs);
    const QList<QStringList> expected {
        {u"QLineEdit:Name"_s,
            u"QRadioButton:Shared password"_s,
            u"QLineEdit:Password"_s,
            u"QLineEdit:Address"_s,
            u"QLineEdit:Claims"_s,
            u"QCheckBox:Also claim the own address"_s,
            u"QPlainTextEdit:Peers"_s,
            u"QLineEdit:Listen port"_s,
            u"QCheckBox:Connect automatically"_s},
        {u"QLineEdit:Public key"_s,
            u"QPlainTextEdit:Trusted keys"_s,
            u"QCheckBox:aes256"_s,
            u"QCheckBox:chacha20"_s,
            u"QCheckBox:plain (unencrypted)"_s},
        {u"QComboBox:Mode"_s,
            u"QSpinBox:Peer timeout"_s,
            u"QSpinBox:Keepalive"_s,
            u"QSpinBox:Switch timeout"_s,
            u"QCheckBox:Fast failover (confirm dead peers early)"_s,
            u"QCheckBox:Balance traffic over equal claimants"_s,
            u"QComboBox:Device type"_s,
            u"QLineEdit:Device name"_s,
            u"QLineEdit:Advertise"_s},
    };
    const QList<QWidget *> first {
        dialog.fieldWidget(u"name"_s), dialog.fieldWidget(u"publicKey"_s), dialog.fieldWidget(u"mode"_s)};
    for (int page = 0; page < tabs->count(); ++page) {
        // Ctrl+Tab turns the page from the keyboard.
        if (page > 0) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier);
            QCOMPARE(tabs->currentIndex(), page);
        }
        first.at(page)->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), first.at(page));
        const QStringList chain = tabChain(dialog);
        // The page's controls top to bottom, then the buttons and the page tabs.
        QCOMPARE(chain.mid(0, expected.at(page).size()), expected.at(page));
        const QString rest = chain.mid(expected.at(page).size()).join(u'|');
        QVERIFY2(rest.contains(u"QPushButton:Save"_s) && rest.contains(u"QPushButton:Cancel"_s), qPrintable(rest));
        QVERIFY2(rest.contains(u"QTabBar"_s), qPrintable(rest));
    }
    // The key pair's widgets follow the radio button once it is chosen.
    tabs->setCurrentIndex(0);
    auto *useKey = dialog.findChildren<QRadioButton *>().constLast();
    useKey->setChecked(true);
    useKey->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), useKey);
    QTest::keyClick(useKey, Qt::Key_Tab);
    QCOMPARE(describe(QApplication::focusWidget()), u"QLineEdit:Private key"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(describe(QApplication::focusWidget()), u"QPushButton:Generate"_s);
}

void tst_ProfileDialog::labelsNameTheirFields()
{
    m_answer = validateAnswer({{u"ip"_s, u"10.0.0.300/24 is not an IPv4 address"_s}});
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Edit);
    const QStringList keys {u"name"_s,
        u"ip"_s,
        u"claims"_s,
        u"peers"_s,
        u"listen"_s,
        u"publicKey"_s,
        u"trustedKeys"_s,
        u"mode"_s,
        u"peerTimeout"_s,
        u"keepalive"_s,
        u"switchTimeout"_s,
        u"deviceType"_s,
        u"deviceName"_s,
        u"advertiseAddresses"_s,
        u"secret"_s};
    for (const QString &key : keys) {
        QWidget *field = dialog.fieldWidget(key);
        QVERIFY2(field, qPrintable(key));
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(field);
        QVERIFY2(iface, qPrintable(key));
        QVERIFY2(!iface->text(QAccessible::Name).isEmpty(), qPrintable(key));
        QVERIFY2(!iface->text(QAccessible::Name).contains(u'&'), qPrintable(key));
    }
    QCOMPARE(QAccessible::queryAccessibleInterface(dialog.fieldWidget(u"ip"_s))->text(QAccessible::Name), u"Address"_s);
    // A validation message is the field's accessible description, so a screen reader reads it with the field.
    dialog.validateNow();
    QCOMPARE(QAccessible::queryAccessibleInterface(dialog.fieldWidget(u"ip"_s))->text(QAccessible::Description),
        u"10.0.0.300/24 is not an IPv4 address"_s);
    QAccessibleInterface *autoConnect
        = QAccessible::queryAccessibleInterface(checkBox(dialog, u"Connect automatically"_s));
    QCOMPARE(autoConnect->text(QAccessible::Name), u"Connect automatically"_s);
    QVERIFY(!autoConnect->text(QAccessible::Description).isEmpty());
}

void tst_ProfileDialog::mnemonicsFocusTheirFields()
{
    ProfileEditor editor(*m_client, {});
    ProfileDialog dialog(editor, validEdit(), ProfileDialogMode::Edit);
    dialog.show();
    QApplication::setActiveWindow(&dialog);
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    dialog.fieldWidget(u"name"_s)->setFocus();
    // Alt+A: "&Address:"; Alt+C: "&Claims:" (the line edit of the claims box, not the box).
    QTest::keyClick(&dialog, Qt::Key_A, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), dialog.fieldWidget(u"ip"_s));
    QTest::keyClick(&dialog, Qt::Key_C, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), dialog.fieldWidget(u"claims"_s));
    QTest::keyClick(&dialog, Qt::Key_U, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), checkBox(dialog, u"Connect automatically"_s));

    // No two controls of a page (or a page and the buttons) share a mnemonic.
    auto *tabs = dialog.findChild<QTabWidget *>();
    QStringList common;
    for (QAbstractButton *b : dialog.findChild<QDialogButtonBox *>()->buttons())
        common.append(b->text());
    for (int page = 0; page < tabs->count(); ++page) {
        QStringList texts = common;
        for (QLabel *l : tabs->widget(page)->findChildren<QLabel *>())
            texts.append(l->text());
        for (QAbstractButton *b : tabs->widget(page)->findChildren<QAbstractButton *>())
            texts.append(b->text());
        QHash<QChar, QString> seen;
        for (const QString &text : std::as_const(texts)) {
            const qsizetype amp = text.indexOf(u'&');
            if (amp < 0 || amp + 1 >= text.size())
                continue;
            const QChar key = text.at(amp + 1).toLower();
            QVERIFY2(!seen.contains(key), qPrintable(seen.value(key) + u" / "_s + text));
            seen.insert(key, text);
        }
    }
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_ProfileDialog)
#include "tst_profiledialog.moc"
