// PacketCoalescer as a pure function: which received TCP segments and UDP datagrams it merges into one large
// packet for the TUN device, and that every packet it hands out is exactly what the kernel expects (headers,
// virtio_net_hdr, partial checksum), checked by recomputing everything independently here.
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
constexpr quint8 kTcp = 6;
constexpr quint8 kUdp = 17;
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

// The protocol of the fixed IP header (no extension headers here): kTcp or kUdp.
quint8 protocolOf(const QByteArray &p)
{
    return quint8(p[(quint8(p[0]) >> 4) == 4 ? 9 : 6]);
}

bool isUdp(const QByteArray &p)
{
    return protocolOf(p) == kUdp;
}

// The TCP header with its options, or the UDP header.
qsizetype transportHeaderLength(const QByteArray &p)
{
    return isUdp(p) ? 8 : (quint8(p[ipHeaderLength(p) + 12]) >> 4) * 4;
}

qsizetype checksumOffset(const QByteArray &p)
{
    return isUdp(p) ? 6 : 16;
}

// The sum of the TCP or UDP pseudo header (addresses, the packet's protocol, \a length).
quint32 pseudoSum(const QByteArray &p, qsizetype length)
{
    const bool v4 = (quint8(p[0]) >> 4) == 4;
    return sum16(v4 ? p.mid(12, 8) : p.mid(8, 32), protocolOf(p) + quint32(length));
}

// Sets the IPv4 header checksum and the TCP or UDP checksum of \a p (a UDP checksum computed as 0 goes out as
// 0xffff, RFC 768).
void fixChecksums(QByteArray &p)
{
    const qsizetype ip = ipHeaderLength(p);
    if ((quint8(p[0]) >> 4) == 4) {
        qToBigEndian<quint16>(0, p.data() + 10);
        qToBigEndian<quint16>(quint16(~fold(sum16(p.left(ip)))), p.data() + 10);
    }
    const qsizetype at = ip + checksumOffset(p);
    qToBigEndian<quint16>(0, p.data() + at);
    quint16 checksum = quint16(~fold(sum16(p.mid(ip), pseudoSum(p, p.size() - ip))));
    if (checksum == 0 && isUdp(p))
        checksum = 0xffff;
    qToBigEndian<quint16>(checksum, p.data() + at);
}

bool checksumsValid(const QByteArray &p)
{
    const qsizetype ip = ipHeaderLength(p);
    if ((quint8(p[0]) >> 4) == 4 && fold(sum16(p.left(ip))) != 0xffff)
        return false;
    if (isUdp(p) && qFromBigEndian<quint16>(p.constData() + ip + 6) == 0)
        return false; // no checksum at all
    return fold(sum16(p.mid(ip), pseudoSum(p, p.size() - ip))) == 0xffff;
}

