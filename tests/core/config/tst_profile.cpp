#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "core/config/profile.h"
#include "core/config/yamlconfig.h"
#include "core/crypto/identity.h"
#include "tests/support/configprinting.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

namespace
{

// The Profile example of docs/control-protocol.md.
constexpr char kDocExample[]
    = R"({"name": "office", "ip": "10.0.0.100/24", "claims": ["10.1.0.0/16"], "autoClaim": true,
 "peers": ["server-a:3210"], "listen": "3210", "peerTimeout": 300, "keepalive": null,
 "switchTimeout": 300, "mode": "normal", "deviceType": "tun", "deviceName": "",
 "algorithms": [], "trustedKeys": [], "publicKey": "", "advertiseAddresses": [],
 "balance": false, "fastFailover": true})";

constexpr char kNodeBPrivate[] = "gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg";
constexpr char kNodeBPublic[] = "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd";

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QJsonObject docExample()
{
    return json(kDocExample);
}

QJsonObject withField(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

/// Every setting a profile can carry, away from its default.
NetworkConfig profileConfig()
{
    NetworkConfig c;
    c.name = u"lab ✓"_s;
    c.ip = u"10.0.0.1/16"_s;
    c.claims = {u"10.1.0.0/16"_s, u"fd00::/64"_s};
    c.autoClaim = false;
    c.peers = {u"a.example.com"_s, u"[2001:db8::1]:3210"_s};
    c.listen = u"*:3300"_s;
    c.peerTimeout = 200;
    c.keepalive = 40;
    c.switchTimeout = 100;
    c.mode = NodeMode::Router;
    c.deviceType = DeviceType::Tap;
    c.deviceName = u"lab%d"_s;
    c.algorithms = {Algorithm::Chacha20Poly1305, Algorithm::Aes256Gcm};
    c.trustedKeys = {QString::fromLatin1(kNodeBPublic)};
    c.publicKey = QString::fromLatin1(kNodeBPublic);
    c.advertiseAddresses = {u"192.0.2.1:3300"_s};
    c.balance = true;
    c.fastFailover = false;
    c.portForwarding = false;
    c.fixRpFilter = true;
    c.devicePath = u"/dev/tun0"_s;
    c.ifup = u"echo up"_s;
    c.ifdown = u"echo down"_s;
    c.statsFile = u"/var/log/lab.stats"_s;
    c.pidFile = u"/run/lab.pid"_s;
    c.user = u"nobody"_s;
    c.group = u"nogroup"_s;
    return c;
}

} // namespace

class tst_Profile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void docExampleParses();
    void defaultsToJson();
    void roundTrip_data();
    void roundTrip();
    void secretsAreNotPartOfProfile();
    void minimalProfile();
    void validateFieldErrors_data();
    void validateFieldErrors();
    void validateReportsEveryField();
    void importNodeA();
    void importNodeB();
    void importWarnings();
    void importErrors();
    void needsAdmin_data();
    void needsAdmin();
    void exportImportRoundTrip_data();
    void exportImportRoundTrip();
    void exportHasNoSecretByDefault();
    void exportWritesTheGivenSecret();
    void exportWritesOnlyVpnCloudKeys();
    void exportCannotBeInjected();
    void exportRefusesInvalidProfiles();
    void typedProfileRoundTrip();
};

void tst_Profile::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_Profile::docExampleParses()
{
    const QJsonObject example = docExample();
    QVERIFY(!example.isEmpty());
    QVERIFY(validateProfile(example).isEmpty());
    const Result<NetworkConfig> parsed = profileFromJson(example);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    NetworkConfig expected;
    expected.name = u"office"_s;
    expected.ip = u"10.0.0.100/24"_s;
    expected.claims = {u"10.1.0.0/16"_s};
    expected.peers = {u"server-a:3210"_s};
    QCOMPARE(parsed.value(), expected);

    // Back to JSON: the example plus the two extra flags.
    QJsonObject back = profileToJson(parsed.value());
    QCOMPARE(back.take(u"portForwarding"_s), QJsonValue(true));
    QCOMPARE(back.take(u"fixRpFilter"_s), QJsonValue(false));
    QCOMPARE(back, example);
}

