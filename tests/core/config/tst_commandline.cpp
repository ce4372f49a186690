#include <QTest>

#include "core/config/commandline.h"
#include "core/config/yamlconfig.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

using Env = QHash<QString, QString>;
Q_DECLARE_METATYPE(Nimbus::ConfigOverrides)
Q_DECLARE_METATYPE(Nimbus::CliAction)

namespace
{

constexpr char kKeyA[] = "gl7NxDMlseGFwPinpMcAmi4zwJWFV9WqqfDld3Tz2Lg";
constexpr char kKeyB[] = "BKjSRllQbxo8m6ooLv7WvOphbbq8WJsYzt55OS4UQWd";

QString keyA()
{
    return QString::fromLatin1(kKeyA);
}

QString keyB()
{
    return QString::fromLatin1(kKeyB);
}

Result<CommandLine> parse(const QStringList &args, const Env &env = {})
{
    return parseCommandLine(QStringList {u"nimbus-helper"_s} + args, env);
}

QString errorOf(const Result<CommandLine> &result)
{
    return result.ok() ? QString() : result.error().message;
}

} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noArguments();
    void everyFlag();
    void aliasesAndForms_data();
    void aliasesAndForms();
    void commaLists();
    void hooks();
    void errors_data();
    void errors();
    void conflicts_data();
    void conflicts();
    void environment_data();
    void environment();
    void genkey_data();
    void genkey();
    void actions_data();
    void actions();
    void service();
    void mergePrecedence();
    void mergeBooleanDirections();
    void mergeStatsdPrefix();
    void mergeThenValidate();
    void helpText();
};

void tst_CommandLine::noArguments()
{
    const Result<CommandLine> cli = parse({});
    QVERIFY(cli.ok());
    QCOMPARE(cli->action, CliAction::RunNetwork);
    QCOMPARE(cli->overrides, ConfigOverrides {});
    QVERIFY(!cli->configFile);
    QVERIFY(!cli->passwordFile);
    QVERIFY(!cli->daemon);
    QVERIFY(!cli->verbose);
    QVERIFY(!cli->quiet);
    // No overrides: merging gives the file unchanged.
    const Result<NetworkConfig> merged = mergeConfig(NetworkConfig {}, cli.value());
    QVERIFY(merged.ok());
    QCOMPARE(merged.value(), NetworkConfig {});
}

