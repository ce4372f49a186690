#include <QRandomGenerator>
#include <QTest>

#include "core/config/yamlconfig.h"
#include "core/crypto/identity.h"
#include "tests/support/configprinting.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

namespace
{

// The example of spec §9.2, verbatim.
constexpr char kSpecExample[] = R"(device:
  type: tun
  name: "vpncloud%d"
ip: 10.0.1.1/16
crypto:
  password: "change me"
listen: 3210
peers:
  - node2.example.com:3210
claims:
  - 10.0.1.0/24
peer-timeout: 300
mode: normal
hooks:
  peer_connected: 'logger "vpn peer $PEER up"'
)";

constexpr char kNodeBPrivate[] = "gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg";
constexpr char kNodeBPublic[] = "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd";

NetworkConfig parseOrFail(const QByteArray &yaml)
{
    const Result<NetworkConfig> result = parseYamlConfig(yaml);
    if (!result.ok()) {
        qWarning("unexpected error: %s", qPrintable(result.error().message));
        NetworkConfig failed;
        failed.name = u"<parse failed>"_s;
        return failed;
    }
    return result.value();
}

/// A config with every setting away from its default.
NetworkConfig everythingSet()
{
    NetworkConfig c;
    c.deviceType = DeviceType::Tap;
    c.deviceName = u"vpn%d"_s;
    c.devicePath = u"/dev/tun0"_s;
    c.fixRpFilter = true;
    c.ip = u"10.0.0.1/16"_s;
    c.advertiseAddresses = {u"192.0.2.1"_s, u"[2001:db8::1]:4000"_s};
    c.ifup = u"ip link set $IFNAME mtu 1400 # \"quoted\" : colon"_s;
    c.ifdown = u"true"_s;
    c.password = u"pa:ss #word"_s;
    c.privateKey = QString::fromLatin1(kNodeBPrivate);
    c.publicKey = QString::fromLatin1(kNodeBPublic);
    c.trustedKeys = {QString::fromLatin1(kNodeBPublic)};
    c.algorithms = {Algorithm::Chacha20Poly1305, Algorithm::Plain};
    c.listen = u"[::1]:3300"_s;
    c.peers = {u"node.example.com"_s, u"192.0.2.7:3210"_s, u"[2001:db8::7]:3210"_s};
    c.peerTimeout = 600;
    c.keepalive = 0;
    c.beaconStore = u"|cat > /tmp/beacon"_s;
    c.beaconLoad = u"/var/lib/beacon.txt"_s;
    c.beaconInterval = 60;
    c.beaconPassword = u"beacon secret"_s;
    c.mode = NodeMode::Switch;
    c.switchTimeout = 30;
    c.claims = {u"10.1.0.0/16"_s, u"fd00::/64"_s, u"aa:bb:cc:dd:ee:ff/48"_s};
    c.autoClaim = false;
    c.portForwarding = false;
    c.pidFile = u"/run/x.pid"_s;
    c.statsFile = u"/var/log/x.stats"_s;
    c.statsdServer = u"localhost:8125"_s;
    c.statsdPrefix = u"office"_s;
    c.user = u"nobody"_s;
    c.group = u"nogroup"_s;
    c.hook = u"echo $EVENT"_s;
    c.hooks = {{u"peer_connected"_s, u"echo up"_s}, {u"vpn_shutdown"_s, u"echo 'bye'"_s}};
    return c;
}

NetworkConfig withoutSecrets(NetworkConfig c)
{
    c.password.reset();
    c.privateKey.reset();
    c.beaconPassword.reset();
    return c;
}

} // namespace

class tst_YamlConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaults();
    void specExample();
    void nodeA();
    void nodeB();
    void acceptedForms_data();
    void acceptedForms();
    void errors_data();
    void errors();
    void oversizedInput();
    void garbageNeverCrashes();
    void exportRoundTrip_data();
    void exportRoundTrip();
    void exportWithoutSecrets();
    void exportIsKebabCase();
    void describeHidesSecrets();
    void validateForRun_data();
    void validateForRun();
};

void tst_YamlConfig::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_YamlConfig::defaults()
{
    const NetworkConfig c;
    QCOMPARE(c.deviceType, DeviceType::Tun);
    QCOMPARE(c.deviceName, u"vpncloud%d"_s);
    QCOMPARE(c.devicePath, u"/dev/net/tun"_s);
    QCOMPARE(c.fixRpFilter, false);
    QCOMPARE(c.listen, u"3210"_s);
    QCOMPARE(c.peerTimeout, 300u);
    QVERIFY(!c.keepalive);
    QCOMPARE(c.beaconInterval, 3600u);
    QCOMPARE(c.mode, NodeMode::Normal);
    QCOMPARE(c.switchTimeout, 300u);
    QCOMPARE(c.autoClaim, true);
    QCOMPARE(c.portForwarding, true);
    QCOMPARE(c.balance, false);
    QCOMPARE(c.fastFailover, true);
    QVERIFY(c.algorithms.isEmpty());

    // An empty document, a comment-only document and an explicit null give the defaults.
    for (const QByteArray &yaml : {QByteArray(), QByteArray("# nothing\n"), QByteArray("~\n")}) {
        const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
        QVERIFY2(parsed.ok(), yaml.constData());
        QCOMPARE(parsed.value(), NetworkConfig {});
    }
}