void tst_Profile::defaultsToJson()
{
    NetworkConfig c;
    c.name = u"n"_s;
    const QJsonObject o = profileToJson(c);
    QCOMPARE(o.value(u"deviceName"_s), QJsonValue(u""_s));
    QCOMPARE(o.value(u"ip"_s), QJsonValue(u""_s));
    QCOMPARE(o.value(u"publicKey"_s), QJsonValue(u""_s));
    QVERIFY(o.value(u"keepalive"_s).isNull());
    QCOMPARE(o.value(u"listen"_s), QJsonValue(u"3210"_s));
    QCOMPARE(o.value(u"peerTimeout"_s), QJsonValue(300));
    QCOMPARE(o.value(u"switchTimeout"_s), QJsonValue(300));
    QCOMPARE(o.value(u"mode"_s), QJsonValue(u"normal"_s));
    QCOMPARE(o.value(u"deviceType"_s), QJsonValue(u"tun"_s));
    QCOMPARE(o.value(u"autoClaim"_s), QJsonValue(true));
    QCOMPARE(o.value(u"balance"_s), QJsonValue(false));
    QCOMPARE(o.value(u"fastFailover"_s), QJsonValue(true));
    // Admin-only keys appear only when set.
    for (const QString &key : {u"devicePath"_s,
             u"ifup"_s,
             u"ifdown"_s,
             u"statsFile"_s,
             u"pidFile"_s,
             u"user"_s,
             u"group"_s,
             u"hooks"_s,
             u"password"_s,
             u"privateKey"_s})
        QVERIFY2(!o.contains(key), qPrintable(key));
    QCOMPARE(o.size(), docExample().size() + 2);
}

void tst_Profile::roundTrip_data()
{
    QTest::addColumn<NetworkConfig>("config");
    NetworkConfig named;
    named.name = u"n"_s;
    QTest::newRow("defaults") << named;
    QTest::newRow("everything") << profileConfig();
    NetworkConfig keepaliveZero = named;
    keepaliveZero.keepalive = 0;
    keepaliveZero.peerTimeout = 0;
    keepaliveZero.switchTimeout = 4294967295u;
    QTest::newRow("edge numbers") << keepaliveZero;
}

void tst_Profile::roundTrip()
{
    QFETCH(NetworkConfig, config);
    const QJsonObject o = profileToJson(config);
    QVERIFY(validateProfile(o).isEmpty());
    const Result<NetworkConfig> back = profileFromJson(o);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back.value(), config);
    // Through text as well (what the control socket carries).
    const QJsonObject reparsed = QJsonDocument::fromJson(QJsonDocument(o).toJson()).object();
    QCOMPARE(reparsed, o);
}

void tst_Profile::secretsAreNotPartOfProfile()
{
    NetworkConfig c = profileConfig();
    c.password = u"hunter2"_s;
    c.privateKey = QString::fromLatin1(kNodeBPrivate);
    c.beaconPassword = u"beacon"_s;
    c.hooks.insert(u"vpn_started"_s, u"echo"_s);
    c.statsdServer = u"localhost:8125"_s;
    c.controlSocket = u"/tmp/x"_s;
    const QByteArray text = QJsonDocument(profileToJson(c)).toJson();
    QVERIFY(!text.contains("hunter2"));
    QVERIFY(!text.contains(kNodeBPrivate));
    QVERIFY(!text.contains("beacon"));
    QVERIFY(!text.contains("hooks"));
    QVERIFY(!text.contains("statsd"));
    QVERIFY(!text.contains("/tmp/x"));
    // What does come back is the profile part.
    const Result<NetworkConfig> back = profileFromJson(profileToJson(c));
    QVERIFY(back.ok());
    QCOMPARE(back.value(), profileConfig());
}

