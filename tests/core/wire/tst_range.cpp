#include <QTest>

#include "core/wire/range.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::Range;

class tst_Range : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void host();
    void matches_data();
    void matches();
    void toString_data();
    void toString();
    void formatRoutingAddress_data();
    void formatRoutingAddress();
};

void tst_Range::parseValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<int>("prefix");

    QTest::newRow("ipv4 host") << u"10.0.0.1/32"_s << Nimbus::Test::fromHex("0a000001") << 32;
    QTest::newRow("ipv4 unmasked base") << u"10.0.1.7/24"_s << Nimbus::Test::fromHex("0a000107") << 24;
    QTest::newRow("ipv4 /0") << u"0.0.0.0/0"_s << Nimbus::Test::fromHex("00000000") << 0;
    QTest::newRow("ipv6 /64") << u"fd00::/64"_s << Nimbus::Test::fromHex("fd000000000000000000000000000000") << 64;
    QTest::newRow("ipv6 /128") << u"2001:db8::1/128"_s << Nimbus::Test::fromHex("20010db8000000000000000000000001")
                               << 128;
    QTest::newRow("ipv6 full form") << u"fd00:0000:0000:0000:0000:0000:0000:0001/64"_s
                                    << Nimbus::Test::fromHex("fd000000000000000000000000000001") << 64;
    QTest::newRow("mac /48") << u"aa:bb:cc:dd:ee:ff/48"_s << Nimbus::Test::fromHex("aabbccddeeff") << 48;
    QTest::newRow("mac upper case") << u"AA:BB:CC:DD:EE:0F/24"_s << Nimbus::Test::fromHex("aabbccddee0f") << 24;
    QTest::newRow("vlan mac") << u"vlan5/aa:bb:cc:dd:ee:ff/64"_s << Nimbus::Test::fromHex("0005aabbccddeeff") << 64;
    QTest::newRow("vlan max id") << u"vlan4095/00:11:22:33:44:55/64"_s << Nimbus::Test::fromHex("0fff001122334455")
                                 << 64;
}

void tst_Range::parseValid()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, address);
    QFETCH(int, prefix);

    const auto range = Range::parse(text);
    QVERIFY2(range.has_value(), qPrintable(text));
    QCOMPARE(range->address, address);
    QCOMPARE(int(range->prefixLength), prefix);
    // toString() output parses back to the same range.
    QCOMPARE(Range::parse(range->toString()), range);
    QCOMPARE(Range::parse(range->toDisplayString()), range);
}

void tst_Range::parseInvalid_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("missing prefix ipv4") << u"10.0.0.1"_s;
    QTest::newRow("missing prefix ipv6") << u"fd00::"_s;
    QTest::newRow("missing prefix mac") << u"aa:bb:cc:dd:ee:ff"_s;
    QTest::newRow("empty prefix") << u"10.0.0.1/"_s;
    QTest::newRow("ipv4 prefix too large") << u"10.0.0.1/33"_s;
    QTest::newRow("ipv6 prefix too large") << u"fd00::/129"_s;
    QTest::newRow("mac prefix too large") << u"aa:bb:cc:dd:ee:ff/49"_s;
    QTest::newRow("vlan prefix too large") << u"vlan1/aa:bb:cc:dd:ee:ff/65"_s;
    QTest::newRow("huge prefix") << u"10.0.0.1/4294967328"_s;
    QTest::newRow("negative prefix") << u"10.0.0.1/-1"_s;
    QTest::newRow("prefix with space") << u"10.0.0.1/ 24"_s;
    QTest::newRow("prefix hex") << u"10.0.0.1/0x18"_s;
    QTest::newRow("garbage") << u"hello/24"_s;
    QTest::newRow("host name") << u"example.com/24"_s;
    QTest::newRow("short ipv4") << u"10.0.1/24"_s;
    QTest::newRow("ipv4 octet") << u"10.0.0.256/24"_s;
    QTest::newRow("bad ipv6") << u"fd00:::1/64"_s;
    QTest::newRow("short mac") << u"aa:bb:cc:dd:ee/40"_s;
    QTest::newRow("mac one digit") << u"a:bb:cc:dd:ee:ff/48"_s;
    QTest::newRow("mac dashes") << u"aa-bb-cc-dd-ee-ff/48"_s;
    QTest::newRow("vlan id too large") << u"vlan4096/aa:bb:cc:dd:ee:ff/64"_s;
    QTest::newRow("vlan without id") << u"vlan/aa:bb:cc:dd:ee:ff/64"_s;
    QTest::newRow("two slashes") << u"10.0.0.1/24/24"_s;
    QTest::newRow("only slash") << u"/"_s;
}

