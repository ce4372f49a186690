// TunDevice::queueWrite()/flushWrites() against the real kernel: merged TCP segments written to a TUN device
// reach a local TCP socket intact, and the kernel acknowledges all of them. Merged UDP datagrams (UDP segmentation
// offload, Linux 6.2 and later; skipped on older kernels) reach a local UDP socket as the datagrams they were, in
// order, byte for byte; a socket with UDP_GRO receives a merged run as one message; and routed on to a device
// without offloads, where the kernel cuts and checksums them in software, they leave exactly as they came in. Needs
// root; runs in a private network namespace, which takes the devices, addresses, routes and sysctls with it.
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QList>
#include <QScopeGuard>
#include <QTest>
#include <QtEndian>

#include "helper/platform/linux/tundevice.h"
#include "tests/support/netnsguard.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::DeviceType;
using Nimbus::TunDevice;

namespace
{

// Evaluates \a expression once (it may write a packet).
#define VERIFY_OK(expression)                                                                                          \
    do {                                                                                                               \
        const auto result_ = (expression);                                                                             \
        QVERIFY2(result_.ok(), qPrintable(result_.ok() ? QString() : result_.error().message));                        \
    } while (false)

constexpr quint16 kServerPort = 5201;
constexpr quint16 kUdpPort = 5301;
// From <linux/udp.h> (Linux 5.0), which <netinet/udp.h> of older C libraries lacks.
constexpr int kUdpGro = 104;
constexpr quint8 kSyn = 0x02;
constexpr quint8 kPsh = 0x08;
constexpr quint8 kAck = 0x10;

// fd00::1 (the device) and fd00::2 (the fake peer); 10.77.0.1 and 10.77.0.2. Behind a second device, for
// forwarded packets: fd01::1 (that device) and fd01::5; 10.78.0.1 and 10.78.0.5.
std::array<quint8, 16> v6Address(quint8 last, quint8 net = 0)
{
    std::array<quint8, 16> address {};
    address[0] = 0xfd;
    address[1] = net;
    address[15] = last;
    return address;
}

// Gives interface \a name the IPv6 address \a address/\a prefixLength; false (errno set) on failure.
bool addIpv6Address(const QString &name, const std::array<quint8, 16> &address, quint32 prefixLength)
{
    const int sock = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return false;
    const auto closeSock = qScopeGuard([sock] { ::close(sock); });
    struct {
        in6_addr address;
        quint32 prefixLength;
        int ifindex;
    } request {};
    std::memcpy(&request.address, address.data(), 16);
    request.prefixLength = prefixLength;
    request.ifindex = int(::if_nametoindex(name.toUtf8().constData()));
    return request.ifindex > 0 && ::ioctl(sock, SIOCSIFADDR, &request) == 0;
}

// True once a socket can bind to the device's IPv6 address. The kernel finishes adding an IPv6 address in a work
// queue (its duplicate address detection state, even with accept_dad 0); until then the address is tentative and
// bind() fails with EADDRNOTAVAIL.
bool v6AddressUsable()
{
    const int sock = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return false;
    sockaddr_in6 in6 {};
    in6.sin6_family = AF_INET6;
    const auto address = v6Address(1);
    std::memcpy(in6.sin6_addr.s6_addr, address.data(), 16);
    const bool bound = ::bind(sock, reinterpret_cast<const sockaddr *>(&in6), sizeof in6) == 0;
    ::close(sock);
    return bound;
}

quint16 checksum(const QByteArray &data, quint32 sum = 0)
{
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        sum += qFromBigEndian<quint16>(data.constData() + i);
    if (data.size() % 2)
        sum += quint32(quint8(data[data.size() - 1])) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return quint16(~sum);
}

// A TCP segment from the fake peer to the device's address, with full checksums.
QByteArray tcpSegment(
    int version, quint16 peerPort, quint32 sequence, quint32 ack, quint8 flags, const QByteArray &payload, quint16 id)
{
    QByteArray ip;
    if (version == 4) {
        ip = QByteArray(20, '\0');
        ip[0] = char(0x45);
        qToBigEndian<quint16>(id, ip.data() + 4);
        qToBigEndian<quint16>(0x4000, ip.data() + 6);
        ip[8] = 64;
        ip[9] = 6;
        qToBigEndian<quint32>(0x0a4d0002, ip.data() + 12);
        qToBigEndian<quint32>(0x0a4d0001, ip.data() + 16);
    } else {
        ip = QByteArray(40, '\0');
        ip[0] = char(0x60);
        ip[6] = 6;
        ip[7] = 64;
        const auto source = v6Address(2);
        const auto target = v6Address(1);
        std::memcpy(ip.data() + 8, source.data(), 16);
        std::memcpy(ip.data() + 24, target.data(), 16);
    }
    QByteArray tcp(20, '\0');
    qToBigEndian<quint16>(peerPort, tcp.data());
    qToBigEndian<quint16>(kServerPort, tcp.data() + 2);
    qToBigEndian<quint32>(sequence, tcp.data() + 4);
    qToBigEndian<quint32>(ack, tcp.data() + 8);
    tcp[12] = char(5 << 4);
    tcp[13] = char(flags);
    qToBigEndian<quint16>(65535, tcp.data() + 14);
    QByteArray packet = ip + tcp + payload;
    const qsizetype ipHeader = ip.size();
    const qsizetype tcpLength = packet.size() - ipHeader;
    if (version == 4) {
        qToBigEndian<quint16>(quint16(packet.size()), packet.data() + 2);
        qToBigEndian<quint16>(checksum(packet.left(20)), packet.data() + 10);
    } else {
        qToBigEndian<quint16>(quint16(tcpLength), packet.data() + 4);
    }
    const QByteArray pseudo = version == 4 ? packet.mid(12, 8) : packet.mid(8, 32);
    quint32 sum = 6 + quint32(tcpLength);
    for (qsizetype i = 0; i + 1 < pseudo.size(); i += 2)
        sum += qFromBigEndian<quint16>(pseudo.constData() + i);
    qToBigEndian<quint16>(checksum(packet.mid(ipHeader), sum), packet.data() + ipHeader + 16);
    return packet;
}

// A UDP datagram from the fake peer's \a peerPort to the device's address (or, \a forwarded, to the host behind
// the second device), port \a port, with full checksums.
QByteArray udpDatagram(
    int version, quint16 peerPort, quint16 port, const QByteArray &payload, quint16 id, bool forwarded = false)
{
    QByteArray ip;
    if (version == 4) {
        ip = QByteArray(20, '\0');
        ip[0] = char(0x45);
        qToBigEndian<quint16>(id, ip.data() + 4);
        qToBigEndian<quint16>(0x4000, ip.data() + 6);
        ip[8] = 64;
        ip[9] = 17;
        qToBigEndian<quint32>(0x0a4d0002, ip.data() + 12);
        qToBigEndian<quint32>(forwarded ? 0x0a4e0005 : 0x0a4d0001, ip.data() + 16);
    } else {
        ip = QByteArray(40, '\0');
        ip[0] = char(0x60);
        ip[6] = 17;
        ip[7] = 64;
        const auto source = v6Address(2);
        const auto target = forwarded ? v6Address(5, 1) : v6Address(1);
        std::memcpy(ip.data() + 8, source.data(), 16);
        std::memcpy(ip.data() + 24, target.data(), 16);
    }
    QByteArray udp(8, '\0');
    qToBigEndian<quint16>(peerPort, udp.data());
    qToBigEndian<quint16>(port, udp.data() + 2);
    qToBigEndian<quint16>(quint16(udp.size() + payload.size()), udp.data() + 4);
    QByteArray packet = ip + udp + payload;
    const qsizetype ipHeader = ip.size();
    const qsizetype udpLength = packet.size() - ipHeader;
    if (version == 4) {
        qToBigEndian<quint16>(quint16(packet.size()), packet.data() + 2);
        qToBigEndian<quint16>(checksum(packet.left(20)), packet.data() + 10);
    } else {
        qToBigEndian<quint16>(quint16(udpLength), packet.data() + 4);
    }
    const QByteArray pseudo = version == 4 ? packet.mid(12, 8) : packet.mid(8, 32);
    quint32 sum = 17 + quint32(udpLength);
    for (qsizetype i = 0; i + 1 < pseudo.size(); i += 2)
        sum += qFromBigEndian<quint16>(pseudo.constData() + i);
    const quint16 udpChecksum = checksum(packet.mid(ipHeader), sum);
    qToBigEndian<quint16>(udpChecksum == 0 ? 0xffff : udpChecksum, packet.data() + ipHeader + 6); // RFC 768
    return packet;
}

// A non-blocking UDP socket bound to the device's address (\a version 4 or 6), port kUdpPort, with a receive buffer
// for a few hundred datagrams; -1 with errno on failure.
int boundUdpSocket(int version)
{
    const int sock = ::socket(version == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (sock < 0)
        return -1;
    const int buffer = 8 << 20;
    ::setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
    int result = 0;
    if (version == 4) {
        sockaddr_in in {};
        in.sin_family = AF_INET;
        in.sin_port = htons(kUdpPort);
        in.sin_addr.s_addr = htonl(0x0a4d0001);
        result = ::bind(sock, reinterpret_cast<const sockaddr *>(&in), sizeof in);
    } else {
        sockaddr_in6 in6 {};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(kUdpPort);
        const auto address = v6Address(1);
        std::memcpy(in6.sin6_addr.s6_addr, address.data(), 16);
        result = ::bind(sock, reinterpret_cast<const sockaddr *>(&in6), sizeof in6);
    }
    if (result != 0) {
        const int error = errno;
        ::close(sock);
        errno = error;
        return -1;
    }
    return sock;
}

// One message read from a UDP socket: the sender, the data and the UDP_GRO segment size (0 without one).
struct UdpMessage {
    QByteArray source; ///< the sender's address bytes (4 or 16)
    quint16 sourcePort = 0;
    QByteArray data;
    int segmentSize = 0;
    bool truncated = false;
};

// Appends every message \a sock holds to \a messages (without blocking).
void receiveAll(int sock, QList<UdpMessage> &messages)
{
    std::vector<char> buffer(128 * 1024);
    for (;;) {
        sockaddr_storage from {};
        iovec part {buffer.data(), buffer.size()};
        alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int))> control {};
        msghdr header {};
        header.msg_name = &from;
        header.msg_namelen = sizeof from;
        header.msg_iov = &part;
        header.msg_iovlen = 1;
        header.msg_control = control.data();
        header.msg_controllen = control.size();
        const ssize_t n = ::recvmsg(sock, &header, MSG_DONTWAIT);
        if (n < 0)
            return;
        UdpMessage message;
        message.data = QByteArray(buffer.data(), n);
        message.truncated = (header.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
        if (from.ss_family == AF_INET) {
            sockaddr_in in {};
            std::memcpy(&in, &from, sizeof in);
            message.source = QByteArray(reinterpret_cast<const char *>(&in.sin_addr), 4);
            message.sourcePort = ntohs(in.sin_port);
        } else if (from.ss_family == AF_INET6) {
            sockaddr_in6 in6 {};
            std::memcpy(&in6, &from, sizeof in6);
            message.source = QByteArray(reinterpret_cast<const char *>(in6.sin6_addr.s6_addr), 16);
            message.sourcePort = ntohs(in6.sin6_port);
        }
        for (cmsghdr *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c)) {
            if (c->cmsg_level == SOL_UDP && c->cmsg_type == kUdpGro && c->cmsg_len >= CMSG_LEN(sizeof(int)))
                std::memcpy(&message.segmentSize, CMSG_DATA(c), sizeof(int));
        }
        messages.append(message);
    }
}

