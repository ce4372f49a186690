#include "helper/platform/linux/packetcoalescer.h"

#include <algorithm>
#include <cstring>

#include <sys/uio.h>

#include "helper/platform/linux/inetchecksum.h"

namespace Nimbus
{

namespace
{

using Inet::load16;
using Inet::load32;
using Inet::store16;

constexpr quint8 kProtocolTcp = 6;
constexpr quint8 kProtocolUdp = 17;
constexpr quint8 kTcpPsh = 0x08;
constexpr quint8 kTcpAck = 0x10;
constexpr quint16 kIpv4DontFragment = 0x4000;
constexpr quint16 kIpv4FragmentBits = 0x3fff; // MF and the fragment offset
constexpr qsizetype kIpv4HeaderSize = 20;
constexpr qsizetype kIpv6HeaderSize = 40;
constexpr qsizetype kTcpHeaderSize = 20;
constexpr qsizetype kUdpHeaderSize = 8;
constexpr quint16 kTcpChecksumOffset = 16;
constexpr quint16 kUdpChecksumOffset = 6;

// IPv6 next-header values after which a TCP or UDP header may follow further in: the packet's flow cannot be told
// from its fixed header, so it must not overtake merged segments of any flow between the same two hosts.
bool isIpv6ExtensionHeader(quint8 next)
{
    switch (next) {
    case 0: // hop-by-hop options
    case 43: // routing
    case 44: // fragment
    case 50: // ESP
    case 51: // AH
    case 60: // destination options
    case 135: // mobility
    case 139: // HIP
    case 140: // shim6
    case 253: // experiments
    case 254:
        return true;
    default:
        return false;
    }
}

void putHost16(char *at, quint16 value)
{
    std::memcpy(at, &value, 2);
}

iovec span(char *data, qsizetype size)
{
    return iovec {data, static_cast<size_t>(size)};
}

} // namespace

struct PacketCoalescer::Parsed {
    enum class Kind : quint8 {
        Other, ///< not a protocol merged here: no flow
        HostPair, ///< may be of any flow between its two addresses (IPv4 fragment, IPv6 extension header)
        Flow, ///< TCP or UDP with known ports, not mergeable
        Mergeable, ///< TCP or UDP that may be merged (checksums still unchecked)
    };
    Kind kind = Kind::Other;
    int version = 0;
    quint8 protocol = 0; ///< kProtocolTcp or kProtocolUdp (Flow, Mergeable)
    qsizetype ipHeader = 0; ///< where the TCP or UDP header starts
    qsizetype headers = 0; ///< IP + TCP or UDP header (Mergeable)
    qsizetype payload = 0; ///< payload bytes (Mergeable)
    quint32 sequence = 0;
    quint16 id = 0;
    quint8 flags = 0;
};

struct PacketCoalescer::Item {
    qsizetype offset = 0; ///< the first packet in m_buffer
    qsizetype size = 0; ///< the first packet's size
    qsizetype total = 0; ///< size of the merged IP packet
    Parsed first;
    int segments = 1;
    bool open = false; ///< more segments may be appended
    bool verified = false; ///< the first packet's checksums were checked
    bool push = false; ///< the last segment has PSH
    bool fixedId = false; ///< IPv4 ids stay equal instead of counting up (DF set)
    quint32 nextSequence = 0;
    quint16 lastId = 0;
    int firstExtra = -1;
    int lastExtra = -1;
};

struct PacketCoalescer::Extra {
    qsizetype offset = 0; ///< the whole packet in m_buffer
    qsizetype size = 0;
    qsizetype headers = 0; ///< its payload starts here
    int next = -1;
};

PacketCoalescer::PacketCoalescer() = default;
PacketCoalescer::~PacketCoalescer() = default;

void PacketCoalescer::setUdpMerging(bool enabled)
{
    m_udpMerging = enabled;
    if (enabled)
        return;
    // Datagrams added from now on are no flow: none may join a run from before, behind their back.
    for (Item &item : m_items) {
        if (item.first.protocol == kProtocolUdp)
            item.open = false;
    }
}

PacketCoalescer::Parsed PacketCoalescer::parse(const char *p, qsizetype size) const
{
    Parsed parsed;
    if (size < 1)
        return parsed;
    const auto merged
        = [this](quint8 protocol) { return protocol == kProtocolTcp || (protocol == kProtocolUdp && m_udpMerging); };
    parsed.version = static_cast<quint8>(p[0]) >> 4;
    bool plain = false; // no IP options, fragments or extension headers
    if (parsed.version == 4) {
        if (size < kIpv4HeaderSize || !merged(static_cast<quint8>(p[9])))
            return parsed;
        parsed.protocol = static_cast<quint8>(p[9]);
        parsed.ipHeader = qsizetype(static_cast<quint8>(p[0]) & 0x0f) * 4;
        const quint16 fragment = load16(p + 6);
        if ((fragment & 0x1fff) != 0) {
            parsed.kind = Parsed::Kind::HostPair; // a later fragment: no TCP or UDP header here
            return parsed;
        }
        parsed.id = load16(p + 4);
        plain = parsed.ipHeader == kIpv4HeaderSize && (fragment & kIpv4FragmentBits) == 0 && load16(p + 2) == size;
    } else if (parsed.version == 6) {
        if (size < kIpv6HeaderSize)
            return parsed;
        const auto next = static_cast<quint8>(p[6]);
        if (isIpv6ExtensionHeader(next)) {
            parsed.kind = Parsed::Kind::HostPair;
            return parsed;
        }
        if (!merged(next))
            return parsed;
        parsed.protocol = next;
        parsed.ipHeader = kIpv6HeaderSize;
        plain = load16(p + 4) + kIpv6HeaderSize == size;
    } else {
        return parsed;
    }
    if (parsed.ipHeader < kIpv4HeaderSize || size < parsed.ipHeader + 4) {
        // No ports to tell the flow by: keep it behind every flow of the two hosts.
        parsed.kind = Parsed::Kind::HostPair;
        return parsed;
    }
    parsed.kind = Parsed::Kind::Flow;
    if (parsed.protocol == kProtocolUdp) {
        // A UDP length that is the packet's, a checksum (0: none, which segmentation would add), and data.
        const char *udp = p + parsed.ipHeader;
        if (!plain || size <= parsed.ipHeader + kUdpHeaderSize || load16(udp + 4) != size - parsed.ipHeader
            || load16(udp + kUdpChecksumOffset) == 0) {
            return parsed;
        }
        parsed.headers = parsed.ipHeader + kUdpHeaderSize;
        parsed.payload = size - parsed.headers;
        parsed.kind = Parsed::Kind::Mergeable;
        return parsed;
    }
    if (!plain || size < parsed.ipHeader + kTcpHeaderSize)
        return parsed;
    const char *tcp = p + parsed.ipHeader;
    const qsizetype tcpHeader = qsizetype(static_cast<quint8>(tcp[12]) >> 4) * 4;
    parsed.headers = parsed.ipHeader + tcpHeader;
    parsed.flags = static_cast<quint8>(tcp[13]);
    const bool flagsOk = parsed.flags == kTcpAck || parsed.flags == (kTcpAck | kTcpPsh);
    // Reserved bits (and AE) clear, a header that fits, and data to merge.
    if (tcpHeader < kTcpHeaderSize || (static_cast<quint8>(tcp[12]) & 0x0f) != 0 || !flagsOk
        || parsed.headers >= size) {
        return parsed;
    }
    parsed.payload = size - parsed.headers;
    parsed.sequence = load32(tcp + 4);
    parsed.kind = Parsed::Kind::Mergeable;
    return parsed;
}

bool PacketCoalescer::sameAddresses(const Item &item, const char *packet, const Parsed &parsed) const
{
    if (item.first.kind == Parsed::Kind::Other || item.first.version != parsed.version)
        return false;
    const char *other = m_buffer.data() + item.offset;
    return parsed.version == 4 ? std::memcmp(other + 12, packet + 12, 8) == 0
                               : std::memcmp(other + 8, packet + 8, 32) == 0;
}

bool PacketCoalescer::sameFlow(const Item &item, const char *packet, const Parsed &parsed) const
{
    if ((item.first.kind != Parsed::Kind::Flow && item.first.kind != Parsed::Kind::Mergeable)
        || item.first.protocol != parsed.protocol) {
        return false;
    }
    if (!sameAddresses(item, packet, parsed))
        return false;
    const char *other = m_buffer.data() + item.offset;
    return std::memcmp(other + item.first.ipHeader, packet + parsed.ipHeader, 4) == 0;
}

bool PacketCoalescer::checksumsValid(qsizetype offset, const Parsed &parsed) const
{
    const char *p = m_buffer.data() + offset;
    if (parsed.version == 4 && Inet::foldComplement(Inet::sumWords(p, kIpv4HeaderSize)) != 0)
        return false;
    const qsizetype length = parsed.headers + parsed.payload - parsed.ipHeader;
    const quint64 pseudo = Inet::pseudoHeaderSum(p, parsed.version, parsed.protocol) + quint64(length);
    return Inet::foldComplement(Inet::sumWords(p + parsed.ipHeader, length, pseudo)) == 0;
}

bool PacketCoalescer::tryAppend(Item &item, qsizetype offset, const Parsed &parsed)
{
    const Parsed &first = item.first;
    const bool tcp = first.protocol == kProtocolTcp;
    if (!item.open || parsed.kind != Parsed::Kind::Mergeable || (tcp && parsed.sequence != item.nextSequence)
        || parsed.headers != first.headers || parsed.payload > first.payload
        || item.total + parsed.payload > kMaxPacketSize || item.segments >= kMaxSegments) {
        return false;
    }
    const char *a = m_buffer.data() + item.offset;
    const char *b = m_buffer.data() + offset;
    bool fixedId = item.fixedId;
    if (parsed.version == 4) {
        // TOS (with ECN), flags/fragment word (DF), TTL must match; the id counts up, or stays with DF.
        if (a[1] != b[1] || load16(a + 6) != load16(b + 6) || a[8] != b[8])
            return false;
        const bool counting = parsed.id == static_cast<quint16>(item.lastId + 1);
        const bool same = parsed.id == item.lastId && (load16(b + 6) & kIpv4DontFragment) != 0;
        if (item.segments == 1)
            fixedId = same && !counting;
        if (fixedId ? !same : !counting)
            return false;
    } else if (std::memcmp(a, b, 4) != 0 || a[7] != b[7]) { // version, traffic class, flow label; hop limit
        return false;
    }
    const char *ta = a + first.ipHeader;
    const char *tb = b + parsed.ipHeader;
    const auto optionBytes = static_cast<size_t>(first.headers - first.ipHeader - kTcpHeaderSize);
    // Acknowledgement, data offset and reserved bits, window; then the options (timestamps included).
    if (tcp
        && (std::memcmp(ta + 8, tb + 8, 5) != 0 || std::memcmp(ta + 14, tb + 14, 2) != 0
            || std::memcmp(ta + kTcpHeaderSize, tb + kTcpHeaderSize, optionBytes) != 0)) {
        return false;
    }
    // Only now the checksums: a segment that cannot be merged anyway goes to the kernel, which checks them.
    if (!item.verified) {
        if (!checksumsValid(item.offset, first)) {
            item.open = false;
            return false;
        }
        item.verified = true;
    }
    if (!checksumsValid(offset, parsed))
        return false;

    const int index = static_cast<int>(m_extras.size());
    m_extras.push_back(Extra {offset, parsed.headers + parsed.payload, parsed.headers, -1});
    if (item.lastExtra >= 0)
        m_extras[static_cast<size_t>(item.lastExtra)].next = index;
    else
        item.firstExtra = index;
    item.lastExtra = index;
    ++item.segments;
    item.total += parsed.payload;
    item.nextSequence += static_cast<quint32>(parsed.payload);
    item.lastId = parsed.id;
    item.fixedId = fixedId;
    item.push = (parsed.flags & kTcpPsh) != 0;
    // A short segment or PSH ends the run, as in the kernel.
    if (item.push || parsed.payload < first.payload || item.segments >= kMaxSegments)
        item.open = false;
    return true;
}

char *PacketCoalescer::reserve(qsizetype bytes)
{
    if (m_used + bytes > static_cast<qsizetype>(m_buffer.size()))
        m_buffer.resize(std::max<size_t>(m_buffer.size() * 2, static_cast<size_t>(m_used + bytes) + 65536));
    char *at = m_buffer.data() + m_used;
    m_used += bytes;
    return at;
}

void PacketCoalescer::add(QByteArrayView packet)
{
    ++m_packetCount;
    char *at = reserve(kVnetHeaderSize + packet.size());
    std::memset(at, 0, kVnetHeaderSize);
    if (!packet.isEmpty())
        std::memcpy(at + kVnetHeaderSize, packet.data(), static_cast<size_t>(packet.size()));
    const qsizetype offset = m_used - packet.size();
    const char *p = m_buffer.data() + offset;
    const Parsed parsed = parse(p, packet.size());

    // The flow's latest item among the last kFlowLookback: append to it if that is allowed.
    const size_t count = m_items.size();
    const size_t stop = count > size_t(kFlowLookback) ? count - size_t(kFlowLookback) : 0;
    if (parsed.kind == Parsed::Kind::HostPair) {
        // Its flow is unknown: no run of these two hosts may grow past it.
        for (size_t i = count; i > stop; --i) {
            Item &item = m_items[i - 1];
            if (item.open && sameAddresses(item, p, parsed))
                item.open = false;
        }
    } else if (parsed.kind != Parsed::Kind::Other) {
        for (size_t i = count; i > stop; --i) {
            Item &item = m_items[i - 1];
            if (!sameFlow(item, p, parsed))
                continue;
            if (tryAppend(item, offset, parsed))
                return;
            item.open = false;
            break;
        }
    }
    Item item;
    item.offset = offset;
    item.size = packet.size();
    item.total = packet.size();
    item.first = parsed;
    item.open = parsed.kind == Parsed::Kind::Mergeable && (parsed.flags & kTcpPsh) == 0;
    item.nextSequence = parsed.sequence + static_cast<quint32>(parsed.payload);
    item.lastId = parsed.id;
    m_items.push_back(item);
}

void PacketCoalescer::forEach(const std::function<void(const Output &output)> &write)
{
    char *base = m_buffer.data();
    for (const Item &item : m_items) {
        const qsizetype packetStart = item.offset - kVnetHeaderSize;
        m_originals.clear();
        m_originals.push_back(span(base + packetStart, kVnetHeaderSize + item.size));
        Output output;
        if (item.segments == 1) {
            output.parts = m_originals;
            output.originals = m_originals;
            output.size = kVnetHeaderSize + item.size;
            write(output);
            continue;
        }
        const Parsed &first = item.first;
        const char *packet = base + item.offset;
        char *header = m_header.data();
        char *ip = header + kVnetHeaderSize;
        std::memcpy(ip, packet, static_cast<size_t>(first.headers));
        char *transport = ip + first.ipHeader;
        const bool udp = first.protocol == kProtocolUdp;
        if (first.version == 4) {
            store16(ip + 2, static_cast<quint16>(item.total));
            store16(ip + 10, 0);
            store16(ip + 10, Inet::foldComplement(Inet::sumWords(ip, kIpv4HeaderSize)));
        } else {
            store16(ip + 4, static_cast<quint16>(item.total - kIpv6HeaderSize));
        }
        const auto transportLength = static_cast<quint16>(item.total - first.ipHeader);
        if (udp)
            store16(transport + 4, transportLength);
        else if (item.push)
            transport[13] = static_cast<char>(static_cast<quint8>(transport[13]) | kTcpPsh);
        // CHECKSUM_PARTIAL: the field holds the pseudo-header sum, the kernel adds the rest if it needs it.
        const quint16 checksumOffset = udp ? kUdpChecksumOffset : kTcpChecksumOffset;
        const quint64 pseudo = Inet::pseudoHeaderSum(ip, first.version, first.protocol) + transportLength;
        store16(transport + checksumOffset, static_cast<quint16>(~Inet::foldComplement(pseudo)));
        header[0] = static_cast<char>(kVnetNeedsCsum);
        header[1] = static_cast<char>(udp ? kVnetGsoUdpL4 : first.version == 4 ? kVnetGsoTcpV4 : kVnetGsoTcpV6);
        putHost16(header + 2, static_cast<quint16>(first.headers)); // hdr_len
        putHost16(header + 4, static_cast<quint16>(first.payload)); // gso_size
        putHost16(header + 6, static_cast<quint16>(first.ipHeader)); // csum_start
        putHost16(header + 8, checksumOffset); // csum_offset: the TCP or UDP checksum field

        m_parts.clear();
        m_parts.push_back(span(header, kVnetHeaderSize + first.headers));
        m_parts.push_back(span(base + item.offset + first.headers, first.payload));
        for (int e = item.firstExtra; e >= 0; e = m_extras[static_cast<size_t>(e)].next) {
            const Extra &extra = m_extras[static_cast<size_t>(e)];
            m_parts.push_back(span(base + extra.offset + extra.headers, extra.size - extra.headers));
            m_originals.push_back(span(base + extra.offset - kVnetHeaderSize, kVnetHeaderSize + extra.size));
        }
        output.parts = m_parts;
        output.originals = m_originals;
        output.segments = item.segments;
        output.udp = udp;
        output.size = kVnetHeaderSize + item.total;
        write(output);
    }
}

void PacketCoalescer::clear()
{
    m_used = 0;
    m_items.clear();
    m_extras.clear();
    m_packetCount = 0;
}

} // namespace Nimbus
