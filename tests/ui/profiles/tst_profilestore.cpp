#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "ui/profiles/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_ProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void persistsEveryField();
    void namesAreUnique();
    void renameAndRemove();
    void uniqueName();
    void ignoresBrokenEntries();
    void readsAndWritesTheStoredKeys();
    void autoConnectAndItsPauseAreStored();
};

namespace
{

ClientProfile full()
{
    ClientProfile p;
    p.name = u"office / main"_s;
    p.ip = u"10.0.0.100/24"_s;
    p.claims = {u"10.1.0.0/16"_s};
    p.autoClaim = false;
    p.peers = {u"a:3210"_s, u"b:3210"_s};
    p.listen = u"[::]:3300"_s;
    p.peerTimeout = 120;
    p.keepalive = 30;
    p.switchTimeout = 60;
    p.mode = u"switch"_s;
    p.deviceType = u"tap"_s;
    p.deviceName = u"nim%d"_s;
    p.algorithms = {u"aes128"_s};
    p.trustedKeys = {u"k1"_s, u"k2"_s};
    p.publicKey = u"pub"_s;
    p.advertiseAddresses = {u"203.0.113.1"_s};
    p.balance = true;
    p.fastFailover = false;
    p.secretKind = ClientProfile::SecretKind::PrivateKey;
    p.portForwarding = false;
    p.fixRpFilter = true;
    p.ifup = u"echo up"_s;
    p.extra = QJsonObject {{u"futureKey"_s, 7}};
    return p;
}

} // namespace

void tst_ProfileStore::persistsEveryField()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(settings);
        QSignalSpy changed(&store, &ProfileStore::changed);
        QVERIFY(store.save(full()));
        ClientProfile plain;
        plain.name = u"plain"_s;
        QVERIFY(store.save(plain));
        QCOMPARE(changed.count(), 2);
    }
    QSettings settings(path, QSettings::IniFormat);
    ProfileStore store(settings);
    QCOMPARE(store.profiles().size(), 2);
    QCOMPARE(*store.find(u"office / main"_s), full());
    ClientProfile plain;
    plain.name = u"plain"_s;
    QCOMPARE(*store.find(u"plain"_s), plain);
    QVERIFY(!store.find(u"plain"_s)->keepalive.has_value());
}

void tst_ProfileStore::namesAreUnique()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ProfileStore store(settings);
    ClientProfile p;
    p.name = u"a"_s;
    QVERIFY(store.save(p));
    QVERIFY(!store.save(p));
    p.name = u"  "_s;
    QVERIFY(!store.save(p));
    QCOMPARE(store.profiles().size(), 1);
}

void tst_ProfileStore::renameAndRemove()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ProfileStore store(settings);
    ClientProfile a;
    a.name = u"a"_s;
    ClientProfile b;
    b.name = u"b"_s;
    QVERIFY(store.save(a));
    QVERIFY(store.save(b));
    ClientProfile renamed = a;
    renamed.name = u"b"_s;
    QVERIFY(!store.save(renamed, u"a"_s));
    renamed.name = u"c"_s;
    QVERIFY(store.save(renamed, u"a"_s));
    QCOMPARE(store.names(), (QStringList {u"c"_s, u"b"_s}));
    QVERIFY(store.remove(u"c"_s));
    QVERIFY(!store.remove(u"c"_s));
    QCOMPARE(store.names(), QStringList {u"b"_s});
}

void tst_ProfileStore::uniqueName()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ProfileStore store(settings);
    QCOMPARE(store.uniqueName(u"x"_s), u"x"_s);
    ClientProfile p;
    p.name = u"x"_s;
    QVERIFY(store.save(p));
    QCOMPARE(store.uniqueName(u"x"_s), u"x (2)"_s);
    p.name = u"x (2)"_s;
    QVERIFY(store.save(p));
    QCOMPARE(store.uniqueName(u"x"_s), u"x (3)"_s);
    QCOMPARE(store.uniqueName(QString()), u"profile"_s);
}

void tst_ProfileStore::ignoresBrokenEntries()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        settings.beginWriteArray(u"profiles"_s, 3);
        settings.setArrayIndex(0);
        settings.setValue(u"name"_s, u"ok"_s);
        settings.setValue(u"peerTimeout"_s, u"not a number"_s);
        settings.setArrayIndex(1);
        settings.setValue(u"ip"_s, u"no name"_s);
        settings.setArrayIndex(2);
        settings.setValue(u"name"_s, u"ok"_s);
        settings.endArray();
    }
    QSettings settings(path, QSettings::IniFormat);
    ProfileStore store(settings);
    QCOMPARE(store.names(), QStringList {u"ok"_s});
}

