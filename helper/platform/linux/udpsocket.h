#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringView>

#include "core/protocol/result.h"
#include "core/wire/socketaddress.h"
#include "helper/datagramsocket.h"
#include "helper/platform/linux/linuxutil.h"

struct mmsghdr;

namespace Nimbus
{

class ReadWatch;

/// The one UDP socket of a VPN instance (spec §1.1): IPv6, dual-stack, non-blocking, read on the Qt event loop.
/// Every read wake-up receives with recvmmsg() in batches until the socket would block (bounded per wake-up)
/// and hands each batch to the datagram handler; with sparse traffic (the previous wake-up long ago, see
/// Linux::WakeupPacer) a wake-up receives one datagram and leaves anything more to the next one. ICMP
/// destination-unreachable errors for datagrams sent from this socket are read from the socket's error queue and handed
/// to the ICMP handler: only when a system call reported one or a wake-up found nothing to receive (then the error
/// queue woke it), so a wake-up with data costs no extra system call. Lives in one thread.
class UdpSocket final : public DatagramSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UdpSocket)

public:
    /// Largest datagram processed (spec §1.1: 65 535 − 100); longer ones are dropped.
    static constexpr int kMaxDatagramSize = 65435;
    /// Datagrams per recvmmsg() call.
    static constexpr int kBatchSize = 32;
    /// Datagrams read per wake-up at most; the rest is read on the next one.
    static constexpr int kMaxDatagramsPerWakeup = 1024;
    static constexpr quint16 kDefaultPort = 3210;
    /// Datagrams queued for one sendmmsg() at most; queue() flushes when the queue is full.
    static constexpr int kSendBatchSize = 64;
    /// The system call behind flush() (sendmmsg(2)); replaceable in tests to simulate partial sends and errors.
    using SendBatchFunction = std::function<int(int fd, ::mmsghdr *messages, unsigned int count, int flags)>;

    explicit UdpSocket(QObject *parent = nullptr);
    ~UdpSocket() override;

    /// Parses a `listen` value (spec §9.7): `PORT` and `*:PORT` give `[::]:PORT`; `IP:PORT`, `[IPv6]:PORT`
    /// give that address; `IP` alone gets port 3210. Port 0 means an ephemeral port. Host names and
    /// `ws://` proxies are rejected.
    [[nodiscard]] static Result<SocketAddress> parseListenAddress(QStringView text);

    /// Creates the socket and binds it to \a address (`::` for all addresses; IPv4 as `::ffff:a.b.c.d`).
    /// Falls back to a plain IPv4 socket if the kernel has no IPv6. Reading starts at once if a handler is set.
    [[nodiscard]] Result<Ok> bind(const SocketAddress &address);
    /// parseListenAddress() then bind().
    [[nodiscard]] Result<Ok> bind(QStringView listen);
    void close() override;

    bool isOpen() const { return m_fd >= 0; }
    /// The bound address and the real port (useful after binding port 0).
    SocketAddress localAddress() const override { return m_local; }
    int descriptor() const { return m_fd; }

    /// Handles the datagrams of one recvmmsg() batch.
    void setDatagramHandler(DatagramBatchHandler handler) override;
    /// The error queue is read on the same wake-ups as datagrams, so reports arrive only while reading is
    /// enabled and a datagram handler is set.
    void setIcmpErrorHandler(IcmpErrorHandler handler) override;
    /// Pauses or resumes reading; enabled by default.
    void setReadingEnabled(bool enabled);

    /// Sends one datagram without blocking; a full send buffer is an error (the datagram is dropped).
    [[nodiscard]] Result<Ok> send(const SocketAddress &to, QByteArrayView data) override;
    /// Copies one datagram into the send queue; flush() sends the queue with as few sendmmsg() calls as
    /// possible (queue() flushes by itself when kSendBatchSize datagrams are waiting). An error here (socket
    /// closed, address the socket cannot reach) means the datagram was not queued.
    [[nodiscard]] Result<Ok> queue(const SocketAddress &to, QByteArrayView data) override;
    /// Sends every queued datagram, in order, without blocking. A datagram the kernel refuses is dropped and
    /// the rest still go out; a full send buffer drops what is left. If sendmmsg() is not available, falls
    /// back to one sendto() per datagram for good. Returns how many datagrams were dropped since the last
    /// flush() (including automatic flushes from queue()).
    int flush() override;
    /// Datagrams waiting in the send queue.
    int queuedCount() const;
    /// For tests: replaces sendmmsg(); an empty function restores it.
    void setSendBatchFunctionForTesting(SendBatchFunction function);
    /// UDP segmentation offload (UDP_SEGMENT, on by default where the kernel has it): flush() hands a run of
    /// equal-sized datagrams to the same destination to the kernel as one message, which it cuts into
    /// exactly these datagrams. If the kernel refuses it for good (EIO: no checksum offload), flush() sends
    /// them one by one from then on; datagrams too big for it (EINVAL) are sent one by one from that size up.
    void setSegmentationOffload(bool enabled);
    /// UDP receive offload (UDP_GRO, on by default where the kernel has it): the kernel may hand over several
    /// datagrams of one sender as one coalesced message, which is split into the original datagrams again
    /// before the handler sees them. Off (or unsupported), every datagram is read on its own.
    void setReceiveOffload(bool enabled);
    /// True while the socket receives with UDP GRO.
    bool receiveOffloadActive() const { return m_gro; }
    /// Datagrams received inside coalesced messages (statistics and tests).
    quint64 coalescedDatagrams() const { return m_coalesced; }
    /// True while flush() uses UDP segmentation offload.
    bool segmentationOffloadActive() const { return m_gso; }
    /// Datagrams per offloaded message at most (the kernel's UDP_MAX_SEGMENTS) and their bytes together.
    static constexpr int kMaxGsoSegments = 64;
    static constexpr qsizetype kMaxGsoBytes = 65000;
    /// True while flush() uses sendmmsg() (false after it fell back to sendto()).
    bool batchSendAvailable() const { return m_batchSend; }

    /// SO_RCVBUF/SO_SNDBUF (as root SO_RCVBUFFORCE/SO_SNDBUFFORCE, which may exceed the system maximum).
    /// Returns the size the kernel reports afterwards (it doubles the request for bookkeeping).
    [[nodiscard]] Result<int> setReceiveBufferSize(int bytes);
    [[nodiscard]] Result<int> setSendBufferSize(int bytes);

    /// Reads everything pending now (errors first, then datagrams), as a notifier wake-up would.
    void readPending();

    /// Counters, for statistics.
    quint64 truncatedDatagrams() const { return m_truncated; }

    // readFailed() (DatagramSocket): reading failed with something other than "would block" or a reported ICMP
    // error; reading is paused.

