#include <algorithm>
#include <initializer_list>
#include <vector>

#include <QTemporaryDir>
#include <QTest>

#include "helper/platform/linux/tundevice.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::DeviceType;

namespace
{

const QByteArray kHeader = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

QByteArray routeLine(const char *iface, const char *destination, const char *gateway, const char *mask)
{
    return QByteArray(iface) + '\t' + destination + '\t' + gateway + "\t0003\t0\t0\t0\t" + mask + "\t0\t0\t0\n";
}

// Joins the lines of a route table (QByteArray + QByteArray would be a QStringBuilder, not a QByteArray).
QByteArray table(std::initializer_list<QByteArray> lines)
{
    QByteArray result;
    for (const QByteArray &line : lines)
        result.append(line);
    return result;
}

QString writeRouteFile(const QTemporaryDir &dir, const QByteArray &content)
{
    const QString path = dir.filePath(u"route"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return QString();
    return path;
}

// Independent checksum helpers for the offload tests.
quint32 sum16(const QByteArray &bytes, quint32 sum = 0)
{
    for (qsizetype i = 0; i < bytes.size(); i += 2) {
        const quint32 high = quint8(bytes[i]);
        const quint32 low = i + 1 < bytes.size() ? quint8(bytes[i + 1]) : 0;
        sum += (high << 8) | low;
    }
    return sum;
}

quint16 fold(quint32 sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return quint16(sum);
}

quint16 be16(const QByteArray &b, qsizetype at)
{
    return quint16((quint8(b[at]) << 8) | quint8(b[at + 1]));
}

quint32 be32(const QByteArray &b, qsizetype at)
{
    return (quint32(be16(b, at)) << 16) | be16(b, at + 2);
}

void put16(QByteArray &b, qsizetype at, quint16 v)
{
    b[at] = char(v >> 8);
    b[at + 1] = char(v & 0xff);
}

void put32(QByteArray &b, qsizetype at, quint32 v)
{
    put16(b, at, quint16(v >> 16));
    put16(b, at + 2, quint16(v & 0xffff));
}

qsizetype ipHeaderLength(const QByteArray &packet)
{
    return (quint8(packet[0]) >> 4) == 4 ? (quint8(packet[0]) & 0x0f) * 4 : 40;
}

// The sum of the pseudo header for a transport segment of \a length bytes with protocol \a protocol.
quint32 pseudoSum(const QByteArray &packet, quint8 protocol, qsizetype length)
{
    const bool v4 = (quint8(packet[0]) >> 4) == 4;
    return sum16(v4 ? packet.mid(12, 8) : packet.mid(8, 32), protocol + quint32(length));
}

bool transportChecksumValid(const QByteArray &packet, quint8 protocol)
{
    const qsizetype ip = ipHeaderLength(packet);
    const QByteArray segment = packet.mid(ip);
    return fold(sum16(segment, pseudoSum(packet, protocol, segment.size()))) == 0xffff;
}

// An IPv4 (with \a optionWords 4-byte option words) or IPv6 TCP packet with a 12-byte TCP option block.
QByteArray tcpPacket(int version, int optionWords, const QByteArray &payload, quint8 flags, quint32 sequence)
{
    QByteArray ip;
    if (version == 4) {
        ip = QByteArray(20 + optionWords * 4, '\0');
        ip[0] = char(0x40 | (5 + optionWords));
        put16(ip, 4, 0xfffe); // the id wraps while segmenting
        ip[8] = 64;
        ip[9] = 6;
        put32(ip, 12, 0x0a010001);
        put32(ip, 16, 0x0a010002);
        for (int i = 20; i < ip.size(); ++i)
            ip[i] = char(1); // NOP options
    } else {
        ip = QByteArray(40, '\0');
        ip[0] = char(0x60);
        ip[6] = 6;
        ip[7] = 64;
        for (int i = 8; i < 40; ++i)
            ip[i] = char(0x20 + i);
    }
    QByteArray tcp(32, '\0');
    put16(tcp, 0, 40000);
    put16(tcp, 2, 5201);
    put32(tcp, 4, sequence);
    put32(tcp, 8, 0x12345678);
    tcp[12] = char(8 << 4);
    tcp[13] = char(flags);
    put16(tcp, 14, 500);
    for (int i = 20; i < 32; ++i)
        tcp[i] = char(1);
    QByteArray packet = ip + tcp + payload;
    if (version == 4)
        put16(packet, 2, quint16(packet.size()));
    else
        put16(packet, 4, quint16(packet.size() - 40));
    return packet;
}

} // namespace

class tst_LinuxDeviceMtu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultInterfaceFromRouteTable_data();
    void defaultInterfaceFromRouteTable();
    void overhead();
    void defaultInterfaceMtuFromFile();
    void defaultInterfaceMtuFallback_data();
    void defaultInterfaceMtuFallback();
    void tunMtuFollowsDefaultInterface();
    void interfaceQueriesRejectBadNames_data();
    void interfaceQueriesRejectBadNames();
    void segmentTcpPacket_data();
    void segmentTcpPacket();
    void segmentTcpPacketRejects();
    void completePartialChecksum();
};

