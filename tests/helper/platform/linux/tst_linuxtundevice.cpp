#include <algorithm>
#include <array>
#include <cstring>

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
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

constexpr quint32 kTunAddress = 0x0a4d0001; // 10.77.0.1
constexpr quint32 kFakePeer = 0x0a4d0002; // 10.77.0.2
constexpr quint32 kTapAddress = 0x0a4e0001; // 10.78.0.1
constexpr quint32 kTapPeer = 0x0a4e0002; // 10.78.0.2
constexpr std::array<quint8, 6> kFakeMac = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x02};

#define VERIFY_OK(result) QVERIFY2((result).ok(), qPrintable((result).ok() ? QString() : (result).error().message))

quint16 internetChecksum(QByteArrayView data)
{
    quint32 sum = 0;
    for (qsizetype i = 0; i + 1 < data.size(); i += 2)
        sum += quint32(quint8(data[i])) << 8 | quint8(data[i + 1]);
    if (data.size() % 2)
        sum += quint32(quint8(data[data.size() - 1])) << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<quint16>(~sum);
}

void putBe16(QByteArray &bytes, qsizetype offset, quint16 value)
{
    qToBigEndian(value, bytes.data() + offset);
}

void putBe32(QByteArray &bytes, qsizetype offset, quint32 value)
{
    qToBigEndian(value, bytes.data() + offset);
}

quint16 be16(const QByteArray &bytes, qsizetype offset)
{
    return qFromBigEndian<quint16>(bytes.constData() + offset);
}

quint32 be32(const QByteArray &bytes, qsizetype offset)
{
    return qFromBigEndian<quint32>(bytes.constData() + offset);
}

// An IPv4 ICMP echo request from \a source to \a destination.
QByteArray echoRequest(quint32 source, quint32 destination, quint16 id, quint16 sequence, const QByteArray &data)
{
    QByteArray icmp(8, '\0');
    icmp[0] = 8; // echo request
    putBe16(icmp, 4, id);
    putBe16(icmp, 6, sequence);
    icmp.append(data);
    putBe16(icmp, 2, internetChecksum(icmp));

    QByteArray ip(20, '\0');
    ip[0] = 0x45;
    putBe16(ip, 2, static_cast<quint16>(20 + icmp.size()));
    putBe16(ip, 4, sequence);
    putBe16(ip, 6, 0x4000); // DF
    ip[8] = 64;
    ip[9] = 1; // ICMP
    putBe32(ip, 12, source);
    putBe32(ip, 16, destination);
    putBe16(ip, 10, internetChecksum(ip));
    return ip + icmp;
}

// True if \a packet is the echo reply to echoRequest(peer, address, id, sequence, data).
bool isEchoReply(
    const QByteArray &packet, quint32 address, quint32 peer, quint16 id, quint16 sequence, const QByteArray &data)
{
    if (packet.size() < 28 || (quint8(packet[0]) >> 4) != 4)
        return false;
    const int headerLength = (quint8(packet[0]) & 0x0f) * 4;
    if (headerLength < 20 || packet.size() < headerLength + 8 || packet[9] != 1)
        return false;
    if (be32(packet, 12) != address || be32(packet, 16) != peer)
        return false;
    const QByteArray icmp = packet.mid(headerLength);
    return icmp[0] == 0 && icmp[1] == 0 && be16(icmp, 4) == id && be16(icmp, 6) == sequence && icmp.mid(8) == data
        && internetChecksum(icmp) == 0;
}

// An ARP request "who has \a target, tell \a sender" from kFakeMac, as an Ethernet frame.
QByteArray arpRequest(quint32 sender, quint32 target)
{
    QByteArray frame(42, '\0');
    std::memset(frame.data(), 0xff, 6);
    std::memcpy(frame.data() + 6, kFakeMac.data(), 6);
    putBe16(frame, 12, 0x0806);
    putBe16(frame, 14, 1); // Ethernet
    putBe16(frame, 16, 0x0800); // IPv4
    frame[18] = 6;
    frame[19] = 4;
    putBe16(frame, 20, 1); // request
    std::memcpy(frame.data() + 22, kFakeMac.data(), 6);
    putBe32(frame, 28, sender);
    putBe32(frame, 38, target);
    return frame;
}