void tst_Profile::minimalProfile()
{
    const Result<NetworkConfig> parsed = profileFromJson(json(R"({"name": "x", "futureField": 1})"));
    QVERIFY(parsed.ok());
    NetworkConfig expected;
    expected.name = u"x"_s;
    QCOMPARE(parsed.value(), expected);

    // listen as a number and null optional strings are accepted too.
    const Result<NetworkConfig> numeric
        = profileFromJson(json(R"({"name": "x", "listen": 3300, "ip": null, "publicKey": null, "ifup": null})"));
    QVERIFY2(numeric.ok(), qPrintable(numeric.ok() ? QString() : numeric.error().message));
    QCOMPARE(numeric->listen, u"3300"_s);
    QVERIFY(!numeric->ip);
    QVERIFY(!numeric->ifup);

    const Result<NetworkConfig> bad = profileFromJson(json(R"({"name": "x", "peerTimeout": "300"})"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, u"invalid-profile"_s);
    QCOMPARE(bad.error().message, u"peerTimeout: expected a whole number of seconds (0 to 4294967295)"_s);
}

void tst_Profile::validateFieldErrors_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("message");

    QTest::newRow("name empty") << u"name"_s << QJsonValue(u"  "_s) << u"the name must not be empty"_s;
    QTest::newRow("name type") << u"name"_s << QJsonValue(5) << u"expected a string"_s;
    QTest::newRow("name too long") << u"name"_s << QJsonValue(QString(65, u'x'))
                                   << u"the name must be at most 64 characters long"_s;
    QTest::newRow("name control") << u"name"_s << QJsonValue(u"a\nb"_s)
                                  << u"the name must not contain control characters"_s;
    QTest::newRow("ip") << u"ip"_s << QJsonValue(u"10.0.0.256"_s)
                        << u"expected an IPv4 address A.B.C.D with an optional /prefix (0-32), got \"10.0.0.256\""_s;
    QTest::newRow("ip type") << u"ip"_s << QJsonValue(10) << u"expected a string"_s;
    QTest::newRow("claims entry") << u"claims"_s << QJsonValue(QJsonArray {u"10.0.0.0/8"_s, u"10.1.0.0"_s})
                                  << u"entry 2: expected ADDRESS/PREFIX"_s;
    QTest::newRow("claims type") << u"claims"_s << QJsonValue(u"10.0.0.0/8"_s) << u"expected a list of strings"_s;
    QTest::newRow("claims entry type") << u"claims"_s << QJsonValue(QJsonArray {1}) << u"entry 1: expected a string"_s;
    QTest::newRow("peers") << u"peers"_s << QJsonValue(QJsonArray {u"host:99999"_s})
                           << u"entry 1: \"99999\" is not a valid port (1..65535)"_s;
    QTest::newRow("listen") << u"listen"_s << QJsonValue(u"nowhere"_s) << u"expected PORT, *:PORT, IP"_s;
    QTest::newRow("listen number") << u"listen"_s << QJsonValue(70000) << u"port 70000 is out of range (0..65535)"_s;
    QTest::newRow("peerTimeout negative")
        << u"peerTimeout"_s << QJsonValue(-1) << u"expected a whole number of seconds (0 to 4294967295)"_s;
    QTest::newRow("peerTimeout fraction") << u"peerTimeout"_s << QJsonValue(1.5) << u"expected a whole number"_s;
    QTest::newRow("peerTimeout too big") << u"peerTimeout"_s << QJsonValue(4294967296.0)
                                         << u"expected a whole number"_s;
    QTest::newRow("keepalive") << u"keepalive"_s << QJsonValue(u"90"_s)
                               << u"expected a whole number of seconds (0 to 4294967295) or null"_s;
    QTest::newRow("switchTimeout") << u"switchTimeout"_s << QJsonValue(true) << u"expected a whole number"_s;
    QTest::newRow("mode") << u"mode"_s << QJsonValue(u"bridge"_s) << u"expected normal, router, switch or hub"_s;
    QTest::newRow("deviceType") << u"deviceType"_s << QJsonValue(u"tup"_s) << u"expected tun or tap"_s;
    QTest::newRow("deviceName") << u"deviceName"_s << QJsonValue(u"a b"_s) << u"expected an interface name"_s;
    QTest::newRow("algorithms") << u"algorithms"_s << QJsonValue(QJsonArray {u"aes512"_s})
                                << u"entry 1: unknown algorithm \"aes512\""_s;
    QTest::newRow("trustedKeys") << u"trustedKeys"_s << QJsonValue(QJsonArray {u"!"_s})
                                 << u"entry 1: not a valid key"_s;
    QTest::newRow("publicKey") << u"publicKey"_s << QJsonValue(u"abc?"_s) << u"not a valid key"_s;
    QTest::newRow("advertiseAddresses") << u"advertiseAddresses"_s << QJsonValue(QJsonArray {u"example.com"_s})
                                        << u"entry 1: \"example.com\" is not an IP address"_s;
    QTest::newRow("autoClaim") << u"autoClaim"_s << QJsonValue(u"yes"_s) << u"expected true or false"_s;
    QTest::newRow("balance") << u"balance"_s << QJsonValue(1) << u"expected true or false"_s;
    QTest::newRow("fastFailover") << u"fastFailover"_s << QJsonValue(u"true"_s) << u"expected true or false"_s;
    QTest::newRow("portForwarding") << u"portForwarding"_s << QJsonValue(0) << u"expected true or false"_s;
    QTest::newRow("ifup") << u"ifup"_s << QJsonValue(QJsonArray {}) << u"expected a string"_s;
    QTest::newRow("devicePath") << u"devicePath"_s << QJsonValue(7) << u"expected a string"_s;
    QTest::newRow("password") << u"password"_s << QJsonValue(u"pw"_s)
                              << u"secrets are not part of a profile; send them separately as the secret"_s;
    QTest::newRow("privateKey") << u"privateKey"_s << QJsonValue(QString::fromLatin1(kNodeBPrivate))
                                << u"secrets are not part of a profile"_s;
}