// Describes one TCP segment or UDP datagram; the defaults give a full-sized IPv4 TCP data segment of flow A.
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
    quint8 protocol = kTcp; ///< kUdp: a UDP datagram (sequence only seeds the payload; ack, flags, window unused)
    /// Added to the UDP length field; the checksum still adds up over the whole packet (with its real length in the
    /// pseudo header), so that only the length rule keeps it from a merge, which would turn bytes past the UDP
    /// length into data or the other way round.
    int udpLengthDelta = 0;
    /// UDP: checksum 0 (none). The payload is made such that its real checksum is 0 too (sent as 0xffff), so that
    /// every checksum sum adds up even with the field 0: only the rule "no checksum, no merge" keeps it apart.
    bool zeroChecksum = false;
    bool badChecksum = false; ///< a payload byte changed after the checksums were set
    quint16 targetPort = 5201;
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
    if (s.protocol == kUdp)
        ip[s.version == 4 ? 9 : 6] = char(kUdp);
    QByteArray transport;
    if (s.protocol == kUdp) {
        transport = QByteArray(8, '\0');
        qToBigEndian<quint16>(quint16(40000 + s.flow), transport.data());
        qToBigEndian<quint16>(s.targetPort, transport.data() + 2);
        qToBigEndian<quint16>(quint16(8 + s.payload), transport.data() + 4);
    }
    QByteArray tcp(32, '\0');
    qToBigEndian<quint16>(quint16(40000 + s.flow), tcp.data());
    qToBigEndian<quint16>(s.targetPort, tcp.data() + 2);
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
    if (s.protocol == kTcp)
        transport = tcp;
    QByteArray packet = ip + transport + payloadBytes(s.sequence, s.payload);
    if (s.version == 4)
        qToBigEndian<quint16>(quint16(packet.size()), packet.data() + 2);
    else
        qToBigEndian<quint16>(quint16(packet.size() - 40), packet.data() + 4);
    fixChecksums(packet);
    char *udp = packet.data() + ip.size();
    if (s.zeroChecksum && s.payload >= 2) {
        // Adding the checksum to the first payload word makes the sum complete (0xffff): the real checksum is 0.
        const quint16 word = qFromBigEndian<quint16>(udp + 8);
        qToBigEndian<quint16>(fold(quint32(word) + qFromBigEndian<quint16>(udp + 6)), udp + 8);
        fixChecksums(packet);
        qToBigEndian<quint16>(0, udp + 6);
    }
    if (s.udpLengthDelta != 0) {
        // The new length in the header, the checksum updated for it (RFC 1624); the pseudo header keeps the real one.
        const quint16 old = qFromBigEndian<quint16>(udp + 4);
        const auto length = quint16(old + s.udpLengthDelta);
        qToBigEndian<quint16>(length, udp + 4);
        const quint16 check = qFromBigEndian<quint16>(udp + 6);
        qToBigEndian<quint16>(quint16(~fold(quint32(quint16(~check)) + quint16(~old) + length)), udp + 6);
    }
    if (s.badChecksum)
        packet[packet.size() - 1] = char(packet[packet.size() - 1] ^ 0x55);
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

// \a count UDP datagrams of one flow, each \a payload bytes (different bytes in each), ids counting up.
QList<Segment> udpRun(int count, Segment s = {})
{
    s.protocol = kUdp;
    return run(count, s);
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
    bool udp = false;
    qsizetype size = 0;
};

QList<Written> coalesce(PacketCoalescer &coalescer, const QList<QByteArray> &packets)
{
    for (const QByteArray &packet : packets)
        coalescer.add(packet);
    QList<Written> out;
    coalescer.forEach([&](const PacketCoalescer::Output &output) {
        Written written {concat(output.parts), {}, output.segments, output.udp, output.size};
        for (const iovec &original : output.originals)
            written.originals.append(concat(std::span<const iovec>(&original, 1)));
        out.append(written);
    });
    coalescer.clear();
    return out;
}

// What the kernel's GRO would make of \a packets: the first one's headers with the lengths fixed (IP, and UDP's
// own length field), every payload, PSH if the last TCP segment has it, and full checksums.
QByteArray expectedMerge(const QList<QByteArray> &packets)
{
    QByteArray merged = packets.first();
    for (qsizetype i = 1; i < packets.size(); ++i)
        merged += packets[i].mid(ipHeaderLength(packets[i]) + transportHeaderLength(packets[i]));
    if ((quint8(merged[0]) >> 4) == 4)
        qToBigEndian<quint16>(quint16(merged.size()), merged.data() + 2);
    else
        qToBigEndian<quint16>(quint16(merged.size() - 40), merged.data() + 4);
    const qsizetype ip = ipHeaderLength(merged);
    if (isUdp(merged)) {
        qToBigEndian<quint16>(quint16(merged.size() - ip), merged.data() + ip + 4);
    } else {
        const QByteArray &last = packets.last();
        merged[ip + 13] = char(quint8(merged[ip + 13]) | (quint8(last[ipHeaderLength(last) + 13]) & kPsh));
    }
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
    void udpMergingOffByDefault_data();
    void udpMergingOffByDefault();
    void udpMergingForPacketsAddedLater();

private:
    void checkOutputs(const QList<QByteArray> &packets, const QList<QList<int>> &groups, bool udpMerging = true);
};