QByteArray peerAddressBytes(int version)
{
    if (version == 4) {
        const quint32 address = htonl(0x0a4d0002);
        return QByteArray(reinterpret_cast<const char *>(&address), 4);
    }
    const auto address = v6Address(2);
    return QByteArray(reinterpret_cast<const char *>(address.data()), 16);
}

// Payload \a index of flow \a flow: \a size bytes that differ from datagram to datagram.
QByteArray datagramPayload(int flow, int index, int size)
{
    QByteArray payload(size, '\0');
    for (qsizetype j = 0; j < payload.size(); ++j)
        payload[j] = char((flow * 101 + index * 31 + j * 13) % 251);
    return payload;
}

// Sets the IPv4 header checksum of \a packet (IPv6 has none).
void fixIpv4Checksum(QByteArray &packet)
{
    if ((quint8(packet[0]) >> 4) != 4)
        return;
    qToBigEndian<quint16>(0, packet.data() + 10);
    qToBigEndian<quint16>(checksum(packet.left(20)), packet.data() + 10);
}

// A second TUN device, without virtio_net_hdr and offloads, so that the kernel cuts, and checksums in software,
// whatever it forwards to it: 10.78.0.1/24 and fd01::1/64, up. Its descriptor (non-blocking), or -1 with \a error.
int openPlainTun(QString &name, QString &error)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = u"cannot open /dev/net/tun: %1"_s.arg(QString::fromLocal8Bit(strerror(errno)));
        return -1;
    }
    auto fail = [&](const char *what) {
        error = u"%1: %2"_s.arg(QLatin1StringView(what), QString::fromLocal8Bit(strerror(errno)));
        ::close(fd);
        return -1;
    };
    ifreq ifr {};
    std::strncpy(ifr.ifr_name, "nimfw%d", IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    if (::ioctl(fd, TUNSETIFF, &ifr) != 0)
        return fail("TUNSETIFF");
    name = QString::fromLatin1(ifr.ifr_name);
    const int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return fail("socket");
    const auto closeSock = qScopeGuard([sock] { ::close(sock); });
    const auto setAddress = [&](unsigned long request, quint32 value) {
        sockaddr_in in {};
        in.sin_family = AF_INET;
        in.sin_addr.s_addr = htonl(value);
        std::memcpy(&ifr.ifr_addr, &in, sizeof in);
        return ::ioctl(sock, request, &ifr) == 0;
    };
    if (!setAddress(SIOCSIFADDR, 0x0a4e0001) || !setAddress(SIOCSIFNETMASK, 0xffffff00))
        return fail("cannot set the IPv4 address");
    if (::ioctl(sock, SIOCGIFFLAGS, &ifr) != 0)
        return fail("SIOCGIFFLAGS");
    ifr.ifr_flags = short(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(sock, SIOCSIFFLAGS, &ifr) != 0)
        return fail("SIOCSIFFLAGS");
    if (!addIpv6Address(name, v6Address(1, 1), 64))
        return fail("cannot set the IPv6 address");
    return fd;
}