void tst_Profile::validateFieldErrors()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);

    const QJsonObject profile = withField(docExample(), field, value);
    const QList<FieldError> errors = validateProfile(profile);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.front().field, field);
    QVERIFY2(errors.front().message.startsWith(message), qPrintable(errors.front().message));
    QVERIFY(!errors.front().message.contains(QLatin1StringView(kNodeBPrivate)));

    const Result<NetworkConfig> parsed = profileFromJson(profile);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, u"invalid-profile"_s);
    QVERIFY(parsed.error().message.startsWith(field + u": "_s + message));
}

void tst_Profile::validateReportsEveryField()
{
    QJsonObject profile {{u"ip"_s, u"x"_s}, {u"mode"_s, u"x"_s}, {u"peers"_s, QJsonArray {u"a b"_s}}};
    const QList<FieldError> errors = validateProfile(profile);
    QStringList fields;
    for (const FieldError &error : errors)
        fields.append(error.field);
    fields.sort();
    QCOMPARE(fields, (QStringList {u"ip"_s, u"mode"_s, u"name"_s, u"peers"_s}));
    QCOMPARE(errors.front(), (FieldError {u"name"_s, u"a profile needs a name"_s}));
}

void tst_Profile::importNodeA()
{
    const Result<ImportResult> imported
        = importVpnCloudYaml(Test::readSharedFile(u"vectors/config/node-a.yaml"_s), u"node A"_s);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    const ImportResult &r = imported.value();
    const QJsonObject profile = r.profile.toJson();
    QVERIFY(validateProfile(profile).isEmpty());
    QCOMPARE(profile.value(u"name"_s), QJsonValue(u"node A"_s));
    QCOMPARE(profile.value(u"ip"_s), QJsonValue(u"10.0.2.1/24"_s));
    QCOMPARE(profile.value(u"deviceName"_s), QJsonValue(u"vpnc%d"_s));
    QCOMPARE(profile.value(u"peers"_s), QJsonValue(QJsonArray {u"192.0.2.12:3210"_s}));
    QCOMPARE(profile.value(u"listen"_s), QJsonValue(u"3210"_s));
    QCOMPARE(profile.value(u"peerTimeout"_s), QJsonValue(30));
    QCOMPARE(profile.value(u"keepalive"_s), QJsonValue(5));
    QCOMPARE(profile.value(u"algorithms"_s), QJsonValue(QJsonArray {u"aes128"_s, u"aes256"_s, u"chacha20"_s}));
    QCOMPARE(profile.value(u"portForwarding"_s), QJsonValue(false));
    QCOMPARE(profile.value(u"autoClaim"_s), QJsonValue(true));
    QCOMPARE(profile.value(u"statsFile"_s), QJsonValue(u"./stats-a.txt"_s));
    QVERIFY(!profile.contains(u"hooks"_s));
    QVERIFY(!profile.contains(u"password"_s));

    QVERIFY(r.secret.has_value());
    QCOMPARE(r.secret->toJson(), (QJsonObject {{u"password"_s, u"mysecret"_s}}));

    QCOMPARE(r.warnings.size(), 2);
    QCOMPARE(r.warnings.at(0), u"hook/hooks: hook scripts are not supported in a profile and were dropped"_s);
    QCOMPARE(r.warnings.at(1), u"stats-file: only an admin can connect a profile with these settings"_s);

    // The profile and the secret give back the file's network (without what a profile cannot carry).
    Result<NetworkConfig> fromProfile = profileFromJson(profile);
    QVERIFY(fromProfile.ok());
    fromProfile->password = r.secret->value;
    NetworkConfig expected = parseYamlConfig(Test::readSharedFile(u"vectors/config/node-a.yaml"_s)).value();
    expected.name = u"node A"_s;
    expected.hooks.clear();
    QCOMPARE(fromProfile.value(), expected);
}

