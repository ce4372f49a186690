// The address policy for networks non-admin clients connect (core/config/addresspolicy.h): every rule, the
// admin's allowed ranges and the overlap with the host's addresses and routes.
#include <QTest>

#include "core/config/addresspolicy.h"
#include "core/config/commandline.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;

namespace
{

Ipv4Prefix prefix(const QString &text)
{
    return Ipv4Prefix::parse(text).value();
}

/// A host like a laptop on a home LAN: a default route, its LAN, loopback and a docker bridge.
QList<HostRoute> laptop()
{
    return {
        {prefix(u"0.0.0.0/0"_s), u"wlan0"_s},
        {prefix(u"192.168.1.23/24"_s), u"wlan0"_s},
        {prefix(u"192.168.1.0/24"_s), u"wlan0"_s},
        {prefix(u"127.0.0.1/8"_s), u"lo"_s},
        {prefix(u"172.17.0.1/16"_s), u"docker0"_s},
        {prefix(u"10.20.0.0/16"_s), u"tun0"_s},
    };
}

} // namespace

class tst_AddressPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void overlaps();
    void rules_data();
    void rules();
    void allowedRanges();
    void ownDevicesDoNotCount();
    void messageNamesTheRule_data();
    void messageNamesTheRule();
    void allowRangeOption();
};

void tst_AddressPolicy::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("network");
    QTest::addRow("with prefix") << u"10.1.2.3/16"_s << true << u"10.1.0.0/16"_s;
    QTest::addRow("default length") << u"10.1.2.3"_s << true << u"10.1.2.3/32"_s;
    QTest::addRow("/0") << u"8.8.8.8/0"_s << true << u"0.0.0.0/0"_s;
    QTest::addRow("/33") << u"10.0.0.1/33"_s << false << QString();
    QTest::addRow("negative") << u"10.0.0.1/-1"_s << false << QString();
    QTest::addRow("empty prefix") << u"10.0.0.1/"_s << false << QString();
    QTest::addRow("ipv6") << u"fd00::1/64"_s << false << QString();
    QTest::addRow("name") << u"example.org/24"_s << false << QString();
}

void tst_AddressPolicy::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, network);
    const std::optional<Ipv4Prefix> parsed = Ipv4Prefix::parse(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(parsed->toString(), network);
}

void tst_AddressPolicy::overlaps()
{
    QVERIFY(prefix(u"10.0.0.0/8"_s).contains(prefix(u"10.1.0.0/16"_s)));
    QVERIFY(!prefix(u"10.1.0.0/16"_s).contains(prefix(u"10.0.0.0/8"_s)));
    QVERIFY(prefix(u"10.1.0.0/16"_s).overlaps(prefix(u"10.0.0.0/8"_s)));
    QVERIFY(prefix(u"10.0.0.0/8"_s).overlaps(prefix(u"10.1.0.0/16"_s)));
    QVERIFY(!prefix(u"10.1.0.0/16"_s).overlaps(prefix(u"10.2.0.0/16"_s)));
    QVERIFY(prefix(u"0.0.0.0/0"_s).overlaps(prefix(u"8.8.8.8/32"_s)));
}

void tst_AddressPolicy::rules_data()
{
    QTest::addColumn<QString>("ip");
    QTest::addColumn<bool>("allowed");
    // The hijacks: half the Internet, a quarter of it, a public host, the LAN's gateway.
    QTest::addRow("128.0.0.1/1") << u"128.0.0.1/1"_s << false;
    QTest::addRow("64.0.0.1/2") << u"64.0.0.1/2"_s << false;
    QTest::addRow("8.8.8.8/32") << u"8.8.8.8/32"_s << false;
    QTest::addRow("gateway") << u"192.168.1.1/32"_s << false;
    QTest::addRow("LAN subnet") << u"192.168.1.200/24"_s << false;
    QTest::addRow("wider than the LAN") << u"192.168.0.5/16"_s << false;
    QTest::addRow("docker bridge") << u"172.17.5.5/24"_s << false;
    QTest::addRow("other VPN route") << u"10.20.30.1/24"_s << false;
    QTest::addRow("wider than /8 in private") << u"10.0.0.1/7"_s << false;
    QTest::addRow("/8 overlapping another VPN") << u"10.0.0.1/8"_s << false;
    QTest::addRow("public default /24") << u"1.2.3.4"_s << false;
    QTest::addRow("172.0.0.1/8 leaves 172.16/12") << u"172.0.0.1/8"_s << false;
    QTest::addRow("loopback") << u"127.0.0.2/32"_s << false;
    // Fine: private or CGNAT, no overlap.
    QTest::addRow("10.x/24") << u"10.0.0.100/24"_s << true;
    QTest::addRow("10.x without prefix") << u"10.9.9.9"_s << true;
    QTest::addRow("172.16/12") << u"172.16.5.1/24"_s << true;
    QTest::addRow("172.31.x") << u"172.31.255.1/16"_s << true;
    QTest::addRow("192.168 other subnet") << u"192.168.50.1/24"_s << true;
    QTest::addRow("CGNAT") << u"100.64.1.1/16"_s << true;
    QTest::addRow("CGNAT /10") << u"100.100.0.1/10"_s << true;
}