void tst_LinuxDeviceMtu::defaultInterfaceFromRouteTable_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<QString>("expected");

    QTest::addRow("typical") << table({kHeader,
        routeLine("eth0", "00000000", "0101A8C0", "00000000"),
        routeLine("eth0", "0001A8C0", "00000000", "00FFFFFF")})
                             << u"eth0"_s;
    QTest::addRow("default not first") << table({kHeader,
        routeLine("docker0", "000011AC", "00000000", "0000FFFF"),
        routeLine("wlp2s0", "00000000", "FE01A8C0", "00000000"),
        routeLine("eth1", "00000000", "0102A8C0", "00000000")})
                                       << u"wlp2s0"_s;
    QTest::addRow("default without gateway")
        << table({kHeader, routeLine("ppp0", "00000000", "00000000", "00000000")}) << u"ppp0"_s;
    QTest::addRow("last gateway route") << table({kHeader,
        routeLine("eth0", "0000000A", "0100000A", "000000FF"),
        routeLine("eth1", "0001A8C0", "00000000", "00FFFFFF"),
        routeLine("eth2", "0000100A", "0100100A", "0000FFFF"),
        routeLine("eth3", "0002A8C0", "00000000", "00FFFFFF")})
                                        << u"eth2"_s;
    QTest::addRow("no route with a gateway")
        << table({kHeader, routeLine("eth0", "0001A8C0", "00000000", "00FFFFFF")}) << QString();
    QTest::addRow("header only") << kHeader << QString();
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("no trailing newline") << table(
        {kHeader, routeLine("eth0", "00000000", "0101A8C0", "00000000").chopped(1)})
                                         << u"eth0"_s;
    QTest::addRow("malformed lines skipped") << table(
        {kHeader, "garbage\n", "eth9\tzzzzzzzz\t00000000\n", "eth8\n", routeLine("eth0", "00000000", "0101A8C0", "0")})
                                             << u"eth0"_s;
    QTest::addRow("binary junk") << QByteArray("\0\xff\n\t\t\n", 6) << QString();
}

void tst_LinuxDeviceMtu::defaultInterfaceFromRouteTable()
{
    QFETCH(QByteArray, table);
    QFETCH(QString, expected);
    QCOMPARE(Nimbus::defaultInterfaceFromRouteTable(table), expected);
}

void tst_LinuxDeviceMtu::overhead()
{
    // Spec §1.6: 1500-byte uplink gives 1427 (TUN) / 1413 (TAP).
    QCOMPARE(Nimbus::deviceOverhead(DeviceType::Tun), 73);
    QCOMPARE(Nimbus::deviceOverhead(DeviceType::Tap), 87);
    QCOMPARE(Nimbus::kFallbackUplinkMtu - Nimbus::deviceOverhead(DeviceType::Tun), 1427);
    QCOMPARE(Nimbus::kFallbackUplinkMtu - Nimbus::deviceOverhead(DeviceType::Tap), 1413);
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFromFile()
{
    // The loopback interface exists everywhere; point the "default route" at it.
    const auto loMtu = Nimbus::interfaceMtu(u"lo"_s);
    QVERIFY2(loMtu.ok(), qPrintable(loMtu.ok() ? QString() : loMtu.error().message));
    QVERIFY(*loMtu > 0);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeRouteFile(dir, table({kHeader, routeLine("lo", "00000000", "00000000", "00000000")}));
    QVERIFY(!path.isEmpty());
    QCOMPARE(Nimbus::defaultInterfaceMtu(path), *loMtu);
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFallback_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<bool>("createFile");

    QTest::addRow("missing file") << QByteArray() << false;
    QTest::addRow("no default route") << kHeader << true;
    QTest::addRow("unknown interface") << table({kHeader, routeLine("nimbusnone0", "00000000", "0101A8C0", "00000000")})
                                       << true;
    QTest::addRow("invalid interface name")
        << table({kHeader, routeLine("a/b", "00000000", "0101A8C0", "00000000")}) << true;
}

void tst_LinuxDeviceMtu::defaultInterfaceMtuFallback()
{
    QFETCH(QByteArray, table);
    QFETCH(bool, createFile);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = createFile ? writeRouteFile(dir, table) : dir.filePath(u"missing"_s);
    QVERIFY(!path.isEmpty());
    QCOMPARE(Nimbus::defaultInterfaceMtu(path), 1500);
}

void tst_LinuxDeviceMtu::tunMtuFollowsDefaultInterface()
{
    const int uplink = Nimbus::defaultInterfaceMtu();
    QVERIFY(uplink > 0);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tun), uplink - 73);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tap), uplink - 87);
}

