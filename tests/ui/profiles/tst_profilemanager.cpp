#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/fakes/ui/fakecontrolclient.h"
#include "tests/fakes/ui/fakesecretstore.h"
#include "tests/fakes/ui/fakeuserprompter.h"
#include "ui/profiles/profilemanager.h"
#include "ui/profiles/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_ProfileManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createSavesProfileAndSecret();
    void cancelSavesNothing_data();
    void cancelSavesNothing();
    void editRenameMovesSecret();
    void editKeepsSecretWhenEmpty();
    void duplicateCopiesSecret();
    void deleteAsksFirst();
    void noKeychainOffersSessionSecret();
    void noKeychainDeclined();
    void importThroughHelper();
    void importWithoutHelper();
    void importErrorShown();
    void exportWritesYamlWithoutSecret();
    void exportWithoutHelper();
    void exportCancelled();
    void exportErrorShown_data();
    void exportErrorShown();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Test::FakeControlClient> m_client;
    std::unique_ptr<Test::FakeSecretStore> m_secrets;
    std::unique_ptr<Test::FakeUserPrompter> m_prompter;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<ProfileManager> m_manager;
};

void tst_ProfileManager::init()
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"p.ini"_s), QSettings::IniFormat);
    m_settings->clear();
    m_client = std::make_unique<Test::FakeControlClient>();
    m_client->setLink(ControlClient::State::Ready);
    m_secrets = std::make_unique<Test::FakeSecretStore>();
    m_prompter = std::make_unique<Test::FakeUserPrompter>();
    m_store = std::make_unique<ProfileStore>(*m_settings);
    m_manager = std::make_unique<ProfileManager>(*m_store, *m_secrets, *m_prompter, *m_client);
    ClientProfile office;
    office.name = u"office"_s;
    office.ip = u"10.0.0.100/24"_s;
    QVERIFY(m_store->save(office));
    m_secrets->stored.insert(u"office"_s, ProfileSecret {ClientProfile::SecretKind::Password, u"pw"_s});
}

void tst_ProfileManager::createSavesProfileAndSecret()
{
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode mode, const QStringList &taken) {
        ProfileEdit e = initial;
        e.profile.name = u"lab"_s;
        e.secret = ProfileSecret {ClientProfile::SecretKind::PrivateKey, u"KEY"_s};
        e.profile.secretKind = ClientProfile::SecretKind::PrivateKey;
        Q_UNUSED(mode)
        Q_UNUSED(taken)
        return std::optional<ProfileEdit>(e);
    };
    QSignalSpy saved(m_manager.get(), &ProfileManager::profileSaved);
    m_manager->createProfile();
    QCOMPARE(m_prompter->editModes, QList<ProfileDialogMode> {ProfileDialogMode::Create});
    QVERIFY(!m_prompter->editRequests.at(0).hasStoredSecret);
    QCOMPARE(m_store->names(), (QStringList {u"office"_s, u"lab"_s}));
    QCOMPARE(m_secrets->stored.value(u"lab"_s).value, u"KEY"_s);
    QCOMPARE(saved.count(), 1);
    // Nothing secret reaches QSettings.
    m_settings->sync();
    QFile ini(m_settings->fileName());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray text = ini.readAll();
    QVERIFY(!text.contains("KEY"));
    QVERIFY(!text.contains("pw"));
}

void tst_ProfileManager::cancelSavesNothing_data()
{
    QTest::addColumn<int>("flow");
    QTest::addRow("create") << 0;
    QTest::addRow("edit") << 1;
    QTest::addRow("duplicate") << 2;
    QTest::addRow("import") << 3;
}