void tst_CommandLine::everyFlag()
{
    const QStringList args {
        u"--config"_s,
        u"/etc/vpncloud/office.net"_s,
        u"--type"_s,
        u"tap"_s,
        u"--device"_s,
        u"vpn%d"_s,
        u"--device-path"_s,
        u"/dev/tun"_s,
        u"--fix-rp-filter"_s,
        u"--mode"_s,
        u"switch"_s,
        u"--public-key"_s,
        keyB(),
        u"--private-key"_s,
        keyA(),
        u"--trusted-key"_s,
        keyB(),
        u"--algorithm"_s,
        u"CHACHA20"_s,
        u"--claim"_s,
        u"10.0.0.0/24"_s,
        u"--no-auto-claim"_s,
        u"--listen"_s,
        u"3300"_s,
        u"--peer"_s,
        u"a.example.com:3210"_s,
        u"--peer-timeout"_s,
        u"600"_s,
        u"--keepalive"_s,
        u"100"_s,
        u"--switch-timeout"_s,
        u"30"_s,
        u"--beacon-store"_s,
        u"|cat"_s,
        u"--beacon-load"_s,
        u"/tmp/b"_s,
        u"--beacon-interval"_s,
        u"60"_s,
        u"--beacon-password"_s,
        u"bp"_s,
        u"--ip"_s,
        u"10.0.0.1/24"_s,
        u"--advertise_addresses"_s,
        u"192.0.2.1"_s,
        u"--ifup"_s,
        u"echo up"_s,
        u"--ifdown"_s,
        u"echo down"_s,
        u"--no-port-forwarding"_s,
        u"--daemon"_s,
        u"--pid-file"_s,
        u"/run/n.pid"_s,
        u"--stats-file"_s,
        u"/tmp/stats"_s,
        u"--statsd-server"_s,
        u"localhost:8125"_s,
        u"--statsd-prefix"_s,
        u"nimbus"_s,
        u"--user"_s,
        u"nobody"_s,
        u"--group"_s,
        u"nogroup"_s,
        u"--log-file"_s,
        u"/tmp/log"_s,
        u"--hook"_s,
        u"echo $EVENT"_s,
        u"--verbose"_s,
        u"--control-socket"_s,
        u"/tmp/ctl.sock"_s,
        u"--balance"_s,
        u"--no-fast-failover"_s,
    };
    const Result<CommandLine> cli = parse(args);
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->action, CliAction::RunNetwork);
    QCOMPARE(cli->configFile, std::optional(u"/etc/vpncloud/office.net"_s));
    QCOMPARE(cli->logFile, std::optional(u"/tmp/log"_s));
    QVERIFY(cli->daemon);
    QVERIFY(cli->verbose);
    QVERIFY(!cli->quiet);

    const ConfigOverrides &o = cli->overrides;
    QCOMPARE(o.deviceType, std::optional(DeviceType::Tap));
    QCOMPARE(o.deviceName, std::optional(u"vpn%d"_s));
    QCOMPARE(o.devicePath, std::optional(u"/dev/tun"_s));
    QVERIFY(o.fixRpFilter);
    QCOMPARE(o.mode, std::optional(NodeMode::Switch));
    QVERIFY(!o.password);
    QCOMPARE(o.privateKey, std::optional(keyA()));
    QCOMPARE(o.publicKey, std::optional(keyB()));
    QCOMPARE(o.trustedKeys, QStringList {keyB()});
    QCOMPARE(o.algorithms, QList<Algorithm> {Algorithm::Chacha20Poly1305});
    QCOMPARE(o.claims, QStringList {u"10.0.0.0/24"_s});
    QVERIFY(o.noAutoClaim);
    QCOMPARE(o.listen, std::optional(u"3300"_s));
    QCOMPARE(o.peers, QStringList {u"a.example.com:3210"_s});
    QCOMPARE(o.peerTimeout, std::optional<quint32>(600));
    QCOMPARE(o.keepalive, std::optional<quint32>(100));
    QCOMPARE(o.switchTimeout, std::optional<quint32>(30));
    QCOMPARE(o.beaconStore, std::optional(u"|cat"_s));
    QCOMPARE(o.beaconLoad, std::optional(u"/tmp/b"_s));
    QCOMPARE(o.beaconInterval, std::optional<quint32>(60));
    QCOMPARE(o.beaconPassword, std::optional(u"bp"_s));
    QCOMPARE(o.ip, std::optional(u"10.0.0.1/24"_s));
    QCOMPARE(o.advertiseAddresses, QStringList {u"192.0.2.1"_s});
    QCOMPARE(o.ifup, std::optional(u"echo up"_s));
    QCOMPARE(o.ifdown, std::optional(u"echo down"_s));
    QVERIFY(o.noPortForwarding);
    QCOMPARE(o.pidFile, std::optional(u"/run/n.pid"_s));
    QCOMPARE(o.statsFile, std::optional(u"/tmp/stats"_s));
    QCOMPARE(o.statsdServer, std::optional(u"localhost:8125"_s));
    QCOMPARE(o.statsdPrefix, std::optional(u"nimbus"_s));
    QCOMPARE(o.user, std::optional(u"nobody"_s));
    QCOMPARE(o.group, std::optional(u"nogroup"_s));
    QCOMPARE(o.hook, std::optional(u"echo $EVENT"_s));
    QVERIFY(o.hooks.isEmpty());
    QVERIFY(o.balance);
    QVERIFY(o.noFastFailover);
    QCOMPARE(o.controlSocket, std::optional(u"/tmp/ctl.sock"_s));

    // Everything lands in the merged config.
    const Result<NetworkConfig> merged = mergeConfig(NetworkConfig {}, cli.value());
    QVERIFY2(merged.ok(), qPrintable(merged.ok() ? QString() : merged.error().message));
    const NetworkConfig &c = merged.value();
    QCOMPARE(c.deviceType, DeviceType::Tap);
    QCOMPARE(c.deviceName, u"vpn%d"_s);
    QCOMPARE(c.devicePath, u"/dev/tun"_s);
    QVERIFY(c.fixRpFilter);
    QCOMPARE(c.mode, NodeMode::Switch);
    QCOMPARE(c.privateKey, std::optional(keyA()));
    QCOMPARE(c.publicKey, std::optional(keyB()));
    QCOMPARE(c.listen, u"3300"_s);
    QCOMPARE(c.peerTimeout, 600u);
    QCOMPARE(c.keepalive, std::optional<quint32>(100));
    QCOMPARE(c.switchTimeout, 30u);
    QCOMPARE(c.beaconInterval, 60u);
    QCOMPARE(c.beaconPassword, std::optional(u"bp"_s));
    QVERIFY(!c.autoClaim);
    QVERIFY(!c.portForwarding);
    QCOMPARE(c.statsdPrefix, std::optional(u"nimbus"_s));
    QVERIFY(c.balance);
    QVERIFY(!c.fastFailover);
    QCOMPARE(c.controlSocket, u"/tmp/ctl.sock"_s);
    QCOMPARE(c.hook, std::optional(u"echo $EVENT"_s));
}