void tst_Range::parseInvalid()
{
    QFETCH(QString, text);
    QVERIFY2(!Range::parse(text).has_value(), qPrintable(text));
}

void tst_Range::host()
{
    QCOMPARE(Range::host(Nimbus::Test::fromHex("0a000001")).prefixLength, quint8(32));
    QCOMPARE(Range::host(Nimbus::Test::fromHex("fd000000000000000000000000000001")).prefixLength, quint8(128));
    QCOMPARE(Range::host(Nimbus::Test::fromHex("aabbccddeeff")).prefixLength, quint8(48));
    QCOMPARE(Range::host(Nimbus::Test::fromHex("0005aabbccddeeff")).prefixLength, quint8(64));
    const Range range = Range::host(Nimbus::Test::fromHex("0a000001"));
    QCOMPARE(range.address, Nimbus::Test::fromHex("0a000001"));
    QVERIFY(range.matches(Nimbus::Test::fromHex("0a000001")));
    QVERIFY(!range.matches(Nimbus::Test::fromHex("0a000002")));
}

void tst_Range::matches_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<bool>("expected");

    const auto v4 = [](const char *hex) { return Nimbus::Test::fromHex(hex); };
    QTest::newRow("/24 inside") << u"10.0.1.7/24"_s << v4("0a0001fe") << true;
    QTest::newRow("/24 outside") << u"10.0.1.7/24"_s << v4("0a0002fe") << false;
    QTest::newRow("/32 same") << u"10.0.0.1/32"_s << v4("0a000001") << true;
    QTest::newRow("/32 last bit") << u"10.0.0.1/32"_s << v4("0a000000") << false;
    QTest::newRow("/0 anything") << u"10.0.0.1/0"_s << v4("c0a80101") << true;
    QTest::newRow("/0 length mismatch") << u"10.0.0.1/0"_s << v4("c0a8010100") << false;
    // Non-byte-aligned prefixes: 10.0.0.0/12 covers 10.0.0.0 - 10.15.255.255.
    QTest::newRow("/12 low") << u"10.0.0.0/12"_s << v4("0a0f0000") << true;
    QTest::newRow("/12 high end") << u"10.0.0.0/12"_s << v4("0a0fffff") << true;
    QTest::newRow("/12 just outside") << u"10.0.0.0/12"_s << v4("0a100000") << false;
    QTest::newRow("/25 inside") << u"192.168.1.0/25"_s << v4("c0a8017f") << true;
    QTest::newRow("/25 outside") << u"192.168.1.0/25"_s << v4("c0a80180") << false;
    QTest::newRow("/31 pair") << u"192.168.1.6/31"_s << v4("c0a80107") << true;
    QTest::newRow("/31 other pair") << u"192.168.1.6/31"_s << v4("c0a80108") << false;
    QTest::newRow("/1 top bit") << u"128.0.0.0/1"_s << v4("ffffffff") << true;
    QTest::newRow("/1 top bit clear") << u"128.0.0.0/1"_s << v4("7fffffff") << false;
    // The base is not masked: only the first prefix bits count.
    QTest::newRow("unmasked base") << u"10.0.0.255/8"_s << v4("0a636363") << true;
    QTest::newRow("ipv6 /64 inside") << u"fd00::/64"_s << v4("fd00000000000000ffffffffffffffff") << true;
    QTest::newRow("ipv6 /64 outside") << u"fd00::/64"_s << v4("fd00000000000001ffffffffffffffff") << false;
    QTest::newRow("ipv6 /67 inside") << u"fd00::/67"_s << v4("fd000000000000001fffffffffffffff") << true;
    QTest::newRow("ipv6 /67 outside") << u"fd00::/67"_s << v4("fd000000000000002000000000000000") << false;
    QTest::newRow("ipv4 range vs ipv6 address") << u"0.0.0.0/0"_s << v4("fd000000000000000000000000000000") << false;
    QTest::newRow("ipv6 range vs ipv4 address") << u"::/0"_s << v4("0a000001") << false;
    QTest::newRow("ipv4 vs mapped") << u"1.2.3.4/32"_s << v4("00000000000000000000ffff01020304") << false;
    QTest::newRow("mac host") << u"aa:bb:cc:dd:ee:ff/48"_s << v4("aabbccddeeff") << true;
    QTest::newRow("mac host other") << u"aa:bb:cc:dd:ee:ff/48"_s << v4("aabbccddeefe") << false;
    QTest::newRow("mac oui") << u"aa:bb:cc:00:00:00/24"_s << v4("aabbcc123456") << true;
    QTest::newRow("mac /23") << u"aa:bb:cc:00:00:00/23"_s << v4("aabbcd123456") << true;
    QTest::newRow("mac /23 outside") << u"aa:bb:cc:00:00:00/23"_s << v4("aabbce123456") << false;
    QTest::newRow("mac vs vlan mac") << u"aa:bb:cc:dd:ee:ff/48"_s << v4("0005aabbccddeeff") << false;
    QTest::newRow("vlan mac") << u"vlan5/aa:bb:cc:dd:ee:ff/64"_s << v4("0005aabbccddeeff") << true;
    QTest::newRow("vlan mac other vlan") << u"vlan5/aa:bb:cc:dd:ee:ff/64"_s << v4("0006aabbccddeeff") << false;
    QTest::newRow("vlan only") << u"vlan5/00:00:00:00:00:00/16"_s << v4("0005123456789abc") << true;
}