struct TcpView {
    bool valid = false;
    quint16 sourcePort = 0;
    quint16 targetPort = 0;
    quint32 sequence = 0;
    quint32 ack = 0;
    quint8 flags = 0;
    quint16 window = 0;
};

TcpView parseTcp(const QByteArray &packet)
{
    TcpView view;
    if (packet.isEmpty())
        return view;
    const int version = quint8(packet[0]) >> 4;
    const qsizetype ip = version == 4 ? (quint8(packet[0]) & 0x0f) * 4 : 40;
    const bool tcp = version == 4 ? packet.size() >= 20 && quint8(packet[9]) == 6
                                  : version == 6 && packet.size() >= 40 && quint8(packet[6]) == 6;
    if (!tcp || packet.size() < ip + 20)
        return view;
    view.valid = true;
    view.sourcePort = qFromBigEndian<quint16>(packet.constData() + ip);
    view.targetPort = qFromBigEndian<quint16>(packet.constData() + ip + 2);
    view.sequence = qFromBigEndian<quint32>(packet.constData() + ip + 4);
    view.ack = qFromBigEndian<quint32>(packet.constData() + ip + 8);
    view.flags = quint8(packet[ip + 13]);
    view.window = qFromBigEndian<quint16>(packet.constData() + ip + 14);
    return view;
}