private:
    struct Buffers;
    struct SendQueue;

    /// Sends queue entries [first, first + count) with sendto(); returns the number dropped.
    int sendRange(int first, int count);

    int drainErrorQueue();
    Result<int> setBufferSize(bool receive, int bytes);
    void updateNotifier();

    int m_fd = -1;
    bool m_ipv6 = true;
    SocketAddress m_local;
    ReadWatch *m_readWatch = nullptr;
    DatagramBatchHandler m_datagramHandler;
    IcmpErrorHandler m_icmpHandler;
    bool m_readingEnabled = true;
    std::shared_ptr<Buffers> m_buffers; // shared: a handler that deletes the socket must not free its batch
    std::unique_ptr<SendQueue> m_sendQueue;
    SendBatchFunction m_sendBatchFunction;
    bool m_batchSend = true;
    bool m_gsoSupported = false; ///< the kernel knows UDP_SEGMENT (checked at bind())
    bool m_gsoWanted = true;
    bool m_gso = false;
    bool m_groWanted = true;
    bool m_gro = false;
    quint64 m_coalesced = 0;
    qsizetype m_gsoMaxSegment = kMaxGsoBytes;
    quint64 m_truncated = 0;
    /// A send reported (and so consumed) an ICMP error: the next read wake-up reads the error queue.
    bool m_icmpErrorPending = false;
    Linux::WakeupPacer m_pacer;
};

} // namespace Nimbus
