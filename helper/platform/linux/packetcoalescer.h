#pragma once

#include <array>
#include <functional>
#include <span>
#include <vector>

#include <QByteArrayView>
#include <QtGlobal>

struct iovec;

namespace Nimbus
{

/// Merges consecutive packets of one flow into one large packet for a TUN device opened with IFF_VNET_HDR, as the
/// kernel's GRO does for a network card, so that the local stack receives one packet (with a virtio_net_hdr asking
/// for segmentation offload, gso_size = the segments' payload size) instead of dozens: in-order TCP segments, and
/// UDP datagrams of one flow (if enabled: the kernel must know UDP segmentation offload, Linux 6.2 and later). A
/// pure function of the packets added: no I/O.
///
/// Packets are added one by one (copied, so the caller's buffer may be reused at once) and handed out by
/// forEach() in order. Packets are merged only if the kernel's GRO would merge them, and a little stricter: IPv4
/// without options or fragmentation (valid header checksum, total length = packet size) or IPv6 without extension
/// headers; the same addresses, protocol, ports, TOS/TTL (IPv4) or first word and hop limit (IPv6), IPv4 ids
/// counting up by one (or all equal with DF set); every payload non-empty and at most as long as the first, a
/// shorter one ending the run; a valid TCP or UDP checksum on every packet; at most kMaxPacketSize bytes and
/// kMaxSegments packets in all. TCP segments moreover need flags ACK, with PSH allowed on the last segment only
/// (no SYN/FIN/RST/URG/ECE/CWR), the same acknowledgement number, window, data offset and options (byte for byte,
/// timestamps included) and sequence numbers continuing exactly. UDP datagrams need a UDP length that matches
/// the packet and a checksum (an IPv4 datagram without one, checksum 0, is not merged: segmentation would add
/// one). A merged packet goes out where its first packet came in; packets of one flow keep their order (a packet
/// that cannot join the flow's latest run starts a new run after it), and everything else (other protocols,
/// SYN, pure ACKs, ...) goes out unchanged with a zero virtio_net_hdr.
class PacketCoalescer final
{
public:
    /// Bytes of the virtio_net_hdr in front of every packet handed out.
    static constexpr qsizetype kVnetHeaderSize = 10;
    /// The largest merged IP packet (IPv4 total length / IPv6 header + payload length).
    static constexpr qsizetype kMaxPacketSize = 65535;
    /// Segments merged into one packet at most.
    static constexpr int kMaxSegments = 64;
    /// How many of the latest packets are searched for a packet's flow. A flow whose latest run lies further
    /// back starts a new run (order is still kept).
    static constexpr int kFlowLookback = 64;

    // virtio_net_hdr values, in host byte order as a TUN device expects them. Copied from <linux/virtio_net.h>,
    // which C++ cannot include (a struct there has a field named `class`); TunDevice uses these too.
    static constexpr quint8 kVnetNeedsCsum = 1;
    static constexpr quint8 kVnetGsoTcpV4 = 1;
    static constexpr quint8 kVnetGsoTcpV6 = 4;
    static constexpr quint8 kVnetGsoUdpL4 = 5;

    /// One packet to write: \a parts, written together (writev), are the virtio_net_hdr and the IP packet.
    /// For a merged packet, \a originals are its segments as they were added, each with a zero virtio_net_hdr
    /// in front, for a device that refuses the merged one; otherwise \a originals is \a parts.
    struct Output {
        std::span<const iovec> parts;
        std::span<const iovec> originals;
        int segments = 1; ///< packets this one stands for
        bool udp = false; ///< merged UDP datagrams (UDP segmentation offload)
        qsizetype size = 0; ///< bytes of all parts together
    };

    PacketCoalescer();
    ~PacketCoalescer();
    PacketCoalescer(const PacketCoalescer &) = delete;
    PacketCoalescer &operator=(const PacketCoalescer &) = delete;

    /// Whether UDP datagrams are merged too (default: no, only TCP segments). For packets added from now on;
    /// turning it off also closes the UDP runs of the batch, so that no later datagram joins one.
    void setUdpMerging(bool enabled);
    bool udpMerging() const { return m_udpMerging; }

    /// Copies one IP packet (anything: non-IP, truncated and foreign packets are handed out unchanged).
    void add(QByteArrayView packet);
    /// Packets added since the last clear().
    int packetCount() const { return m_packetCount; }
    bool isEmpty() const { return m_packetCount == 0; }
    /// Bytes of packet data held (to bound the memory of a long batch).
    qsizetype bufferedBytes() const { return m_used; }

    /// Calls \a write for every packet to write, in order. The parts are valid during the call only. The
    /// merged packets' IP header (total length / payload length, IPv4 header checksum), TCP flags (PSH of the
    /// last segment) or UDP length, and TCP or UDP checksum field (the pseudo-header sum,
    /// VIRTIO_NET_HDR_F_NEEDS_CSUM) are set.
    void forEach(const std::function<void(const Output &output)> &write);
    /// Forgets every packet; keeps the memory for the next batch.
    void clear();

private:
    struct Item;
    struct Extra;

    /// What add() learns about a packet: its flow key (where the addresses and ports are) and whether it may
    /// be merged at all.
    struct Parsed;
    Parsed parse(const char *packet, qsizetype size) const;
    bool sameFlow(const Item &item, const char *packet, const Parsed &parsed) const;
    bool sameAddresses(const Item &item, const char *packet, const Parsed &parsed) const;
    /// Checks the IP and TCP or UDP checksums of a packet in the buffer (only for packets about to be merged).
    bool checksumsValid(qsizetype offset, const Parsed &parsed) const;
    bool tryAppend(Item &item, qsizetype offset, const Parsed &parsed);
    char *reserve(qsizetype bytes);

    std::vector<char> m_buffer; ///< packets back to back, each after kVnetHeaderSize zero bytes
    qsizetype m_used = 0;
    std::vector<Item> m_items;
    std::vector<Extra> m_extras;
    int m_packetCount = 0;
    bool m_udpMerging = false;
    std::vector<iovec> m_parts; ///< forEach()'s scratch
    std::vector<iovec> m_originals;
    std::array<char, kVnetHeaderSize + 60 + 60> m_header {}; ///< a merged packet's virtio_net_hdr and headers
};

} // namespace Nimbus