void tst_LinuxDeviceMtu::interfaceQueriesRejectBadNames_data()
{
    QTest::addColumn<QString>("name");

    QTest::addRow("empty") << QString();
    QTest::addRow("too long") << u"abcdefghijklmnop"_s;
    QTest::addRow("slash") << u"a/b"_s;
    QTest::addRow("space") << u"a b"_s;
    QTest::addRow("pattern") << u"nimbus%d"_s;
    QTest::addRow("missing") << u"nimbusnone0"_s;
}

void tst_LinuxDeviceMtu::interfaceQueriesRejectBadNames()
{
    QFETCH(QString, name);
    const auto mtu = Nimbus::interfaceMtu(name);
    QVERIFY(!mtu.ok());
    QVERIFY(!mtu.error().message.isEmpty());
    const auto address = Nimbus::interfaceIpv4Address(name);
    QVERIFY(!address.ok());
    QVERIFY(!address.error().message.isEmpty());
}

void tst_LinuxDeviceMtu::segmentTcpPacket_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("optionWords");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<int>("segmentSize");
    QTest::newRow("ipv4, three segments, last short") << 4 << 0 << 4000 << 1375;
    QTest::newRow("ipv4 with options, exact multiple") << 4 << 2 << 2750 << 1375;
    QTest::newRow("ipv4, one segment") << 4 << 0 << 1000 << 1375;
    QTest::newRow("ipv4, no payload") << 4 << 0 << 0 << 1375;
    QTest::newRow("ipv4, 64 KiB") << 4 << 0 << 65000 << 1375;
    QTest::newRow("ipv6, three segments") << 6 << 0 << 3001 << 1355;
    QTest::newRow("ipv6, 64 KiB") << 6 << 0 << 65000 << 1355;
}

void tst_LinuxDeviceMtu::segmentTcpPacket()
{
    QFETCH(int, version);
    QFETCH(int, optionWords);
    QFETCH(int, payloadSize);
    QFETCH(int, segmentSize);
    QByteArray payload(payloadSize, Qt::Uninitialized);
    for (int i = 0; i < payloadSize; ++i)
        payload[i] = char(i * 7 + i / 256);
    const quint8 flags = 0x80 | 0x10 | 0x08 | 0x01; // CWR ACK PSH FIN
    const quint32 sequence = 0xfffff000; // wraps while segmenting
    const QByteArray big = tcpPacket(version, optionWords, payload, flags, sequence);
    const qsizetype ip = ipHeaderLength(big);
    const qsizetype headers = ip + 32;

    std::vector<char> out(big.size() * 2 + 4096);
    std::vector<qsizetype> sizes {7}; // appended to, not replaced
    QVERIFY(Nimbus::segmentTcpPacket(big, segmentSize, out.data(), qsizetype(out.size()), sizes));
    const qsizetype count = payloadSize == 0 ? 1 : (payloadSize + segmentSize - 1) / segmentSize;
    QCOMPARE(qsizetype(sizes.size()), count + 1);
    QCOMPARE(sizes.front(), qsizetype(7));

    QByteArray joined;
    qsizetype offset = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray segment(out.data() + offset, sizes[size_t(i + 1)]);
        offset += segment.size();
        const qsizetype chunk = std::min<qsizetype>(segmentSize, payloadSize - i * segmentSize);
        QCOMPARE(segment.size(), headers + chunk);
        if (version == 4) {
            QCOMPARE(be16(segment, 2), quint16(segment.size()));
            QCOMPARE(be16(segment, 4), quint16(0xfffe + i));
            QCOMPARE(fold(sum16(segment.first(ip))), quint16(0xffff)); // header checksum valid
            QCOMPARE(segment.mid(6, 4), big.mid(6, 4)); // flags, TTL, protocol
            QCOMPARE(segment.mid(12, ip - 12), big.mid(12, ip - 12)); // addresses and options
        } else {
            QCOMPARE(be16(segment, 4), quint16(segment.size() - 40));
            QCOMPARE(segment.mid(6, 34), big.mid(6, 34));
        }
        QCOMPARE(be32(segment, ip + 4), quint32(sequence + quint32(i * segmentSize)));
        QCOMPARE(segment.mid(ip, 4), big.mid(ip, 4)); // ports
        QCOMPARE(segment.mid(ip + 8, 5), big.mid(ip + 8, 5)); // ack, data offset
        QCOMPARE(segment.mid(ip + 14, 2), big.mid(ip + 14, 2)); // window
        QCOMPARE(segment.mid(ip + 18, 14), big.mid(ip + 18, 14)); // urgent pointer, options
        quint8 expected = flags;
        if (i + 1 < count)
            expected &= quint8(~0x09);
        if (i > 0)
            expected &= quint8(~0x80);
        QCOMPARE(quint8(segment[ip + 13]), expected);
        QVERIFY2(transportChecksumValid(segment, 6), qPrintable(QString::number(i)));
        joined += segment.mid(headers);
    }
    QCOMPARE(joined, payload);
}

