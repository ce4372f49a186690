#include <QTest>

#include "core/wire/packetaddress.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::DeviceType;
using Nimbus::Test::fromHex;

Q_DECLARE_METATYPE(Nimbus::DeviceType)

class tst_PacketAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void extract_data();
    void extract();
    void rejected_data();
    void rejected();
    void broadcastOrMulticast_data();
    void broadcastOrMulticast();
};

void tst_PacketAddress::extract_data()
{
    QTest::addColumn<DeviceType>("type");
    QTest::addColumn<QByteArray>("packet");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("destination");

    // The ICMP echo request from keylog-default (DATA plaintext without the type byte).
    const QByteArray ping
        = fromHex("4500003c384640004001ec780a0001010a000102080038c0266c0001f082066b00000000659900000000"
                  "00000123456789abcdef0123456789abcdef");
    QTest::newRow("ipv4 ping") << DeviceType::Tun << ping << fromHex("0a000101") << fromHex("0a000102");
    const QByteArray ipv4Header = fromHex("45000014 00000000 4011 0000 c0a80001 e0000001");
    QTest::newRow("ipv4 bare header") << DeviceType::Tun << ipv4Header << fromHex("c0a80001") << fromHex("e0000001");

    const QByteArray ipv6Header = fromHex("60000000 0000 3a40 fd000000000000000000000000000001"
                                          "ff020000000000000000000000000001");
    QTest::newRow("ipv6 bare header") << DeviceType::Tun << ipv6Header << fromHex("fd000000000000000000000000000001")
                                      << fromHex("ff020000000000000000000000000001");
    QTest::newRow("ipv6 with payload") << DeviceType::Tun << QByteArray(ipv6Header + QByteArray(8, 'p'))
                                       << fromHex("fd000000000000000000000000000001")
                                       << fromHex("ff020000000000000000000000000001");

    const QByteArray ethernet = fromHex("ffffffffffff 020000000001 0806") + QByteArray(28, 'a');
    QTest::newRow("tap arp broadcast") << DeviceType::Tap << ethernet << fromHex("020000000001")
                                       << fromHex("ffffffffffff");
    QTest::newRow("tap bare header") << DeviceType::Tap << fromHex("020000000002 020000000001 0800")
                                     << fromHex("020000000001") << fromHex("020000000002");

    QTest::newRow("vlan") << DeviceType::Tap
                          << QByteArray(fromHex("020000000002 020000000001 8100 0064 0800") + QByteArray(20, 'x'))
                          << fromHex("0064020000000001") << fromHex("0064020000000002");
    // Priority bits (PCP/DEI) are not part of the VLAN id.
    QTest::newRow("vlan with priority") << DeviceType::Tap << fromHex("020000000002 020000000001 8100 e00a")
                                        << fromHex("000a020000000001") << fromHex("000a020000000002");
    QTest::newRow("vlan 4095") << DeviceType::Tap << fromHex("020000000002 020000000001 8100 ffff")
                               << fromHex("0fff020000000001") << fromHex("0fff020000000002");
    // VLAN id 0 (priority tag) still gives 8-byte addresses (spec §7.2 quirk).
    QTest::newRow("vlan 0") << DeviceType::Tap << fromHex("020000000002 020000000001 8100 2000 0800")
                            << fromHex("0000020000000001") << fromHex("0000020000000002");
    // Only the outer tag counts (QinQ inner tag ignored).
    QTest::newRow("double tagged") << DeviceType::Tap << fromHex("020000000002 020000000001 8100 0005 8100 0006 0800")
                                   << fromHex("0005020000000001") << fromHex("0005020000000002");
    QTest::newRow("88a8 is not 802.1Q") << DeviceType::Tap << fromHex("020000000002 020000000001 88a8 0005")
                                        << fromHex("020000000001") << fromHex("020000000002");
}

void tst_PacketAddress::extract()
{
    QFETCH(DeviceType, type);
    QFETCH(QByteArray, packet);
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, destination);

    const auto addresses = Nimbus::extractAddresses(type, packet);
    QVERIFY(addresses.has_value());
    QCOMPARE(addresses->source, source);
    QCOMPARE(addresses->destination, destination);
}