bool isArpReply(const QByteArray &frame, quint32 sender, quint32 target)
{
    return frame.size() >= 42 && be16(frame, 12) == 0x0806 && be16(frame, 20) == 2 && be32(frame, 28) == sender
        && be32(frame, 38) == target && std::memcmp(frame.constData(), kFakeMac.data(), kFakeMac.size()) == 0;
}

bool interfaceExists(const QString &name)
{
    return ::if_nametoindex(name.toUtf8().constData()) != 0;
}

// The hardware type of an interface (ARPHRD_*), -1 on error.
int hardwareType(const QString &name)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ifreq ifr {};
    std::strncpy(ifr.ifr_name, name.toUtf8().constData(), IFNAMSIZ - 1);
    const int result = ::ioctl(fd, SIOCGIFHWADDR, &ifr);
    ::close(fd);
    return result < 0 ? -1 : ifr.ifr_hwaddr.sa_family;
}

// Creates a persistent TUN/TAP device owned by uid \a owner and detaches from it, as another program (a VM
// manager, `ip tuntap add`) leaves it. Empty on success.
QString createPersistentDevice(const QString &name, int flags, int owner)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return u"open: "_s + qt_error_string(errno);
    ifreq ifr {};
    std::strncpy(ifr.ifr_name, name.toUtf8().constData(), IFNAMSIZ - 1);
    ifr.ifr_flags = static_cast<short>(flags | IFF_NO_PI);
    QString failure;
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0)
        failure = u"TUNSETIFF: "_s + qt_error_string(errno);
    else if (::ioctl(fd, TUNSETOWNER, owner) < 0)
        failure = u"TUNSETOWNER: "_s + qt_error_string(errno);
    else if (::ioctl(fd, TUNSETPERSIST, 1) < 0)
        failure = u"TUNSETPERSIST: "_s + qt_error_string(errno);
    ::close(fd);
    return failure;
}

// Deletes the persistent device \a name made by createPersistentDevice() (attach, clear IFF_PERSIST, close).
void deletePersistentDevice(const QString &name, int flags)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    ifreq ifr {};
    std::strncpy(ifr.ifr_name, name.toUtf8().constData(), IFNAMSIZ - 1);
    ifr.ifr_flags = static_cast<short>(flags | IFF_NO_PI);
    if (::ioctl(fd, TUNSETIFF, &ifr) == 0)
        ::ioctl(fd, TUNSETPERSIST, 0);
    ::close(fd);
}

// Adds a default route through \a device (no gateway). Empty on success.
QString addDefaultRoute(const QString &device)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return qt_error_string(errno);
    rtentry route {};
    sockaddr_in any {};
    any.sin_family = AF_INET;
    std::memcpy(&route.rt_dst, &any, sizeof any);
    std::memcpy(&route.rt_genmask, &any, sizeof any);
    std::memcpy(&route.rt_gateway, &any, sizeof any);
    route.rt_flags = RTF_UP;
    QByteArray name = device.toUtf8();
    route.rt_dev = name.data();
    const QString failure = ::ioctl(fd, SIOCADDRT, &route) < 0 ? qt_error_string(errno) : QString();
    ::close(fd);
    return failure;
}

} // namespace

class tst_LinuxTunDevice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mtuWithoutDefaultRoute();
    void openErrors_data();
    void openErrors();
    void createAndConfigureTun();
    void namePatternPicksFreeNumber();
    void echoThroughTun();
    void sparseTrafficReadsOnePacketPerWakeup();
    void defaultRouteMtu();
    void createAndConfigureTap();
    void arpThroughTap();
    void configurationErrors();
    void closeRemovesDevice();
    void leavesOthersDevicesAlone_data();
    void leavesOthersDevicesAlone();

private:
    QString m_tunName;
};

void tst_LinuxTunDevice::initTestCase()
{
    if (!Nimbus::Test::runningAsRoot())
        QSKIP("needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for a private network namespace)");
    const QString failure = Nimbus::Test::enterPrivateNetworkNamespace();
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void tst_LinuxTunDevice::mtuWithoutDefaultRoute()
{
    // The fresh namespace has no routes: spec §1.6 falls back to 1500, giving 1427 / 1413.
    QCOMPARE(Nimbus::defaultInterfaceMtu(), 1500);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tun), 1427);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tap), 1413);
}