void tst_CommandLine::aliasesAndForms_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<ConfigOverrides>("expected");

    auto with = [](auto setter) {
        ConfigOverrides o;
        setter(o);
        return o;
    };
    QTest::newRow("--key") << QStringList {u"--key"_s, keyA()}
                           << with([](ConfigOverrides &o) { o.privateKey = keyA(); });
    QTest::newRow("--private-key=") << QStringList {u"--private-key="_s + keyA()}
                                    << with([](ConfigOverrides &o) { o.privateKey = keyA(); });
    QTest::newRow("--trust") << QStringList {u"--trust"_s, keyB()}
                             << with([](ConfigOverrides &o) { o.trustedKeys = {keyB()}; });
    QTest::newRow("--algo") << QStringList {u"--algo"_s, u"aes256"_s}
                            << with([](ConfigOverrides &o) { o.algorithms = {Algorithm::Aes256Gcm}; });
    QTest::newRow("--algorithm case") << QStringList {u"--algorithm=Plain"_s}
                                      << with([](ConfigOverrides &o) { o.algorithms = {Algorithm::Plain}; });
    QTest::newRow("--connect") << QStringList {u"--connect"_s, u"h:1"_s}
                               << with([](ConfigOverrides &o) { o.peers = {u"h:1"_s}; });
    QTest::newRow("-c") << QStringList {u"-c"_s, u"h:1"_s} << with([](ConfigOverrides &o) { o.peers = {u"h:1"_s}; });
    QTest::newRow("-c attached") << QStringList {u"-ch:1"_s} << with([](ConfigOverrides &o) { o.peers = {u"h:1"_s}; });
    QTest::newRow("--peer=") << QStringList {u"--peer=h:1"_s} << with([](ConfigOverrides &o) { o.peers = {u"h:1"_s}; });
    QTest::newRow("-l") << QStringList {u"-l"_s, u"4000"_s} << with([](ConfigOverrides &o) { o.listen = u"4000"_s; });
    QTest::newRow("-l attached") << QStringList {u"-l4000"_s} << with([](ConfigOverrides &o) { o.listen = u"4000"_s; });
    QTest::newRow("-l=") << QStringList {u"-l=4000"_s} << with([](ConfigOverrides &o) { o.listen = u"4000"_s; });
    QTest::newRow("--listen=") << QStringList {u"--listen=*:4000"_s}
                               << with([](ConfigOverrides &o) { o.listen = u"*:4000"_s; });
    QTest::newRow("-t") << QStringList {u"-t"_s, u"tap"_s}
                        << with([](ConfigOverrides &o) { o.deviceType = DeviceType::Tap; });
    QTest::newRow("-d") << QStringList {u"-d"_s, u"nimbus%d"_s}
                        << with([](ConfigOverrides &o) { o.deviceName = u"nimbus%d"_s; });
    QTest::newRow("-m") << QStringList {u"-m"_s, u"hub"_s} << with([](ConfigOverrides &o) { o.mode = NodeMode::Hub; });
    QTest::newRow("-p") << QStringList {u"-p"_s, u"secret"_s}
                        << with([](ConfigOverrides &o) { o.password = u"secret"_s; });
    QTest::newRow("--password=") << QStringList {u"--password=a=b,c"_s}
                                 << with([](ConfigOverrides &o) { o.password = u"a=b,c"_s; });
    QTest::newRow("password starting with dash")
        << QStringList {u"-p"_s, u"-x"_s} << with([](ConfigOverrides &o) { o.password = u"-x"_s; });
    QTest::newRow("--advertise_addresses") << QStringList {u"--advertise_addresses"_s,
        u"192.0.2.1:3210"_s} << with([](ConfigOverrides &o) { o.advertiseAddresses = {u"192.0.2.1:3210"_s}; });
    QTest::newRow("--advertise-addresses") << QStringList {u"--advertise-addresses=192.0.2.1"_s}
                                           << with([](ConfigOverrides &o) { o.advertiseAddresses = {u"192.0.2.1"_s}; });
    QTest::newRow("--claim") << QStringList {u"--claim"_s, u"fd00::/64"_s}
                             << with([](ConfigOverrides &o) { o.claims = {u"fd00::/64"_s}; });
    QTest::newRow("flags") << QStringList {u"--fix-rp-filter"_s, u"--no-auto-claim"_s, u"--no-port-forwarding"_s}
                           << with([](ConfigOverrides &o) {
                                  o.fixRpFilter = true;
                                  o.noAutoClaim = true;
                                  o.noPortForwarding = true;
                              });
    QTest::newRow("repeated flag") << QStringList {u"--balance"_s, u"--balance"_s}
                                   << with([](ConfigOverrides &o) { o.balance = true; });
    QTest::newRow("keepalive zero") << QStringList {u"--keepalive=0"_s}
                                    << with([](ConfigOverrides &o) { o.keepalive = 0; });
    QTest::newRow("after --") << QStringList {u"--ip"_s, u"10.0.0.1"_s, u"--"_s}
                              << with([](ConfigOverrides &o) { o.ip = u"10.0.0.1"_s; });
}

void tst_CommandLine::aliasesAndForms()
{
    QFETCH(QStringList, args);
    QFETCH(ConfigOverrides, expected);
    const Result<CommandLine> cli = parse(args);
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->action, CliAction::RunNetwork);
    QVERIFY(cli->overrides == expected);
}

void tst_CommandLine::commaLists()
{
    const Result<CommandLine> cli = parse({u"-c"_s,
        u"a:1,b:2"_s,
        u"--peer"_s,
        u"c:3"_s,
        u"--connect=d"_s,
        u"--claim"_s,
        u"10.0.0.0/24,10.1.0.0/24"_s,
        u"--claim=fd00::/64"_s,
        u"--trusted-key"_s,
        keyA() + u',' + keyB(),
        u"--trust"_s,
        keyA(),
        u"--algorithm"_s,
        u"chacha20,AES256"_s,
        u"--algo"_s,
        u"plain,chacha20"_s,
        u"--advertise_addresses"_s,
        u"192.0.2.1,192.0.2.2:4000,"_s});
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    const ConfigOverrides &o = cli->overrides;
    QCOMPARE(o.peers, (QStringList {u"a:1"_s, u"b:2"_s, u"c:3"_s, u"d"_s}));
    QCOMPARE(o.claims, (QStringList {u"10.0.0.0/24"_s, u"10.1.0.0/24"_s, u"fd00::/64"_s}));
    QCOMPARE(o.trustedKeys, (QStringList {keyA(), keyB(), keyA()}));
    // Order as given, duplicates dropped.
    QCOMPARE(o.algorithms, (QList<Algorithm> {Algorithm::Chacha20Poly1305, Algorithm::Aes256Gcm, Algorithm::Plain}));
    QCOMPARE(o.advertiseAddresses, (QStringList {u"192.0.2.1"_s, u"192.0.2.2:4000"_s}));
}

