#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"
#include "core/wire/packetaddress.h"
#include "helper/packetdevice.h"
#include "helper/platform/linux/linuxutil.h"

struct iovec;

namespace Nimbus
{

class ReadWatch;

class PacketCoalescer;

/// Bytes VpnCloud adds around one inner packet (spec §1.6): outer IPv6 + UDP + crypto header + tag + type byte,
/// plus the inner Ethernet header on TAP. 73 (TUN) / 87 (TAP).
constexpr int deviceOverhead(DeviceType type)
{
    return type == DeviceType::Tap ? 87 : 73;
}

/// The MTU assumed when the default interface cannot be determined.
constexpr int kFallbackUplinkMtu = 1500;

/// The name of the "default" interface in the text of /proc/net/route (spec §1.6): the first route whose
/// destination is 00000000, failing that the last route with a non-zero gateway. Empty if there is none.
/// Malformed lines are skipped.
QString defaultInterfaceFromRouteTable(QByteArrayView routeTable);

/// Bytes of the virtio_net_hdr before every packet of a TUN device opened with IFF_VNET_HDR.
constexpr qsizetype kVnetHeaderSize = 10;

/// Completes a checksum the kernel left partial (virtio VIRTIO_NET_HDR_F_NEEDS_CSUM): the 16-bit ones'
/// complement sum of the bytes from \a start to the end, which include the pseudo-header sum already stored in
/// the field, goes complemented into the field at \a start + \a offset (0 as 0xffff). False (packet unchanged) if the
/// field lies outside the packet.
bool completePartialChecksum(char *packet, qsizetype size, qsizetype start, qsizetype offset);

/// Cuts a TCP segmentation-offload packet (IPv4 or IPv6 without extension headers, as a TUN device with
/// TUN_F_TSO4/TUN_F_TSO6 hands it over) into packets of at most \a segmentSize payload bytes each, as the
/// kernel would: the headers are copied, IPv4 total length, id (+1 per packet) and header checksum, IPv6
/// payload length and the TCP sequence number are adjusted, FIN and PSH stay on the last packet only, CWR on
/// the first only, and every TCP checksum is computed in full. The packets are written back to back to \a out
/// (\a capacity bytes) and their sizes appended to \a sizes. False (sizes unchanged) for anything else: not
/// TCP, truncated headers, segment size 0, or too little room.
bool segmentTcpPacket(
    QByteArrayView packet, int segmentSize, char *out, qsizetype capacity, std::vector<qsizetype> &sizes);

/// The MTU of the interface \a name (SIOCGIFMTU).
[[nodiscard]] Result<int> interfaceMtu(const QString &name);

/// The MTU of the default interface (read from \a routeFile, normally /proc/net/route), or 1500 if the route
/// table, the interface or its MTU cannot be read.
int defaultInterfaceMtu(const QString &routeFile);
int defaultInterfaceMtu();

/// The MTU VpnCloud gives its device: defaultInterfaceMtu() − deviceOverhead(type) (spec §1.6).
int tunMtu(DeviceType type);

/// The first IPv4 address of interface \a name (SIOCGIFADDR); an error if it has none or does not exist.
[[nodiscard]] Result<QHostAddress> interfaceIpv4Address(const QString &name);

/// A Linux TUN or TAP interface created through /dev/net/tun (spec §9.8), read without blocking on the Qt event
/// loop. Packets read are handed over in batches to the handler set with setPacketHandler(): one call per wake-up
/// of the socket notifier, with every packet read until the device would block (bounded, so one busy device
/// cannot starve the event loop); with sparse traffic (the previous wake-up long ago, see Linux::WakeupPacer) the
/// one packet read first, leaving anything more to the next wake-up. Not thread-safe; lives in one thread.
class TunDevice final : public PacketDevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TunDevice)

