#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "ui/profiles/clientprofile.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_ClientProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsMatchVpnCloud();
    void jsonRoundTrip();
    void jsonIsLenient();
    void jsonHasNoSecret();
    void unknownKeysRoundTrip();
    void isTheProtocolProfile();
    void secretJson();
};

void tst_ClientProfile::defaultsMatchVpnCloud()
{
    const ClientProfile p = ClientProfile::fromJson({{u"name"_s, u"x"_s}});
    QCOMPARE(p.listen, u"3210"_s);
    QCOMPARE(p.peerTimeout, 300);
    QCOMPARE(p.switchTimeout, 300);
    QVERIFY(!p.keepalive.has_value());
    QCOMPARE(p.mode, u"normal"_s);
    QCOMPARE(p.deviceType, u"tun"_s);
    QVERIFY(p.autoClaim);
    QVERIFY(p.fastFailover);
    QVERIFY(!p.balance);
}

void tst_ClientProfile::jsonRoundTrip()
{
    ClientProfile p;
    p.name = u"office"_s;
    p.ip = u"10.0.0.100/24"_s;
    p.claims = {u"10.1.0.0/16"_s};
    p.peers = {u"server-a:3210"_s};
    p.keepalive = 20;
    p.algorithms = {u"chacha20"_s};
    p.balance = true;
    const QJsonObject json = p.toJson();
    QCOMPARE(json.value(u"keepalive"_s).toInt(), 20);
    QCOMPARE(json.value(u"peerTimeout"_s).toInt(), 300);
    QCOMPARE(json.value(u"fastFailover"_s).toBool(), true);
    QCOMPARE(ClientProfile::fromJson(json), p);
    p.keepalive.reset();
    QVERIFY(p.toJson().value(u"keepalive"_s).isNull());
}

void tst_ClientProfile::jsonIsLenient()
{
    const ClientProfile p = ClientProfile::fromJson({{u"name"_s, u"x"_s},
        {u"listen"_s, 4000},
        {u"peers"_s, QJsonArray({u"a"_s, 5, u"b"_s})},
        {u"peerTimeout"_s, -5},
        {u"unknown"_s, true}});
    QCOMPARE(p.listen, u"4000"_s);
    QCOMPARE(p.peers, (QStringList {u"a"_s, u"b"_s}));
    QCOMPARE(p.peerTimeout, 300);
}

void tst_ClientProfile::jsonHasNoSecret()
{
    ClientProfile p;
    p.name = u"x"_s;
    p.secretKind = ClientProfile::SecretKind::PrivateKey;
    const QByteArray text = QJsonDocument(p.toJson()).toJson();
    QVERIFY(!text.contains("password"));
    QVERIFY(!text.contains("privateKey"));
    QVERIFY(!text.contains("secret"));
}

void tst_ClientProfile::unknownKeysRoundTrip()
{
    const QJsonObject json {{u"name"_s, u"x"_s},
        {u"portForwarding"_s, false},
        {u"fixRpFilter"_s, true},
        {u"password"_s, u"leaked"_s},
        {u"futureKey"_s, 7}};
    const ClientProfile p = ClientProfile::fromJson(json);
    // portForwarding and fixRpFilter are Profile fields now (they were kept in `extra` before).
    QCOMPARE(p.portForwarding, false);
    QCOMPARE(p.fixRpFilter, true);
    QCOMPARE(p.extra, (QJsonObject {{u"futureKey"_s, 7}}));
    QVERIFY(!p.extra.contains(u"password"_s));
    const QJsonObject out = p.toJson();
    QCOMPARE(out.value(u"portForwarding"_s).toBool(true), false);
    QCOMPARE(out.value(u"fixRpFilter"_s).toBool(), true);
    QCOMPARE(out.value(u"futureKey"_s).toInt(), 7);
    QVERIFY(!out.contains(u"password"_s));
    QCOMPARE(out.value(u"name"_s).toString(), u"x"_s);
}

void tst_ClientProfile::isTheProtocolProfile()
{
    // One profile type: ClientProfile is a Protocol::Profile plus what only the GUI has.
    static_assert(std::is_base_of_v<Protocol::Profile, ClientProfile>);
    Protocol::Profile profile;
    profile.name = u"office"_s;
    profile.ip = u"10.0.0.1/24"_s;
    profile.keepalive = 4000000000u;
    profile.portForwarding = false;
    profile.ifup = u"echo up"_s;
    profile.devicePath = u"/dev/net/tun"_s;
    const ClientProfile p = ClientProfile::fromProfile(profile);
    QCOMPARE(static_cast<const Protocol::Profile &>(p), profile);
    QVERIFY(p.extra.isEmpty());
    QCOMPARE(p.toJson(), profile.toJson());
    QCOMPARE(ClientProfile::fromJson(profile.toJson()), p);
    QCOMPARE(Protocol::Profile::fromJson(p.toJson()).value(), profile);
}

void tst_ClientProfile::secretJson()
{
    const ProfileSecret pw {ClientProfile::SecretKind::Password, u"p"_s};
    QCOMPARE(pw.toJson(), (QJsonObject {{u"password"_s, u"p"_s}}));
    const ProfileSecret key {ClientProfile::SecretKind::PrivateKey, u"k"_s};
    QCOMPARE(key.toJson(), (QJsonObject {{u"privateKey"_s, u"k"_s}}));
    QCOMPARE(*ProfileSecret::fromJson(key.toJson()), key);
    QCOMPARE(*ProfileSecret::fromJson(pw.toJson()), pw);
    QVERIFY(!ProfileSecret::fromJson({{u"password"_s, 5}}).has_value());
    QVERIFY(!ProfileSecret::fromJson({}).has_value());
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_ClientProfile)
#include "tst_clientprofile.moc"