void tst_LinuxTunDevice::openErrors_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("controlPath");
    QTest::addColumn<QString>("message");

    QTest::addRow("missing control device")
        << u"nimtest%d"_s << u"/nonexistent/tun"_s << u"cannot open /nonexistent/tun: No such file or directory"_s;
    QTest::addRow("not a clone device") << u"nimtest%d"_s << u"/dev/null"_s << u"cannot create TUN device"_s;
    QTest::addRow("name too long") << u"nimtestnimtest%d"_s << u"/dev/net/tun"_s << u"longer than 15"_s;
    QTest::addRow("two patterns") << u"nim%d%d"_s << u"/dev/net/tun"_s << u"only one %d"_s;
    QTest::addRow("bad character") << u"nim/%d"_s << u"/dev/net/tun"_s << u"invalid character"_s;
    QTest::addRow("empty") << QString() << u"/dev/net/tun"_s << u"empty"_s;
    QTest::addRow("existing non-tun device") << u"lo"_s << u"/dev/net/tun"_s << u"exists already"_s;
}

void tst_LinuxTunDevice::openErrors()
{
    QFETCH(QString, pattern);
    QFETCH(QString, controlPath);
    QFETCH(QString, message);
    TunDevice device;
    const auto opened = device.open(DeviceType::Tun, pattern, controlPath);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().message.contains(message), qPrintable(opened.error().message));
    QVERIFY(!device.isOpen());
    QCOMPARE(device.descriptor(), -1);
    QVERIFY(device.name().isEmpty());
}

void tst_LinuxTunDevice::createAndConfigureTun()
{
    auto *device = new TunDevice(this);
    const auto opened = device->open(DeviceType::Tun, u"nimtest%d"_s);
    VERIFY_OK(opened);
    m_tunName = *opened;
    QCOMPARE(m_tunName, u"nimtest0"_s); // the first free number in a fresh namespace
    QCOMPARE(device->name(), m_tunName);
    QCOMPARE(device->type(), DeviceType::Tun);
    QVERIFY(device->isOpen());
    QVERIFY(interfaceExists(m_tunName));
    QCOMPARE(hardwareType(m_tunName), ARPHRD_NONE);

    VERIFY_OK(device->setMtu(1400));
    const auto mtu = device->mtu();
    VERIFY_OK(mtu);
    QCOMPARE(*mtu, 1400);

    QVERIFY(!device->ipv4Address().ok()); // no address yet
    VERIFY_OK(device->configureIpv4(QHostAddress(u"10.77.0.1"_s), 24));
    const auto address = device->ipv4Address();
    VERIFY_OK(address);
    QCOMPARE(*address, QHostAddress(u"10.77.0.1"_s));
    const auto byName = Nimbus::interfaceIpv4Address(m_tunName);
    VERIFY_OK(byName);
    QCOMPARE(*byName, QHostAddress(u"10.77.0.1"_s));
    device->setObjectName(u"tun"_s);
}

void tst_LinuxTunDevice::namePatternPicksFreeNumber()
{
    QVERIFY(!m_tunName.isEmpty());
    TunDevice second;
    const auto opened = second.open(DeviceType::Tun, u"nimtest%d"_s);
    VERIFY_OK(opened);
    QCOMPARE(*opened, u"nimtest1"_s);
    QVERIFY(QRegularExpression(u"^nimtest\\d+$"_s).match(*opened).hasMatch());

    TunDevice fixed;
    const auto named = fixed.open(DeviceType::Tun, u"nimfixed"_s);
    VERIFY_OK(named);
    QCOMPARE(*named, u"nimfixed"_s);
    // The name is taken while the first device is open.
    TunDevice clash;
    QVERIFY(!clash.open(DeviceType::Tun, u"nimfixed"_s).ok());
}