public:
    explicit TunDevice(QObject *parent = nullptr);
    ~TunDevice() override;

    /// Creates (or attaches to) the interface. \a namePattern is a name such as `nimbus0` or a pattern with one
    /// `%d` (`vpncloud%d`), which the kernel replaces with the first free number; at most 15 characters.
    /// \a controlPath is the clone device, normally /dev/net/tun. Returns the real interface name.
    /// Reading starts at once if a packet handler is set.
    [[nodiscard]] Result<QString> open(DeviceType type, const QString &namePattern, const QString &controlPath);
    [[nodiscard]] Result<QString> open(DeviceType type, const QString &namePattern);
    /// Closes the descriptor; the kernel removes the (non-persistent) interface. Safe to call twice.
    void close() override;

    bool isOpen() const { return m_fd >= 0; }
    /// The real interface name, empty while closed.
    QString name() const override { return m_name; }
    DeviceType type() const { return m_type; }
    /// The file descriptor, -1 while closed. Owned by this object.
    int descriptor() const { return m_fd; }

    [[nodiscard]] Result<Ok> setMtu(int mtu);
    [[nodiscard]] Result<int> mtu() const;
    /// Sets the IPv4 address and the netmask built from \a prefixLength (0..32), without changing the up state.
    [[nodiscard]] Result<Ok> setIpv4Address(const QHostAddress &address, int prefixLength);
    /// Sets or clears IFF_UP (and IFF_RUNNING).
    [[nodiscard]] Result<Ok> setUp(bool up);
    /// setIpv4Address() then setUp(true): step 4 of the device setup sequence (spec §9.8).
    [[nodiscard]] Result<Ok> configureIpv4(const QHostAddress &address, int prefixLength);
    /// The interface's IPv4 address (for auto-claim, spec §7.3).
    [[nodiscard]] Result<QHostAddress> ipv4Address() const;

    /// A wake-up may deliver several batches. The packets refer to the device's read buffer
    /// (QByteArray::fromRawData); copy one (`QByteArray(p.constData(), p.size())`) to keep it.
    void setPacketHandler(PacketBatchHandler handler) override;
    /// Pauses or resumes reading (the socket notifier); reading is enabled by default.
    void setReadingEnabled(bool enabled);

    /// Writes one packet (TUN: an IP packet, TAP: an Ethernet frame). Never blocks: a full queue is an error
    /// and the packet is dropped.
    [[nodiscard]] Result<Ok> write(QByteArrayView packet) override;

    /// Queues one packet for flushWrites(), which may merge consecutive TCP segments, or UDP datagrams, of one flow
    /// into one large packet with segmentation offload (PacketCoalescer), so the kernel's receive path runs once
    /// for them. UDP datagrams are merged only where the kernel knows UDP segmentation offload (Linux 6.2 and
    /// later). On a device without IFF_VNET_HDR and TSO (or after the kernel refused a merged TCP packet) the
    /// packet is written at once, as write() does; after a refused merged UDP packet only UDP merging stops. The
    /// packet is copied: the caller's buffer may be reused at once. An error means the packet was not written.
    [[nodiscard]] Result<Ok> queueWrite(QByteArrayView packet) override;
    /// Writes every queued packet, in order. Returns how many packets could not be written.
    int flushWrites() override;
    /// Packets waiting for flushWrites().
    int queuedWriteCount() const;
    /// True while queueWrite() merges TCP segments.
    bool receiveCoalescingActive() const { return m_coalescing; }
    /// True while queueWrite() merges UDP datagrams too.
    bool udpCoalescingActive() const;
    /// Merged packets written and the segments they carried (statistics and tests).
    quint64 coalescedWrites() const { return m_coalescedWrites; }
    quint64 coalescedSegments() const { return m_coalescedSegments; }
    /// Packets queued at most before queueWrite() flushes by itself.
    static constexpr int kMaxQueuedWrites = 1024;

    /// Packets read per wake-up at most; the rest is read on the next one.
    static constexpr int kMaxPacketsPerWakeup = 256;

    /// True if the device hands over large TCP segments (TUN with IFF_VNET_HDR and TSO, set up by open()
    /// where the kernel supports it); readPackets() cuts them into packets of the device MTU, so the handler
    /// never sees the difference.
    bool segmentationOffloadActive() const { return m_tso; }
    /// Offloaded segments read and the packets they were cut into (statistics and tests).
    quint64 offloadedSegments() const { return m_offloadedSegments; }
    /// Packets whose reading failed because the kernel handed over something this class does not handle
    /// (an unknown offload type); they are dropped.
    quint64 droppedOffloadPackets() const { return m_droppedOffload; }

    // readFailed() (PacketDevice): reading failed with something other than "would block"; reading is paused
    // (setReadingEnabled(true) to retry).

private:
    void readPackets();
    /// Appends the packets one read with a virtio_net_hdr stands for (cut into packets, checksum completed).
    void appendOffloaded(char *at, qsizetype size, std::vector<char> &buffer, size_t &used, QList<QByteArray> &batch);
    void updateNotifier();
    /// Writes one buffer that starts with a virtio_net_hdr (\a parts gathered); false with errno on failure.
    bool writeParts(const iovec *parts, int count);

    int m_fd = -1;
    QString m_name;
    DeviceType m_type = DeviceType::Tun;
    ReadWatch *m_readWatch = nullptr;
    PacketBatchHandler m_handler;
    bool m_readingEnabled = true;
    bool m_vnetHeader = false; ///< every read and write starts with a virtio_net_hdr
    bool m_tso = false;
    quint64 m_offloadedSegments = 0;
    quint64 m_droppedOffload = 0;
    std::vector<qsizetype> m_segmentSizes;
    bool m_coalescing = false;
    int m_queuedWriteErrors = 0; ///< failures of flushes queueWrite() did by itself, for the next flushWrites()
    quint64 m_coalescedWrites = 0;
    quint64 m_coalescedSegments = 0;
    std::unique_ptr<PacketCoalescer> m_coalescer;
    Linux::WakeupPacer m_pacer;
    // Shared: a handler that deletes the device must not free the batch it is working on.
    std::shared_ptr<std::vector<char>> m_buffer;
    std::shared_ptr<QList<QByteArray>> m_batch = std::make_shared<QList<QByteArray>>();
};

} // namespace Nimbus