void tst_ProfileManager::cancelSavesNothing()
{
    QFETCH(int, flow);
    m_client->setResponder(u"profiles.import"_s, [](const QJsonObject &) {
        return ControlClientReply::success({{u"profile"_s, QJsonObject {{u"name"_s, u"imported"_s}}},
            {u"secret"_s, QJsonObject {{u"password"_s, u"filepw"_s}}}});
    });
    const QList<ClientProfile> before = m_store->profiles();
    const auto secretsBefore = m_secrets->stored;
    switch (flow) {
    case 0:
        m_manager->createProfile();
        break;
    case 1:
        m_manager->editProfile(u"office"_s);
        break;
    case 2:
        m_manager->duplicateProfile(u"office"_s);
        break;
    case 3:
        m_manager->importYaml("ip: 10.0.0.1\n");
        break;
    }
    QCOMPARE(m_prompter->editRequests.size(), 1);
    QCOMPARE(m_store->profiles(), before);
    QCOMPARE(m_secrets->stored, secretsBefore);
    QVERIFY(m_secrets->session.isEmpty());
}

void tst_ProfileManager::editRenameMovesSecret()
{
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &taken) {
        Q_UNUSED(taken)
        ProfileEdit e = initial;
        e.profile.name = u"headquarters"_s;
        return std::optional<ProfileEdit>(e);
    };
    QSignalSpy renamed(m_manager.get(), &ProfileManager::profileRenamed);
    m_manager->editProfile(u"office"_s);
    QCOMPARE(renamed.size(), 1);
    QCOMPARE(renamed.at(0), (QVariantList {u"office"_s, u"headquarters"_s}));
    QVERIFY(m_prompter->editRequests.at(0).hasStoredSecret);
    QCOMPARE(m_store->names(), QStringList {u"headquarters"_s});
    QCOMPARE(m_secrets->stored.value(u"headquarters"_s).value, u"pw"_s);
    QVERIFY(!m_secrets->stored.contains(u"office"_s));
}

void tst_ProfileManager::editKeepsSecretWhenEmpty()
{
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &) {
        ProfileEdit e = initial;
        e.profile.peerTimeout = 60;
        return std::optional<ProfileEdit>(e);
    };
    QSignalSpy renamed(m_manager.get(), &ProfileManager::profileRenamed);
    m_manager->editProfile(u"office"_s);
    QCOMPARE(renamed.size(), 0); // an edit that keeps the name renames nothing
    QCOMPARE(m_store->find(u"office"_s)->peerTimeout, 60);
    QCOMPARE(m_secrets->stored.value(u"office"_s).value, u"pw"_s);
}

void tst_ProfileManager::duplicateCopiesSecret()
{
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &taken) {
        ProfileEdit e = initial;
        if (taken.contains(e.profile.name))
            return std::optional<ProfileEdit>();
        return std::optional<ProfileEdit>(e);
    };
    m_manager->duplicateProfile(u"office"_s);
    QCOMPARE(m_prompter->editModes.at(0), ProfileDialogMode::Duplicate);
    QCOMPARE(m_store->profiles().size(), 2);
    const QString copy = m_store->names().at(1);
    QVERIFY(copy.startsWith(u"office"_s));
    QCOMPARE(m_store->find(copy)->ip, u"10.0.0.100/24"_s);
    QCOMPARE(m_secrets->stored.value(copy).value, u"pw"_s);
    QCOMPARE(m_secrets->stored.value(u"office"_s).value, u"pw"_s);
}

void tst_ProfileManager::deleteAsksFirst()
{
    m_prompter->confirmAnswer = false;
    m_manager->deleteProfile(u"office"_s);
    QCOMPARE(m_prompter->confirms.size(), 1);
    QVERIFY(m_store->contains(u"office"_s));
    QVERIFY(m_secrets->stored.contains(u"office"_s));
    m_prompter->confirmAnswer = true;
    QSignalSpy deleted(m_manager.get(), &ProfileManager::profileDeleted);
    m_manager->deleteProfile(u"office"_s);
    QVERIFY(!m_store->contains(u"office"_s));
    QVERIFY(!m_secrets->stored.contains(u"office"_s));
    QCOMPARE(deleted.count(), 1);
}

