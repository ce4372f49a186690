#include <QSet>
#include <QTest>

#include "core/wire/socketaddress.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::SocketAddress;

class tst_SocketAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultIsUnspecified();
    void ipv4AndMappedAreEqual();
    void rawBytesConstructors();
    void differentPortsDiffer();
    void parse_data();
    void parse();
    void parseRejects_data();
    void parseRejects();
    void toString_data();
    void toString();
    void addressIsPlainIpv4WhenMapped();
    void withV4FormOnlyForMapped();
    void unspecified();
    void usableInSet();
};

void tst_SocketAddress::defaultIsUnspecified()
{
    const SocketAddress address;
    QVERIFY(address.isUnspecified());
    QCOMPARE(address.port(), quint16(0));
    QVERIFY(!address.isIpv4Mapped());
    QCOMPARE(address.toString(), u"[::]:0"_s);
    QCOMPARE(SocketAddress(QHostAddress(), 5), SocketAddress(QHostAddress(u"::"_s), 5));
}

void tst_SocketAddress::ipv4AndMappedAreEqual()
{
    const SocketAddress plain(QHostAddress(u"1.2.3.4"_s), 3210);
    const SocketAddress mapped(QHostAddress(u"::ffff:1.2.3.4"_s), 3210);
    QCOMPARE(plain, mapped);
    QCOMPARE(qHash(plain), qHash(mapped));
    QCOMPARE(qHash(plain, 42), qHash(mapped, 42));
    QVERIFY(plain.isIpv4Mapped());
    QVERIFY(mapped.isIpv4Mapped());
    QVERIFY(plain.isV4Form());
    QVERIFY(!mapped.isV4Form());
    QCOMPARE(plain <=> mapped, std::strong_ordering::equal);

    const std::array<quint8, 16> expected {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4};
    QCOMPARE(plain.ipv6Bytes(), expected);
    QCOMPARE(mapped.ipv6Bytes(), expected);
}

void tst_SocketAddress::rawBytesConstructors()
{
    const quint8 v4[4] = {192, 0, 2, 1};
    const quint8 v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
    const SocketAddress fromV4 = SocketAddress::fromIpv4Bytes(v4, 3210);
    const SocketAddress fromV6 = SocketAddress::fromIpv6Bytes(v6, 3210);
    QCOMPARE(fromV4, fromV6);
    QCOMPARE(qHash(fromV4), qHash(fromV6));
    QVERIFY(fromV4.isV4Form());
    QVERIFY(!fromV6.isV4Form());
    QCOMPARE(fromV4.toString(), u"192.0.2.1:3210"_s);
    QCOMPARE(fromV6.toString(), u"192.0.2.1:3210"_s);

    const quint8 doc[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const SocketAddress v6Only = SocketAddress::fromIpv6Bytes(doc, 1);
    QVERIFY(!v6Only.isIpv4Mapped());
    QCOMPARE(v6Only, SocketAddress(QHostAddress(u"2001:db8::1"_s), 1));
}

void tst_SocketAddress::differentPortsDiffer()
{
    const SocketAddress a(QHostAddress(u"1.2.3.4"_s), 3210);
    const SocketAddress b(QHostAddress(u"1.2.3.4"_s), 3211);
    QVERIFY(a != b);
    QVERIFY(a < b);
    QVERIFY(SocketAddress(QHostAddress(u"1.2.3.4"_s), 1) != SocketAddress(QHostAddress(u"1.2.3.5"_s), 1));
}

void tst_SocketAddress::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("defaultPort"); // -1: none
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("v4Form");

    QTest::newRow("ipv4 with port") << u"1.2.3.4:3210"_s << -1 << u"1.2.3.4:3210"_s << true;
    QTest::newRow("ipv6 with port") << u"[2001:db8::1]:3210"_s << -1 << u"[2001:db8::1]:3210"_s << false;
    QTest::newRow("ipv4 default port") << u"1.2.3.4"_s << 3210 << u"1.2.3.4:3210"_s << true;
    QTest::newRow("explicit port wins") << u"1.2.3.4:99"_s << 3210 << u"1.2.3.4:99"_s << true;
    QTest::newRow("mapped bracketed") << u"[::ffff:1.2.3.4]:3210"_s << -1 << u"1.2.3.4:3210"_s << false;
    QTest::newRow("mapped bare default port") << u"::ffff:1.2.3.4"_s << 3210 << u"1.2.3.4:3210"_s << false;
    QTest::newRow("bracketed no port") << u"[2001:db8::1]"_s << 3210 << u"[2001:db8::1]:3210"_s << false;
    QTest::newRow("bare ipv6 default port") << u"2001:db8::1"_s << 3210 << u"[2001:db8::1]:3210"_s << false;
    QTest::newRow("uncompressed ipv6") << u"[2001:0db8:0000:0000:0000:0000:0000:0001]:1"_s << -1 << u"[2001:db8::1]:1"_s
                                       << false;
    QTest::newRow("upper case ipv6") << u"[FD00::ABCD]:3210"_s << -1 << u"[fd00::abcd]:3210"_s << false;
    QTest::newRow("any ipv6") << u"[::]:3210"_s << -1 << u"[::]:3210"_s << false;
    QTest::newRow("zero ipv4") << u"0.0.0.0:3210"_s << -1 << u"0.0.0.0:3210"_s << true;
    QTest::newRow("max port") << u"255.255.255.255:65535"_s << -1 << u"255.255.255.255:65535"_s << true;
}