void tst_Profile::importNodeB()
{
    const Result<ImportResult> imported = importVpnCloudYaml(Test::readSharedFile(u"vectors/config/node-b.yaml"_s));
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    const ImportResult &r = imported.value();
    const QJsonObject profile = r.profile.toJson();
    QVERIFY(validateProfile(profile).isEmpty());
    QCOMPARE(profile.value(u"name"_s), QJsonValue(u"imported"_s));
    QCOMPARE(profile.value(u"ip"_s), QJsonValue(u"10.0.2.2"_s));
    QCOMPARE(profile.value(u"deviceName"_s), QJsonValue(u"vpnc9"_s));
    QCOMPARE(profile.value(u"publicKey"_s), QJsonValue(QString::fromLatin1(kNodeBPublic)));
    QCOMPARE(profile.value(u"portForwarding"_s), QJsonValue(false));
    QVERIFY(r.secret.has_value());
    QCOMPARE(r.secret->toJson(), (QJsonObject {{u"privateKey"_s, QString::fromLatin1(kNodeBPrivate)}}));
    QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u"; ")));
    QVERIFY(!QJsonDocument(profile).toJson().contains(kNodeBPrivate));
}

void tst_Profile::importWarnings()
{
    const QByteArray yaml = R"(crypto:
  password: pw
  private-key: CYquSgqqTJhP114fyJMiqzsFDKMzUcXSNNUcudUuRJ
  trusted-keys:
    - BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd
    - 4W3PL8r43XR72yvm31gpouDNqORtGhWZIVJurGguem
peer-timeout: 60
beacon:
  store: /tmp/beacons
statsd:
  server: localhost:8125
ifup: echo up
user: nobody
device:
  path: /dev/tun
)";
    const Result<ImportResult> imported = importVpnCloudYaml(yaml, u"w"_s);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    const ImportResult &r = imported.value();
    QCOMPARE(r.secret->toJson(), (QJsonObject {{u"privateKey"_s, u"CYquSgqqTJhP114fyJMiqzsFDKMzUcXSNNUcudUuRJ"_s}}));
    const QStringList expected {
        u"crypto: both password and private-key are set; the private key is used"_s,
        u"crypto.private-key starts with a zero byte: Nimbus accepts it, but VpnCloud cannot use such a key"_s,
        u"crypto.trusted-keys[1] starts with a zero byte: Nimbus accepts it, but VpnCloud cannot use such a key"_s,
        u"beacon: beacons are not supported in a profile; the beacon settings were dropped"_s,
        u"statsd: statsd is not supported in a profile; the statsd settings were dropped"_s,
        u"ifup, device.path, user: only an admin can connect a profile with these settings"_s,
        u"peer-timeout: below 120 s without keepalive, VpnCloud nodes stop sending peer lists and drop each other; "
        "set keepalive too"_s,
    };
    QCOMPARE(r.warnings, expected);
    QVERIFY(validateProfile(r.profile.toJson()).isEmpty());
    QCOMPARE(r.profile.toJson().value(u"devicePath"_s), QJsonValue(u"/dev/tun"_s));
    QCOMPARE(r.profile.toJson().value(u"ifup"_s), QJsonValue(u"echo up"_s));
    const Result<NetworkConfig> back = profileFromJson(r.profile.toJson());
    QVERIFY(back.ok());
    QVERIFY(profileNeedsAdmin(back.value()));
    QVERIFY(!back->statsdServer);
    QVERIFY(!back->beaconStore);

    // No secret in the file: none returned.
    const Result<ImportResult> noSecret = importVpnCloudYaml(QByteArray("ip: 10.0.0.1\n"));
    QVERIFY(noSecret.ok());
    QVERIFY(!noSecret->secret);
    QVERIFY(noSecret->warnings.isEmpty());
}