void tst_CommandLine::hooks()
{
    const Result<CommandLine> cli = parse({u"--hook"_s,
        u"peer_connected:echo \"up: $PEER\""_s,
        u"--hook=vpn_started:true"_s,
        u"--hook"_s,
        u"logger \"a:b\""_s,
        u"--hook"_s,
        u"/usr/local/bin/hook.sh"_s});
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    const ConfigOverrides &o = cli->overrides;
    QCOMPARE(o.hooks.size(), 2);
    QCOMPARE(o.hooks.value(u"peer_connected"_s), u"echo \"up: $PEER\""_s);
    QCOMPARE(o.hooks.value(u"vpn_started"_s), u"true"_s);
    // A script containing ':' that does not start with an event name is a script for all events; last wins.
    QCOMPARE(o.hook, std::optional(u"/usr/local/bin/hook.sh"_s));
}

void tst_CommandLine::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown long option") << QStringList {u"--pasword"_s, u"x"_s}
                                         << u"unknown option \"--pasword\" (did you mean \"--password\"?)"_s;
    QTest::newRow("unknown long option with value")
        << QStringList {u"--frobnicate=3"_s} << u"unknown option \"--frobnicate\" (see --help)"_s;
    QTest::newRow("kebab advertise typo")
        << QStringList {u"--advertise-address"_s, u"x"_s} << u"unknown option \"--advertise-address\" (did you mean"_s;
    QTest::newRow("unknown short option") << QStringList {u"-x"_s} << u"unknown option \"-x\" (see --help)"_s;
    QTest::newRow("unknown short in cluster") << QStringList {u"-vz"_s} << u"unknown option \"-z\""_s;
    QTest::newRow("positional") << QStringList {u"foo"_s}
                                << u"unexpected argument \"foo\" (the only subcommand is genkey)"_s;
    QTest::newRow("positional after --") << QStringList {u"--"_s, u"--ip"_s} << u"unexpected argument \"--ip\""_s;
    QTest::newRow("unsupported subcommand")
        << QStringList {u"ws-proxy"_s} << u"the VpnCloud subcommand \"ws-proxy\" is not supported by Nimbus"_s;
    QTest::newRow("missing value at end") << QStringList {u"--ip"_s} << u"option --ip needs a value"_s;
    QTest::newRow("missing value short") << QStringList {u"-l"_s} << u"option -l needs a value"_s;
    QTest::newRow("option as value") << QStringList {u"--ip"_s, u"--peer"_s, u"a"_s}
                                     << u"option --ip needs a value, got the option \"--peer\""_s;
    QTest::newRow("value for flag") << QStringList {u"--fix-rp-filter=yes"_s}
                                    << u"option --fix-rp-filter takes no value"_s;
    QTest::newRow("scalar twice") << QStringList {u"--ip"_s, u"10.0.0.1"_s, u"--ip"_s, u"10.0.0.2"_s}
                                  << u"option --ip given more than once"_s;
    QTest::newRow("alias twice") << QStringList {u"--key"_s, keyA(), u"--private-key"_s, keyA()}
                                 << u"option --private-key given more than once"_s;
    QTest::newRow("bad seconds") << QStringList {u"--peer-timeout"_s, u"abc"_s}
                                 << u"--peer-timeout: expected an unsigned integer of seconds, got \"abc\""_s;
    QTest::newRow("negative seconds") << QStringList {u"--keepalive=-1"_s}
                                      << u"--keepalive: expected an unsigned integer of seconds, got \"-1\""_s;
    QTest::newRow("bad type") << QStringList {u"-t"_s, u"tup"_s} << u"-t: expected tun or tap, got \"tup\""_s;
    QTest::newRow("bad mode") << QStringList {u"--mode=bridge"_s}
                              << u"--mode: expected normal, router, switch or hub, got \"bridge\""_s;
    QTest::newRow("file-only algorithm name") << QStringList {u"--algorithm"_s, u"aes_256_gcm"_s}
                                              << u"--algorithm: unknown algorithm \"aes_256_gcm\" (expected plain, "
                                                 "aes128, aes256 or chacha20)"_s;
    QTest::newRow("bad algorithm in list")
        << QStringList {u"--algo=aes256,rot13"_s} << u"--algo: unknown algorithm \"rot13\""_s;
    QTest::newRow("bad claim") << QStringList {u"--claim"_s, u"10.0.0.0/24,10.1.0.0"_s}
                               << u"--claim: expected ADDRESS/PREFIX"_s;
    QTest::newRow("bad key") << QStringList {u"--key"_s, u"not-a-key"_s} << u"--key: not a valid key"_s;
    QTest::newRow("bad trusted key") << QStringList {u"--trust"_s, keyA() + u",x_y"_s} << u"--trust: not a valid key"_s;
    QTest::newRow("bad listen") << QStringList {u"-l"_s, u"99999"_s} << u"-l: port \"99999\" is out of range"_s;
    QTest::newRow("bad ip") << QStringList {u"--ip=10.0.0"_s} << u"--ip: expected an IPv4 address"_s;
    QTest::newRow("bad peer") << QStringList {u"-c"_s, u"a:1,b:x"_s} << u"-c: \"x\" is not a valid port"_s;
    QTest::newRow("bad advertise") << QStringList {u"--advertise_addresses=nohost.example"_s}
                                   << u"--advertise_addresses: \"nohost.example\" is not an IP address"_s;
    QTest::newRow("bad device") << QStringList {u"-d"_s, u"a/b"_s} << u"-d: expected an interface name"_s;
    QTest::newRow("bad statsd") << QStringList {u"--statsd-server"_s, u"localhost"_s}
                                << u"--statsd-server: missing port"_s;
    QTest::newRow("bad hook event") << QStringList {u"--hook"_s, u"peer_conected:echo"_s}
                                    << u"--hook: unknown hook event \"peer_conected\""_s;
    QTest::newRow("empty password file") << QStringList {u"--password-file="_s} << u"--password-file: empty path"_s;
}