void tst_ProfileStore::readsAndWritesTheStoredKeys()
{
    // Profiles stored before ClientProfile became a Protocol::Profile: the same settings keys, with
    // portForwarding, fixRpFilter and the admin-only keys inside "extra".
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.ini"_s);
    const QStringList keys {u"name"_s,
        u"ip"_s,
        u"claims"_s,
        u"autoClaim"_s,
        u"peers"_s,
        u"listen"_s,
        u"peerTimeout"_s,
        u"keepalive"_s,
        u"switchTimeout"_s,
        u"mode"_s,
        u"deviceType"_s,
        u"deviceName"_s,
        u"algorithms"_s,
        u"trustedKeys"_s,
        u"publicKey"_s,
        u"advertiseAddresses"_s,
        u"balance"_s,
        u"fastFailover"_s,
        u"extra"_s,
        u"secretKind"_s,
        u"autoConnect"_s,
        u"autoConnectPaused"_s};
    {
        QSettings settings(path, QSettings::IniFormat);
        settings.beginWriteArray(u"profiles"_s, 1);
        settings.setArrayIndex(0);
        settings.setValue(u"name"_s, u"old"_s);
        settings.setValue(u"ip"_s, u"10.0.0.5/24"_s);
        settings.setValue(u"peerTimeout"_s, 120);
        settings.setValue(u"keepalive"_s, -1);
        settings.setValue(u"algorithms"_s, QStringList {u"aes128"_s});
        settings.setValue(
            u"extra"_s, u"{\"portForwarding\":false,\"fixRpFilter\":true,\"ifup\":\"echo up\",\"futureKey\":7}"_s);
        settings.setValue(u"secretKind"_s, u"privateKey"_s);
        settings.endArray();
    }
    {
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(settings);
        const std::optional<ClientProfile> old = store.find(u"old"_s);
        QVERIFY(old);
        QCOMPARE(old->ip, u"10.0.0.5/24"_s);
        QCOMPARE(old->peerTimeout, 120u);
        QVERIFY(!old->keepalive);
        QCOMPARE(old->algorithms, QStringList {u"aes128"_s});
        QCOMPARE(old->portForwarding, false);
        QCOMPARE(old->fixRpFilter, true);
        QCOMPARE(old->ifup, std::optional<QString>(u"echo up"_s));
        QCOMPARE(old->extra, (QJsonObject {{u"futureKey"_s, 7}}));
        QCOMPARE(old->secretKind, ClientProfile::SecretKind::PrivateKey);
        // Stored before "connect automatically" existed: not marked.
        QVERIFY(!old->autoConnect);
        QVERIFY(!old->autoConnectPaused);
        ClientProfile again = *old;
        again.name = u"again"_s;
        QVERIFY(store.save(again));
    }
    QSettings settings(path, QSettings::IniFormat);
    const int size = settings.beginReadArray(u"profiles"_s);
    QCOMPARE(size, 2);
    settings.setArrayIndex(1);
    QStringList written = settings.childKeys();
    written.sort();
    QStringList expected = keys;
    expected.sort();
    QCOMPARE(written, expected);
    QCOMPARE(QJsonDocument::fromJson(settings.value(u"extra"_s).toString().toUtf8()).object(),
        (QJsonObject {
            {u"portForwarding"_s, false}, {u"fixRpFilter"_s, true}, {u"ifup"_s, u"echo up"_s}, {u"futureKey"_s, 7}}));
    QCOMPARE(settings.value(u"keepalive"_s).toInt(), -1);
    settings.endArray();
}

void tst_ProfileStore::autoConnectAndItsPauseAreStored()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(settings);
        ClientProfile p;
        p.name = u"office"_s;
        p.autoConnect = true;
        QVERIFY(store.save(p));
        QSignalSpy changed(&store, &ProfileStore::changed);
        QVERIFY(store.setAutoConnectPaused(u"office"_s, true));
        QCOMPARE(changed.count(), 1);
        QVERIFY(store.setAutoConnectPaused(u"office"_s, true));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!store.setAutoConnectPaused(u"nobody"_s, true));
        // Neither is part of the protocol's profile.
        QVERIFY(!store.find(u"office"_s)->toJson().contains(u"autoConnect"_s));
        QVERIFY(!store.find(u"office"_s)->toJson().contains(u"autoConnectPaused"_s));
    }
    QSettings settings(path, QSettings::IniFormat);
    ProfileStore store(settings);
    QVERIFY(store.find(u"office"_s)->autoConnect);
    QVERIFY(store.find(u"office"_s)->autoConnectPaused);
    QVERIFY(store.setAutoConnectPaused(u"office"_s, false));
    QVERIFY(!ProfileStore(settings).find(u"office"_s)->autoConnectPaused);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_ProfileStore)
#include "tst_profilestore.moc"
