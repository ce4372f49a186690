#include "helper/platform/linux/udpsocket.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <QLoggingCategory>
#include <QPointer>
#include <QScopeGuard>

#include "helper/platform/linux/epolldispatcher.h"
#include "helper/platform/linux/linuxutil.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

Q_LOGGING_CATEGORY(lcUdp, "nimbus.helper.udp")

constexpr int kIcmpDestUnreach = 3;
constexpr int kIcmp6DestUnreach = 1;
// recvmmsg() calls per wake-up at most, including calls that only collect a pending ICMP error.
constexpr int kMaxReceiveCallsPerWakeup = 64;
// Error-queue entries read per wake-up at most.
constexpr int kMaxErrorsPerWakeup = 256;

struct RawAddress {
    sockaddr_storage storage {};
    socklen_t length = 0;

    const sockaddr *get() const { return reinterpret_cast<const sockaddr *>(&storage); }
};

std::array<quint8, 16> mappedBytes(const in_addr &v4)
{
    std::array<quint8, 16> bytes {};
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4.s_addr, 4);
    return bytes;
}

// The normalised address of a kernel sockaddr (AF_INET6, or AF_INET turned into ::ffff: form).
std::optional<SocketAddress> fromRaw(const void *data, socklen_t length)
{
    if (length < static_cast<socklen_t>(sizeof(sa_family_t)))
        return std::nullopt;
    sa_family_t family = AF_UNSPEC;
    std::memcpy(&family, data, sizeof family);
    if (family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        sockaddr_in6 in6 {};
        std::memcpy(&in6, data, sizeof in6);
        return SocketAddress::fromIpv6Bytes(in6.sin6_addr.s6_addr, ntohs(in6.sin6_port));
    }
    if (family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        sockaddr_in in {};
        std::memcpy(&in, data, sizeof in);
        return SocketAddress::fromIpv6Bytes(mappedBytes(in.sin_addr).data(), ntohs(in.sin_port));
    }
    return std::nullopt;
}

QHostAddress hostFromRaw(const void *data, socklen_t length)
{
    const std::optional<SocketAddress> address = fromRaw(data, length);
    return address ? address->address() : QHostAddress();
}

// The kernel form of \a address for a socket of the given family.
Result<RawAddress> toRaw(const SocketAddress &address, bool ipv6Socket)
{
    RawAddress raw;
    if (ipv6Socket) {
        sockaddr_in6 in6 {};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(address.port());
        std::memcpy(in6.sin6_addr.s6_addr, address.ipv6Bytes().data(), 16);
        std::memcpy(&raw.storage, &in6, sizeof in6);
        raw.length = sizeof in6;
        return raw;
    }
    if (!address.isIpv4Mapped() && !address.isUnspecified())
        return Error {u"udp-address"_s,
            u"cannot use the IPv6 address %1: the kernel has no IPv6 support"_s.arg(address.toString())};
    sockaddr_in in {};
    in.sin_family = AF_INET;
    in.sin_port = htons(address.port());
    if (address.isIpv4Mapped())
        std::memcpy(&in.sin_addr.s_addr, address.ipv6Bytes().data() + 12, 4);
    std::memcpy(&raw.storage, &in, sizeof in);
    raw.length = sizeof in;
    return raw;
}

// Errors the kernel reports on the next socket call after an ICMP error arrived (the socket's pending sk_err);
// the details are in the error queue.
bool isIcmpErrno(int error)
{
    switch (error) {
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENONET:
    case EPROTO:
    case ENOPROTOOPT:
    case EACCES:
    case EMSGSIZE:
        return true;
    default:
        return false;
    }
}

bool isV4HostUnreachableCode(int code)
{
    switch (code) {
    case 0: // net unreachable
    case 1: // host unreachable
    case 6: // destination network unknown
    case 7: // destination host unknown
    case 11: // network unreachable for TOS
    case 12: // host unreachable for TOS
        return true;
    default:
        return false;
    }
}