// Adds \a packets to a coalescer (merging UDP datagrams too, unless \a udpMerging is false) and checks that it
// hands out \a groups (indexes into \a packets), each exactly as the kernel expects it.
void tst_PacketCoalescer::checkOutputs(
    const QList<QByteArray> &packets, const QList<QList<int>> &groups, bool udpMerging)
{
    PacketCoalescer coalescer;
    coalescer.setUdpMerging(udpMerging);
    QCOMPARE(coalescer.udpMerging(), udpMerging);
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
            QVERIFY(!out.udp);
            QCOMPARE(out.bytes, QByteArray(kVnet, '\0') + inputs.first());
            continue;
        }
        // The virtio_net_hdr: checksum needed, TCP segmentation (by IP version) or UDP segmentation with the first
        // packet's payload size.
        const QByteArray &first = inputs.first();
        const qsizetype ip = ipHeaderLength(first);
        const qsizetype headers = ip + transportHeaderLength(first);
        const bool v4 = (quint8(first[0]) >> 4) == 4;
        const bool udp = isUdp(first);
        const qsizetype checksumAt = udp ? 6 : 16;
        QCOMPARE(out.udp, udp);
        QCOMPARE(quint8(out.bytes[0]), PacketCoalescer::kVnetNeedsCsum);
        const quint8 gsoType = udp ? 5 : v4 ? 1 : 4; // VIRTIO_NET_HDR_GSO_UDP_L4, _TCPV4, _TCPV6
        QCOMPARE(quint8(out.bytes[1]), gsoType);
        QCOMPARE(host16(out.bytes, 2), quint16(headers));
        QCOMPARE(host16(out.bytes, 4), quint16(first.size() - headers));
        QCOMPARE(host16(out.bytes, 6), quint16(ip));
        QCOMPARE(host16(out.bytes, 8), quint16(checksumAt));
        QByteArray packet = out.bytes.mid(kVnet);
        if (udp) // the UDP length is the merged packet's (the pseudo header below takes it from the field)
            QCOMPARE(qFromBigEndian<quint16>(packet.constData() + ip + 4), quint16(packet.size() - ip));
        // The checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL) ...
        QCOMPARE(
            qFromBigEndian<quint16>(packet.constData() + ip + checksumAt), fold(pseudoSum(packet, packet.size() - ip)));
        // ... and completed as a device would, the packet is byte for byte what GRO would have built.
        QVERIFY(Nimbus::completePartialChecksum(packet.data(), packet.size(), ip, checksumAt));
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

    // UDP datagrams (merged by checkOutputs()'s coalescer).
    QTest::addRow("UDP v4: three equal datagrams") << udpRun(3) << QList<QList<int>> {{0, 1, 2}};
    QTest::addRow("UDP v6: three equal datagrams")
        << udpRun(3, Segment {.version = 6}) << QList<QList<int>> {{0, 1, 2}};
    QTest::addRow("UDP single datagram") << udpRun(1) << QList<QList<int>> {{0}};
    for (const int version : {4, 6}) {
        QList<Segment> s = udpRun(3, Segment {.version = version});
        s[2].payload = 1;
        QTest::addRow("UDP v%d: last datagram short", version) << s << QList<QList<int>> {{0, 1, 2}};
    }
    {
        QList<Segment> s = udpRun(4);
        s[1].payload = 999;
        QTest::addRow("UDP short datagram ends the run") << s << QList<QList<int>> {{0, 1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[1].payload = 1001;
        QTest::addRow("UDP longer datagram than the first starts a run") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = udpRun(4);
        s[1].payload = 0;
        QTest::addRow("UDP empty datagram ends the run") << s << QList<QList<int>> {{0}, {1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(4);
        s[1] = s[0];
        s[1].id = 8;
        // UDP has no sequence numbers: a datagram sent twice is merged like any other, as GRO does.
        QTest::addRow("UDP repeated datagram is merged") << s << QList<QList<int>> {{0, 1, 2, 3}};
    }
    {
        QList<Segment> a = udpRun(3);
        QList<Segment> b = udpRun(3, Segment {.flow = 1, .sequence = 77777, .id = 300});
        const QList<Segment> s {a[0], b[0], a[1], b[1], a[2], b[2]};
        QTest::addRow("UDP two flows interleaved") << s << QList<QList<int>> {{0, 2, 4}, {1, 3, 5}};
    }
    {
        QList<Segment> a = udpRun(3);
        QList<Segment> b = udpRun(3, Segment {.sequence = 77777, .id = 300, .targetPort = 5202});
        const QList<Segment> s {a[0], b[0], a[1], b[1], a[2], b[2]};
        QTest::addRow("UDP flows to two ports interleaved") << s << QList<QList<int>> {{0, 2, 4}, {1, 3, 5}};
    }
    {
        QList<Segment> a = udpRun(3);
        QList<Segment> b = udpRun(3, Segment {.version = 6, .id = 300});
        const QList<Segment> s {a[0], b[0], a[1], b[1], a[2], b[2]};
        QTest::addRow("UDP v4 and v6 with the same ports interleaved") << s << QList<QList<int>> {{0, 2, 4}, {1, 3, 5}};
    }
    for (const int version : {4, 6}) {
        QList<Segment> tcp = run(3, Segment {.version = version});
        QList<Segment> udp = udpRun(3, Segment {.version = version, .sequence = 5555, .id = 300});
        const QList<Segment> s {tcp[0], udp[0], tcp[1], udp[1], tcp[2], udp[2]};
        QTest::addRow("v%d: TCP and UDP on the same ports are separate flows", version)
            << s << QList<QList<int>> {{0, 2, 4}, {1, 3, 5}};
    }
    {
        QList<Segment> s = udpRun(3);
        for (Segment &datagram : s)
            datagram.zeroChecksum = true;
        QTest::addRow("UDP v4 without checksums is not merged") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(4);
        s[1].zeroChecksum = true;
        QTest::addRow("UDP v4 without checksum in the middle") << s << QList<QList<int>> {{0}, {1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(4, Segment {.version = 6});
        s[1].zeroChecksum = true;
        QTest::addRow("UDP v6 with checksum 0 in the middle") << s << QList<QList<int>> {{0}, {1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[1].badChecksum = true;
        QTest::addRow("UDP bad checksum in the middle") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[0].badChecksum = true;
        QTest::addRow("UDP bad checksum on the first") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = udpRun(3, Segment {.version = 6});
        s[2].badChecksum = true;
        QTest::addRow("UDP v6 bad checksum on the last") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    for (const int delta : {-1, 1}) {
        QList<Segment> s = udpRun(4);
        s[1].udpLengthDelta = delta;
        QTest::addRow("UDP length %s the packet is not merged", delta < 0 ? "below" : "above")
            << s << QList<QList<int>> {{0}, {1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(3);
        for (Segment &datagram : s)
            datagram.ipOptionWords = 1;
        QTest::addRow("UDP v4 with IP options") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[1].id = 50;
        s[2].id = 51;
        QTest::addRow("UDP v4 id jumps") << s << QList<QList<int>> {{0}, {1, 2}};
    }
    {
        QList<Segment> s = udpRun(3);
        for (Segment &datagram : s)
            datagram.id = 0;
        QTest::addRow("UDP v4 fixed id with DF") << s << QList<QList<int>> {{0, 1, 2}};
        for (Segment &datagram : s)
            datagram.dontFragment = false;
        QTest::addRow("UDP v4 fixed id without DF") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(4);
        s[2].id = s[1].id;
        s[3].id = s[1].id;
        // The run of counting ids ends; the datagrams with the same id (and DF) start a run of their own.
        QTest::addRow("UDP v4 id counts, then stays") << s << QList<QList<int>> {{0, 1}, {2, 3}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[1].ttl = 63;
        QTest::addRow("UDP v4 TTL changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[2].tos = 3; // ECN CE
        QTest::addRow("UDP v4 TOS changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3);
        s[2].dontFragment = false;
        QTest::addRow("UDP v4 DF changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3, Segment {.version = 6});
        s[1].ttl = 1;
        QTest::addRow("UDP v6 hop limit changes") << s << QList<QList<int>> {{0}, {1}, {2}};
    }
    {
        QList<Segment> s = udpRun(3, Segment {.version = 6});
        s[2].flowLabel = 0x54321;
        QTest::addRow("UDP v6 flow label changes") << s << QList<QList<int>> {{0, 1}, {2}};
    }
}

void tst_PacketCoalescer::merge()
{
    QFETCH(QList<Segment>, segments);
    QFETCH(QList<QList<int>>, groups);
    QList<QByteArray> packets;
    for (const Segment &segment : segments) {
        const QByteArray packet = build(segment);
        // Each broken packet is broken in that one way only.
        if (segment.zeroChecksum) {
            QByteArray withChecksum = packet;
            qToBigEndian<quint16>(0xffff, withChecksum.data() + ipHeaderLength(packet) + 6);
            QVERIFY(!checksumsValid(packet));
            QVERIFY(checksumsValid(withChecksum));
        } else {
            QCOMPARE(checksumsValid(packet), !segment.badChecksum);
        }
        packets.append(packet);
    }
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
    // A TCP segment with the protocol byte made UDP: a broken UDP packet of the same addresses and ports (wrong IP
    // header checksum, UDP length 0), which is another flow than the TCP one and is not merged.
    QByteArray udp = a;
    udp[9] = 17;
    QTest::addRow("broken UDP between segments does not stop a merge")
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

    // UDP: a later fragment carries no UDP header, so it may belong to any flow of its two hosts, TCP or UDP.
    const QList<Segment> u = udpRun(4);
    const QByteArray ua = build(u[0]);
    const QByteArray ub = build(u[1]);
    const QByteArray uc = build(u[2]);
    const QByteArray ud = build(u[3]);
    QByteArray udpFragment = ub;
    qToBigEndian<quint16>(0x0010, udpFragment.data() + 6);
    qToBigEndian<quint16>(0x1234, udpFragment.data() + 20); // no ports here
    fixChecksums(udpFragment);
    QTest::addRow("UDP v4 later fragment of the same hosts stops every run")
        << QList<QByteArray> {a, ua, udpFragment, b, ub, uc} << QList<QList<int>> {{0}, {1}, {2}, {3}, {4, 5}};
    QByteArray udpFragmentOtherHosts = udpFragment;
    udpFragmentOtherHosts[15] = char(udpFragmentOtherHosts[15] ^ 1); // another source address
    fixChecksums(udpFragmentOtherHosts);
    QTest::addRow("UDP v4 later fragment of other hosts")
        << QList<QByteArray> {ua, udpFragmentOtherHosts, ub, uc} << QList<QList<int>> {{0, 2, 3}, {1}};
    QTest::addRow("TCP v4 later fragment stops a UDP run")
        << QList<QByteArray> {ua, laterFragment, ub, uc} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QByteArray udpFirstFragment = ub;
    qToBigEndian<quint16>(0x2000, udpFirstFragment.data() + 6);
    fixChecksums(udpFirstFragment);
    QList<QByteArray> firstFragments {ua, ub, uc};
    for (QByteArray &fragment : firstFragments) {
        qToBigEndian<quint16>(0x2000, fragment.data() + 6);
        fixChecksums(fragment);
    }
    QTest::addRow("UDP v4 first fragments are not merged") << firstFragments << QList<QList<int>> {{0}, {1}, {2}};
    QTest::addRow("UDP v4 first fragment")
        << QList<QByteArray> {ua, udpFirstFragment, uc, ud} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QByteArray udpPadded = ub + QByteArray(4, '\0');
    QTest::addRow("UDP v4 total length below the packet size")
        << QList<QByteArray> {ua, udpPadded, uc, ud} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QTest::addRow("UDP truncated header")
        << QList<QByteArray> {ua, ub.left(24), uc, ud} << QList<QList<int>> {{0}, {1}, {2, 3}};
    QByteArray badUdpIp = ub;
    badUdpIp[10] = char(badUdpIp[10] ^ 1);
    QTest::addRow("UDP bad IPv4 header checksum")
        << QList<QByteArray> {ua, badUdpIp, uc} << QList<QList<int>> {{0}, {1}, {2}};

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
    const QList<Segment> u6 = udpRun(3, Segment {.version = 6});
    QTest::addRow("UDP v6 extension header of the same hosts stops every run") << QList<QByteArray> {
        build(u6[0]), hopByHop, build(u6[1]), build(u6[2])} << QList<QList<int>> {{0}, {1}, {2, 3}};
}

void tst_PacketCoalescer::passesAnythingElse()
{
    QFETCH(QList<QByteArray>, packets);
    QFETCH(QList<QList<int>>, groups);
    checkOutputs(packets, groups);
}

void tst_PacketCoalescer::boundsMergedSize_data()
{
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("payload");
    QTest::addColumn<int>("lastPayload");
    QTest::addColumn<QList<int>>("runs");

    // 20 + 32 + 47 * 1375 = 64677 bytes fit, one more segment would make 66052 > 65535.
    QTest::addRow("v4 64 KiB") << int(kTcp) << 4 << 50 << 1375 << 1375 << QList<int> {47, 3};
    QTest::addRow("v6 64 KiB") << int(kTcp) << 6 << 50 << 1355 << 1355 << QList<int> {48, 2};
    QTest::addRow("segment count") << int(kTcp) << 4 << 70 << 100 << 100
                                   << QList<int> {PacketCoalescer::kMaxSegments, 6};
    QTest::addRow("segment count, full segments") << int(kTcp) << 4 << 65 << 1007 << 1007 << QList<int> {64, 1};
    QTest::addRow("exactly 65535 bytes") << int(kTcp) << 4 << 12 << 5953 << 5953 << QList<int> {11, 1};
    // UDP: 20 + 8 + 46 * 1400 = 64428 bytes fit, 47 datagrams would make 65828.
    QTest::addRow("UDP v4 64 KiB") << int(kUdp) << 4 << 50 << 1400 << 1400 << QList<int> {46, 4};
    // 40 + 8 + 47 * 1380 = 64908 fit, 48 would make 66288.
    QTest::addRow("UDP v6 64 KiB") << int(kUdp) << 6 << 50 << 1380 << 1380 << QList<int> {47, 3};
    QTest::addRow("UDP datagram count") << int(kUdp) << 4 << 70 << 100 << 100 << QList<int> {64, 6};
    QTest::addRow("UDP datagram count, v6") << int(kUdp) << 6 << 129 << 500 << 500 << QList<int> {64, 64, 1};
    // 28 + 13 * 5039 = 65535: all fit; 28 + 12 * 5040 + 5027 = 65535 too, 5028 bytes last would be 65536.
    QTest::addRow("UDP exactly 65535 bytes") << int(kUdp) << 4 << 14 << 5039 << 5039 << QList<int> {13, 1};
    QTest::addRow("UDP exactly 65535 bytes, short last") << int(kUdp) << 4 << 13 << 5040 << 5027 << QList<int> {13};
    QTest::addRow("UDP one byte over 65535") << int(kUdp) << 4 << 13 << 5040 << 5028 << QList<int> {12, 1};
    // 40 + 8 + 12 * 5400 + 687 = 65535 for IPv6 (payload length 65495).
    QTest::addRow("UDP v6 exactly 65535 bytes, short last") << int(kUdp) << 6 << 13 << 5400 << 687 << QList<int> {13};
    QTest::addRow("UDP v6 one byte over 65535") << int(kUdp) << 6 << 13 << 5400 << 688 << QList<int> {12, 1};
}

void tst_PacketCoalescer::boundsMergedSize()
{
    QFETCH(int, protocol);
    QFETCH(int, version);
    QFETCH(int, count);
    QFETCH(int, payload);
    QFETCH(int, lastPayload);
    QFETCH(QList<int>, runs);
    QList<Segment> segments
        = run(count, Segment {.version = version, .payload = payload, .protocol = quint8(protocol)});
    segments.last().payload = lastPayload;
    QList<QByteArray> packets;
    for (const Segment &segment : segments)
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
    coalescer.setUdpMerging(true);
    for (const Written &out : coalesce(coalescer, packets)) {
        QVERIFY(out.size - kVnet <= PacketCoalescer::kMaxPacketSize);
        QVERIFY(out.segments <= PacketCoalescer::kMaxSegments);
    }
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

        // UDP: odd datagram sizes, and a short last one.
        QList<Segment> datagrams = udpRun(5, Segment {.version = version, .payload = 1001});
        datagrams.last().payload = 333;
        packets.clear();
        for (const Segment &datagram : datagrams)
            packets.append(build(datagram));
        checkOutputs(packets, {{0, 1, 2, 3, 4}});
    }
}

void tst_PacketCoalescer::udpMergingOffByDefault_data()
{
    QTest::addColumn<int>("version");
    QTest::addRow("v4") << 4;
    QTest::addRow("v6") << 6;
}

void tst_PacketCoalescer::udpMergingOffByDefault()
{
    // Without setUdpMerging(true) every datagram goes out unchanged, one output each, while TCP segments of the same
    // ports around them still merge.
    QFETCH(int, version);
    const QList<Segment> tcp = run(3, Segment {.version = version});
    const QList<Segment> udp = udpRun(4, Segment {.version = version, .sequence = 5555, .id = 300});
    const QList<QByteArray> packets {
        build(tcp[0]), build(udp[0]), build(udp[1]), build(tcp[1]), build(udp[2]), build(udp[3]), build(tcp[2])};
    const QList<QList<int>> groups {{0, 3, 6}, {1}, {2}, {4}, {5}};

    PacketCoalescer coalescer;
    QVERIFY(!coalescer.udpMerging());
    const QList<Written> written = coalesce(coalescer, packets);
    QCOMPARE(written.size(), groups.size());
    QCOMPARE(written[0].segments, 3);
    for (qsizetype g = 1; g < groups.size(); ++g) {
        const Written &out = written[g];
        QCOMPARE(out.segments, 1);
        QVERIFY(!out.udp);
        QCOMPARE(out.bytes, QByteArray(kVnet, '\0') + packets[groups[g].first()]);
        QCOMPARE(out.originals, QList<QByteArray> {out.bytes});
    }
    // The same in full (the TCP merge byte for byte), and with UDP merging the datagrams merge as well.
    checkOutputs(packets, groups, false);
    checkOutputs(packets, {{0, 3, 6}, {1, 2, 4, 5}});
}

void tst_PacketCoalescer::udpMergingForPacketsAddedLater()
{
    // setUdpMerging() applies to the packets added after it, and it stays set across clear().
    const QList<Segment> s = udpRun(5);
    QList<QByteArray> packets;
    for (const Segment &datagram : s)
        packets.append(build(datagram));
    PacketCoalescer coalescer;
    coalescer.add(packets[0]);
    coalescer.add(packets[1]);
    coalescer.setUdpMerging(true);
    for (qsizetype i = 2; i < packets.size(); ++i)
        coalescer.add(packets[i]);
    QList<int> segments;
    QList<bool> udp;
    coalescer.forEach([&](const PacketCoalescer::Output &output) {
        segments.append(output.segments);
        udp.append(output.udp);
    });
    QCOMPARE(segments, (QList<int> {1, 1, 3}));
    QCOMPARE(udp, (QList<bool> {false, false, true}));
    coalescer.clear();
    QVERIFY(coalescer.udpMerging());
    const QList<Written> again = coalesce(coalescer, packets);
    QCOMPARE(again.size(), 1);
    QCOMPARE(again.first().segments, 5);
    QVERIFY(again.first().udp);
    coalescer.setUdpMerging(false);
    QCOMPARE(coalesce(coalescer, packets).size(), 5);

    // Turned off in the middle of a batch and on again: the datagram added meanwhile keeps its place, and the run
    // before it takes no later datagram of its flow (that one would overtake it), even one whose id continues it.
    QList<Segment> toggled = udpRun(2);
    toggled.append(Segment {.id = 100, .protocol = kUdp});
    toggled.append(udpRun(2, Segment {.id = quint16(toggled[1].id + 1)}));
    packets.clear();
    for (const Segment &datagram : toggled)
        packets.append(build(datagram));
    coalescer.setUdpMerging(true);
    coalescer.add(packets[0]);
    coalescer.add(packets[1]);
    coalescer.setUdpMerging(false);
    coalescer.add(packets[2]);
    coalescer.setUdpMerging(true);
    coalescer.add(packets[3]);
    coalescer.add(packets[4]);
    QList<QByteArray> order;
    coalescer.forEach([&](const PacketCoalescer::Output &output) {
        for (const iovec &original : output.originals)
            order.append(concat(std::span<const iovec>(&original, 1)).mid(kVnet));
    });
    QCOMPARE(order, packets);
    coalescer.clear();
}

QTEST_GUILESS_MAIN(tst_PacketCoalescer)
#include "tst_packetcoalescer.moc"