void tst_YamlConfig::specExample()
{
    const Result<NetworkConfig> parsed = parseYamlConfig(QByteArray(kSpecExample));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    NetworkConfig expected;
    expected.ip = u"10.0.1.1/16"_s;
    expected.password = u"change me"_s;
    expected.peers = {u"node2.example.com:3210"_s};
    expected.claims = {u"10.0.1.0/24"_s};
    expected.hooks = {{u"peer_connected"_s, u"logger \"vpn peer $PEER up\""_s}};
    QCOMPARE(parsed.value(), expected);
}

void tst_YamlConfig::nodeA()
{
    const QByteArray yaml = Test::readSharedFile(u"vectors/config/node-a.yaml"_s);
    QVERIFY(!yaml.isEmpty());
    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const NetworkConfig &c = parsed.value();
    QCOMPARE(c.deviceType, DeviceType::Tun);
    QCOMPARE(c.deviceName, u"vpnc%d"_s);
    QCOMPARE(c.devicePath, u"/dev/net/tun"_s);
    QCOMPARE(c.fixRpFilter, false);
    QCOMPARE(c.ip, std::optional(u"10.0.2.1/24"_s));
    QCOMPARE(c.listen, u"3210"_s);
    QCOMPARE(c.peers, QStringList {u"192.0.2.12:3210"_s});
    QCOMPARE(c.peerTimeout, 30u);
    QCOMPARE(c.keepalive, std::optional<quint32>(5));
    QCOMPARE(c.password, std::optional(u"mysecret"_s));
    QVERIFY(!c.privateKey);
    QVERIFY(!c.publicKey);
    QVERIFY(c.trustedKeys.isEmpty());
    const QList<Algorithm> algorithms {Algorithm::Aes128Gcm, Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305};
    QCOMPARE(c.algorithms, algorithms);
    QCOMPARE(c.autoClaim, true);
    QVERIFY(c.claims.isEmpty());
    QCOMPARE(c.mode, NodeMode::Normal);
    QCOMPARE(c.switchTimeout, 300u);
    QCOMPARE(c.portForwarding, false);
    QVERIFY(c.advertiseAddresses.isEmpty());
    QCOMPARE(c.statsFile, std::optional(u"./stats-a.txt"_s));
    QVERIFY(!c.hook);
    QCOMPARE(c.hooks.size(), 2);
    QCOMPARE(c.hooks.value(u"peer_connected"_s), u"echo \"connected $PEER $NODE_ID $CLAIMS\" >> ./hook-a.txt"_s);
    QCOMPARE(c.hooks.value(u"peer_disconnected"_s), u"echo \"disconnected $PEER $NODE_ID\" >> ./hook-a.txt"_s);
    QVERIFY(!c.beaconStore);
    QVERIFY(!c.beaconLoad);
    QCOMPARE(c.beaconInterval, 3600u);
    QVERIFY(!c.beaconPassword);
    QVERIFY(!c.statsdServer);
    QVERIFY(!c.statsdPrefix);
    QVERIFY(!c.pidFile);
    QVERIFY(!c.user);
    QVERIFY(!c.group);
    QVERIFY(!c.ifup);
    QVERIFY(!c.ifdown);
    QVERIFY(Nimbus::validateForRun(c).ok());
}

void tst_YamlConfig::nodeB()
{
    const QByteArray yaml = Test::readSharedFile(u"vectors/config/node-b.yaml"_s);
    QVERIFY(!yaml.isEmpty());
    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    NetworkConfig expected;
    expected.ip = u"10.0.2.2"_s;
    expected.privateKey = QString::fromLatin1(kNodeBPrivate);
    expected.publicKey = QString::fromLatin1(kNodeBPublic);
    expected.deviceName = u"vpnc9"_s;
    expected.portForwarding = false;
    QCOMPARE(parsed.value(), expected);
    // The key pair comes from `vpncloud genkey --password mysecret`: the public key matches.
    const Result<Ok> run = Nimbus::validateForRun(parsed.value());
    QVERIFY2(run.ok(), qPrintable(run.ok() ? QString() : run.error().message));
}