Result<Ok> setIntOption(int fd, int level, int option, int value, const char *name)
{
    if (::setsockopt(fd, level, option, &value, sizeof value) < 0) {
        const int error = errno;
        return Error {u"udp-socket"_s, u"cannot set %1: %2"_s.arg(QLatin1String(name), Linux::errnoText(error))};
    }
    return Ok {};
}

bool isDigits(QStringView text)
{
    if (text.isEmpty() || text.size() > 5)
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

Result<quint16> parsePort(QStringView text, QStringView whole)
{
    bool ok = false;
    const uint port = isDigits(text) ? text.toUInt(&ok) : 0;
    if (!ok || port > 65535)
        return Error {u"listen"_s, u"invalid port in listen address \"%1\""_s.arg(whole)};
    return static_cast<quint16>(port);
}

} // namespace

// Room for one message: the largest UDP payload, which a message coalesced by UDP GRO may reach.
constexpr size_t kReceiveSlotSize = 65536;

struct UdpSocket::Buffers {
    std::vector<char> data = std::vector<char>(static_cast<size_t>(kBatchSize) * kReceiveSlotSize);
    std::array<mmsghdr, kBatchSize> headers {};
    std::array<iovec, kBatchSize> iovecs {};
    std::array<sockaddr_storage, kBatchSize> names {};
    struct alignas(cmsghdr) Control {
        std::array<char, CMSG_SPACE(sizeof(int)) + 64> bytes {};
    };
    std::array<Control, kBatchSize> controls {};
    QList<ReceivedDatagram> batch;
    /// The leading headers to set up again before the next recvmmsg(): those the kernel wrote to (lengths and
    /// flags of received messages). A wake-up for one datagram so touches two headers, not all of them.
    int staleHeaders = kBatchSize;
    bool headersWithControl = false; ///< whether the headers point at the control buffers (UDP GRO)
};

namespace
{

// The segment size of a message coalesced by UDP GRO (its UDP_GRO control message), or 0.
int groSegmentSize(const msghdr &header)
{
    if (header.msg_controllen == 0)
        return 0;
    auto *h = const_cast<msghdr *>(&header);
    for (cmsghdr *cmsg = CMSG_FIRSTHDR(h); cmsg; cmsg = CMSG_NXTHDR(h, cmsg)) {
        if (cmsg->cmsg_level == SOL_UDP && cmsg->cmsg_type == UDP_GRO && cmsg->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int size = 0;
            std::memcpy(&size, CMSG_DATA(cmsg), sizeof size);
            return size > 0 ? size : 0;
        }
    }
    return 0;
}

} // namespace

struct UdpSocket::SendQueue {
    struct Entry {
        qsizetype offset = 0;
        qsizetype size = 0;
        RawAddress to;
        SocketAddress target;
    };
    std::vector<char> data;
    std::vector<Entry> entries;
    // A run of entries [first, first + count) sent as one message (count > 1: with UDP GSO).
    struct Run {
        int first = 0;
        int count = 0;
        quint16 segment = 0;
    };
    std::array<mmsghdr, kSendBatchSize> headers {};
    std::array<iovec, kSendBatchSize> iovecs {};
    std::array<Run, kSendBatchSize> runs {};
    struct alignas(cmsghdr) Control {
        std::array<char, CMSG_SPACE(sizeof(quint16))> bytes {};
        char *data() { return bytes.data(); }
    };
    std::array<Control, kSendBatchSize> controls {};
    int dropped = 0; // since the last flush()

    SendQueue()
    {
        data.reserve(static_cast<size_t>(kSendBatchSize) * 2048);
        entries.reserve(kSendBatchSize);
    }
};

UdpSocket::UdpSocket(QObject *parent) : DatagramSocket(parent), m_sendQueue(std::make_unique<SendQueue>())
{
}

UdpSocket::~UdpSocket()
{
    close();
}