void tst_CommandLine::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result<CommandLine> cli = parse(args);
    QVERIFY2(!cli.ok(), "accepted bad arguments");
    QCOMPARE(cli.error().code, u"bad-usage"_s);
    QVERIFY2(cli.error().message.startsWith(message), qPrintable(cli.error().message));
    QVERIFY(!cli.error().message.contains(u'\n'));
    // Key material never appears in messages.
    QVERIFY(!cli.error().message.contains(keyA()));
}

void tst_CommandLine::conflicts_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    QTest::newRow("-v -q") << QStringList {u"-v"_s, u"-q"_s} << u"-v conflicts with -q"_s;
    QTest::newRow("--quiet --verbose") << QStringList {u"--quiet"_s, u"--verbose"_s}
                                       << u"--verbose conflicts with --quiet"_s;
    QTest::newRow("-vq cluster") << QStringList {u"-vq"_s} << u"-v conflicts with -q"_s;
    QTest::newRow("key and password") << QStringList {u"--private-key"_s, keyA(), u"--password"_s, u"x"_s}
                                      << u"--private-key conflicts with --password"_s;
    QTest::newRow("--key and -p") << QStringList {u"-p"_s, u"x"_s, u"--key"_s, keyA()} << u"--key conflicts with -p"_s;
    QTest::newRow("password file and password")
        << QStringList {u"--password-file"_s, u"/f"_s, u"-p"_s, u"x"_s} << u"--password-file conflicts with -p"_s;
    QTest::newRow("password file and key")
        << QStringList {u"--password-file"_s, u"/f"_s, u"--key"_s, keyA()} << u"--password-file conflicts with --key"_s;
    QTest::newRow("service and network") << QStringList {u"--ip"_s, u"10.0.0.1"_s, u"--service"_s}
                                         << u"--service starts without a network and cannot be combined with --ip"_s;
    QTest::newRow("service and config") << QStringList {u"--service"_s, u"--config=/etc/x.net"_s}
                                        << u"--service starts without a network and cannot be combined with "
                                           "--config"_s;
}

void tst_CommandLine::conflicts()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result<CommandLine> cli = parse(args);
    QVERIFY2(!cli.ok(), "accepted conflicting arguments");
    QCOMPARE(cli.error().code, u"bad-usage"_s);
    QCOMPARE(cli.error().message, message);
}

void tst_CommandLine::environment_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<Env>("env");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("privateKey");

    const QString none = u"(none)"_s;
    QTest::newRow("PASSWORD") << QStringList {} << Env {{u"PASSWORD"_s, u"envpw"_s}} << u"envpw"_s << none;
    QTest::newRow("NIMBUS_PASSWORD preferred")
        << QStringList {} << Env {{u"PASSWORD"_s, u"envpw"_s}, {u"NIMBUS_PASSWORD"_s, u"nimbuspw"_s}} << u"nimbuspw"_s
        << none;
    QTest::newRow("PRIVATE_KEY") << QStringList {} << Env {{u"PRIVATE_KEY"_s, keyA()}} << none << keyA();
    QTest::newRow("both from env") << QStringList {} << Env {{u"PRIVATE_KEY"_s, keyA()}, {u"PASSWORD"_s, u"envpw"_s}}
                                   << u"envpw"_s << keyA();
    QTest::newRow("flag beats env") << QStringList {u"-p"_s, u"flag"_s} << Env {{u"PASSWORD"_s, u"envpw"_s}}
                                    << u"flag"_s << none;
    QTest::newRow("--password suppresses PRIVATE_KEY")
        << QStringList {u"--password"_s, u"flag"_s} << Env {{u"PRIVATE_KEY"_s, keyA()}} << u"flag"_s << none;
    QTest::newRow("--private-key suppresses PASSWORD")
        << QStringList {u"--key"_s, keyB()} << Env {{u"PASSWORD"_s, u"envpw"_s}, {u"PRIVATE_KEY"_s, keyA()}} << none
        << keyB();
    QTest::newRow("--password-file suppresses env")
        << QStringList {u"--password-file"_s, u"/etc/pw"_s}
        << Env {{u"PASSWORD"_s, u"envpw"_s}, {u"PRIVATE_KEY"_s, keyA()}} << none << none;
    QTest::newRow("empty env ignored") << QStringList {} << Env {{u"PASSWORD"_s, QString()}} << none << none;
    QTest::newRow("unrelated env") << QStringList {} << Env {{u"HOME"_s, u"/root"_s}} << none << none;
}

