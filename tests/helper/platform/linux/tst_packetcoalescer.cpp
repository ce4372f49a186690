// PacketCoalescer as a pure function: which received TCP segments it merges into one large packet for the TUN
// device, and that every packet it hands out is exactly what the kernel expects (headers, virtio_net_hdr,
// partial checksum), checked by recomputing everything independently here.
#include <cstring>
#include <functional>

#include <sys/uio.h>

#include <QList>
#include <QTest>
#include <QtEndian>

#include "helper/platform/linux/packetcoalescer.h"
#include "helper/platform/linux/tundevice.h"

using Nimbus::PacketCoalescer;

namespace
{

constexpr quint8 kFin = 0x01;
constexpr quint8 kSyn = 0x02;
constexpr quint8 kRst = 0x04;
constexpr quint8 kPsh = 0x08;
constexpr quint8 kAck = 0x10;
constexpr quint8 kUrg = 0x20;
constexpr quint8 kEce = 0x40;
constexpr quint8 kCwr = 0x80;
constexpr qsizetype kVnet = PacketCoalescer::kVnetHeaderSize;

quint16 host16(const QByteArray &b, qsizetype at)
{
    quint16 value = 0;
    std::memcpy(&value, b.constData() + at, 2);
    return value;
}

// The plain RFC 1071 sum, one big-endian word at a time (independent of the code under test).
quint32 sum16(const QByteArray &data, quint32 sum = 0)
{
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        sum += qFromBigEndian<quint16>(data.constData() + i);
    if (data.size() % 2)
        sum += quint32(quint8(data[data.size() - 1])) << 8;
    return sum;
}

quint16 fold(quint32 sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return quint16(sum);
}

qsizetype ipHeaderLength(const QByteArray &p)
{
    return (quint8(p[0]) >> 4) == 4 ? (quint8(p[0]) & 0x0f) * 4 : 40;
}

qsizetype tcpHeaderLength(const QByteArray &p)
{
    return (quint8(p[ipHeaderLength(p) + 12]) >> 4) * 4;
}

quint32 pseudoSum(const QByteArray &p, qsizetype tcpLength)
{
    const bool v4 = (quint8(p[0]) >> 4) == 4;
    return sum16(v4 ? p.mid(12, 8) : p.mid(8, 32), 6 + quint32(tcpLength));
}

// Sets the IPv4 header checksum and the TCP checksum of \a p.
void fixChecksums(QByteArray &p)
{
    const qsizetype ip = ipHeaderLength(p);
    if ((quint8(p[0]) >> 4) == 4) {
        qToBigEndian<quint16>(0, p.data() + 10);
        qToBigEndian<quint16>(quint16(~fold(sum16(p.left(ip)))), p.data() + 10);
    }
    qToBigEndian<quint16>(0, p.data() + ip + 16);
    qToBigEndian<quint16>(quint16(~fold(sum16(p.mid(ip), pseudoSum(p, p.size() - ip)))), p.data() + ip + 16);
}

bool checksumsValid(const QByteArray &p)
{
    const qsizetype ip = ipHeaderLength(p);
    if ((quint8(p[0]) >> 4) == 4 && fold(sum16(p.left(ip))) != 0xffff)
        return false;
    return fold(sum16(p.mid(ip), pseudoSum(p, p.size() - ip))) == 0xffff;
}

// Describes one TCP segment; the defaults give a full-sized IPv4 data segment of flow A.
struct Segment {
    int version = 4;
    int flow = 0; ///< source port 40000 + flow
    quint32 sequence = 1000;
    quint32 ack = 0x12345678;
    quint8 flags = kAck;
    quint16 window = 500;
    int payload = 1000;
    quint16 id = 7;
    quint8 tos = 0;
    quint8 ttl = 64;
    bool dontFragment = true;
    quint32 timestamp = 0xabcdef; ///< TSval of the timestamp option
    int ipOptionWords = 0;
    quint32 flowLabel = 0x12345;
};

QByteArray payloadBytes(quint32 sequence, int size)
{
    QByteArray payload(size, '\0');
    for (int i = 0; i < size; ++i)
        payload[i] = char((sequence + quint32(i)) * 7 % 251);
    return payload;
}

QByteArray build(const Segment &s)
{
    QByteArray ip;
    if (s.version == 4) {
        ip = QByteArray(20 + s.ipOptionWords * 4, '\0');
        ip[0] = char(0x40 | (5 + s.ipOptionWords));
        ip[1] = char(s.tos);
        qToBigEndian<quint16>(s.id, ip.data() + 4);
        qToBigEndian<quint16>(s.dontFragment ? 0x4000 : 0, ip.data() + 6);
        ip[8] = char(s.ttl);
        ip[9] = 6;
        qToBigEndian<quint32>(0x0a010002, ip.data() + 12);
        qToBigEndian<quint32>(0x0a010001, ip.data() + 16);
        for (qsizetype i = 20; i < ip.size(); ++i)
            ip[i] = char(1); // NOP
    } else {
        ip = QByteArray(40, '\0');
        qToBigEndian<quint32>(0x60000000 | (quint32(s.tos) << 20) | (s.flowLabel & 0xfffff), ip.data());
        ip[6] = 6;
        ip[7] = char(s.ttl);
        ip[8] = char(0xfd);
        for (int i = 9; i < 40; ++i)
            ip[i] = char(i);
    }
    QByteArray tcp(32, '\0');
    qToBigEndian<quint16>(quint16(40000 + s.flow), tcp.data());
    qToBigEndian<quint16>(5201, tcp.data() + 2);
    qToBigEndian<quint32>(s.sequence, tcp.data() + 4);
    qToBigEndian<quint32>(s.ack, tcp.data() + 8);
    tcp[12] = char(8 << 4);
    tcp[13] = char(s.flags);
    qToBigEndian<quint16>(s.window, tcp.data() + 14);
    tcp[20] = 1; // NOP, NOP, timestamps (kind 8, length 10)
    tcp[21] = 1;
    tcp[22] = 8;
    tcp[23] = 10;
    qToBigEndian<quint32>(s.timestamp, tcp.data() + 24);
    qToBigEndian<quint32>(0x1111, tcp.data() + 28);
    QByteArray packet = ip + tcp + payloadBytes(s.sequence, s.payload);
    if (s.version == 4)
        qToBigEndian<quint16>(quint16(packet.size()), packet.data() + 2);
    else
        qToBigEndian<quint16>(quint16(packet.size() - 40), packet.data() + 4);
    fixChecksums(packet);
    return packet;
}

// \a count segments of one flow continuing each other, each \a payload bytes, ids counting up.
QList<Segment> run(int count, Segment s = {})
{
    QList<Segment> segments;
    for (int i = 0; i < count; ++i) {
        segments.append(s);
        s.sequence += quint32(s.payload);
        s.id = quint16(s.id + 1);
    }
    return segments;
}

QByteArray concat(std::span<const iovec> parts)
{
    QByteArray bytes;
    for (const iovec &part : parts)
        bytes.append(static_cast<const char *>(part.iov_base), qsizetype(part.iov_len));
    return bytes;
}

struct Written {
    QByteArray bytes; ///< virtio_net_hdr + packet
    QList<QByteArray> originals;
    int segments = 0;
    qsizetype size = 0;
};

QList<Written> coalesce(PacketCoalescer &coalescer, const QList<QByteArray> &packets)
{
    for (const QByteArray &packet : packets)
        coalescer.add(packet);
    QList<Written> out;
    coalescer.forEach([&](const PacketCoalescer::Output &output) {
        Written written {concat(output.parts), {}, output.segments, output.size};
        for (const iovec &original : output.originals)
            written.originals.append(concat(std::span<const iovec>(&original, 1)));
        out.append(written);
    });
    coalescer.clear();
    return out;
}

// What the kernel's GRO would make of \a packets: the first one's headers with the lengths fixed, every payload,
// PSH if the last one has it, and full checksums.
QByteArray expectedMerge(const QList<QByteArray> &packets)
{
    QByteArray merged = packets.first();
    for (qsizetype i = 1; i < packets.size(); ++i)
        merged += packets[i].mid(ipHeaderLength(packets[i]) + tcpHeaderLength(packets[i]));
    if ((quint8(merged[0]) >> 4) == 4)
        qToBigEndian<quint16>(quint16(merged.size()), merged.data() + 2);
    else
        qToBigEndian<quint16>(quint16(merged.size() - 40), merged.data() + 4);
    const qsizetype flagsAt = ipHeaderLength(merged) + 13;
    const QByteArray &last = packets.last();
    merged[flagsAt] = char(quint8(merged[flagsAt]) | (quint8(last[ipHeaderLength(last) + 13]) & kPsh));
    fixChecksums(merged);
    return merged;
}

} // namespace