void tst_LinuxDeviceMtu::segmentTcpPacketRejects()
{
    const QByteArray good = tcpPacket(4, 0, QByteArray(3000, 'x'), 0x10, 1);
    std::vector<char> out(8192);
    std::vector<qsizetype> sizes;
    const auto segment = [&](const QByteArray &packet, int size, qsizetype capacity) {
        return Nimbus::segmentTcpPacket(packet, size, out.data(), capacity, sizes);
    };
    QVERIFY(!segment(good, 0, 8192)); // no segment size
    QVERIFY(!segment(good, 1000, 3000)); // no room for the headers of every packet
    QVERIFY(!segment(good.first(40), 1000, 8192)); // truncated TCP header
    QVERIFY(!segment(good.first(10), 1000, 8192)); // truncated IP header
    QVERIFY(!segment(QByteArray(), 1000, 8192));
    QByteArray udp = good;
    udp[9] = char(17);
    QVERIFY(!segment(udp, 1000, 8192));
    QByteArray badVersion = good;
    badVersion[0] = char(0x55);
    QVERIFY(!segment(badVersion, 1000, 8192));
    QByteArray v6 = tcpPacket(6, 0, QByteArray(3000, 'x'), 0x10, 1);
    v6[6] = char(0); // a hop-by-hop extension header
    QVERIFY(!segment(v6, 1000, 8192));
    QByteArray shortOffset = good;
    shortOffset[20 + 12] = char(4 << 4); // TCP data offset below 20 bytes
    QVERIFY(!segment(shortOffset, 1000, 8192));
    QVERIFY(sizes.empty());
    QVERIFY(!Nimbus::segmentTcpPacket(good, 1000, nullptr, 8192, sizes));
}

void tst_LinuxDeviceMtu::completePartialChecksum()
{
    for (const int version : {4, 6}) {
        for (const int payloadSize : {0, 1, 100, 1001}) {
            // A UDP packet as the kernel hands it over with NEEDS_CSUM: the field holds the pseudo-header sum.
            QByteArray packet = tcpPacket(version, 0, {}, 0, 0).first(version == 4 ? 20 : 40);
            packet[version == 4 ? 9 : 6] = char(17);
            QByteArray udp(8, '\0');
            put16(udp, 0, 1234);
            put16(udp, 2, 3210);
            put16(udp, 4, quint16(8 + payloadSize));
            for (int i = 0; i < payloadSize; ++i)
                udp.append(char(i * 13));
            packet += udp;
            const qsizetype start = version == 4 ? 20 : 40;
            put16(packet, start + 6, fold(pseudoSum(packet, 17, udp.size())));
            QVERIFY(Nimbus::completePartialChecksum(packet.data(), packet.size(), start, 6));
            QVERIFY(transportChecksumValid(packet, 17));
            QVERIFY(be16(packet, start + 6) != 0);
            const QByteArray before = packet;
            QVERIFY(!Nimbus::completePartialChecksum(packet.data(), packet.size(), start, udp.size() - 1));
            QVERIFY(!Nimbus::completePartialChecksum(packet.data(), packet.size(), packet.size(), 0));
            QVERIFY(!Nimbus::completePartialChecksum(packet.data(), packet.size(), -1, 0));
            QCOMPARE(packet, before);
        }
    }
}

QTEST_GUILESS_MAIN(tst_LinuxDeviceMtu)
#include "tst_linuxdevicemtu.moc"