Result<SocketAddress> UdpSocket::parseListenAddress(QStringView text)
{
    const QStringView value = text.trimmed();
    if (value.startsWith(u"ws://") || value.startsWith(u"wss://"))
        return Error {u"listen"_s, u"WebSocket proxies (\"%1\") are not supported"_s.arg(value)};
    if (value.isEmpty())
        return Error {u"listen"_s, u"the listen address is empty"_s};

    QStringView host;
    QStringView portText;
    if (value.startsWith(u'[')) {
        const qsizetype close = value.indexOf(u']');
        if (close < 0)
            return Error {u"listen"_s, u"missing ']' in listen address \"%1\""_s.arg(value)};
        host = value.sliced(1, close - 1);
        const QStringView rest = value.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return Error {u"listen"_s, u"unexpected text after ']' in listen address \"%1\""_s.arg(value)};
            portText = rest.sliced(1);
            if (portText.isEmpty())
                return Error {u"listen"_s, u"invalid port in listen address \"%1\""_s.arg(value)};
        }
    } else if (isDigits(value) || value.count(u':') == 0) {
        if (isDigits(value))
            portText = value;
        else
            host = value;
    } else if (value.count(u':') == 1) {
        const qsizetype colon = value.indexOf(u':');
        host = value.first(colon);
        portText = value.sliced(colon + 1);
        if (host == u"*")
            host = {};
        else if (host.isEmpty())
            return Error {u"listen"_s, u"missing address in listen address \"%1\""_s.arg(value)};
    } else {
        host = value; // a bare IPv6 address
    }

    quint16 port = kDefaultPort;
    if (!portText.isNull()) {
        const Result<quint16> parsed = parsePort(portText, value);
        if (!parsed)
            return parsed.error();
        port = *parsed;
    }
    if (host.isEmpty())
        return SocketAddress(QHostAddress(QHostAddress::AnyIPv6), port);

    QHostAddress address;
    if (!address.setAddress(host.toString()))
        return Error {u"listen"_s, u"\"%1\" is not an IP address (host names are not allowed in listen)"_s.arg(host)};
    if (!address.scopeId().isEmpty())
        return Error {u"listen"_s, u"scoped IPv6 addresses (\"%1\") are not supported in listen"_s.arg(host)};
    return SocketAddress(address, port);
}

Result<Ok> UdpSocket::bind(QStringView listen)
{
    const Result<SocketAddress> address = parseListenAddress(listen);
    if (!address)
        return address.error();
    return bind(*address);
}

Result<Ok> UdpSocket::bind(const SocketAddress &address)
{
    close();
    bool ipv6 = true;
    Linux::UniqueFd fd(::socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.isValid() && errno == EAFNOSUPPORT && (address.isUnspecified() || address.isIpv4Mapped())) {
        qCInfo(lcUdp) << "no IPv6 support in the kernel, using an IPv4 socket";
        ipv6 = false;
        fd.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    }
    if (!fd.isValid()) {
        const int error = errno;
        return Error {u"udp-socket"_s, u"cannot create a UDP socket: %1"_s.arg(Linux::errnoText(error))};
    }
    if (ipv6) {
        const Result<Ok> dualStack = setIntOption(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
        if (!dualStack)
            return dualStack.error();
        if (const Result<Ok> r = setIntOption(fd.get(), IPPROTO_IPV6, IPV6_RECVERR, 1, "IPV6_RECVERR"); !r)
            qCWarning(lcUdp).noquote() << r.error().message;
    }
    // On the dual-stack socket, ICMPv4 errors for IPv4 peers are queued only with IP_RECVERR.
    if (const Result<Ok> r = setIntOption(fd.get(), IPPROTO_IP, IP_RECVERR, 1, "IP_RECVERR"); !r)
        qCWarning(lcUdp).noquote() << r.error().message;

    const Result<RawAddress> raw = toRaw(address, ipv6);
    if (!raw)
        return raw.error();
    if (::bind(fd.get(), raw->get(), raw->length) < 0) {
        const int error = errno;
        return Error {
            u"udp-bind"_s, u"cannot bind the UDP socket to %1: %2"_s.arg(address.toString(), Linux::errnoText(error))};
    }
    RawAddress local;
    local.length = sizeof local.storage;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&local.storage), &local.length) < 0) {
        const int error = errno;
        return Error {u"udp-bind"_s, u"cannot read the bound address: %1"_s.arg(Linux::errnoText(error))};
    }
    const std::optional<SocketAddress> bound = fromRaw(&local.storage, local.length);
    m_local = bound ? *bound : address;
    m_fd = fd.release();
    m_ipv6 = ipv6;
    // UDP_SEGMENT is known if the kernel can read it back (Linux 4.18+).
    int segment = 0;
    socklen_t segmentLength = sizeof segment;
    m_gsoSupported = ::getsockopt(m_fd, SOL_UDP, UDP_SEGMENT, &segment, &segmentLength) == 0;
    m_gso = m_gsoWanted && m_gsoSupported;
    m_gsoMaxSegment = kMaxGsoBytes;
    m_gro = false;
    setReceiveOffload(m_groWanted);
    if (!m_buffers)
        m_buffers = std::make_shared<Buffers>();
    m_readWatch = new ReadWatch(
        m_fd, [this] { readPending(); }, this);
    updateNotifier();
    qCInfo(lcUdp).noquote() << "listening on" << m_local.toString();
    return Ok {};
}