void tst_YamlConfig::acceptedForms_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");

    QTest::newRow("listen bare integer") << QByteArray("listen: 3300") << u"listen"_s << u"3300"_s;
    QTest::newRow("listen quoted") << QByteArray("listen: \"3300\"") << u"listen"_s << u"3300"_s;
    QTest::newRow("listen star") << QByteArray("listen: \"*:3300\"") << u"listen"_s << u"*:3300"_s;
    QTest::newRow("listen ip:port") << QByteArray("listen: 192.0.2.1:3300") << u"listen"_s << u"192.0.2.1:3300"_s;
    QTest::newRow("listen ipv6") << QByteArray("listen: \"[::1]:3300\"") << u"listen"_s << u"[::1]:3300"_s;
    QTest::newRow("listen ip only") << QByteArray("listen: 192.0.2.1") << u"listen"_s << u"192.0.2.1"_s;
    QTest::newRow("listen websocket") << QByteArray("listen: ws://proxy.example.com:3210") << u"listen"_s
                                      << u"ws://proxy.example.com:3210"_s;
    QTest::newRow("listen null keeps default") << QByteArray("listen: ~") << u"listen"_s << u"3210"_s;
    QTest::newRow("keepalive null") << QByteArray("keepalive: ~") << u"keepalive"_s << u"derived"_s;
    QTest::newRow("keepalive zero") << QByteArray("keepalive: 0") << u"keepalive"_s << u"0"_s;
    QTest::newRow("peer-timeout max u32")
        << QByteArray("peer-timeout: 4294967295") << u"peer-timeout"_s << u"4294967295"_s;
    QTest::newRow("algorithm aliases") << QByteArray("crypto:\n  algorithms: [PLAIN, aes_256_gcm, Chacha20_Poly1305]")
                                       << u"algorithms"_s << u"plain,aes256,chacha20"_s;
    QTest::newRow("algorithm more aliases")
        << QByteArray("crypto:\n  algorithms: [none, unencrypted, AES128_GCM, aes_128, aes_256, chacha]")
        << u"algorithms"_s << u"plain,aes128,aes256,chacha20"_s;
    QTest::newRow("algorithms null") << QByteArray("crypto:\n  algorithms: ~") << u"algorithms"_s << u""_s;
    QTest::newRow("device null section") << QByteArray("device: ~\n") << u"device.name"_s << u"vpncloud%d"_s;
    QTest::newRow("device type tap") << QByteArray("device:\n  type: tap") << u"device.type"_s << u"tap"_s;
    QTest::newRow("mode hub") << QByteArray("mode: hub") << u"mode"_s << u"hub"_s;
    QTest::newRow("bool True") << QByteArray("auto-claim: False") << u"auto-claim"_s << u"false"_s;
    // Integers as VpnCloud's YAML reader (serde_yaml 0.8) reads them: an optional '+', hex, octal and binary.
    QTest::newRow("u32 plus sign") << QByteArray("peer-timeout: +30") << u"peer-timeout"_s << u"30"_s;
    QTest::newRow("u32 hex") << QByteArray("peer-timeout: 0x1e") << u"peer-timeout"_s << u"30"_s;
    QTest::newRow("u32 hex upper digits") << QByteArray("peer-timeout: +0x1E") << u"peer-timeout"_s << u"30"_s;
    QTest::newRow("u32 octal") << QByteArray("peer-timeout: 0o36") << u"peer-timeout"_s << u"30"_s;
    QTest::newRow("u32 binary") << QByteArray("peer-timeout: 0b11110") << u"peer-timeout"_s << u"30"_s;
    QTest::newRow("u32 zero") << QByteArray("keepalive: 0") << u"keepalive"_s << u"0"_s;
    QTest::newRow("u32 hex max") << QByteArray("peer-timeout: 0xffffffff") << u"peer-timeout"_s << u"4294967295"_s;
    QTest::newRow("claims ipv6 and mac") << QByteArray("claims: [fd00::/64, 'aa:bb:cc:dd:ee:ff/48', 10.0.0.0/8]")
                                         << u"claims"_s << u"fd00::/64,aa:bb:cc:dd:ee:ff/48,10.0.0.0/8"_s;
    QTest::newRow("trusted keys") << QByteArray(
        "crypto:\n  trusted-keys: [BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd]")
                                  << u"trusted-keys"_s << u"BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd"_s;
    QTest::newRow("leading zero key accepted")
        << QByteArray("crypto:\n  private-key: CYquSgqqTJhP114fyJMiqzsFDKMzUcXSNNUcudUuRJ") << u"private-key"_s
        << u"CYquSgqqTJhP114fyJMiqzsFDKMzUcXSNNUcudUuRJ"_s;
    QTest::newRow("peers host names and ports")
        << QByteArray("peers: [a.example.com, 'b:4000', '[2001:db8::1]:3210', 192.0.2.1]") << u"peers"_s
        << u"a.example.com,b:4000,[2001:db8::1]:3210,192.0.2.1"_s;
    QTest::newRow("advertise addresses") << QByteArray("advertise-addresses: [192.0.2.1, '192.0.2.2:4000', '::1']")
                                         << u"advertise-addresses"_s << u"192.0.2.1,192.0.2.2:4000,::1"_s;
    QTest::newRow("ip without prefix") << QByteArray("ip: 10.0.2.2") << u"ip"_s << u"10.0.2.2"_s;
    QTest::newRow("ip null") << QByteArray("ip: ~") << u"ip"_s << u"(unset)"_s;
    QTest::newRow("hook and hooks") << QByteArray("hook: echo all\nhooks:\n  vpn_started: echo start") << u"hooks"_s
                                    << u"echo all|vpn_started=echo start"_s;
    QTest::newRow("anchor and alias") << QByteArray("hook: &s echo\nhooks:\n  vpn_started: *s\n") << u"hooks"_s
                                      << u"echo|vpn_started=echo"_s;
}