void tst_PacketAddress::rejected_data()
{
    QTest::addColumn<DeviceType>("type");
    QTest::addColumn<QByteArray>("packet");

    const QByteArray ipv4Header = fromHex("45000014 00000000 4011 0000 c0a80001 e0000001");
    QTest::newRow("tun empty") << DeviceType::Tun << QByteArray();
    QTest::newRow("ipv4 19 bytes") << DeviceType::Tun << ipv4Header.first(19);
    QTest::newRow("ipv4 1 byte") << DeviceType::Tun << ipv4Header.first(1);
    const QByteArray ipv6Header = fromHex("60000000 0000 3a40 fd000000000000000000000000000001"
                                          "ff020000000000000000000000000001");
    QTest::newRow("ipv6 39 bytes") << DeviceType::Tun << ipv6Header.first(39);
    QTest::newRow("ipv6 20 bytes") << DeviceType::Tun << ipv6Header.first(20);
    QTest::newRow("ip version 5") << DeviceType::Tun << QByteArray(fromHex("55") + ipv6Header.sliced(1));
    QTest::newRow("ip version 0") << DeviceType::Tun << QByteArray(60, '\0');
    QTest::newRow("ethernet frame on tun")
        << DeviceType::Tun << QByteArray(fromHex("020000000002 020000000001 0800") + ipv4Header);
    QTest::newRow("tap empty") << DeviceType::Tap << QByteArray();
    QTest::newRow("tap 13 bytes") << DeviceType::Tap << fromHex("020000000002 020000000001 08");
    QTest::newRow("vlan 14 bytes") << DeviceType::Tap << fromHex("020000000002 020000000001 8100");
    QTest::newRow("vlan 15 bytes") << DeviceType::Tap << fromHex("020000000002 020000000001 8100 00");
}

void tst_PacketAddress::rejected()
{
    QFETCH(DeviceType, type);
    QFETCH(QByteArray, packet);
    QVERIFY(!Nimbus::extractAddresses(type, packet).has_value());
}

void tst_PacketAddress::broadcastOrMulticast_data()
{
    QTest::addColumn<DeviceType>("type");
    QTest::addColumn<QByteArray>("destination");
    QTest::addColumn<bool>("expected");

    QTest::newRow("ipv4 unicast") << DeviceType::Tun << fromHex("0a000102") << false;
    QTest::newRow("ipv4 224.0.0.1") << DeviceType::Tun << fromHex("e0000001") << true;
    QTest::newRow("ipv4 239.255.255.250") << DeviceType::Tun << fromHex("effffffa") << true;
    QTest::newRow("ipv4 240.0.0.1") << DeviceType::Tun << fromHex("f0000001") << false;
    QTest::newRow("ipv4 223.255.255.255") << DeviceType::Tun << fromHex("dfffffff") << false;
    QTest::newRow("ipv4 broadcast") << DeviceType::Tun << fromHex("ffffffff") << true;
    QTest::newRow("ipv6 unicast") << DeviceType::Tun << fromHex("fd000000000000000000000000000001") << false;
    QTest::newRow("ipv6 ff02::1") << DeviceType::Tun << fromHex("ff020000000000000000000000000001") << true;
    QTest::newRow("ipv6 fe80::1") << DeviceType::Tun << fromHex("fe800000000000000000000000000001") << false;
    QTest::newRow("tun odd length") << DeviceType::Tun << fromHex("ff") << false;
    QTest::newRow("mac unicast") << DeviceType::Tap << fromHex("020000000001") << false;
    QTest::newRow("mac broadcast") << DeviceType::Tap << fromHex("ffffffffffff") << true;
    QTest::newRow("mac ipv4 multicast") << DeviceType::Tap << fromHex("01005e000001") << true;
    QTest::newRow("mac ipv6 multicast") << DeviceType::Tap << fromHex("333300000001") << true;
    QTest::newRow("vlan mac unicast") << DeviceType::Tap << fromHex("0005020000000001") << false;
    QTest::newRow("vlan mac broadcast") << DeviceType::Tap << fromHex("0005ffffffffffff") << true;
    QTest::newRow("vlan id odd, mac unicast") << DeviceType::Tap << fromHex("0101020000000001") << false;
    QTest::newRow("tap empty") << DeviceType::Tap << QByteArray() << false;
}

void tst_PacketAddress::broadcastOrMulticast()
{
    QFETCH(DeviceType, type);
    QFETCH(QByteArray, destination);
    QFETCH(bool, expected);
    QCOMPARE(Nimbus::isBroadcastOrMulticast(type, destination), expected);
}

QTEST_APPLESS_MAIN(tst_PacketAddress)
#include "tst_packetaddress.moc"