Q_DECLARE_METATYPE(QList<Segment>)

class tst_PacketCoalescer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void merge_data();
    void merge();
    void passesAnythingElse_data();
    void passesAnythingElse();
    void boundsMergedSize_data();
    void boundsMergedSize();
    void flowLookback();
    void reusedAfterClear();
    void partialChecksumCompletes();

private:
    void checkOutputs(const QList<QByteArray> &packets, const QList<QList<int>> &groups);
};

void tst_PacketCoalescer::checkOutputs(const QList<QByteArray> &packets, const QList<QList<int>> &groups)
{
    PacketCoalescer coalescer;
    const QList<Written> written = coalesce(coalescer, packets);
    QCOMPARE(written.size(), groups.size());
    for (qsizetype g = 0; g < groups.size(); ++g) {
        const QList<int> &group = groups[g];
        const Written &out = written[g];
        QList<QByteArray> inputs;
        for (const int index : group)
            inputs.append(packets[index]);
        QCOMPARE(out.segments, int(group.size()));
        QCOMPARE(out.size, out.bytes.size());
        QCOMPARE(out.originals.size(), group.size());
        for (qsizetype i = 0; i < inputs.size(); ++i)
            QCOMPARE(out.originals[i], QByteArray(kVnet, '\0') + inputs[i]);
        if (group.size() == 1) {
            QCOMPARE(out.bytes, QByteArray(kVnet, '\0') + inputs.first());
            continue;
        }
        // The virtio_net_hdr: checksum needed, TCP segmentation with the first segment's payload size.
        const QByteArray &first = inputs.first();
        const qsizetype ip = ipHeaderLength(first);
        const qsizetype headers = ip + tcpHeaderLength(first);
        const bool v4 = (quint8(first[0]) >> 4) == 4;
        QCOMPARE(quint8(out.bytes[0]), PacketCoalescer::kVnetNeedsCsum);
        QCOMPARE(quint8(out.bytes[1]), v4 ? PacketCoalescer::kVnetGsoTcpV4 : PacketCoalescer::kVnetGsoTcpV6);
        QCOMPARE(host16(out.bytes, 2), quint16(headers));
        QCOMPARE(host16(out.bytes, 4), quint16(first.size() - headers));
        QCOMPARE(host16(out.bytes, 6), quint16(ip));
        QCOMPARE(host16(out.bytes, 8), quint16(16));
        QByteArray packet = out.bytes.mid(kVnet);
        // The checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL) ...
        QCOMPARE(qFromBigEndian<quint16>(packet.constData() + ip + 16), fold(pseudoSum(packet, packet.size() - ip)));
        // ... and completed as a device would, the packet is byte for byte what GRO would have built.
        QVERIFY(Nimbus::completePartialChecksum(packet.data(), packet.size(), ip, 16));
        QVERIFY(checksumsValid(packet));
        QCOMPARE(packet, expectedMerge(inputs));
    }
}