void tst_SocketAddress::parse()
{
    QFETCH(QString, text);
    QFETCH(int, defaultPort);
    QFETCH(QString, expected);
    QFETCH(bool, v4Form);

    const std::optional<quint16> port
        = defaultPort < 0 ? std::nullopt : std::optional<quint16>(static_cast<quint16>(defaultPort));
    const auto parsed = SocketAddress::parse(text, port);
    QVERIFY2(parsed.has_value(), qPrintable(text));
    QCOMPARE(parsed->toString(), expected);
    QCOMPARE(parsed->isV4Form(), v4Form);
    // The printed form parses back to the same endpoint.
    QCOMPARE(SocketAddress::parse(parsed->toString()), parsed);
}

void tst_SocketAddress::parseRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("defaultPort");

    QTest::newRow("empty") << QString() << 3210;
    QTest::newRow("no port, no default") << u"1.2.3.4"_s << -1;
    QTest::newRow("bracketed, no port, no default") << u"[::1]"_s << -1;
    QTest::newRow("bare ipv6, no default") << u"2001:db8::1"_s << -1;
    QTest::newRow("three parts") << u"1.2.3:3210"_s << -1;
    QTest::newRow("five parts") << u"1.2.3.4.5:3210"_s << -1;
    QTest::newRow("octet too large") << u"256.1.1.1:3210"_s << -1;
    QTest::newRow("leading zero") << u"01.2.3.4:3210"_s << -1;
    QTest::newRow("empty octet") << u"1..3.4:3210"_s << -1;
    QTest::newRow("empty port") << u"1.2.3.4:"_s << -1;
    QTest::newRow("port too large") << u"1.2.3.4:65536"_s << -1;
    QTest::newRow("port not numeric") << u"1.2.3.4:abc"_s << -1;
    QTest::newRow("negative port") << u"1.2.3.4:-1"_s << -1;
    QTest::newRow("host name") << u"example.com:3210"_s << -1;
    QTest::newRow("host name default port") << u"localhost"_s << 3210;
    QTest::newRow("unclosed bracket") << u"[::1:3210"_s << -1;
    QTest::newRow("junk after bracket") << u"[::1]x3210"_s << -1;
    QTest::newRow("bracketed ipv4") << u"[1.2.3.4]:3210"_s << -1;
    QTest::newRow("scope id") << u"[fe80::1%eth0]:3210"_s << -1;
    QTest::newRow("leading space") << u" 1.2.3.4:3210"_s << -1;
    QTest::newRow("trailing space") << u"1.2.3.4:3210 "_s << -1;
    QTest::newRow("bad ipv6") << u"[2001:db8:::1]:3210"_s << -1;
    QTest::newRow("too many groups") << u"[1:2:3:4:5:6:7:8:9]:3210"_s << -1;
    QTest::newRow("only colon") << u":"_s << 3210;
}