void tst_AddressPolicy::rules()
{
    QFETCH(QString, ip);
    QFETCH(bool, allowed);
    const std::optional<QString> refused = AddressPolicy::checkDeviceAddress(ip, {}, laptop(), {});
    QVERIFY2(refused.has_value() != allowed, qPrintable(refused.value_or(u"allowed"_s)));
}

void tst_AddressPolicy::allowedRanges()
{
    const AddressPolicySettings settings {{prefix(u"198.51.100.0/24"_s)}};
    QVERIFY(AddressPolicy::checkDeviceAddress(u"198.51.100.7/24"_s, {}, laptop(), {}));
    QVERIFY(!AddressPolicy::checkDeviceAddress(u"198.51.100.7/24"_s, settings, laptop(), {}));
    QVERIFY(!AddressPolicy::checkDeviceAddress(u"198.51.100.7/28"_s, settings, laptop(), {}));
    // The subnet must lie in the range, not just the address.
    QVERIFY(AddressPolicy::checkDeviceAddress(u"198.51.100.7/23"_s, settings, laptop(), {}));
    // An allowed range does not lift the minimum prefix length, nor the overlap rule.
    const AddressPolicySettings wide {{prefix(u"128.0.0.0/1"_s)}};
    QVERIFY(!AddressPolicy::checkDeviceAddress(u"128.0.0.1/24"_s, wide, laptop(), {}));
    QVERIFY(AddressPolicy::checkDeviceAddress(u"128.0.0.1/1"_s, wide, laptop(), {}));
    const QList<HostRoute> withRoute = laptop() + QList<HostRoute> {{prefix(u"198.51.100.0/25"_s), u"eth1"_s}};
    QVERIFY(AddressPolicy::checkDeviceAddress(u"198.51.100.7/24"_s, settings, withRoute, {}));
}

void tst_AddressPolicy::ownDevicesDoNotCount()
{
    const QList<HostRoute> host = laptop() + QList<HostRoute> {{prefix(u"10.5.0.1/24"_s), u"nimbus0"_s}};
    QVERIFY(AddressPolicy::checkDeviceAddress(u"10.5.0.2/24"_s, {}, host, {}));
    QVERIFY(!AddressPolicy::checkDeviceAddress(u"10.5.0.2/24"_s, {}, host, {u"nimbus0"_s}));
    // Only the named devices: the other VPN's route still counts.
    QVERIFY(AddressPolicy::checkDeviceAddress(u"10.20.0.2/24"_s, {}, host, {u"nimbus0"_s}));
    // The default route never counts (every VPN subnet is inside it).
    QVERIFY(!AddressPolicy::checkDeviceAddress(u"10.6.0.1/24"_s, {}, {{prefix(u"0.0.0.0/0"_s), u"eth0"_s}}, {}));
}

void tst_AddressPolicy::messageNamesTheRule_data()
{
    QTest::addColumn<QString>("ip");
    QTest::addColumn<QString>("expected");
    QTest::addRow("prefix") << u"128.0.0.1/1"_s << u"the prefix /1 is wider than /8"_s;
    QTest::addRow("range") << u"8.8.8.8/32"_s << u"8.8.8.8/32 is not in a private range"_s;
    QTest::addRow("overlap") << u"192.168.1.1/32"_s << u"192.168.1.1/32 overlaps 192.168.1.0/24 of device wlan0"_s;
    QTest::addRow("not an address") << u"nonsense"_s << u"is not an IPv4 address"_s;
}

void tst_AddressPolicy::messageNamesTheRule()
{
    QFETCH(QString, ip);
    QFETCH(QString, expected);
    const std::optional<QString> refused = AddressPolicy::checkDeviceAddress(ip, {}, laptop(), {});
    QVERIFY(refused);
    QVERIFY2(refused->contains(expected), qPrintable(*refused));
    QVERIFY2(refused->startsWith(u"ip "_s), qPrintable(*refused));
}

void tst_AddressPolicy::allowRangeOption()
{
    const QString helper = u"nimbus-helper"_s;
    Result<CommandLine> cli = parseCommandLine(
        {helper, u"--service"_s, u"--allow-range"_s, u"198.51.100.0/24,203.0.113.0/25"_s, u"--allow-range=1.0.0.0/8"_s},
        {});
    QVERIFY2(cli, qPrintable(cli ? QString() : cli.error().message));
    QCOMPARE(cli->action, CliAction::RunService);
    QCOMPARE(cli->allowRanges, (QStringList {u"198.51.100.0/24"_s, u"203.0.113.0/25"_s, u"1.0.0.0/8"_s}));
    for (const QString &bad : {u"198.51.100.0"_s, u"fd00::/8"_s, u"10.0.0.0/40"_s}) {
        const Result<CommandLine> refused = parseCommandLine({helper, u"--service"_s, u"--allow-range"_s, bad}, {});
        QVERIFY2(!refused, qPrintable(bad));
        QVERIFY2(refused.error().message.contains(u"--allow-range"_s), qPrintable(refused.error().message));
    }
    QVERIFY(helpText().contains(u"--allow-range CIDR"_s));
}

QTEST_APPLESS_MAIN(tst_AddressPolicy)
#include "tst_addresspolicy.moc"