void tst_ProfileManager::noKeychainOffersSessionSecret()
{
    m_secrets->failWith = SecretStatus::NoKeychain;
    m_prompter->confirmAnswer = true;
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &) {
        ProfileEdit e = initial;
        e.profile.name = u"lab"_s;
        e.secret = ProfileSecret {ClientProfile::SecretKind::Password, u"memory only"_s};
        return std::optional<ProfileEdit>(e);
    };
    m_manager->createProfile();
    QCOMPARE(m_prompter->confirms.size(), 1);
    QVERIFY(m_prompter->confirms.at(0).contains(u"keychain"_s));
    QVERIFY(m_secrets->hasSessionSecret(u"lab"_s));
    QCOMPARE(m_secrets->session.value(u"lab"_s).value, u"memory only"_s);
    QVERIFY(!m_secrets->stored.contains(u"lab"_s));
}

void tst_ProfileManager::noKeychainDeclined()
{
    m_secrets->failWith = SecretStatus::NoKeychain;
    m_prompter->confirmAnswer = false;
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &) {
        ProfileEdit e = initial;
        e.secret = ProfileSecret {ClientProfile::SecretKind::Password, u"x"_s};
        return std::optional<ProfileEdit>(e);
    };
    m_manager->createProfile();
    QVERIFY(m_secrets->session.isEmpty());
    QCOMPARE(m_store->profiles().size(), 2);
}

void tst_ProfileManager::importThroughHelper()
{
    QString sentYaml;
    m_client->setResponder(u"profiles.import"_s, [&sentYaml](const QJsonObject &params) {
        sentYaml = params.value(u"yaml"_s).toString();
        return ControlClientReply::success({{u"profile"_s,
                                                QJsonObject {{u"name"_s, u"office"_s},
                                                    {u"ip"_s, u"10.0.1.1/16"_s},
                                                    {u"peers"_s, QJsonArray {u"node2:3210"_s}}}},
            {u"secret"_s, QJsonObject {{u"password"_s, u"change me"_s}}},
            {u"warnings"_s, QJsonArray {u"hooks are ignored"_s}}});
    });
    m_prompter->editHandler = [](const ProfileEdit &initial, ProfileDialogMode, const QStringList &) {
        return std::optional<ProfileEdit>(initial);
    };
    const QString path = m_dir.filePath(u"office.net"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("ip: 10.0.1.1/16\ncrypto:\n  password: \"change me\"\n");
    file.close();
    m_prompter->openFileAnswer = path;
    m_manager->importProfile();
    QVERIFY(sentYaml.contains(u"10.0.1.1/16"_s));
    QCOMPARE(m_prompter->editModes.at(0), ProfileDialogMode::Import);
    QCOMPARE(m_prompter->infos.size(), 1);
    QVERIFY(m_prompter->infos.at(0).contains(u"hooks are ignored"_s));
    // "office" exists: the import gets a new name.
    const ProfileEdit shown = m_prompter->editRequests.at(0);
    QCOMPARE(shown.profile.name, u"office (2)"_s);
    QCOMPARE(shown.secret->value, u"change me"_s);
    QCOMPARE(m_store->find(u"office (2)"_s)->peers, QStringList {u"node2:3210"_s});
    QCOMPARE(m_secrets->stored.value(u"office (2)"_s).value, u"change me"_s);
}

void tst_ProfileManager::importWithoutHelper()
{
    m_client->setLink(ControlClient::State::NotRunning);
    m_manager->importYaml("ip: 10.0.0.1\n");
    QCOMPARE(m_prompter->errors.size(), 1);
    QVERIFY(m_prompter->editRequests.isEmpty());
}

void tst_ProfileManager::importErrorShown()
{
    m_client->setResponder(u"profiles.import"_s, [](const QJsonObject &) {
        Protocol::ErrorInfo e;
        e.code = u"INVALID_PROFILE"_s;
        e.message = u"unknown key 'foo'"_s;
        return ControlClientReply::failure(e);
    });
    m_manager->importYaml("foo: 1\n");
    QCOMPARE(m_prompter->errors.size(), 1);
    QVERIFY(m_prompter->errors.at(0).contains(u"unknown key 'foo'"_s));
    QVERIFY(m_prompter->editRequests.isEmpty());
}

void tst_ProfileManager::exportWritesYamlWithoutSecret()
{
    // The helper writes the text (profiles.export); the GUI sends the profile without its secret and stores the
    // answer as it is.
    QJsonObject sent;
    m_client->setResponder(u"profiles.export"_s, [&sent](const QJsonObject &params) {
        sent = params;
        const QString ip = params.value(u"profile"_s).toObject().value(u"ip"_s).toString();
        return ControlClientReply::success({{u"yaml"_s, u"# from the helper\nip: \"%1\"\n"_s.arg(ip)}});
    });
    const QString path = m_dir.filePath(u"out.net"_s);
    m_prompter->saveFileAnswer = path;
    m_manager->exportProfile(u"office"_s);
    QCOMPARE(m_client->count(u"profiles.export"_s), 1);
    QCOMPARE(sent.keys(), QStringList {u"profile"_s});
    QCOMPARE(sent.value(u"profile"_s).toObject(), m_store->find(u"office"_s)->toJson());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray yaml = file.readAll();
    QCOMPARE(yaml, QByteArray("# from the helper\nip: \"10.0.0.100/24\"\n"));
    QVERIFY(yaml.contains("ip: \"10.0.0.100/24\""));
    QVERIFY(!yaml.contains("pw"));
    QVERIFY(!yaml.contains("password:"));
    QVERIFY(m_prompter->errors.isEmpty());
    QVERIFY(m_secrets->reads.isEmpty());
}

void tst_ProfileManager::exportWithoutHelper()
{
    m_client->setLink(ControlClient::State::NotRunning);
    m_prompter->saveFileAnswer = m_dir.filePath(u"never.net"_s);
    m_manager->exportProfile(u"office"_s);
    QCOMPARE(m_prompter->errors.size(), 1);
    QVERIFY(m_prompter->errors.at(0).contains(u"helper"_s));
    QVERIFY(m_client->requests().isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(u"never.net"_s)));
}