void tst_Profile::importErrors()
{
    const Result<ImportResult> unknown = importVpnCloudYaml(QByteArray("crypto:\n  pasword: x\n"));
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, u"bad-config"_s);
    QVERIFY(unknown.error().message.startsWith(u"unknown key \"crypto.pasword\""_s));
    const Result<ImportResult> syntax = importVpnCloudYaml(QByteArray("peers: [\n"));
    QVERIFY(!syntax.ok());
    QVERIFY(syntax.error().message.startsWith(u"YAML syntax error"_s));
}

void tst_Profile::needsAdmin_data()
{
    QTest::addColumn<NetworkConfig>("config");
    QTest::addColumn<bool>("admin");

    QTest::newRow("defaults") << NetworkConfig {} << false;
    NetworkConfig plain = profileConfig();
    plain.devicePath = NetworkConfig {}.devicePath;
    plain.ifup.reset();
    plain.ifdown.reset();
    plain.statsFile.reset();
    plain.pidFile.reset();
    plain.user.reset();
    plain.group.reset();
    QTest::newRow("ordinary settings") << plain << false;
    auto with = [](auto setter) {
        NetworkConfig c;
        setter(c);
        return c;
    };
    QTest::newRow("hook") << with([](NetworkConfig &c) { c.hook = u"x"_s; }) << true;
    QTest::newRow("hooks") << with([](NetworkConfig &c) { c.hooks.insert(u"vpn_started"_s, u"x"_s); }) << true;
    QTest::newRow("ifup") << with([](NetworkConfig &c) { c.ifup = u"x"_s; }) << true;
    QTest::newRow("ifdown") << with([](NetworkConfig &c) { c.ifdown = u"x"_s; }) << true;
    QTest::newRow("stats file") << with([](NetworkConfig &c) { c.statsFile = u"x"_s; }) << true;
    QTest::newRow("pid file") << with([](NetworkConfig &c) { c.pidFile = u"x"_s; }) << true;
    QTest::newRow("beacon store") << with([](NetworkConfig &c) { c.beaconStore = u"x"_s; }) << true;
    QTest::newRow("beacon load") << with([](NetworkConfig &c) { c.beaconLoad = u"x"_s; }) << true;
    QTest::newRow("device path") << with([](NetworkConfig &c) { c.devicePath = u"/dev/x"_s; }) << true;
    QTest::newRow("user") << with([](NetworkConfig &c) { c.user = u"x"_s; }) << true;
    QTest::newRow("group") << with([](NetworkConfig &c) { c.group = u"x"_s; }) << true;
    QTest::newRow("statsd") << with([](NetworkConfig &c) { c.statsdServer = u"h:1"_s; }) << true;
}

void tst_Profile::needsAdmin()
{
    QFETCH(NetworkConfig, config);
    QFETCH(bool, admin);
    QCOMPARE(profileNeedsAdmin(config), admin);
}

// profiles.export: the file of a profile, by the same code that reads profiles.import.

void tst_Profile::exportImportRoundTrip_data()
{
    QTest::addColumn<QJsonObject>("profile");
    QTest::newRow("doc example") << docExample();
    QTest::newRow("minimal") << QJsonObject {{u"name"_s, u"x"_s}};
    QJsonObject everything = profileToJson(profileConfig());
    // Not keys of a VpnCloud file (exportWritesOnlyVpnCloudKeys).
    everything.insert(u"balance"_s, false);
    everything.insert(u"fastFailover"_s, true);
    QTest::newRow("every setting") << everything;
    QTest::newRow("derived keepalive") << withField(everything, u"keepalive"_s, QJsonValue::Null);
    QTest::newRow("aes128 kept") << withField(docExample(), u"algorithms"_s, QJsonArray {u"aes128"_s, u"chacha20"_s});
}

void tst_Profile::exportImportRoundTrip()
{
    QFETCH(QJsonObject, profile);
    const Result<QByteArray> yaml = exportVpnCloudYaml(profile);
    QVERIFY2(yaml.ok(), qPrintable(yaml.ok() ? QString() : yaml.error().message));
    const QString name = profile.value(u"name"_s).toString();
    const Result<ImportResult> imported = importVpnCloudYaml(yaml.value(), name);
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported->profile.toJson(), profileToJson(profileFromJson(profile).value()));
    QVERIFY(!imported->secret);
}