void tst_CommandLine::environment()
{
    QFETCH(QStringList, args);
    QFETCH(Env, env);
    QFETCH(QString, password);
    QFETCH(QString, privateKey);

    const Result<CommandLine> cli = parse(args, env);
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->overrides.password.value_or(u"(none)"_s), password);
    QCOMPARE(cli->overrides.privateKey.value_or(u"(none)"_s), privateKey);

    // A bad key in the environment is an error naming the variable, without the value.
    const Result<CommandLine> bad = parse({}, Env {{u"PRIVATE_KEY"_s, u"secret!"_s}});
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.startsWith(u"PRIVATE_KEY (environment): not a valid key"_s),
        qPrintable(bad.error().message));
    QVERIFY(!bad.error().message.contains(u"secret!"_s));
}

void tst_CommandLine::genkey_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<Env>("env");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("passwordFile");

    const QString none = u"(none)"_s;
    QTest::newRow("random") << QStringList {u"genkey"_s} << Env {} << none << none;
    QTest::newRow("gen-key alias") << QStringList {u"gen-key"_s} << Env {} << none << none;
    QTest::newRow("-p") << QStringList {u"genkey"_s, u"-p"_s, u"test"_s} << Env {} << u"test"_s << none;
    QTest::newRow("--password=") << QStringList {u"genkey"_s, u"--password=with space"_s} << Env {} << u"with space"_s
                                 << none;
    QTest::newRow("-p attached") << QStringList {u"gen-key"_s, u"-ptest"_s} << Env {} << u"test"_s << none;
    QTest::newRow("empty password") << QStringList {u"genkey"_s, u"--password"_s, u""_s} << Env {} << u""_s << none;
    QTest::newRow("env PASSWORD") << QStringList {u"genkey"_s} << Env {{u"PASSWORD"_s, u"envpw"_s}} << u"envpw"_s
                                  << none;
    QTest::newRow("flag beats env") << QStringList {u"genkey"_s, u"-p"_s, u"x"_s} << Env {{u"PASSWORD"_s, u"envpw"_s}}
                                    << u"x"_s << none;
    QTest::newRow("password file") << QStringList {u"genkey"_s, u"--password-file"_s, u"/pw"_s}
                                   << Env {{u"PASSWORD"_s, u"envpw"_s}} << none << u"/pw"_s;
    QTest::newRow("main options before") << QStringList {u"-v"_s, u"genkey"_s} << Env {} << none << none;
}

void tst_CommandLine::genkey()
{
    QFETCH(QStringList, args);
    QFETCH(Env, env);
    QFETCH(QString, password);
    QFETCH(QString, passwordFile);

    const Result<CommandLine> cli = parse(args, env);
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->action, CliAction::GenKey);
    QCOMPARE(cli->genkeyPassword.value_or(u"(none)"_s), password);
    QCOMPARE(cli->passwordFile.value_or(u"(none)"_s), passwordFile);
    // The genkey password is not a network password.
    QVERIFY(!cli->overrides.password);

    // genkey takes only its own options.
    const Result<CommandLine> bad = parse({u"genkey"_s, u"--ip"_s, u"10.0.0.1"_s});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message,
        u"option \"--ip\" cannot be used with genkey (genkey takes only -p/--password and --password-file)"_s);
    const Result<CommandLine> extra = parse({u"genkey"_s, u"genkey"_s});
    QVERIFY(!extra.ok());
    QCOMPARE(extra.error().message, u"unexpected argument \"genkey\""_s);
    const Result<CommandLine> both = parse({u"genkey"_s, u"-p"_s, u"x"_s, u"--password-file"_s, u"/pw"_s});
    QVERIFY(!both.ok());
    QCOMPARE(both.error().message, u"--password-file conflicts with --password"_s);
}

void tst_CommandLine::actions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<CliAction>("action");

    QTest::newRow("--help") << QStringList {u"--help"_s} << CliAction::Help;
    QTest::newRow("-h") << QStringList {u"-h"_s} << CliAction::Help;
    QTest::newRow("-h after options") << QStringList {u"--ip"_s, u"10.0.0.1"_s, u"-h"_s} << CliAction::Help;
    QTest::newRow("help stops parsing") << QStringList {u"--help"_s, u"--no-such-option"_s} << CliAction::Help;
    QTest::newRow("genkey --help") << QStringList {u"genkey"_s, u"--help"_s} << CliAction::Help;
    QTest::newRow("--version") << QStringList {u"--version"_s} << CliAction::Version;
    QTest::newRow("--service") << QStringList {u"--service"_s} << CliAction::RunService;
    QTest::newRow("genkey") << QStringList {u"genkey"_s} << CliAction::GenKey;
    QTest::newRow("network") << QStringList {u"-p"_s, u"x"_s} << CliAction::RunNetwork;
}