void tst_LinuxTunDevice::echoThroughTun()
{
    auto *device = findChild<TunDevice *>(u"tun"_s);
    QVERIFY(device);
    QList<QByteArray> packets;
    int batches = 0;
    const auto detach = qScopeGuard([device] { device->setPacketHandler({}); });
    device->setPacketHandler([&](const QList<QByteArray> &batch) {
        QVERIFY(!batch.isEmpty());
        ++batches;
        // The packets refer to the device's read buffer: keep deep copies.
        for (const QByteArray &packet : batch)
            packets.append(QByteArray(packet.constData(), packet.size()));
    });

    constexpr int count = 20;
    const QByteArray data = "nimbus echo payload";
    for (quint16 sequence = 1; sequence <= count; ++sequence)
        VERIFY_OK(device->write(echoRequest(kFakePeer, kTunAddress, 0x4e42, sequence, data)));

    const auto replies = [&] {
        int found = 0;
        for (quint16 sequence = 1; sequence <= count; ++sequence) {
            for (const QByteArray &packet : std::as_const(packets)) {
                if (isEchoReply(packet, kTunAddress, kFakePeer, 0x4e42, sequence, data)) {
                    ++found;
                    break;
                }
            }
        }
        return found;
    };
    QTRY_COMPARE(replies(), count);
    QVERIFY(batches >= 1);
    // With the virtio header (TUN devices where the kernel has it) nothing was dropped as unknown offload.
    QCOMPARE(device->droppedOffloadPackets(), 0u);
}

void tst_LinuxTunDevice::sparseTrafficReadsOnePacketPerWakeup()
{
    auto *device = findChild<TunDevice *>(u"tun"_s);
    QVERIFY(device);
    QList<int> batchSizes;
    QList<QByteArray> packets;
    const auto detach = qScopeGuard([device] { device->setPacketHandler({}); });
    device->setPacketHandler([&](const QList<QByteArray> &batch) {
        batchSizes.append(int(batch.size()));
        for (const QByteArray &packet : batch)
            packets.append(QByteArray(packet.constData(), packet.size()));
    });
    // A quiet spell (the last test ran long ago in CPU terms), then three echo requests: the kernel queues the
    // three replies at once. The first wake-up after the spell reads one packet only; the event loop reports
    // the device again at once and the rest follow.
    QTest::qWait(5);
    constexpr int count = 3;
    const QByteArray data = "sparse";
    for (quint16 sequence = 1; sequence <= count; ++sequence)
        VERIFY_OK(device->write(echoRequest(kFakePeer, kTunAddress, 0x4e43, sequence, data)));
    const auto replies = [&] {
        int found = 0;
        for (quint16 sequence = 1; sequence <= count; ++sequence) {
            found += std::any_of(packets.cbegin(), packets.cend(), [&](const QByteArray &packet) {
                return isEchoReply(packet, kTunAddress, kFakePeer, 0x4e43, sequence, data);
            });
        }
        return found;
    };
    QTRY_COMPARE(replies(), count);
    QVERIFY(!batchSizes.isEmpty());
    QCOMPARE(batchSizes.first(), 1);
}

void tst_LinuxTunDevice::defaultRouteMtu()
{
    QVERIFY(!m_tunName.isEmpty());
    const QString failure = addDefaultRoute(m_tunName);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    // Spec §1.6: the "default" interface is the one with destination 00000000; its MTU is 1400 here.
    QCOMPARE(Nimbus::defaultInterfaceMtu(), 1400);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tun), 1400 - 73);
    QCOMPARE(Nimbus::tunMtu(DeviceType::Tap), 1400 - 87);
}

void tst_LinuxTunDevice::createAndConfigureTap()
{
    auto *device = new TunDevice(this);
    device->setObjectName(u"tap"_s);
    const auto opened = device->open(DeviceType::Tap, u"nimtap%d"_s);
    VERIFY_OK(opened);
    QCOMPARE(*opened, u"nimtap0"_s);
    QCOMPARE(device->type(), DeviceType::Tap);
    QCOMPARE(hardwareType(*opened), ARPHRD_ETHER);
    VERIFY_OK(device->setMtu(1413));
    QCOMPARE(device->mtu().value(), 1413);
    VERIFY_OK(device->configureIpv4(QHostAddress(u"10.78.0.1"_s), 24));
    QCOMPARE(device->ipv4Address().value(), QHostAddress(u"10.78.0.1"_s));
}