void UdpSocket::close()
{
    if (m_readWatch) {
        // close() may run inside the watch's own handler.
        m_readWatch->setEnabled(false);
        m_readWatch->deleteLater();
        m_readWatch = nullptr;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_local = SocketAddress();
}

void UdpSocket::setDatagramHandler(DatagramBatchHandler handler)
{
    m_datagramHandler = std::move(handler);
    updateNotifier();
}

void UdpSocket::setIcmpErrorHandler(IcmpErrorHandler handler)
{
    m_icmpHandler = std::move(handler);
}

void UdpSocket::setReadingEnabled(bool enabled)
{
    m_readingEnabled = enabled;
    updateNotifier();
}

void UdpSocket::updateNotifier()
{
    if (m_readWatch)
        m_readWatch->setEnabled(m_readingEnabled && m_datagramHandler);
}

Result<Ok> UdpSocket::send(const SocketAddress &to, QByteArrayView data)
{
    if (m_fd < 0)
        return Error {u"udp-send"_s, u"the UDP socket is not open"_s};
    const Result<RawAddress> raw = toRaw(to, m_ipv6);
    if (!raw)
        return raw.error();
    bool retried = false;
    for (;;) {
        const ssize_t sent = ::sendto(
            m_fd, data.data(), static_cast<size_t>(data.size()), MSG_DONTWAIT | MSG_NOSIGNAL, raw->get(), raw->length);
        if (sent >= 0)
            return Ok {};
        const int error = errno;
        if (error == EINTR)
            continue;
        // An ICMP error about an earlier datagram (possibly to another peer) is reported once by the next call;
        // it does not concern this datagram, so send it again. The report itself waits in the error queue.
        if (isIcmpErrno(error) && !retried) {
            retried = true;
            m_icmpErrorPending = true;
            continue;
        }
        return Error {u"udp-send"_s,
            u"cannot send %1 bytes to %2: %3"_s.arg(data.size()).arg(to.toString(), Linux::errnoText(error))};
    }
}

Result<Ok> UdpSocket::queue(const SocketAddress &to, QByteArrayView data)
{
    if (m_fd < 0)
        return Error {u"udp-send"_s, u"the UDP socket is not open"_s};
    Result<RawAddress> raw = toRaw(to, m_ipv6);
    if (!raw)
        return raw.error();
    if (static_cast<int>(m_sendQueue->entries.size()) >= kSendBatchSize)
        m_sendQueue->dropped += flush();
    SendQueue &q = *m_sendQueue;
    const qsizetype offset = static_cast<qsizetype>(q.data.size());
    q.data.insert(q.data.end(), data.begin(), data.end());
    q.entries.push_back(SendQueue::Entry {offset, data.size(), *raw, to});
    return Ok {};
}

int UdpSocket::queuedCount() const
{
    return static_cast<int>(m_sendQueue->entries.size());
}

void UdpSocket::setSendBatchFunctionForTesting(SendBatchFunction function)
{
    m_sendBatchFunction = std::move(function);
    m_batchSend = true;
}

int UdpSocket::sendRange(int first, int count)
{
    SendQueue &q = *m_sendQueue;
    int dropped = 0;
    for (int i = first; i < first + count; ++i) {
        const SendQueue::Entry &e = q.entries[static_cast<size_t>(i)];
        if (!send(e.target, QByteArrayView(q.data.data() + e.offset, e.size)))
            ++dropped;
    }
    return dropped;
}

int UdpSocket::flush()
{
    SendQueue &q = *m_sendQueue;
    int dropped = std::exchange(q.dropped, 0);
    const int count = static_cast<int>(q.entries.size());
    if (count == 0)
        return dropped;
    const auto clear = qScopeGuard([&q] {
        q.entries.clear();
        q.data.clear();
    });
    if (m_fd < 0)
        return dropped + count;
    if (!m_batchSend)
        return dropped + sendRange(0, count);

    // One message per datagram, or with UDP GSO one per run of datagrams to the same destination of the same
    // size (the last one may be shorter): the kernel cuts it into exactly these datagrams again. The entries
    // of a run lie back to back in the queue's buffer, so a run is one iovec.
    int messageCount = 0;
    for (int i = 0; i < count;) {
        const SendQueue::Entry &e = q.entries[static_cast<size_t>(i)];
        int n = 1;
        qsizetype bytes = e.size;
        if (m_gso && e.size <= m_gsoMaxSegment) {
            while (i + n < count && n < kMaxGsoSegments) {
                const SendQueue::Entry &f = q.entries[static_cast<size_t>(i + n)];
                if (f.target != e.target || f.size > e.size || f.size == 0 || bytes + f.size > kMaxGsoBytes)
                    break;
                bytes += f.size;
                ++n;
                if (f.size < e.size)
                    break; // only the last datagram of a run may be shorter
            }
        }
        const auto m = static_cast<size_t>(messageCount);
        q.runs[m] = SendQueue::Run {i, n, static_cast<quint16>(e.size)};
        q.iovecs[m] = iovec {q.data.data() + e.offset, static_cast<size_t>(bytes)};
        msghdr &h = q.headers[m].msg_hdr;
        h = msghdr {};
        h.msg_name = const_cast<sockaddr_storage *>(&e.to.storage);
        h.msg_namelen = e.to.length;
        h.msg_iov = &q.iovecs[m];
        h.msg_iovlen = 1;
        if (n > 1) {
            char *control = q.controls[m].data();
            h.msg_control = control;
            h.msg_controllen = CMSG_SPACE(sizeof(quint16));
            cmsghdr *cmsg = CMSG_FIRSTHDR(&h);
            cmsg->cmsg_level = SOL_UDP;
            cmsg->cmsg_type = UDP_SEGMENT;
            cmsg->cmsg_len = CMSG_LEN(sizeof(quint16));
            const quint16 segment = static_cast<quint16>(e.size);
            std::memcpy(CMSG_DATA(cmsg), &segment, sizeof segment);
        }
        q.headers[m].msg_len = 0;
        ++messageCount;
        i += n;
    }

    int next = 0; // the next message to send
    bool retried = false; // the message at `next` was already retried after an ICMP error
    while (next < messageCount) {
        const unsigned int remaining = static_cast<unsigned int>(messageCount - next);
        const int flags = MSG_DONTWAIT | MSG_NOSIGNAL;
        mmsghdr *messages = q.headers.data() + next;
        const int sent = m_sendBatchFunction ? m_sendBatchFunction(m_fd, messages, remaining, flags)
                                             : ::sendmmsg(m_fd, messages, remaining, flags);
        if (sent > 0) {
            next += std::min(sent, static_cast<int>(remaining));
            retried = false;
            continue;
        }
        const int error = sent < 0 ? errno : EIO;
        if (error == EINTR)
            continue;
        const SendQueue::Run &run = q.runs[static_cast<size_t>(next)];
        if (error == ENOSYS || (sent == 0 && !m_sendBatchFunction)) {
            qCInfo(lcUdp) << "sendmmsg() is not available, sending datagrams one by one";
            m_batchSend = false;
            return dropped + sendRange(run.first, count - run.first);
        }
        // An ICMP error about an earlier datagram is reported once by the next call (see send()).
        if (isIcmpErrno(error) && !retried) {
            retried = true;
            m_icmpErrorPending = true;
            continue;
        }
        retried = false;
        if (error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS) {
            qCDebug(lcUdp).noquote() << "send buffer full, dropping" << (count - run.first) << "datagrams";
            return dropped + (count - run.first);
        }
        if (run.count > 1) {
            // The kernel refused the segmentation offload: without checksum offload on the route's device
            // (EIO) for good, for datagrams too big for the path MTU (EINVAL, EMSGSIZE) from this size on.
            if (error == EIO) {
                qCInfo(lcUdp) << "UDP segmentation offload refused by the kernel, sending datagrams one by one";
                m_gso = false;
            } else {
                qCDebug(lcUdp) << "UDP segmentation offload refused for" << run.segment
                               << "byte datagrams:" << Linux::errnoText(error);
                m_gsoMaxSegment = std::min<qsizetype>(m_gsoMaxSegment, run.segment - 1);
            }
            dropped += sendRange(run.first, run.count);
            ++next;
            continue;
        }
        const SendQueue::Entry &e = q.entries[static_cast<size_t>(run.first)];
        qCDebug(lcUdp).noquote() << "cannot send" << e.size << "bytes to" << e.target.toString() << ":"
                                 << Linux::errnoText(error);
        ++dropped;
        ++next;
    }
    return dropped;
}

void UdpSocket::setReceiveOffload(bool enabled)
{
    m_groWanted = enabled;
    if (m_fd < 0)
        return;
    const int value = enabled ? 1 : 0;
    if (::setsockopt(m_fd, SOL_UDP, UDP_GRO, &value, sizeof value) == 0)
        m_gro = enabled;
    else if (!enabled)
        m_gro = false;
    else
        qCDebug(lcUdp) << "no UDP receive offload:" << Linux::errnoText(errno);
}

void UdpSocket::setSegmentationOffload(bool enabled)
{
    m_gsoWanted = enabled;
    m_gso = enabled && m_gsoSupported;
    m_gsoMaxSegment = kMaxGsoBytes;
}

Result<int> UdpSocket::setReceiveBufferSize(int bytes)
{
    return setBufferSize(true, bytes);
}

Result<int> UdpSocket::setSendBufferSize(int bytes)
{
    return setBufferSize(false, bytes);
}

Result<int> UdpSocket::setBufferSize(bool receive, int bytes)
{
    const char *what = receive ? "receive" : "send";
    if (m_fd < 0)
        return Error {u"udp-socket"_s, u"the UDP socket is not open"_s};
    if (bytes <= 0)
        return Error {u"udp-socket"_s, u"invalid %1 buffer size %2"_s.arg(QLatin1String(what)).arg(bytes)};
    // The FORCE variants need CAP_NET_ADMIN and ignore net.core.[rw]mem_max.
    const int force = receive ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;
    const int plain = receive ? SO_RCVBUF : SO_SNDBUF;
    if (::setsockopt(m_fd, SOL_SOCKET, force, &bytes, sizeof bytes) < 0
        && ::setsockopt(m_fd, SOL_SOCKET, plain, &bytes, sizeof bytes) < 0) {
        const int error = errno;
        return Error {
            u"udp-socket"_s, u"cannot set the %1 buffer size: %2"_s.arg(QLatin1String(what), Linux::errnoText(error))};
    }
    int actual = 0;
    socklen_t length = sizeof actual;
    if (::getsockopt(m_fd, SOL_SOCKET, plain, &actual, &length) < 0) {
        const int error = errno;
        return Error {
            u"udp-socket"_s, u"cannot read the %1 buffer size: %2"_s.arg(QLatin1String(what), Linux::errnoText(error))};
    }
    return actual;
}

int UdpSocket::drainErrorQueue()
{
    int reports = 0;
    const QPointer<UdpSocket> alive(this);
    for (int i = 0; i < kMaxErrorsPerWakeup && alive && m_fd >= 0; ++i) {
        std::array<char, 64> payload {};
        iovec iov {payload.data(), payload.size()};
        sockaddr_storage name {};
        alignas(cmsghdr) std::array<char, 512> control {};
        msghdr msg {};
        msg.msg_name = &name;
        msg.msg_namelen = sizeof name;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        if (::recvmsg(m_fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
            const int error = errno;
            if (error == EINTR)
                continue;
            break; // EAGAIN: the queue is empty
        }
        for (cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
            const bool v6Report = cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_RECVERR;
            const bool v4Report = cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_RECVERR;
            const size_t dataLength = cmsg->cmsg_len - CMSG_LEN(0);
            if ((!v6Report && !v4Report) || cmsg->cmsg_len < CMSG_LEN(0) || dataLength < sizeof(sock_extended_err))
                continue;
            const unsigned char *data = CMSG_DATA(cmsg);
            sock_extended_err ee {};
            std::memcpy(&ee, data, sizeof ee);
            const bool icmp4 = ee.ee_origin == SO_EE_ORIGIN_ICMP;
            const bool icmp6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
            if (!icmp4 && !icmp6)
                continue; // local errors (e.g. EMSGSIZE) were already reported by send()
            if (ee.ee_type != (icmp6 ? kIcmp6DestUnreach : kIcmpDestUnreach)) {
                qCDebug(lcUdp) << "ignoring ICMP" << (icmp6 ? "v6" : "v4") << "type" << ee.ee_type << "code"
                               << ee.ee_code;
                continue;
            }
            const std::optional<SocketAddress> target = fromRaw(&name, msg.msg_namelen);
            if (!target) {
                qCWarning(lcUdp) << "ICMP error without the original destination, ignored";
                continue;
            }
            IcmpError report;
            report.target = *target;
            report.type = ee.ee_type;
            report.code = ee.ee_code;
            report.icmpv6 = icmp6;
            const size_t offenderLength = dataLength - sizeof ee;
            report.offender = hostFromRaw(data + sizeof ee, static_cast<socklen_t>(offenderLength));
            report.portUnreachable = icmp6 ? ee.ee_code == 4 : ee.ee_code == 3;
            report.hostUnreachable = icmp6 ? (ee.ee_code == 0 || ee.ee_code == 3) : isV4HostUnreachableCode(ee.ee_code);
            ++reports;
            qCDebug(lcUdp).noquote() << "ICMP destination unreachable for" << report.target.toString() << "code"
                                     << report.code << "from" << report.offender.toString();
            if (m_icmpHandler) {
                const IcmpErrorHandler handler = m_icmpHandler;
                handler(report);
                if (!alive)
                    return reports;
            }
        }
    }
    return reports;
}

void UdpSocket::readPending()
{
    const QPointer<UdpSocket> alive(this);
    // An ICMP error sets the socket's pending error, which the next recvmmsg() or send reports (once) before
    // anything else, and it keeps poll() reporting the socket until its error queue is read. So the queue is
    // read when a call reported an error or when a wake-up has nothing to receive, not on every wake-up.
    if (m_icmpErrorPending) {
        m_icmpErrorPending = false;
        drainErrorQueue();
    }
    // Sparse traffic: one datagram is all there is. Asking for one spares the kernel its search for a second
    // (WakeupPacer); if more were waiting, the event loop reports the socket again at once.
    const bool oneMessage = m_pacer.sparse(Linux::monotonicNs());
    const unsigned int slots = oneMessage ? 1 : kBatchSize;
    int received = 0;
    for (int calls = 0; alive && m_fd >= 0 && calls < kMaxReceiveCallsPerWakeup && received < kMaxDatagramsPerWakeup;
         ++calls) {
        // Kept alive by this reference while the handler runs, even if it deletes the socket.
        const std::shared_ptr<Buffers> buffers = m_buffers;
        Buffers &b = *buffers;
        if (b.headersWithControl != m_gro) {
            b.headersWithControl = m_gro;
            b.staleHeaders = kBatchSize;
        }
        for (int i = 0; i < b.staleHeaders; ++i) {
            b.iovecs[i].iov_base = b.data.data() + static_cast<size_t>(i) * kReceiveSlotSize;
            b.iovecs[i].iov_len = kReceiveSlotSize;
            msghdr &h = b.headers[i].msg_hdr;
            h = msghdr {};
            h.msg_name = &b.names[i];
            h.msg_namelen = sizeof b.names[i];
            h.msg_iov = &b.iovecs[i];
            h.msg_iovlen = 1;
            if (m_gro) {
                h.msg_control = b.controls[i].bytes.data();
                h.msg_controllen = b.controls[i].bytes.size();
            }
            b.headers[i].msg_len = 0;
        }
        const int count = ::recvmmsg(m_fd, b.headers.data(), slots, MSG_DONTWAIT, nullptr);
        b.staleHeaders = std::clamp(count + 1, 1, kBatchSize); // one more than written, to be safe
        if (count < 0) {
            const int error = errno;
            if (error == EINTR)
                continue;
            if (error == EAGAIN || error == EWOULDBLOCK) {
                if (calls == 0 && alive && m_fd >= 0)
                    drainErrorQueue(); // woken with nothing to read: by the error queue
                break;
            }
            if (isIcmpErrno(error)) {
                // A pending ICMP error, reported once; its details are in the error queue.
                drainErrorQueue();
                continue;
            }
            const QString failure = u"cannot read from the UDP socket: %1"_s.arg(Linux::errnoText(error));
            qCWarning(lcUdp).noquote() << failure;
            if (error == EBADF || error == ENOTSOCK || error == EINVAL || error == EFAULT) {
                m_readingEnabled = false;
                updateNotifier();
                Q_EMIT readFailed(failure);
            }
            break;
        }
        if (count == 0)
            break;
        received += count;
        QList<ReceivedDatagram> &batch = b.batch;
        batch.clear(); // keeps its capacity
        for (int i = 0; i < count; ++i) {
            const msghdr &h = b.headers[i].msg_hdr;
            if (h.msg_flags & MSG_TRUNC) {
                ++m_truncated;
                continue;
            }
            const std::optional<SocketAddress> source = fromRaw(h.msg_name, h.msg_namelen);
            if (!source)
                continue;
            const char *data = static_cast<const char *>(b.iovecs[i].iov_base);
            const auto length = static_cast<qsizetype>(b.headers[i].msg_len);
            const int segment = groSegmentSize(h);
            if (segment > 0 && length > segment) {
                // Coalesced by UDP GRO: equal datagrams back to back, the last one may be shorter.
                for (qsizetype at = 0; at < length; at += segment) {
                    const qsizetype size = std::min<qsizetype>(segment, length - at);
                    batch.append(ReceivedDatagram {*source, QByteArray::fromRawData(data + at, size)});
                    ++m_coalesced;
                }
                continue;
            }
            if (length > kMaxDatagramSize) {
                ++m_truncated;
                continue;
            }
            // No copy: the handler sees the receive buffer itself (valid until the next recvmmsg()).
            batch.append(ReceivedDatagram {*source, QByteArray::fromRawData(data, length)});
        }
        if (!batch.isEmpty() && m_datagramHandler) {
            const DatagramBatchHandler handler = m_datagramHandler;
            handler(batch);
        }
        if (count < static_cast<int>(slots) || oneMessage)
            break; // the socket is drained (or sparse traffic); anything newer wakes the notifier again
    }
}

} // namespace Nimbus