void tst_YamlConfig::acceptedForms()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, what);
    QFETCH(QString, expected);

    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const NetworkConfig &c = parsed.value();
    QString actual;
    if (what == u"listen") {
        actual = c.listen;
    } else if (what == u"keepalive") {
        actual = c.keepalive ? QString::number(*c.keepalive) : u"derived"_s;
    } else if (what == u"peer-timeout") {
        actual = QString::number(c.peerTimeout);
    } else if (what == u"algorithms") {
        QStringList names;
        for (Algorithm a : c.algorithms)
            names.append(algorithmConfigName(a));
        actual = names.join(u',');
    } else if (what == u"device.name") {
        actual = c.deviceName;
    } else if (what == u"device.type") {
        actual = deviceTypeName(c.deviceType);
    } else if (what == u"mode") {
        actual = nodeModeName(c.mode);
    } else if (what == u"auto-claim") {
        actual = c.autoClaim ? u"true"_s : u"false"_s;
    } else if (what == u"claims") {
        actual = c.claims.join(u',');
    } else if (what == u"trusted-keys") {
        actual = c.trustedKeys.join(u',');
    } else if (what == u"private-key") {
        actual = c.privateKey.value_or(QString());
    } else if (what == u"peers") {
        actual = c.peers.join(u',');
    } else if (what == u"advertise-addresses") {
        actual = c.advertiseAddresses.join(u',');
    } else if (what == u"ip") {
        actual = c.ip.value_or(u"(unset)"_s);
    } else if (what == u"hooks") {
        actual = c.hook.value_or(QString()) + u'|' + u"vpn_started="_s + c.hooks.value(u"vpn_started"_s);
    }
    QCOMPARE(actual, expected);
}