void tst_SocketAddress::parseRejects()
{
    QFETCH(QString, text);
    QFETCH(int, defaultPort);
    const std::optional<quint16> port
        = defaultPort < 0 ? std::nullopt : std::optional<quint16>(static_cast<quint16>(defaultPort));
    QVERIFY2(!SocketAddress::parse(text, port).has_value(), qPrintable(text));
}

void tst_SocketAddress::toString_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("expected");

    QTest::newRow("ipv4") << u"192.0.2.11"_s << 3210 << u"192.0.2.11:3210"_s;
    QTest::newRow("mapped") << u"::ffff:192.0.2.11"_s << 3210 << u"192.0.2.11:3210"_s;
    QTest::newRow("ipv6") << u"2001:db8::1"_s << 3210 << u"[2001:db8::1]:3210"_s;
    QTest::newRow("loopback v6") << u"::1"_s << 1 << u"[::1]:1"_s;
    QTest::newRow("full v6") << u"fd00:1:2:3:4:5:6:7"_s << 65535 << u"[fd00:1:2:3:4:5:6:7]:65535"_s;
}

void tst_SocketAddress::toString()
{
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(QString, expected);
    QCOMPARE(SocketAddress(QHostAddress(address), static_cast<quint16>(port)).toString(), expected);
}

void tst_SocketAddress::addressIsPlainIpv4WhenMapped()
{
    const SocketAddress mapped(QHostAddress(u"::ffff:10.0.0.1"_s), 1);
    QCOMPARE(mapped.address().protocol(), QAbstractSocket::IPv4Protocol);
    QCOMPARE(mapped.address(), QHostAddress(u"10.0.0.1"_s));

    const SocketAddress v6(QHostAddress(u"2001:db8::5"_s), 1);
    QCOMPARE(v6.address().protocol(), QAbstractSocket::IPv6Protocol);
    QCOMPARE(v6.address(), QHostAddress(u"2001:db8::5"_s));
}

void tst_SocketAddress::withV4FormOnlyForMapped()
{
    const SocketAddress mapped(QHostAddress(u"::ffff:10.0.0.1"_s), 1);
    QVERIFY(mapped.withV4Form(true).isV4Form());
    QVERIFY(!mapped.withV4Form(true).withV4Form(false).isV4Form());
    QCOMPARE(mapped.withV4Form(true), mapped);

    const SocketAddress v6(QHostAddress(u"2001:db8::5"_s), 1);
    QVERIFY(!v6.withV4Form(true).isV4Form());
}

void tst_SocketAddress::unspecified()
{
    QVERIFY(SocketAddress::parse(u"[::]:1"_s)->isUnspecified());
    QVERIFY(SocketAddress::parse(u"0.0.0.0:1"_s)->isUnspecified());
    QVERIFY(!SocketAddress::parse(u"[::1]:1"_s)->isUnspecified());
    QVERIFY(!SocketAddress::parse(u"0.0.0.1:1"_s)->isUnspecified());
}

void tst_SocketAddress::usableInSet()
{
    QSet<SocketAddress> set;
    set.insert(*SocketAddress::parse(u"1.2.3.4:3210"_s));
    set.insert(*SocketAddress::parse(u"[::ffff:1.2.3.4]:3210"_s));
    set.insert(*SocketAddress::parse(u"1.2.3.4:3211"_s));
    QCOMPARE(set.size(), 2);
    QVERIFY(set.contains(SocketAddress(QHostAddress(u"::ffff:1.2.3.4"_s), 3210)));
}

QTEST_APPLESS_MAIN(tst_SocketAddress)
#include "tst_socketaddress.moc"
