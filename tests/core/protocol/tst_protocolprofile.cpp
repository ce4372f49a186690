#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/protocol/profile.h"
#include "tests/support/typecheck.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Protocol;

namespace
{

/// A profile as core's profileToJson() writes it (docs/control-protocol.md, "Profile").
QJsonObject profileWire()
{
    return QJsonObject {
        {u"name"_s, u"office"_s},
        {u"ip"_s, u"10.0.0.100/24"_s},
        {u"claims"_s, QJsonArray {u"10.1.0.0/16"_s}},
        {u"autoClaim"_s, true},
        {u"peers"_s, QJsonArray {u"server-a:3210"_s}},
        {u"listen"_s, u"3210"_s},
        {u"peerTimeout"_s, qint64(300)},
        {u"keepalive"_s, QJsonValue::Null},
        {u"switchTimeout"_s, qint64(300)},
        {u"mode"_s, u"normal"_s},
        {u"deviceType"_s, u"tun"_s},
        {u"deviceName"_s, u""_s},
        {u"algorithms"_s, QJsonArray {u"chacha20"_s}},
        {u"trustedKeys"_s, QJsonArray {}},
        {u"publicKey"_s, u""_s},
        {u"advertiseAddresses"_s, QJsonArray {}},
        {u"balance"_s, false},
        {u"fastFailover"_s, true},
        {u"portForwarding"_s, true},
        {u"fixRpFilter"_s, false},
    };
}

} // namespace

class tst_ProtocolProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profile()
    {
        Test::checkValueType<Profile>(profileWire(), {u"name"_s}, u"peers"_s);
        QJsonObject admin = profileWire();
        admin.insert(u"keepalive"_s, qint64(20));
        admin.insert(u"ifup"_s, u"ip link"_s);
        admin.insert(u"devicePath"_s, u"/dev/net/tun2"_s);
        Test::checkValueType<Profile>(admin, {u"name"_s}, u"ifup"_s);
        const Profile p = Profile::fromJson(admin).value();
        QCOMPARE(p.keepalive, std::optional<quint32>(20));
        QCOMPARE(p.ifup, std::optional<QString>(u"ip link"_s));
        QVERIFY(!p.user.has_value());
    }

    void defaults()
    {
        const Result<Profile> p = Profile::fromJson(QJsonObject {{u"name"_s, u"x"_s}});
        QVERIFY(p.ok());
        Profile named;
        named.name = u"x"_s;
        QCOMPARE(*p, named);
        QCOMPARE(p->listen, u"3210"_s);
        QCOMPARE(p->peerTimeout, 300u);
        QVERIFY(p->autoClaim);
        QVERIFY(p->fastFailover);
        QVERIFY(!p->keepalive);
        // What core's profileToJson() writes for a default config.
        QJsonObject expected = profileWire();
        expected.insert(u"name"_s, u"x"_s);
        expected.insert(u"ip"_s, u""_s);
        expected.insert(u"claims"_s, QJsonArray {});
        expected.insert(u"peers"_s, QJsonArray {});
        expected.insert(u"algorithms"_s, QJsonArray {});
        QCOMPARE(p->toJson(), expected);
    }

    void listenAsNumberAndNulls()
    {
        const Result<Profile> p = Profile::fromJson(QJsonObject {
            {u"name"_s, u"x"_s}, {u"listen"_s, 3300}, {u"ip"_s, QJsonValue::Null}, {u"ifup"_s, QJsonValue::Null}});
        QVERIFY(p.ok());
        QCOMPARE(p->listen, u"3300"_s);
        QCOMPARE(p->ip, QString());
        QVERIFY(!p->ifup);
    }

    void wrongTypes_data()
    {
        QTest::addColumn<QJsonObject>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("timeout string") << QJsonObject {{u"name"_s, u"x"_s}, {u"peerTimeout"_s, u"300"_s}}
                                        << u"peerTimeout: expected a whole number"_s;
        QTest::newRow("timeout negative") << QJsonObject {{u"name"_s, u"x"_s}, {u"switchTimeout"_s, -1}}
                                          << u"switchTimeout: expected a whole number of seconds (0 to 4294967295)"_s;
        QTest::newRow("keepalive big") << QJsonObject {{u"name"_s, u"x"_s}, {u"keepalive"_s, 5e9}}
                                       << u"keepalive: expected a whole number of seconds (0 to 4294967295) or null"_s;
        QTest::newRow("name number") << QJsonObject {{u"name"_s, 5}} << u"name: expected a string"_s;
        QTest::newRow("flag") << QJsonObject {{u"name"_s, u"x"_s}, {u"balance"_s, 1}}
                              << u"balance: expected true or false"_s;
    }

    void wrongTypes()
    {
        QFETCH(QJsonObject, json);
        QFETCH(QString, message);
        const Result<Profile> p = Profile::fromJson(json);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().message, message);
    }

    void secret()
    {
        const Result<Secret> pw = Secret::fromJson(QJsonObject {{u"password"_s, u"p"_s}});
        QCOMPARE(pw->kind, Secret::Kind::Password);
        QCOMPARE(pw->toJson(), (QJsonObject {{u"password"_s, u"p"_s}}));
        const Result<Secret> key = Secret::fromJson(QJsonObject {{u"privateKey"_s, u"k"_s}, {u"password"_s, u"p"_s}});
        QCOMPARE(key->kind, Secret::Kind::PrivateKey);
        QCOMPARE(key->value, u"k"_s);
        QCOMPARE(key->toJson(), (QJsonObject {{u"privateKey"_s, u"k"_s}}));
        QVERIFY(!Secret::fromJson(QJsonObject {{u"password"_s, 5}}).ok());
        QVERIFY(!Secret::fromJson(QJsonObject {}).ok());
    }

    void validationResult()
    {
        Test::checkValueType<ValidationResult>(
            QJsonObject {{u"valid"_s, false},
                {u"errors"_s, QJsonArray {QJsonObject {{u"field"_s, u"ip"_s}, {u"message"_s, u"bad"_s}}}}},
            {u"valid"_s},
            u"errors"_s);
    }

    void importResult()
    {
        const QJsonObject wire {{u"profile"_s, profileWire()},
            {u"secret"_s, QJsonObject {{u"password"_s, u"pw"_s}}},
            {u"warnings"_s, QJsonArray {u"beacon: dropped"_s}}};
        Test::checkValueType<ImportResult>(wire, {u"profile"_s}, u"warnings"_s);
        QJsonObject noSecret = wire;
        noSecret.insert(u"secret"_s, QJsonValue::Null);
        Test::checkValueType<ImportResult>(noSecret, {}, QString());
        QVERIFY(!ImportResult::fromJson(noSecret)->secret);
        QJsonObject badProfile = wire;
        badProfile.insert(u"profile"_s, QJsonObject {{u"ip"_s, u"10.0.0.1/24"_s}});
        QCOMPARE(ImportResult::fromJson(badProfile).error().message, u"profile.name: missing"_s);
    }

    void exportResult()
    {
        Test::checkValueType<ExportResult>(QJsonObject {{u"yaml"_s, u"ip: 10.0.0.1\n"_s}}, {u"yaml"_s}, u"yaml"_s);
    }
};

QTEST_GUILESS_MAIN(tst_ProtocolProfile)
#include "tst_protocolprofile.moc"