void tst_YamlConfig::errors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("message");

    // Unknown keys, with the full path and a hint.
    QTest::newRow("unknown top-level key") << QByteArray("ip: 10.0.0.1\nfoo: bar") << u"unknown key \"foo\""_s;
    QTest::newRow("unknown nested key") << QByteArray("crypto:\n  pasword: x")
                                        << u"unknown key \"crypto.pasword\" (did you mean \"crypto.password\"?)"_s;
    QTest::newRow("underscore key") << QByteArray("peer_timeout: 300")
                                    << u"unknown key \"peer_timeout\" (keys are kebab-case: did you mean "
                                       "\"peer-timeout\"?)"_s;
    QTest::newRow("underscore nested key")
        << QByteArray("device:\n  fix_rp_filter: true")
        << u"unknown key \"device.fix_rp_filter\" (keys are kebab-case: did you mean \"device.fix-rp-filter\"?)"_s;
    QTest::newRow("unknown key in beacon")
        << QByteArray("beacon:\n  intervall: 5") << u"unknown key \"beacon.intervall\""_s;
    QTest::newRow("unknown key in statsd") << QByteArray("statsd:\n  host: x") << u"unknown key \"statsd.host\""_s;
    QTest::newRow("nested key at top level")
        << QByteArray("password: x") << u"unknown key \"password\" (did you mean \"crypto.password\"?)"_s;
    QTest::newRow("1.x key") << QByteArray("shared_key: x") << u"unknown key \"shared_key\""_s;
    QTest::newRow("duplicate key") << QByteArray("ip: 10.0.0.1\nip: 10.0.0.2") << u"duplicate key \"ip\""_s;

    // Types.
    QTest::newRow("bad u32") << QByteArray("peer-timeout: abc")
                             << u"peer-timeout: expected an unsigned integer of seconds, got \"abc\""_s;
    QTest::newRow("negative u32") << QByteArray("switch-timeout: -5")
                                  << u"switch-timeout: expected an unsigned integer of seconds, got \"-5\""_s;
    QTest::newRow("u32 overflow") << QByteArray("keepalive: 4294967296")
                                  << u"keepalive: expected an unsigned integer of seconds, got \"4294967296\""_s;
    QTest::newRow("u32 float") << QByteArray("beacon:\n  interval: 1.5")
                               << u"beacon.interval: expected an unsigned integer of seconds, got \"1.5\""_s;
    QTest::newRow("u32 list") << QByteArray("peer-timeout: [1]")
                              << u"peer-timeout: expected an unsigned integer of seconds, got a list"_s;
    QTest::newRow("bool yes") << QByteArray("auto-claim: yes") << u"auto-claim: expected true or false, got \"yes\""_s;
    // A quoted scalar is a string for VpnCloud (serde_yaml 0.8), never a number or a bool; "030" is a string too.
    QTest::newRow("u32 quoted") << QByteArray("peer-timeout: \"30\"")
                                << u"peer-timeout: expected an unsigned integer of seconds, got \"30\" (a quoted "
                                   "value is a string: write it without quotes)"_s;
    QTest::newRow("u32 single-quoted") << QByteArray("switch-timeout: '30'")
                                       << u"switch-timeout: expected an unsigned integer of seconds, got \"30\" (a "
                                          "quoted value is a string"_s;
    QTest::newRow("u32 block scalar") << QByteArray("keepalive: |\n  30\n")
                                      << u"keepalive: expected an unsigned integer of seconds"_s;
    QTest::newRow("u32 leading zero") << QByteArray("peer-timeout: 030")
                                      << u"peer-timeout: expected an unsigned integer of seconds, got \"030\" (with a "
                                         "leading zero it is a string, not a number)"_s;
    QTest::newRow("u32 plus leading zero")
        << QByteArray("peer-timeout: +030") << u"peer-timeout: expected an unsigned integer of seconds"_s;
    QTest::newRow("u32 empty hex") << QByteArray("peer-timeout: 0x")
                                   << u"peer-timeout: expected an unsigned integer of seconds, got \"0x\""_s;
    QTest::newRow("u32 bad octal digit") << QByteArray("peer-timeout: 0o38")
                                         << u"peer-timeout: expected an unsigned integer of seconds"_s;
    QTest::newRow("u32 hex overflow") << QByteArray("peer-timeout: 0x100000000")
                                      << u"peer-timeout: expected an unsigned integer of seconds"_s;
    QTest::newRow("u32 upper hex prefix")
        << QByteArray("peer-timeout: 0X1e") << u"peer-timeout: expected an unsigned integer of seconds"_s;
    QTest::newRow("bool quoted") << QByteArray("auto-claim: \"false\"")
                                 << u"auto-claim: expected true or false, got \"false\" (a quoted value is a string: "
                                    "write it without quotes)"_s;
    QTest::newRow("bool quoted nested") << QByteArray("device:\n  fix-rp-filter: 'true'")
                                        << u"device.fix-rp-filter: expected true or false, got \"true\" (a quoted"_s;
    QTest::newRow("bool nested") << QByteArray("device:\n  fix-rp-filter: 1")
                                 << u"device.fix-rp-filter: expected true or false, got \"1\""_s;
    QTest::newRow("string got mapping") << QByteArray("ip: {a: b}") << u"ip: expected a string, got a mapping"_s;
    QTest::newRow("list got string") << QByteArray("peers: 192.0.2.1:3210")
                                     << u"peers: expected a list of strings, got \"192.0.2.1:3210\""_s;
    QTest::newRow("list item mapping") << QByteArray("claims:\n  - {a: b}")
                                       << u"claims[0]: expected a string, got a mapping"_s;
    QTest::newRow("section got scalar") << QByteArray("device: tun")
                                        << u"device: expected a mapping of settings, got \"tun\""_s;
    QTest::newRow("top level list") << QByteArray("- a\n- b")
                                    << u"the configuration must be a mapping of settings, got a list"_s;
    QTest::newRow("top level scalar") << QByteArray("hello")
                                      << u"the configuration must be a mapping of settings, got \"hello\""_s;
    QTest::newRow("hooks got list") << QByteArray("hooks: [a]")
                                    << u"hooks: expected a mapping of event names to scripts, got a list"_s;

    // Values.
    QTest::newRow("bad algorithm") << QByteArray("crypto:\n  algorithms: [aes128, aes512]")
                                   << u"crypto.algorithms[1]: unknown algorithm \"aes512\""_s;
    QTest::newRow("bad claim no prefix") << QByteArray("claims: [10.0.0.0/8, 10.1.0.0]")
                                         << u"claims[1]: expected ADDRESS/PREFIX"_s;
    QTest::newRow("bad claim prefix too long")
        << QByteArray("claims: [10.0.0.0/33]") << u"claims[0]: expected ADDRESS/PREFIX"_s;
    QTest::newRow("bad private key char")
        << QByteArray("crypto:\n  private-key: abc!def") << u"crypto.private-key: not a valid key"_s;
    QTest::newRow("bad private key too long")
        << QByteArray("crypto:\n  private-key: zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        << u"crypto.private-key: not a valid key"_s;
    QTest::newRow("bad public key") << QByteArray("crypto:\n  public-key: \"\"") << u"crypto.public-key: empty key"_s;
    QTest::newRow("bad trusted key") << QByteArray(
        "crypto:\n  trusted-keys: [BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd, x-y]")
                                     << u"crypto.trusted-keys[1]: not a valid key"_s;
    QTest::newRow("bad listen port") << QByteArray("listen: 70000") << u"listen: port \"70000\" is out of range"_s;
    QTest::newRow("bad listen text") << QByteArray("listen: everywhere")
                                     << u"listen: expected PORT, *:PORT, IP, IP:PORT or [IPv6]:PORT"_s;
    QTest::newRow("bad listen ip port") << QByteArray("listen: 192.0.2.1:99999")
                                        << u"listen: expected PORT, *:PORT, IP, IP:PORT or [IPv6]:PORT: \"99999\" is "
                                           "not a valid port"_s;
    QTest::newRow("bad listen star") << QByteArray("listen: \"*:x\"") << u"listen: \"x\" is not a valid port"_s;
    QTest::newRow("bad listen list") << QByteArray("listen: [3210]") << u"listen: expected a string, got a list"_s;
    QTest::newRow("bad ip") << QByteArray("ip: 10.0.300.1")
                            << u"ip: expected an IPv4 address A.B.C.D with an optional /prefix (0-32), got "
                               "\"10.0.300.1\""_s;
    QTest::newRow("bad ip prefix") << QByteArray("ip: 10.0.0.1/40") << u"ip: expected an IPv4 address"_s;
    QTest::newRow("bad mode") << QByteArray("mode: bridge")
                              << u"mode: expected normal, router, switch or hub, got \"bridge\""_s;
    QTest::newRow("bad device type") << QByteArray("device:\n  type: tup")
                                     << u"device.type: expected tun or tap, got \"tup\""_s;
    QTest::newRow("bad device name") << QByteArray("device:\n  name: averyveryverylongname%d")
                                     << u"device.name: expected an interface name"_s;
    QTest::newRow("bad peer ipv6") << QByteArray("peers: ['fd00::1']")
                                   << u"peers[0]: an IPv6 address needs brackets and a port"_s;
    QTest::newRow("bad peer port") << QByteArray("peers: ['host:0']") << u"peers[0]: \"0\" is not a valid port"_s;
    QTest::newRow("bad peer space") << QByteArray("peers: ['a b:1']")
                                    << u"peers[0]: expected HOST:PORT without spaces"_s;
    QTest::newRow("bad advertise") << QByteArray("advertise-addresses: [host.example.com]")
                                   << u"advertise-addresses[0]: \"host.example.com\" is not an IP address"_s;
    QTest::newRow("bad statsd server") << QByteArray("statsd:\n  server: localhost")
                                       << u"statsd.server: missing port"_s;
    QTest::newRow("bad hook event") << QByteArray("hooks:\n  peer_conected: x")
                                    << u"hooks: unknown hook event \"peer_conected\""_s;

    // Syntax.
    QTest::newRow("syntax error") << QByteArray("peers: [a, b\nip: x") << u"YAML syntax error at line"_s;
    QTest::newRow("bad indentation") << QByteArray("device:\n  name: a\n type: tun") << u"YAML syntax error"_s;
    QTest::newRow("two documents") << QByteArray("ip: 10.0.0.1\n---\nip: 10.0.0.2")
                                   << u"expected a single YAML document"_s;
    QTest::newRow("stray comma") << QByteArray(",") << u"expected a single YAML document"_s;
    QTest::newRow("stray comma before map") << QByteArray("# c\n,ip: 10.0.0.1") << u"expected a single YAML document"_s;
    QTest::newRow("non-scalar key") << QByteArray("? [a]\n: b") << u"configuration: keys must be plain names"_s;
}