void tst_Profile::exportHasNoSecretByDefault()
{
    NetworkConfig config = profileConfig();
    const Result<QByteArray> yaml = exportVpnCloudYaml(profileToJson(config));
    QVERIFY(yaml.ok());
    QVERIFY(yaml->contains("\n# secrets are not included"));
    QVERIFY(!yaml->contains("password:"));
    QVERIFY(!yaml->contains("private-key:"));
    const Result<NetworkConfig> parsed = parseYamlConfig(yaml.value());
    QVERIFY(parsed.ok());
    QVERIFY(!parsed->password);
    QVERIFY(!parsed->privateKey);
    // A profile that carries a secret anyway is invalid, so it never reaches the file.
    const Result<QByteArray> leaked = exportVpnCloudYaml(withField(docExample(), u"password"_s, u"hunter2"_s));
    QVERIFY(!leaked.ok());
    QVERIFY(!leaked.error().message.contains(u"hunter2"_s));
}

void tst_Profile::exportWritesTheGivenSecret()
{
    const Result<QByteArray> password
        = exportVpnCloudYaml(docExample(), Protocol::Secret {Protocol::Secret::Kind::Password, u"s3cret"_s});
    QVERIFY(password.ok());
    QVERIFY(!password->contains("secrets are not included"));
    const Result<ImportResult> withPassword = importVpnCloudYaml(password.value(), u"office"_s);
    QVERIFY(withPassword.ok());
    QCOMPARE(withPassword->secret->toJson(), (QJsonObject {{u"password"_s, u"s3cret"_s}}));
    QCOMPARE(withPassword->profile.toJson(), profileToJson(profileFromJson(docExample()).value()));

    const Result<QByteArray> key = exportVpnCloudYaml(
        docExample(), Protocol::Secret {Protocol::Secret::Kind::PrivateKey, QString::fromLatin1(kNodeBPrivate)});
    QVERIFY(key.ok());
    const Result<NetworkConfig> parsed = parseYamlConfig(key.value());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->privateKey, std::optional<QString>(QString::fromLatin1(kNodeBPrivate)));
    QVERIFY(!parsed->password);
}

void tst_Profile::exportWritesOnlyVpnCloudKeys()
{
    // Moved from the GUI's own writer (tst_ClientProfile::yamlExport), which this one replaces.
    QJsonObject profile {{u"name"_s, u"office"_s},
        {u"ip"_s, u"10.0.1.1/16"_s},
        {u"peers"_s, QJsonArray {u"node2.example.com:3210"_s}},
        {u"claims"_s, QJsonArray {u"10.0.1.0/24"_s}},
        {u"keepalive"_s, 30},
        {u"trustedKeys"_s, QJsonArray {QString::fromLatin1(kNodeBPublic)}},
        {u"balance"_s, true},
        {u"fastFailover"_s, false}};
    const Result<QByteArray> exported = exportVpnCloudYaml(profile);
    QVERIFY(exported.ok());
    const QString yaml = QString::fromUtf8(exported.value());
    QVERIFY(yaml.startsWith(u"# VpnCloud 2.x configuration written by Nimbus (network \"office\")\n"_s));
    QVERIFY(
        yaml.contains(u"\n# Nimbus-only settings (not understood by VpnCloud): balance=true, fast-failover=false\n"_s));
    QVERIFY(yaml.contains(u"ip: \"10.0.1.1/16\"\n"_s));
    QVERIFY(yaml.contains(u"peers:\n  - \"node2.example.com:3210\"\n"_s));
    QVERIFY(yaml.contains(u"claims:\n  - \"10.0.1.0/24\"\n"_s));
    QVERIFY(yaml.contains(u"crypto:\n"_s));
    QVERIFY2(yaml.contains(u"  trusted-keys:\n    - \""_s + QString::fromLatin1(kNodeBPublic) + u"\"\n"_s),
        qPrintable(yaml));
    QVERIFY(yaml.contains(u"keepalive: 30\n"_s));
    // VpnCloud rejects unknown keys: no camelCase, no Nimbus-only keys outside comments.
    for (const QString &line : yaml.split(u'\n')) {
        if (line.startsWith(u'#') || line.trimmed().startsWith(u'-') || line.isEmpty())
            continue;
        const QString key = line.trimmed().section(u':', 0, 0);
        QVERIFY2(key == key.toLower(), qPrintable(line));
        QVERIFY2(key != u"balance" && key != u"fast-failover", qPrintable(line));
    }
    QVERIFY(!yaml.contains(u"password:"_s));
    QVERIFY(!yaml.contains(u"private-key:"_s));
    // Defaults are VpnCloud's, so they need no key: the file reads back with them.
    const Result<NetworkConfig> parsed = parseYamlConfig(exported.value());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->peerTimeout, 300u);
    QCOMPARE(parsed->switchTimeout, 300u);
    QVERIFY(parsed->autoClaim);
    QCOMPARE(parsed->listen, u"3210"_s);
    QCOMPARE(parsed->mode, NodeMode::Normal);
    QCOMPARE(parsed->deviceType, DeviceType::Tun);
    QCOMPARE(parsed->keepalive, std::optional<quint32>(30));
    // A derived keepalive is no key at all, and reads back as derived.
    profile.insert(u"keepalive"_s, QJsonValue::Null);
    const Result<QByteArray> derived = exportVpnCloudYaml(profile);
    QVERIFY(derived.ok());
    QVERIFY(!derived->contains("keepalive"));
    QVERIFY(!parseYamlConfig(derived.value())->keepalive);
    // Without Nimbus-only settings away from their defaults there is no note.
    QVERIFY(!exportVpnCloudYaml(docExample())->contains("Nimbus-only"));
}