void tst_PacketCoalescer::merge_data()
{
    QTest::addColumn<QList<Segment>>("segments");
    QTest::addColumn<QList<QList<int>>>("groups");

    QTest::addRow("v4: three full segments") << run(3) << QList<QList<int>> {{0, 1, 2}};
    QTest::addRow("v6: three full segments") << run(3, Segment {.version = 6}) << QList<QList<int>> {{0, 1, 2}};
    QTest::addRow("single segment") << run(1) << QList<QList<int>> {{0}};
    {
        QList<Segment> s = run(3);
        s[2].payload = 10;
        QTest::addRow("last segment short") << s << QList<QList<int>> {{0, 1, 2}};
    }
    {
        QList<Segment> s = run(4);
        s[1].payload = 500;
        for (int i = 2; i < 4; ++i)
            s[i].sequence -= 500;
        QTest::addRow("short segment ends the run") << s << QList<QList<int>> {{0, 1}, {2, 3}};
    }
    {
        QList<Segment> s = run(3);
        s[1].payload = 1200;
        s[2].sequence += 200;
        QTest::addRow("longer segment than the first starts a run") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = run(4);
        s[2].sequence += 1;
        s[3].sequence += 1;
        QTest::addRow("gap in the sequence") << s << QList<QList<int>> {{0, 1}, {2, 3}};
    }
    {
        QList<Segment> s = run(3);
        std::swap(s[1], s[2]);
        QTest::addRow("reordered segments") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[1] = s[0];
        s[1].id = 8;
        QTest::addRow("retransmitted segment") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[2].flags = kAck | kPsh;
        QTest::addRow("PSH on the last segment") << s << QList<QList<int>> {{0, 1, 2}};
    }
    {
        QList<Segment> s = run(4);
        s[1].flags = kAck | kPsh;
        QTest::addRow("PSH ends the run") << s << QList<QList<int>> {{0, 1}, {2, 3}};
    }
    {
        QList<Segment> s = run(4);
        s[0].flags = kAck | kPsh;
        QTest::addRow("PSH on the first segment") << s << QList<QList<int>> {{0}, {1, 2, 3}};
    }
    const QList<std::pair<const char *, quint8>> refused = {{"FIN", kAck | kFin},
        {"SYN", kAck | kSyn},
        {"RST", kAck | kRst},
        {"URG", kAck | kUrg},
        {"ECE", kAck | kEce},
        {"CWR", kAck | kCwr},
        {"no ACK", 0}};
    for (const auto &[name, flags] : refused) {
        QList<Segment> s = run(4);
        s[2].flags = flags;
        QTest::addRow("%s is never merged", name) << s << QList<QList<int>> {{0, 1}, {2}, {3}};
    }
    {
        QList<Segment> s = run(3);
        s.insert(1, Segment {.sequence = s[1].sequence, .payload = 0, .id = 99});
        QTest::addRow("pure ACK of the flow in between keeps its place") << s << QList<QList<int>> {{0}, {1}, {2, 3}};
    }
    {
        QList<Segment> a = run(3);
        QList<Segment> b = run(3, Segment {.flow = 1, .sequence = 77777, .id = 300});
        const QList<Segment> s {a[0], b[0], a[1], b[1], a[2], b[2]};
        QTest::addRow("two flows interleaved") << s << QList<QList<int>> {{0, 2, 4}, {1, 3, 5}};
    }
    {
        QList<Segment> s = run(3);
        Segment other = s[1];
        other.version = 6;
        s.insert(1, other);
        QTest::addRow("same ports on IPv6 are another flow") << s << QList<QList<int>> {{0, 2, 3}, {1}};
    }
    {
        QList<Segment> s = run(3);
        s[1].ack += 1460;
        s[2].ack += 1460;
        QTest::addRow("acknowledgement number changes") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = run(3);
        s[1].window = 501;
        QTest::addRow("window changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[2].timestamp += 1;
        QTest::addRow("timestamp changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        for (Segment &segment : s)
            segment.ipOptionWords = 1;
        QTest::addRow("v4 with IP options") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[1].tos = 3; // ECN CE
        QTest::addRow("v4 TOS changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[1].ttl = 63;
        QTest::addRow("v4 TTL changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[2].dontFragment = false;
        QTest::addRow("v4 DF changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[1].id = 50;
        s[2].id = 51;
        QTest::addRow("v4 id jumps") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = run(3);
        for (Segment &segment : s)
            segment.id = 0;
        QTest::addRow("v4 fixed id with DF") << s << QList<QList<int>> {{0, 1, 2}};
        for (Segment &segment : s)
            segment.dontFragment = false;
        QTest::addRow("v4 fixed id without DF") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[2].id = s[1].id;
        QTest::addRow("v4 id counts, then stays") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[0].id = 0xffff;
        s[1].id = 0;
        s[2].id = 1;
        QTest::addRow("v4 id wraps") << s << QList<QList<int>> {{0, 1, 2}};
    }
    {
        QList<Segment> s = run(3, Segment {.version = 6});
        s[1].flowLabel = 0x54321;
        QTest::addRow("v6 flow label changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3, Segment {.version = 6});
        s[2].tos = 0x20;
        QTest::addRow("v6 traffic class changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = run(3, Segment {.version = 6});
        s[1].ttl = 1;
        QTest::addRow("v6 hop limit changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = run(3);
        s[0].sequence = 0xffffffffu - 999;
        s[1].sequence = s[0].sequence + 1000;
        s[2].sequence = s[1].sequence + 1000;
        QTest::addRow("sequence number wraps") << s << QList<QList<int>> {{0, 1, 2}};
    }
}

void tst_PacketCoalescer::merge()
{
    QFETCH(QList<Segment>, segments);
    QFETCH(QList<QList<int>>, groups);
    QList<QByteArray> packets;
    for (const Segment &segment : segments)
        packets.append(build(segment));
    checkOutputs(packets, groups);
}

void tst_PacketCoalescer::passesAnythingElse_data()
{
    QTest::addColumn<QList<QByteArray>>("packets");
    QTest::addColumn<QList<QList<int>>>("groups");

    const QList<Segment> s = run(3);
    const QByteArray a = build(s[0]);
    const QByteArray b = build(s[1]);
    const QByteArray c = build(s[2]);
    QByteArray udp = a;
    udp[9] = 17;
    QTest::addRow("UDP between segments does not stop a merge")
        << QList<QByteArray> {a, udp, b, c} << QList<QList<int>> {{0, 2, 3}, {1}};
    QTest::addRow("empty and tiny packets")
        << QList<QByteArray> {QByteArray(), QByteArray(1, '\x45'), a, b} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QTest::addRow("not IP") << QList<QByteArray> {a, QByteArray(60, '\x20'), b} << QList<QList<int>> {{0, 2}, {1}};
    QTest::addRow("truncated TCP header") << QList<QByteArray> {a, b.left(30), c} << QList<QList<int>> {{0}, {1}, {2}};
    QTest::addRow("truncated IPv4 header") << QList<QByteArray> {a, b.left(12), b} << QList<QList<int>> {{0, 2}, {1}};
    QByteArray padded = b + QByteArray(4, '\0');
    QTest::addRow("v4 total length below the packet size")
        << QList<QByteArray> {a, padded, c} << QList<QList<int>> {{0}, {1}, {2}};
    QByteArray badTcp = b;
    badTcp[badTcp.size() - 1] = char(badTcp[badTcp.size() - 1] ^ 0x55);
    QTest::addRow("bad TCP checksum in the middle")
        << QList<QByteArray> {a, badTcp, c} << QList<QList<int>> {{0}, {1}, {2}};
    QByteArray badFirst = a;
    badFirst[badFirst.size() - 1] = char(badFirst[badFirst.size() - 1] ^ 0x55);
    QTest::addRow("bad TCP checksum on the first")
        << QList<QByteArray> {badFirst, b, c} << QList<QList<int>> {{0}, {1, 2}};
    QByteArray badIp = b;
    badIp[10] = char(badIp[10] ^ 1);
    QTest::addRow("bad IPv4 header checksum") << QList<QByteArray> {a, badIp, c} << QList<QList<int>> {{0}, {1}, {2}};
    QByteArray moreFragments = b;
    qToBigEndian<quint16>(0x2000, moreFragments.data() + 6);
    fixChecksums(moreFragments);
    QTest::addRow("v4 first fragment") << QList<QByteArray> {a, moreFragments, c} << QList<QList<int>> {{0}, {1}, {2}};
    QByteArray laterFragment = b;
    qToBigEndian<quint16>(0x0010, laterFragment.data() + 6);
    qToBigEndian<quint16>(1, laterFragment.data() + 20); // whatever lies there is no port
    fixChecksums(laterFragment);
    QTest::addRow("v4 later fragment of the same hosts stops every run")
        << QList<QByteArray> {a, laterFragment, b} << QList<QList<int>> {{0}, {1}, {2}};

    const QList<Segment> s6 = run(3, Segment {.version = 6});
    QByteArray hopByHop = build(s6[1]);
    hopByHop[6] = 0;
    QTest::addRow("v6 extension header of the same hosts stops every run") << QList<QByteArray> {
        build(s6[0]), hopByHop, build(s6[1]), build(s6[2])} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QByteArray otherHosts = hopByHop;
    otherHosts[20] = char(otherHosts[20] ^ 1);
    QTest::addRow("v6 extension header of other hosts")
        << QList<QByteArray> {build(s6[0]), otherHosts, build(s6[1]), build(s6[2])}
        << QList<QList<int>> {{0, 2, 3}, {1}};
}

void tst_PacketCoalescer::passesAnythingElse()
{
    QFETCH(QList<QByteArray>, packets);
    QFETCH(QList<QList<int>>, groups);
    checkOutputs(packets, groups);
}

void tst_PacketCoalescer::boundsMergedSize_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("payload");
    QTest::addColumn<QList<int>>("runs");

    // 20 + 32 + 47 * 1375 = 64677 bytes fit, one more segment would make 66052 > 65535.
    QTest::addRow("v4 64 KiB") << 4 << 50 << 1375 << QList<int> {47, 3};
    QTest::addRow("v6 64 KiB") << 6 << 50 << 1355 << QList<int> {48, 2};
    QTest::addRow("segment count") << 4 << 70 << 100 << QList<int> {PacketCoalescer::kMaxSegments, 6};
    QTest::addRow("segment count, full segments") << 4 << 65 << 1007 << QList<int> {64, 1};
    QTest::addRow("exactly 65535 bytes") << 4 << 12 << 5953 << QList<int> {11, 1};
}

void tst_PacketCoalescer::boundsMergedSize()
{
    QFETCH(int, version);
    QFETCH(int, count);
    QFETCH(int, payload);
    QFETCH(QList<int>, runs);
    QList<QByteArray> packets;
    for (const Segment &segment : run(count, Segment {.version = version, .payload = payload}))
        packets.append(build(segment));
    QList<QList<int>> groups;
    int next = 0;
    for (const int length : runs) {
        QList<int> group;
        for (int i = 0; i < length; ++i)
            group.append(next++);
        groups.append(group);
    }
    checkOutputs(packets, groups);
    PacketCoalescer coalescer;
    for (const Written &out : coalesce(coalescer, packets))
        QVERIFY(out.size - kVnet <= PacketCoalescer::kMaxPacketSize);
}

void tst_PacketCoalescer::flowLookback()
{
    // A flow whose run lies more than kFlowLookback packets back starts a new run; one within reach still grows.
    const QList<Segment> a = run(2);
    QList<QByteArray> packets {build(a[0])};
    QList<QList<int>> groups {{0}};
    for (int flow = 1; flow <= PacketCoalescer::kFlowLookback; ++flow) {
        groups.append(QList<int> {int(packets.size())});
        packets.append(build(Segment {.flow = flow}));
    }
    groups.append(QList<int> {int(packets.size())});
    packets.append(build(a[1]));
    checkOutputs(packets, groups);

    packets.removeAt(1);
    groups = {{0, PacketCoalescer::kFlowLookback}};
    for (int i = 1; i < PacketCoalescer::kFlowLookback; ++i)
        groups.append(QList<int> {i});
    checkOutputs(packets, groups);
}

void tst_PacketCoalescer::reusedAfterClear()
{
    PacketCoalescer coalescer;
    QList<QByteArray> first;
    for (const Segment &segment : run(3))
        first.append(build(segment));
    QCOMPARE(coalesce(coalescer, first).size(), 1);
    QVERIFY(coalescer.isEmpty());
    QCOMPARE(coalescer.bufferedBytes(), 0);
    // The next batch continues the flow but starts afresh.
    const QList<Segment> next = run(2, Segment {.sequence = 4000, .id = 10});
    const QList<Written> written = coalesce(coalescer, {build(next[0]), build(next[1])});
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().segments, 2);
    QCOMPARE(written.first().originals.size(), 2);
}

void tst_PacketCoalescer::partialChecksumCompletes()
{
    // Odd payload sizes: the pseudo-header sum and the payload sum combine across odd boundaries only at the end.
    for (const int version : {4, 6}) {
        QList<QByteArray> packets;
        for (const Segment &segment : run(5, Segment {.version = version, .payload = 1001}))
            packets.append(build(segment));
        packets.last() = build(
            Segment {.version = version, .sequence = 1000 + 4 * 1001, .flags = kAck | kPsh, .payload = 333, .id = 11});
        checkOutputs(packets, {{0, 1, 2, 3, 4}});
    }
}

QTEST_GUILESS_MAIN(tst_PacketCoalescer)
#include "tst_packetcoalescer.moc"