void tst_YamlConfig::errors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, message);

    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    QVERIFY2(!parsed.ok(), "accepted bad input");
    QCOMPARE(parsed.error().code, u"bad-config"_s);
    QVERIFY2(parsed.error().message.startsWith(message), qPrintable(parsed.error().message));
    QVERIFY2(!parsed.error().message.contains(u'\n'), "error messages are one line");
}

void tst_YamlConfig::oversizedInput()
{
    QByteArray yaml("peers:\n");
    while (yaml.size() <= kMaxConfigSize)
        yaml += "  - a.example.com:3210\n";
    const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    QVERIFY(!parsed.ok());
    QVERIFY(parsed.error().message.contains(u"larger than 1 MiB"_s));

    // Aliases cannot multiply a large string beyond the text budget.
    QByteArray bomb = "hook: &a " + QByteArray(600 * 1024, 'x') + "\nhooks:\n";
    for (const QString &event : hookEventNames())
        bomb += "  " + event.toUtf8() + ": *a\n";
    QVERIFY(bomb.size() < kMaxConfigSize);
    const Result<NetworkConfig> exploded = parseYamlConfig(bomb);
    QVERIFY(!exploded.ok());
    QVERIFY2(exploded.error().message.contains(u"too large"_s), qPrintable(exploded.error().message));

    // Deep nesting is rejected, not a crash.
    const QByteArray deep = QByteArray(5000, '[') + QByteArray(5000, ']');
    QVERIFY(!parseYamlConfig(QByteArray(QByteArray("peers: ") + deep)).ok());
}