bool writeProc(const QString &path, const QByteArray &value)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(value) == value.size();
}

} // namespace

class tst_LinuxTunCoalescing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mergedSegmentsReachTheSocket_data();
    void mergedSegmentsReachTheSocket();
    void mergedDatagramsReachTheSocket_data();
    void mergedDatagramsReachTheSocket();
    void mergedDatagramsReachAGroSocket_data();
    void mergedDatagramsReachAGroSocket();
    void mergedDatagramsAreForwarded_data();
    void mergedDatagramsAreForwarded();
    void queueWithoutFlushAndClose();

private:
    TunDevice m_device;
    bool m_udpOffload = false; ///< the device merged UDP datagrams when it was opened
    quint16 m_nextPeerPort = 40000; ///< a fresh connection for every row
    QList<QByteArray> m_read;
};

void tst_LinuxTunCoalescing::initTestCase()
{
    if (!Nimbus::Test::runningAsRoot())
        QSKIP("needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for a private network namespace)");
    const QString failure = Nimbus::Test::enterPrivateNetworkNamespace();
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    // No duplicate address detection: fd00::1 is usable at once.
    QVERIFY(writeProc(u"/proc/sys/net/ipv6/conf/default/accept_dad"_s, "0"));
    const auto opened = m_device.open(DeviceType::Tun, u"nimco%d"_s);
    VERIFY_OK(opened);
    if (!m_device.receiveCoalescingActive())
        QSKIP("this kernel offers no TCP segmentation offload on TUN devices");
    VERIFY_OK(m_device.setMtu(1427));
    VERIFY_OK(m_device.configureIpv4(QHostAddress(u"10.77.0.1"_s), 24));

    QVERIFY2(addIpv6Address(m_device.name(), v6Address(1), 64), strerror(errno));
    QTRY_VERIFY_WITH_TIMEOUT(v6AddressUsable(), 10000); // a bound that only catches a hang
    m_udpOffload = m_device.udpCoalescingActive();

    m_device.setPacketHandler([this](const QList<QByteArray> &batch) {
        for (const QByteArray &packet : batch)
            m_read.append(QByteArray(packet.constData(), packet.size()));
    });
}

