#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include "ui/profiles/credentialstore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

/// Runs against a real Secret Service: start it through tests/ui/run-with-keyring.sh.
class tst_CredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storeReadDelete_data();
    void storeReadDelete();
    void overwrite();
    void profilesAreSeparate();
    void sessionSecretStaysInMemory();
    void contextGoneMeansNoCallback();

private:
    SecretResult run(const std::function<void(CredentialStore &, QObject *, SecretStore::Handler)> &op);

    std::unique_ptr<CredentialStore> m_store;
};

SecretResult tst_CredentialStore::run(const std::function<void(CredentialStore &, QObject *, SecretStore::Handler)> &op)
{
    SecretResult out;
    bool done = false;
    QObject context;
    op(*m_store, &context, [&](const SecretResult &r) {
        out = r;
        done = true;
    });
    // Keychain jobs are asynchronous D-Bus calls.
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("keychain operation timed out");
    return out;
}

void tst_CredentialStore::initTestCase()
{
    if (qEnvironmentVariable("NIMBUS_IN_KEYRING_SESSION") != u"1")
        QSKIP("needs a private Secret Service: run through tests/ui/run-with-keyring.sh");
    // A unique service per run, so nothing collides with earlier runs.
    m_store = std::make_unique<CredentialStore>(
        u"org.nimbusvpn.Nimbus.test."_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
}

void tst_CredentialStore::storeReadDelete_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addRow("password") << int(ClientProfile::SecretKind::Password) << u"correct horse battery staple"_s;
    QTest::addRow("private key") << int(ClientProfile::SecretKind::PrivateKey) << u"4d3Fq9Zk2LmN8pQrStUvWxYz01"_s;
    QTest::addRow("unicode") << int(ClientProfile::SecretKind::Password) << u"pässwört \"quoted\" ✓"_s;
}

void tst_CredentialStore::storeReadDelete()
{
    QFETCH(int, kind);
    QFETCH(QString, value);
    const ProfileSecret secret {ClientProfile::SecretKind(kind), value};
    const QString profile = u"office-"_s + QString::fromLatin1(QTest::currentDataTag());

    SecretResult r
        = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.writeSecret(profile, secret, c, h); });
    QVERIFY2(r.status == SecretStatus::Ok, qPrintable(r.message));

    r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(profile, c, h); });
    QVERIFY2(r.status == SecretStatus::Ok, qPrintable(r.message));
    QVERIFY(r.secret.has_value());
    QCOMPARE(*r.secret, secret);

    r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(profile, c, h); });
    QVERIFY2(r.status == SecretStatus::Ok, qPrintable(r.message));

    r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(profile, c, h); });
    QCOMPARE(r.status, SecretStatus::NotFound);
    QVERIFY(!r.secret.has_value());

    // Deleting again is not an error.
    r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(profile, c, h); });
    QCOMPARE(r.status, SecretStatus::Ok);
}

void tst_CredentialStore::overwrite()
{
    const ProfileSecret first {ClientProfile::SecretKind::Password, u"one"_s};
    const ProfileSecret second {ClientProfile::SecretKind::PrivateKey, u"two"_s};
    QCOMPARE(
        run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.writeSecret(u"o"_s, first, c, h); }).status,
        SecretStatus::Ok);
    QCOMPARE(run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) {
        s.writeSecret(u"o"_s, second, c, h);
    }).status,
        SecretStatus::Ok);
    const SecretResult r
        = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"o"_s, c, h); });
    QCOMPARE(*r.secret, second);
    run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(u"o"_s, c, h); });
}

void tst_CredentialStore::profilesAreSeparate()
{
    const ProfileSecret a {ClientProfile::SecretKind::Password, u"a"_s};
    const ProfileSecret b {ClientProfile::SecretKind::Password, u"b"_s};
    run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.writeSecret(u"a"_s, a, c, h); });
    run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.writeSecret(u"b"_s, b, c, h); });
    QCOMPARE(
        *run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"a"_s, c, h); }).secret, a);
    QCOMPARE(
        *run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"b"_s, c, h); }).secret, b);
    run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(u"a"_s, c, h); });
    QCOMPARE(
        *run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"b"_s, c, h); }).secret, b);
    run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(u"b"_s, c, h); });
}

void tst_CredentialStore::sessionSecretStaysInMemory()
{
    const ProfileSecret secret {ClientProfile::SecretKind::Password, u"session"_s};
    m_store->keepForSession(u"mem"_s, secret);
    QVERIFY(m_store->hasSessionSecret(u"mem"_s));
    SecretResult r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"mem"_s, c, h); });
    QCOMPARE(r.status, SecretStatus::Ok);
    QCOMPARE(*r.secret, secret);
    // It never reached the keychain: a fresh store does not see it.
    CredentialStore other(m_store->service());
    SecretResult fresh;
    bool done = false;
    QObject context;
    other.readSecret(u"mem"_s, &context, [&](const SecretResult &result) {
        fresh = result;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
    QCOMPARE(fresh.status, SecretStatus::NotFound);
    r = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.deleteSecret(u"mem"_s, c, h); });
    QVERIFY(!m_store->hasSessionSecret(u"mem"_s));
}

void tst_CredentialStore::contextGoneMeansNoCallback()
{
    bool called = false;
    {
        QObject context;
        m_store->readSecret(u"nothing"_s, &context, [&](const SecretResult &) { called = true; });
    }
    // Give the job time to finish; its answer must be dropped.
    const SecretResult r
        = run([&](CredentialStore &s, QObject *c, SecretStore::Handler h) { s.readSecret(u"nothing"_s, c, h); });
    QCOMPARE(r.status, SecretStatus::NotFound);
    QVERIFY(!called);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_CredentialStore)
#include "tst_credentialstore.moc"