void tst_YamlConfig::garbageNeverCrashes()
{
    const QByteArray base = Test::readSharedFile(u"vectors/config/node-a.yaml"_s);
    QVERIFY(!base.isEmpty());
    QRandomGenerator random(0x6e696d62);
    int accepted = 0;
    for (int round = 0; round < 1500; ++round) {
        QByteArray yaml = base;
        const int edits = 1 + int(random.bounded(8));
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = random.bounded(int(yaml.size()));
            switch (random.bounded(3)) {
            case 0:
                yaml[at] = char(random.bounded(256));
                break;
            case 1:
                yaml.remove(at, 1 + random.bounded(20));
                break;
            default:
                yaml.insert(at, "\0[{&*!|>:-\"'~%@`,#\n\t?"[random.bounded(22)]);
                break;
            }
        }
        const Result<NetworkConfig> parsed = parseYamlConfig(yaml);
        if (parsed.ok()) {
            ++accepted;
            // Whatever is accepted exports and parses back to the same config.
            const Result<NetworkConfig> again = parseYamlConfig(toYaml(parsed.value(), true));
            QVERIFY(again.ok());
            QCOMPARE(again.value(), parsed.value());
        } else {
            QVERIFY(!parsed.error().message.isEmpty());
            QVERIFY2(!parsed.error().message.contains(u'\n'), qPrintable(parsed.error().message));
        }
    }
    QVERIFY(accepted > 0);

    // Self-referencing aliases and other odd structures are rejected cleanly.
    for (const char *odd : {"peers: &a [*a]",
             "crypto: &c {password: *c}",
             "hooks: &h {vpn_started: *h}",
             "*x",
             "!!binary AAAA",
             "? a",
             "{ip: 1, ip: 2}"})
        QVERIFY2(!parseYamlConfig(QByteArray(odd)).ok(), odd);
}

void tst_YamlConfig::exportRoundTrip_data()
{
    QTest::addColumn<NetworkConfig>("config");
    QTest::newRow("defaults") << NetworkConfig {};
    QTest::newRow("everything set") << everythingSet();
    QTest::newRow("spec example") << parseOrFail(QByteArray(kSpecExample));
    QTest::newRow("node-a") << parseOrFail(Test::readSharedFile(u"vectors/config/node-a.yaml"_s));
    QTest::newRow("node-b") << parseOrFail(Test::readSharedFile(u"vectors/config/node-b.yaml"_s));
    NetworkConfig awkward;
    awkward.password = u"true"_s;
    awkward.ifup = u"~"_s;
    awkward.ifdown = u"line1\nline2\t\"x\" é ✓"_s;
    awkward.hook = u"- not a list"_s;
    awkward.user = u"123"_s;
    awkward.group = u""_s;
    awkward.listen = u"0"_s;
    QTest::newRow("awkward strings") << awkward;
}

void tst_YamlConfig::exportRoundTrip()
{
    QFETCH(NetworkConfig, config);
    QVERIFY(config.name != u"<parse failed>"_s);

    const QByteArray withSecrets = toYaml(config, true);
    const Result<NetworkConfig> full = parseYamlConfig(withSecrets);
    QVERIFY2(
        full.ok(), qPrintable(full.ok() ? QString() : full.error().message + u'\n' + QString::fromUtf8(withSecrets)));
    QCOMPARE(full.value(), config);

    const QByteArray noSecrets = toYaml(config, false);
    const Result<NetworkConfig> partial = parseYamlConfig(noSecrets);
    QVERIFY2(partial.ok(), qPrintable(partial.ok() ? QString() : partial.error().message));
    QCOMPARE(partial.value(), withoutSecrets(config));
}