void tst_Range::matches()
{
    QFETCH(QString, range);
    QFETCH(QByteArray, address);
    QFETCH(bool, expected);
    const auto parsed = Range::parse(range);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->matches(address), expected);
}

void tst_Range::toString_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<int>("prefix");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("display");

    QTest::newRow("ipv4") << Nimbus::Test::fromHex("0a000001") << 32 << u"10.0.0.1/32"_s << u"10.0.0.1/32"_s;
    QTest::newRow("ipv6") << Nimbus::Test::fromHex("fd000000000000000000000000000000") << 64
                          << u"fd00:0000:0000:0000:0000:0000:0000:0000/64"_s << u"fd00::/64"_s;
    QTest::newRow("ipv6 mixed") << Nimbus::Test::fromHex("20010db8000000000000000000abcdef") << 128
                                << u"2001:0db8:0000:0000:0000:0000:00ab:cdef/128"_s << u"2001:db8::ab:cdef/128"_s;
    QTest::newRow("mac") << Nimbus::Test::fromHex("aabbccddeeff") << 48 << u"aa:bb:cc:dd:ee:ff/48"_s
                         << u"aa:bb:cc:dd:ee:ff/48"_s;
    QTest::newRow("vlan mac") << Nimbus::Test::fromHex("0fff0a0b0c0d0e0f") << 64 << u"vlan4095/0a:0b:0c:0d:0e:0f/64"_s
                              << u"vlan4095/0a:0b:0c:0d:0e:0f/64"_s;
    QTest::newRow("odd length from wire") << Nimbus::Test::fromHex("0102") << 9 << u"0102/9"_s << u"0102/9"_s;
}

void tst_Range::toString()
{
    QFETCH(QByteArray, address);
    QFETCH(int, prefix);
    QFETCH(QString, expected);
    QFETCH(QString, display);
    const Range range {address, static_cast<quint8>(prefix)};
    QCOMPARE(range.toString(), expected);
    QCOMPARE(range.toDisplayString(), display);
}

void tst_Range::formatRoutingAddress_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<QString>("expected");

    QTest::newRow("ipv4") << Nimbus::Test::fromHex("c0000201") << u"192.0.2.1"_s;
    QTest::newRow("ipv6") << Nimbus::Test::fromHex("20010db8000000000000000000000001") << u"2001:db8::1"_s;
    QTest::newRow("mac") << Nimbus::Test::fromHex("0200c0ffee01") << u"02:00:c0:ff:ee:01"_s;
    QTest::newRow("vlan mac") << Nimbus::Test::fromHex("00070200c0ffee01") << u"vlan7/02:00:c0:ff:ee:01"_s;
    QTest::newRow("empty") << QByteArray() << QString();
}

void tst_Range::formatRoutingAddress()
{
    QFETCH(QByteArray, address);
    QFETCH(QString, expected);
    QCOMPARE(Nimbus::formatRoutingAddress(address), expected);
}

QTEST_APPLESS_MAIN(tst_Range)
#include "tst_range.moc"