void tst_LinuxTunDevice::arpThroughTap()
{
    auto *device = findChild<TunDevice *>(u"tap"_s);
    QVERIFY(device);
    QList<QByteArray> frames;
    const auto detach = qScopeGuard([device] { device->setPacketHandler({}); });
    device->setPacketHandler([&](const QList<QByteArray> &batch) {
        for (const QByteArray &frame : batch)
            frames.append(QByteArray(frame.constData(), frame.size()));
    });
    VERIFY_OK(device->write(arpRequest(kTapPeer, kTapAddress)));
    const auto answered = [&] {
        for (const QByteArray &frame : std::as_const(frames)) {
            if (isArpReply(frame, kTapAddress, kTapPeer))
                return true;
        }
        return false;
    };
    QTRY_VERIFY(answered());
}

void tst_LinuxTunDevice::configurationErrors()
{
    TunDevice closed;
    QVERIFY(!closed.setMtu(1400).ok());
    QVERIFY(!closed.mtu().ok());
    QVERIFY(!closed.setUp(true).ok());
    QVERIFY(!closed.ipv4Address().ok());
    const auto write = closed.write("x");
    QVERIFY(!write.ok());
    QVERIFY(!write.error().message.isEmpty());

    TunDevice device;
    VERIFY_OK(device.open(DeviceType::Tun, u"nimerr%d"_s));
    QVERIFY(!device.setMtu(10).ok());
    QVERIFY(!device.setMtu(70000).ok());
    QVERIFY(!device.setIpv4Address(QHostAddress(u"fd00::1"_s), 64).ok());
    QVERIFY(!device.setIpv4Address(QHostAddress(u"10.79.0.1"_s), 33).ok());
    QVERIFY(!device.setIpv4Address(QHostAddress(u"10.79.0.1"_s), -1).ok());
    // An IPv4-mapped address counts as IPv4.
    VERIFY_OK(device.setIpv4Address(QHostAddress(u"::ffff:10.79.0.1"_s), 16));
    QCOMPARE(device.ipv4Address().value(), QHostAddress(u"10.79.0.1"_s));
    VERIFY_OK(device.setUp(true));
    // The kernel refuses a packet that is not IP on a TUN device; the error says so.
    const auto garbage = device.write("x");
    QVERIFY(!garbage.ok());
    QVERIFY2(garbage.error().message.contains(u"nimerr0"_s), qPrintable(garbage.error().message));
    VERIFY_OK(device.setUp(false));
}

void tst_LinuxTunDevice::closeRemovesDevice()
{
    TunDevice device;
    const auto opened = device.open(DeviceType::Tun, u"nimclose%d"_s);
    VERIFY_OK(opened);
    QVERIFY(interfaceExists(*opened));
    device.close();
    QVERIFY(!device.isOpen());
    QVERIFY(device.name().isEmpty());
    QVERIFY(!interfaceExists(*opened));
    device.close();
}

void tst_LinuxTunDevice::leavesOthersDevicesAlone_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("flags");
    QTest::addColumn<bool>("tap");

    QTest::addRow("idle tap of another user") << u"nimvm0"_s << int(IFF_TAP) << true;
    QTest::addRow("idle tun of another user") << u"nimother0"_s << int(IFF_TUN) << false;
}

void tst_LinuxTunDevice::leavesOthersDevicesAlone()
{
    // A VM's persistent tap (owned by uid 4242) and an idle tun: the helper neither attaches to them (which would
    // let a network reconfigure them) nor removes them; the open fails with a clear error.
    QFETCH(QString, name);
    QFETCH(int, flags);
    QFETCH(bool, tap);
    const QString failure = createPersistentDevice(name, flags, 4242);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const auto cleanup = qScopeGuard([&] { deletePersistentDevice(name, flags); });
    QVERIFY(interfaceExists(name));

    TunDevice device;
    const auto opened = device.open(tap ? DeviceType::Tap : DeviceType::Tun, name);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().message.contains(u"exists already"_s), qPrintable(opened.error().message));
    QVERIFY(!device.isOpen());
    QVERIFY(interfaceExists(name));
    device.close();
    QVERIFY(interfaceExists(name));
    // Still the idle persistent device it was: its owner's way of deleting it works.
    deletePersistentDevice(name, flags);
    QVERIFY(!interfaceExists(name));
}

QTEST_GUILESS_MAIN(tst_LinuxTunDevice)
#include "tst_linuxtundevice.moc"