void tst_LinuxTunCoalescing::mergedSegmentsReachTheSocket_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("segments");
    QTest::addColumn<int>("segmentSize");
    QTest::addColumn<int>("lastSize");
    QTest::addColumn<int>("expectedWrites");

    QTest::addRow("v4, 20 full segments") << 4 << 20 << 1000 << 1000 << 1;
    QTest::addRow("v4, short last segment") << 4 << 10 << 1387 << 100 << 1;
    QTest::addRow("v4, two runs (PSH in the middle)") << 4 << 30 << 1000 << 1000 << 2;
    QTest::addRow("v6, 20 full segments") << 6 << 20 << 1000 << 1000 << 1;
    QTest::addRow("v6, short last segment") << 6 << 10 << 1367 << 7 << 1;
}

void tst_LinuxTunCoalescing::mergedSegmentsReachTheSocket()
{
    QFETCH(int, version);
    QFETCH(int, segments);
    QFETCH(int, segmentSize);
    QFETCH(int, lastSize);
    QFETCH(int, expectedWrites);

    // A listening socket on the device's address.
    const int family = version == 4 ? AF_INET : AF_INET6;
    const int listener = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    QVERIFY(listener >= 0);
    const auto closeListener = qScopeGuard([listener] { ::close(listener); });
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_storage bound {};
    socklen_t boundLength = 0;
    if (version == 4) {
        sockaddr_in in {};
        in.sin_family = AF_INET;
        in.sin_port = htons(kServerPort);
        in.sin_addr.s_addr = htonl(0x0a4d0001);
        std::memcpy(&bound, &in, sizeof in);
        boundLength = sizeof in;
    } else {
        sockaddr_in6 in6 {};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(kServerPort);
        const auto address = v6Address(1);
        std::memcpy(in6.sin6_addr.s6_addr, address.data(), 16);
        std::memcpy(&bound, &in6, sizeof in6);
        boundLength = sizeof in6;
    }
    QVERIFY2(::bind(listener, reinterpret_cast<const sockaddr *>(&bound), boundLength) == 0, strerror(errno));
    QVERIFY(::listen(listener, 1) == 0);

    // Handshake: SYN, the kernel's SYN-ACK through the device, ACK.
    const quint16 peerPort = m_nextPeerPort++;
    m_read.clear();
    const quint32 isn = 0x10000000u * quint32(version) + quint32(segments);
    quint16 id = 100;
    VERIFY_OK(m_device.write(tcpSegment(version, peerPort, isn, 0, kSyn, {}, id++)));
    TcpView synAck;
    const auto gotSynAck = [&] {
        for (const QByteArray &packet : std::as_const(m_read)) {
            const TcpView view = parseTcp(packet);
            if (view.valid && view.targetPort == peerPort && (view.flags & kSyn)) {
                synAck = view;
                return true;
            }
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(gotSynAck(), 5000);
    QCOMPARE(synAck.ack, isn + 1);
    const quint32 serverAck = synAck.sequence + 1;
    VERIFY_OK(m_device.write(tcpSegment(version, peerPort, isn + 1, serverAck, kAck, {}, id++)));
    int connection = -1;
    // QTRY evaluates its condition more than once: accept only until there is a connection.
    const auto accepted = [&] {
        if (connection < 0)
            connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        return connection >= 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(accepted(), 5000);
    const auto closeConnection = qScopeGuard([connection] { ::close(connection); });

    // The data, queued in one batch: merged into expectedWrites packets.
    QByteArray sent;
    const quint64 writesBefore = m_device.coalescedWrites();
    const quint64 segmentsBefore = m_device.coalescedSegments();
    quint32 sequence = isn + 1;
    for (int i = 0; i < segments; ++i) {
        QByteArray payload(i + 1 == segments ? lastSize : segmentSize, '\0');
        for (qsizetype j = 0; j < payload.size(); ++j)
            payload[j] = char((sent.size() + j) * 13 % 253);
        // PSH ends a run: on the last segment, and in the middle of the two-run case.
        const bool push = i + 1 == segments || (expectedWrites == 2 && i == segments / 2 - 1);
        const quint8 flags = push ? (kAck | kPsh) : kAck;
        VERIFY_OK(m_device.queueWrite(tcpSegment(version, peerPort, sequence, serverAck, flags, payload, id++)));
        sequence += quint32(payload.size());
        sent += payload;
    }
    QVERIFY2(sent.size() <= synAck.window, "the data must fit the window the kernel offered");
    QCOMPARE(m_device.queuedWriteCount(), segments);
    m_read.clear();
    QCOMPARE(m_device.flushWrites(), 0);
    QCOMPARE(m_device.queuedWriteCount(), 0);
    QCOMPARE(m_device.coalescedWrites() - writesBefore, quint64(expectedWrites));
    QCOMPARE(m_device.coalescedSegments() - segmentsBefore, quint64(segments));

    // Every byte arrives, in order, and the kernel acknowledges all of them.
    QByteArray received;
    const auto receiveAll = [&] {
        std::array<char, 65536> buffer {};
        for (;;) {
            const ssize_t n = ::recv(connection, buffer.data(), buffer.size(), MSG_DONTWAIT);
            if (n <= 0)
                break;
            received.append(buffer.data(), n);
        }
        return received.size() >= sent.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(receiveAll(), 5000);
    QCOMPARE(received.size(), sent.size());
    QVERIFY(received == sent);
    const auto acknowledged = [&] {
        return std::any_of(m_read.cbegin(), m_read.cend(), [&](const QByteArray &packet) {
            const TcpView view = parseTcp(packet);
            return view.valid && view.targetPort == peerPort && view.ack == sequence;
        });
    };
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged(), 5000);
    ::shutdown(connection, SHUT_RDWR);
}

void tst_LinuxTunCoalescing::mergedDatagramsReachTheSocket_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("flows");
    QTest::addColumn<int>("datagrams"); // per flow
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("lastSize"); // of each flow's last datagram
    QTest::addColumn<int>("expectedWrites");

    // MTU 1427: full-size datagrams carry 1427 - 28 (IPv4) or 1427 - 48 (IPv6) bytes.
    QTest::addRow("v4, 20 full datagrams") << 4 << 1 << 20 << 1399 << 1399 << 1;
    QTest::addRow("v4, short last datagram") << 4 << 1 << 10 << 1399 << 100 << 1;
    QTest::addRow("v4, 70 datagrams (runs of 64 and 6)") << 4 << 1 << 70 << 900 << 900 << 2;
    QTest::addRow("v4, two flows interleaved") << 4 << 2 << 10 << 1000 << 1000 << 2;
    QTest::addRow("v6, 20 full datagrams") << 6 << 1 << 20 << 1379 << 1379 << 1;
    QTest::addRow("v6, short last datagram") << 6 << 1 << 10 << 1379 << 7 << 1;
    QTest::addRow("v6, two flows interleaved") << 6 << 2 << 10 << 1000 << 999 << 2;
}

void tst_LinuxTunCoalescing::mergedDatagramsReachTheSocket()
{
    QFETCH(int, version);
    QFETCH(int, flows);
    QFETCH(int, datagrams);
    QFETCH(int, size);
    QFETCH(int, lastSize);
    QFETCH(int, expectedWrites);
    if (!m_udpOffload)
        QSKIP("this kernel offers no UDP segmentation offload on TUN devices (TUN_F_USO4/6, Linux 6.2)");
    QVERIFY2(m_device.udpCoalescingActive(), "UDP merging stopped: the kernel refused a merged packet earlier");

    // A plain UDP socket (no UDP_GRO): the kernel cuts a merged packet into its datagrams for it.
    const int sock = boundUdpSocket(version);
    QVERIFY2(sock >= 0, strerror(errno));
    const auto closeSock = qScopeGuard([sock] { ::close(sock); });

    // The flows' datagrams queued in one batch, interleaved, ids counting up in each flow.
    QList<quint16> peerPorts;
    for (int f = 0; f < flows; ++f)
        peerPorts.append(m_nextPeerPort++);
    QList<QList<QByteArray>> sent(flows);
    const quint64 writesBefore = m_device.coalescedWrites();
    const quint64 segmentsBefore = m_device.coalescedSegments();
    for (int i = 0; i < datagrams; ++i) {
        for (int f = 0; f < flows; ++f) {
            const QByteArray payload = datagramPayload(f, i, i + 1 == datagrams ? lastSize : size);
            const auto id = quint16(1000 * (f + 1) + i);
            VERIFY_OK(m_device.queueWrite(udpDatagram(version, peerPorts[f], kUdpPort, payload, id)));
            sent[f].append(payload);
        }
    }
    QCOMPARE(m_device.queuedWriteCount(), flows * datagrams);
    QCOMPARE(m_device.flushWrites(), 0);
    QCOMPARE(m_device.queuedWriteCount(), 0);
    QCOMPARE(m_device.coalescedWrites() - writesBefore, quint64(expectedWrites));
    QCOMPARE(m_device.coalescedSegments() - segmentsBefore, quint64(flows * datagrams));
    QVERIFY2(m_device.udpCoalescingActive(), "the kernel refused a merged UDP packet");

    // Every datagram arrives as it was sent, each flow in order.
    QList<UdpMessage> messages;
    QTRY_VERIFY_WITH_TIMEOUT((receiveAll(sock, messages), messages.size() >= flows * datagrams), 5000);
    QTest::qWait(20); // nothing more arrives
    receiveAll(sock, messages);
    QCOMPARE(messages.size(), flows * datagrams);
    QList<QList<QByteArray>> received(flows);
    for (const UdpMessage &message : std::as_const(messages)) {
        QVERIFY(!message.truncated);
        QCOMPARE(message.segmentSize, 0);
        QCOMPARE(message.source, peerAddressBytes(version));
        const qsizetype flow = peerPorts.indexOf(message.sourcePort);
        QVERIFY2(flow >= 0, qPrintable(u"a datagram from port %1"_s.arg(message.sourcePort)));
        received[flow].append(message.data);
    }
    for (int f = 0; f < flows; ++f) {
        QCOMPARE(received[f].size(), sent[f].size());
        for (qsizetype i = 0; i < sent[f].size(); ++i)
            QVERIFY2(received[f][i] == sent[f][i], qPrintable(u"flow %1, datagram %2 differs"_s.arg(f).arg(i)));
    }
}

void tst_LinuxTunCoalescing::mergedDatagramsReachAGroSocket_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("datagrams");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("lastSize");

    QTest::addRow("v4, 20 full datagrams") << 4 << 20 << 1399 << 1399;
    QTest::addRow("v4, short last datagram") << 4 << 10 << 1399 << 100;
    QTest::addRow("v6, 20 full datagrams") << 6 << 20 << 1379 << 1379;
    QTest::addRow("v6, short last datagram") << 6 << 10 << 1379 << 7;
}

void tst_LinuxTunCoalescing::mergedDatagramsReachAGroSocket()
{
    QFETCH(int, version);
    QFETCH(int, datagrams);
    QFETCH(int, size);
    QFETCH(int, lastSize);
    if (!m_udpOffload)
        QSKIP("this kernel offers no UDP segmentation offload on TUN devices (TUN_F_USO4/6, Linux 6.2)");
    QVERIFY2(m_device.udpCoalescingActive(), "UDP merging stopped: the kernel refused a merged packet earlier");

    // A socket with UDP_GRO takes the merged packet as it is: one message, and the segment size beside it.
    const int sock = boundUdpSocket(version);
    QVERIFY2(sock >= 0, strerror(errno));
    const auto closeSock = qScopeGuard([sock] { ::close(sock); });
    const int one = 1;
    QVERIFY2(::setsockopt(sock, SOL_UDP, kUdpGro, &one, sizeof one) == 0, strerror(errno));

    const quint16 peerPort = m_nextPeerPort++;
    QByteArray sent;
    const quint64 writesBefore = m_device.coalescedWrites();
    for (int i = 0; i < datagrams; ++i) {
        const QByteArray payload = datagramPayload(0, i, i + 1 == datagrams ? lastSize : size);
        VERIFY_OK(m_device.queueWrite(udpDatagram(version, peerPort, kUdpPort, payload, quint16(500 + i))));
        sent += payload;
    }
    QCOMPARE(m_device.flushWrites(), 0);
    QCOMPARE(m_device.coalescedWrites() - writesBefore, quint64(1));

    QList<UdpMessage> messages;
    QTRY_VERIFY_WITH_TIMEOUT((receiveAll(sock, messages), !messages.isEmpty()), 5000);
    QTest::qWait(20); // nothing more arrives
    receiveAll(sock, messages);
    QCOMPARE(messages.size(), 1);
    const UdpMessage &message = messages.first();
    QVERIFY(!message.truncated);
    QCOMPARE(message.source, peerAddressBytes(version));
    QCOMPARE(message.sourcePort, peerPort);
    QCOMPARE(message.segmentSize, size);
    QCOMPARE(message.data.size(), sent.size());
    QVERIFY(message.data == sent);
}

void tst_LinuxTunCoalescing::mergedDatagramsAreForwarded_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("datagrams");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("lastSize");

    QTest::addRow("v4, 20 full datagrams") << 4 << 20 << 1399 << 1399;
    QTest::addRow("v4, short last datagram, odd sizes") << 4 << 9 << 1397 << 101;
    QTest::addRow("v6, 20 full datagrams") << 6 << 20 << 1379 << 1379;
    QTest::addRow("v6, short last datagram, odd sizes") << 6 << 9 << 1377 << 33;
}

