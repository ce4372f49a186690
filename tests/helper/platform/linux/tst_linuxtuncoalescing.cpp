// TunDevice::queueWrite()/flushWrites() against the real kernel: merged TCP segments written to a TUN device
// reach a local TCP socket intact, and the kernel acknowledges all of them. Needs root; runs in a private
// network namespace.
#include <algorithm>
#include <array>
#include <cstring>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
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
constexpr quint8 kSyn = 0x02;
constexpr quint8 kPsh = 0x08;
constexpr quint8 kAck = 0x10;

// fd00::1 (the device) and fd00::2 (the fake peer); 10.77.0.1 and 10.77.0.2.
std::array<quint8, 16> v6Address(quint8 last)
{
    std::array<quint8, 16> address {};
    address[0] = 0xfd;
    address[15] = last;
    return address;
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
    void queueWithoutFlushAndClose();

private:
    TunDevice m_device;
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

    const int sock = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    QVERIFY(sock >= 0);
    const auto closeSock = qScopeGuard([sock] { ::close(sock); });
    struct {
        in6_addr address;
        quint32 prefixLength;
        int ifindex;
    } request {};
    const auto address = v6Address(1);
    std::memcpy(&request.address, address.data(), 16);
    request.prefixLength = 64;
    request.ifindex = int(::if_nametoindex(m_device.name().toUtf8().constData()));
    QVERIFY(request.ifindex > 0);
    QVERIFY2(::ioctl(sock, SIOCSIFADDR, &request) == 0, strerror(errno));
    QTRY_VERIFY_WITH_TIMEOUT(v6AddressUsable(), 10000); // a bound that only catches a hang

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