void tst_CommandLine::actions()
{
    QFETCH(QStringList, args);
    QFETCH(CliAction, action);
    const Result<CommandLine> cli = parse(args);
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->action, action);
}

void tst_CommandLine::service()
{
    const Result<CommandLine> cli
        = parse({u"--service"_s, u"--control-socket"_s, u"/run/test.sock"_s, u"-v"_s, u"--log-file=/tmp/l"_s},
            Env {{u"PASSWORD"_s, u"envpw"_s}});
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));
    QCOMPARE(cli->action, CliAction::RunService);
    QCOMPARE(cli->overrides.controlSocket, std::optional(u"/run/test.sock"_s));
    QVERIFY(cli->verbose);
    QCOMPARE(cli->logFile, std::optional(u"/tmp/l"_s));
    // The environment password is not picked up in service mode.
    QVERIFY(!cli->overrides.password);
}

void tst_CommandLine::mergePrecedence()
{
    const Result<NetworkConfig> file = parseYamlConfig(Test::readSharedFile(u"vectors/config/node-a.yaml"_s));
    QVERIFY(file.ok());
    const Result<CommandLine> cli = parse({u"--peer-timeout"_s,
        u"120"_s,
        u"-c"_s,
        u"192.0.2.13:3210,192.0.2.14"_s,
        u"--claim"_s,
        u"10.9.0.0/16"_s,
        u"--algorithm"_s,
        u"chacha20"_s,
        u"--trusted-key"_s,
        keyB(),
        u"--advertise_addresses"_s,
        u"198.51.100.1"_s,
        u"--hook"_s,
        u"peer_connected:echo cli"_s,
        u"--hook"_s,
        u"vpn_started:echo started"_s,
        u"-p"_s,
        u"clipw"_s,
        u"-d"_s,
        u"nimbus%d"_s,
        u"--statsd-prefix"_s,
        u"x"_s,
        u"--statsd-server"_s,
        u"localhost:8125"_s});
    QVERIFY2(cli.ok(), qPrintable(errorOf(cli)));

    const Result<NetworkConfig> merged = mergeConfig(file.value(), cli.value());
    QVERIFY2(merged.ok(), qPrintable(merged.ok() ? QString() : merged.error().message));
    const NetworkConfig &c = merged.value();
    // Scalars: the command line wins; untouched ones keep the file's value.
    QCOMPARE(c.peerTimeout, 120u);
    QCOMPARE(c.keepalive, std::optional<quint32>(5));
    QCOMPARE(c.password, std::optional(u"clipw"_s));
    QCOMPARE(c.deviceName, u"nimbus%d"_s);
    QCOMPARE(c.ip, std::optional(u"10.0.2.1/24"_s));
    QCOMPARE(c.statsFile, std::optional(u"./stats-a.txt"_s));
    // Lists: concatenated, file first.
    QCOMPARE(c.peers, (QStringList {u"192.0.2.12:3210"_s, u"192.0.2.13:3210"_s, u"192.0.2.14"_s}));
    QCOMPARE(c.claims, QStringList {u"10.9.0.0/16"_s});
    QCOMPARE(c.trustedKeys, QStringList {keyB()});
    QCOMPARE(c.advertiseAddresses, QStringList {u"198.51.100.1"_s});
    // Algorithms: replaced by a non-empty command-line list.
    QCOMPARE(c.algorithms, QList<Algorithm> {Algorithm::Chacha20Poly1305});
    // Hooks: merged per event.
    QCOMPARE(c.hooks.size(), 3);
    QCOMPARE(c.hooks.value(u"peer_connected"_s), u"echo cli"_s);
    QCOMPARE(c.hooks.value(u"peer_disconnected"_s), u"echo \"disconnected $PEER $NODE_ID\" >> ./hook-a.txt"_s);
    QCOMPARE(c.hooks.value(u"vpn_started"_s), u"echo started"_s);

    // An empty command-line algorithm list keeps the file's.
    const Result<NetworkConfig> keep = mergeConfig(file.value(), parse({}).value());
    QVERIFY(keep.ok());
    QCOMPARE(keep->algorithms, file->algorithms);
    QCOMPARE(keep.value(), file.value());

    // Two list entries from file and command line are kept in order.
    NetworkConfig twoPeers;
    twoPeers.peers = {u"f1"_s, u"f2"_s};
    const Result<NetworkConfig> ordered = mergeConfig(twoPeers, parse({u"-c"_s, u"c1"_s, u"-c"_s, u"c2"_s}).value());
    QVERIFY(ordered.ok());
    QCOMPARE(ordered->peers, (QStringList {u"f1"_s, u"f2"_s, u"c1"_s, u"c2"_s}));
}