void tst_Profile::exportCannotBeInjected()
{
    // Moved from tst_ClientProfile::yamlQuotesEverything: what a user typed never becomes a key of its own.
    const Result<QByteArray> quotes = exportVpnCloudYaml(
        QJsonObject {{u"name"_s, u"evil\" \\ name: x"_s}, {u"deviceName"_s, u"a\"b"_s}, {u"ip"_s, u"10.0.0.1/24"_s}});
    QVERIFY2(quotes.ok(), qPrintable(quotes.ok() ? QString() : quotes.error().message));
    QVERIFY(quotes->startsWith("# VpnCloud 2.x configuration written by Nimbus (network \"evil\" \\ name: x\")\n"));
    const Result<NetworkConfig> parsed = parseYamlConfig(quotes.value());
    QVERIFY2(parsed.ok(), quotes->constData());
    QCOMPARE(parsed->deviceName, u"a\"b"_s);
    QCOMPARE(parsed->ip, std::optional<QString>(u"10.0.0.1/24"_s));
    // A line break in a value is refused before anything is written.
    const Result<QByteArray> newline
        = exportVpnCloudYaml(QJsonObject {{u"name"_s, u"x"_s}, {u"peers"_s, QJsonArray {u"x\ny: 1"_s}}});
    QVERIFY(!newline.ok());
    QCOMPARE(newline.error().code, u"invalid-profile"_s);
    const Result<QByteArray> newlineName = exportVpnCloudYaml(QJsonObject {{u"name"_s, u"evil\nname"_s}});
    QVERIFY(!newlineName.ok());
}

void tst_Profile::exportRefusesInvalidProfiles()
{
    const Result<QByteArray> bad = exportVpnCloudYaml(withField(docExample(), u"ip"_s, u"10.0.0.300/24"_s));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, u"invalid-profile"_s);
    QVERIFY(bad.error().message.startsWith(u"ip: "_s));
    QVERIFY(!exportVpnCloudYaml(QJsonObject {}).ok());
}

void tst_Profile::typedProfileRoundTrip()
{
    // One profile type: core/config converts the protocol's Profile, and its field errors are the protocol's.
    static_assert(std::is_same_v<FieldError, Protocol::FieldError>);
    const NetworkConfig config = profileConfig();
    const Protocol::Profile profile = profileFromConfig(config);
    QCOMPARE(profile.toJson(), profileToJson(config));
    QCOMPARE(Protocol::Profile::fromJson(profileToJson(config)).value(), profile);
    const Result<NetworkConfig> back = configFromProfile(profile);
    QVERIFY(back.ok());
    QCOMPARE(back.value(), config);
    Protocol::Profile bad = profile;
    bad.ip = u"10.0.0.300/24"_s;
    QCOMPARE(configFromProfile(bad).error().code, u"invalid-profile"_s);
}

QTEST_APPLESS_MAIN(tst_Profile)
#include "tst_profile.moc"