void tst_LinuxTunCoalescing::mergedDatagramsAreForwarded()
{
    // Routed on to a device without offloads, a merged packet is cut and checksummed by the kernel in software,
    // from the partial checksum (the pseudo-header sum) in the merged packet: every datagram must come out as it
    // went in, its checksum included, only one hop older.
    QFETCH(int, version);
    QFETCH(int, datagrams);
    QFETCH(int, size);
    QFETCH(int, lastSize);
    if (!m_udpOffload)
        QSKIP("this kernel offers no UDP segmentation offload on TUN devices (TUN_F_USO4/6, Linux 6.2)");
    QVERIFY2(m_device.udpCoalescingActive(), "UDP merging stopped: the kernel refused a merged packet earlier");

    const QString forwarding
        = version == 4 ? u"/proc/sys/net/ipv4/ip_forward"_s : u"/proc/sys/net/ipv6/conf/all/forwarding"_s;
    QVERIFY(writeProc(forwarding, "1"));
    const auto stopForwarding = qScopeGuard([forwarding] { writeProc(forwarding, "0"); });
    QString name;
    QString error;
    const int fd = openPlainTun(name, error);
    QVERIFY2(fd >= 0, qPrintable(error));
    const auto closeFd = qScopeGuard([fd] { ::close(fd); }); // removes the device, its addresses and routes

    const quint16 peerPort = m_nextPeerPort++;
    QList<QByteArray> expected;
    const quint64 writesBefore = m_device.coalescedWrites();
    for (int i = 0; i < datagrams; ++i) {
        const QByteArray payload = datagramPayload(0, i, i + 1 == datagrams ? lastSize : size);
        const QByteArray datagram = udpDatagram(version, peerPort, kUdpPort, payload, quint16(2000 + i), true);
        VERIFY_OK(m_device.queueWrite(datagram));
        // What forwarding makes of it: TTL or hop limit one less (and the IPv4 header checksum updated).
        QByteArray forwarded = datagram;
        const qsizetype hops = version == 4 ? 8 : 7;
        forwarded[hops] = char(quint8(forwarded[hops]) - 1);
        fixIpv4Checksum(forwarded);
        expected.append(forwarded);
    }
    QCOMPARE(m_device.flushWrites(), 0);
    QCOMPARE(m_device.coalescedWrites() - writesBefore, quint64(1));

    // The forwarded datagrams of this flow (the new device may send router or multicast listener messages too).
    QList<QByteArray> received;
    const auto readAll = [&] {
        std::array<char, 65536> buffer {};
        for (;;) {
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n <= 0)
                break;
            const QByteArray packet(buffer.data(), n);
            const int packetVersion = quint8(packet[0]) >> 4;
            const qsizetype ip = packetVersion == 4 ? 20 : 40;
            const bool udp
                = packetVersion == version && packet.size() >= ip + 8 && quint8(packet[version == 4 ? 9 : 6]) == 17;
            if (udp && qFromBigEndian<quint16>(packet.constData() + ip) == peerPort)
                received.append(packet);
        }
        return received.size() >= expected.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(readAll(), 5000);
    QTest::qWait(20); // nothing more arrives
    readAll();
    QCOMPARE(received.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(received[i] == expected[i], qPrintable(u"datagram %1 differs"_s.arg(i)));
}

void tst_LinuxTunCoalescing::queueWithoutFlushAndClose()
{
    // Packets still queued when the device closes are dropped with it; flushing a closed device fails them.
    TunDevice device;
    VERIFY_OK(device.open(DeviceType::Tun, u"nimcq%d"_s));
    VERIFY_OK(device.queueWrite(tcpSegment(4, 40000, 1, 1, kAck, QByteArray(100, 'x'), 1)));
    QCOMPARE(device.queuedWriteCount(), device.receiveCoalescingActive() ? 1 : 0);
    device.close();
    QCOMPARE(device.queuedWriteCount(), 0);
    QCOMPARE(device.flushWrites(), 0);
    QVERIFY(!device.queueWrite(tcpSegment(4, 40000, 1, 1, kAck, QByteArray(100, 'x'), 1)).ok());
}

QTEST_GUILESS_MAIN(tst_LinuxTunCoalescing)
#include "tst_linuxtuncoalescing.moc"