void tst_CommandLine::mergeBooleanDirections()
{
    NetworkConfig file;
    file.fixRpFilter = true;
    file.autoClaim = false;
    file.portForwarding = false;
    file.balance = true;
    file.fastFailover = false;
    // No flags: nothing switches back.
    Result<NetworkConfig> merged = mergeConfig(file, parse({}).value());
    QVERIFY(merged.ok());
    QCOMPARE(merged->fixRpFilter, true);
    QCOMPARE(merged->autoClaim, false);
    QCOMPARE(merged->portForwarding, false);
    QCOMPARE(merged->balance, true);
    QCOMPARE(merged->fastFailover, false);

    // Flags switch their own direction only.
    merged = mergeConfig(NetworkConfig {},
        parse({u"--fix-rp-filter"_s,
                  u"--no-auto-claim"_s,
                  u"--no-port-forwarding"_s,
                  u"--balance"_s,
                  u"--no-fast-failover"_s})
            .value());
    QVERIFY(merged.ok());
    QCOMPARE(merged->fixRpFilter, true);
    QCOMPARE(merged->autoClaim, false);
    QCOMPARE(merged->portForwarding, false);
    QCOMPARE(merged->balance, true);
    QCOMPARE(merged->fastFailover, false);
}

void tst_CommandLine::mergeStatsdPrefix()
{
    const Result<NetworkConfig> bad = mergeConfig(NetworkConfig {}, parse({u"--statsd-prefix"_s, u"x"_s}).value());
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, u"bad-usage"_s);
    QCOMPARE(bad.error().message, u"--statsd-prefix requires --statsd-server (or statsd.server in the config file)"_s);

    NetworkConfig file;
    file.statsdServer = u"localhost:8125"_s;
    const Result<NetworkConfig> good = mergeConfig(file, parse({u"--statsd-prefix"_s, u"x"_s}).value());
    QVERIFY(good.ok());
    QCOMPARE(good->statsdPrefix, std::optional(u"x"_s));
}

void tst_CommandLine::mergeThenValidate()
{
    // No file, no flags: the run check names every way to give a password.
    const Result<NetworkConfig> merged = mergeConfig(NetworkConfig {}, parse({u"--ip"_s, u"10.0.0.1"_s}).value());
    QVERIFY(merged.ok());
    const Result<Ok> run = validateForRun(merged.value());
    QVERIFY(!run.ok());
    QCOMPARE(run.error().message,
        u"no password or private key given (use --password, --password-file, NIMBUS_PASSWORD or "
        "crypto.password)"_s);

    const Result<NetworkConfig> withEnv
        = mergeConfig(NetworkConfig {}, parse({}, Env {{u"NIMBUS_PASSWORD"_s, u"pw"_s}}).value());
    QVERIFY(withEnv.ok());
    QVERIFY(validateForRun(withEnv.value()).ok());
}

void tst_CommandLine::helpText()
{
    const QString help = Nimbus::helpText();
    const QStringList flags = {
        u"--config"_s,
        u"--type"_s,
        u"-t,"_s,
        u"--device"_s,
        u"-d,"_s,
        u"--device-path"_s,
        u"--fix-rp-filter"_s,
        u"--mode"_s,
        u"-m,"_s,
        u"--password"_s,
        u"-p,"_s,
        u"--private-key"_s,
        u"--key"_s,
        u"--public-key"_s,
        u"--trusted-key"_s,
        u"--trust"_s,
        u"--algorithm"_s,
        u"--algo"_s,
        u"--claim"_s,
        u"--no-auto-claim"_s,
        u"--listen"_s,
        u"-l,"_s,
        u"--peer"_s,
        u"--connect"_s,
        u"-c,"_s,
        u"--peer-timeout"_s,
        u"--keepalive"_s,
        u"--switch-timeout"_s,
        u"--beacon-store"_s,
        u"--beacon-load"_s,
        u"--beacon-interval"_s,
        u"--beacon-password"_s,
        u"--ip"_s,
        u"--advertise_addresses"_s,
        u"--ifup"_s,
        u"--ifdown"_s,
        u"--no-port-forwarding"_s,
        u"--daemon"_s,
        u"--pid-file"_s,
        u"--stats-file"_s,
        u"--statsd-server"_s,
        u"--statsd-prefix"_s,
        u"--user"_s,
        u"--group"_s,
        u"--log-file"_s,
        u"--hook"_s,
        u"--verbose"_s,
        u"-v,"_s,
        u"--quiet"_s,
        u"-q,"_s,
        u"--version"_s,
        u"--help"_s,
        u"-h,"_s,
        u"genkey"_s,
        u"--password-file"_s,
        u"--service"_s,
        u"--control-socket"_s,
        u"--balance"_s,
        u"--no-fast-failover"_s,
        u"NIMBUS_PASSWORD"_s,
        u"PASSWORD"_s,
        u"PRIVATE_KEY"_s,
    };
    for (const QString &flag : flags)
        QVERIFY2(help.contains(flag), qPrintable(flag));
    // Defaults and exit codes.
    for (const QString &text : {u"default: 3210"_s,
             u"default: 300"_s,
             u"does not support beacons"_s,
             u"does no UPnP"_s,
             u"default: vpncloud%d"_s,
             u"default: /dev/net/tun"_s,
             u"default: tun"_s,
             u"default: normal"_s,
             u"Exit status"_s,
             u"  0  "_s,
             u"  1  "_s,
             u"  2  bad usage or configuration"_s})
        QVERIFY2(help.contains(text), qPrintable(text));
    // Every line fits a terminal.
    for (const QString &line : help.split(u'\n'))
        QVERIFY2(line.size() <= 110, qPrintable(line));
}

QTEST_APPLESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