void tst_YamlConfig::exportWithoutSecrets()
{
    NetworkConfig c = everythingSet();
    c.name = u"office"_s;
    c.balance = true;
    const QByteArray yaml = toYaml(c, false);
    QVERIFY(!yaml.contains("pa:ss #word"));
    QVERIFY(!yaml.contains(kNodeBPrivate));
    QVERIFY(!yaml.contains("beacon secret"));
    QVERIFY(!yaml.contains("password:"));
    QVERIFY(!yaml.contains("private-key:"));
    QVERIFY(yaml.contains(kNodeBPublic));
    QVERIFY(yaml.contains("network \"office\""));

    const QByteArray secretYaml = toYaml(c, true);
    QVERIFY(secretYaml.contains("pa:ss #word"));
    QVERIFY(secretYaml.contains(kNodeBPrivate));
    QVERIFY(secretYaml.contains("beacon secret"));
    // The Nimbus extras are not written: VpnCloud would reject them.
    QVERIFY(!secretYaml.contains("balance"));
    const Result<NetworkConfig> back = parseYamlConfig(secretYaml);
    QVERIFY(back.ok());
    QCOMPARE(back->name, QString());
    QCOMPARE(back->balance, false);
}

void tst_YamlConfig::exportIsKebabCase()
{
    const QByteArray yaml = toYaml(everythingSet(), true);
    for (const char *key : {"fix-rp-filter",
             "advertise-addresses",
             "private-key",
             "public-key",
             "trusted-keys",
             "peer-timeout",
             "switch-timeout",
             "auto-claim",
             "port-forwarding",
             "pid-file",
             "stats-file"}) {
        QVERIFY2(yaml.contains(QByteArray(QByteArray(key) + ':')), key);
    }
    QVERIFY(!yaml.contains("peer_timeout"));
    QVERIFY(!yaml.contains("port_forwarding"));
    // Defaults are not written.
    QCOMPARE(toYaml(NetworkConfig {}, true).count('\n'), 2);
}

void tst_YamlConfig::describeHidesSecrets()
{
    const NetworkConfig c = everythingSet();
    const QString text = describeConfig(c);
    QVERIFY(text.contains(u"crypto.password: (set)"_s));
    QVERIFY(text.contains(u"crypto.private-key: (set)"_s));
    QVERIFY(text.contains(u"beacon.password: (set)"_s));
    QVERIFY(!text.contains(u"pa:ss"_s));
    QVERIFY(!text.contains(QLatin1StringView(kNodeBPrivate)));
    QVERIFY(!text.contains(u"beacon secret"_s));
    QVERIFY(text.contains(QLatin1StringView(kNodeBPublic)));
    QVERIFY(text.contains(u"peer-timeout: 600"_s));
    QVERIFY(describeConfig(NetworkConfig {}).contains(u"crypto.password: (unset)"_s));

    QString streamed;
    QDebug(&streamed) << c;
    QVERIFY(streamed.contains(u"crypto.password: (set)"_s));
    QVERIFY(!streamed.contains(u"pa:ss"_s));
    QVERIFY(!streamed.contains(QLatin1StringView(kNodeBPrivate)));
}

void tst_YamlConfig::validateForRun_data()
{
    QTest::addColumn<NetworkConfig>("config");
    QTest::addColumn<QString>("error");

    QTest::newRow("nothing") << NetworkConfig {}
                             << u"no password or private key given (use --password, --password-file, "
                                "NIMBUS_PASSWORD or crypto.password)"_s;
    NetworkConfig password;
    password.password = u"x"_s;
    QTest::newRow("password") << password << QString();
    NetworkConfig emptyPassword;
    emptyPassword.password = u""_s;
    QTest::newRow("empty password is a password") << emptyPassword << QString();
    NetworkConfig key;
    key.privateKey = QString::fromLatin1(kNodeBPrivate);
    QTest::newRow("private key only") << key << QString();
    NetworkConfig pair = key;
    pair.publicKey = QString::fromLatin1(kNodeBPublic);
    QTest::newRow("matching pair") << pair << QString();
    NetworkConfig mismatch = key;
    mismatch.publicKey = u"PQGYPnaB8PV2qWtxGtN9wibSKzYbSwbQh1s9b5syjch"_s;
    QTest::newRow("mismatching pair") << mismatch
                                      << u"crypto.public-key does not match the private key (the private key gives "
                                         "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd)"_s;
    NetworkConfig publicOnly;
    publicOnly.publicKey = QString::fromLatin1(kNodeBPublic);
    QTest::newRow("public key only") << publicOnly
                                     << u"no password or private key given (use --password, --password-file, "
                                        "NIMBUS_PASSWORD or crypto.password)"_s;
    NetworkConfig badKey;
    badKey.privateKey = u"!!"_s;
    QTest::newRow("bad private key") << badKey << u"crypto.private-key: not a valid key"_s;
}

void tst_YamlConfig::validateForRun()
{
    QFETCH(NetworkConfig, config);
    QFETCH(QString, error);

    const Result<Ok> result = Nimbus::validateForRun(config);
    if (error.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    } else {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, u"bad-config"_s);
        QVERIFY2(result.error().message.startsWith(error), qPrintable(result.error().message));
        QVERIFY(!result.error().message.contains(QLatin1StringView(kNodeBPrivate)));
    }
}

QTEST_APPLESS_MAIN(tst_YamlConfig)
#include "tst_yamlconfig.moc"