void tst_ProfileManager::exportCancelled()
{
    m_prompter->saveFileAnswer.clear();
    m_manager->exportProfile(u"office"_s);
    m_manager->exportProfile(u"no such profile"_s);
    QVERIFY(m_client->requests().isEmpty());
    QVERIFY(m_prompter->errors.isEmpty());
}

void tst_ProfileManager::exportErrorShown_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QJsonObject>("result");
    QTest::newRow("invalid profile") << u"INVALID_PROFILE"_s << QJsonObject {};
    QTest::newRow("older helper") << u"UNKNOWN_METHOD"_s << QJsonObject {};
    QTest::newRow("unreadable answer") << QString() << QJsonObject {{u"yaml"_s, 5}};
}

void tst_ProfileManager::exportErrorShown()
{
    QFETCH(QString, code);
    QFETCH(QJsonObject, result);
    m_client->setResponder(u"profiles.export"_s, [code, result](const QJsonObject &) {
        if (code.isEmpty())
            return ControlClientReply::success(result);
        Protocol::ErrorInfo e;
        e.code = code;
        e.message = u"refused on purpose"_s;
        return ControlClientReply::failure(e);
    });
    const QString path = m_dir.filePath(u"failed.net"_s);
    m_prompter->saveFileAnswer = path;
    m_manager->exportProfile(u"office"_s);
    QCOMPARE(m_prompter->errors.size(), 1);
    QVERIFY(!QFile::exists(path));
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_ProfileManager)
#include "tst_profilemanager.moc"
