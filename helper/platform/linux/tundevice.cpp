#include "helper/platform/linux/tundevice.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>

#include "helper/platform/linux/linuxutil.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

Q_LOGGING_CATEGORY(lcTun, "nimbus.helper.tun")

// A TUN read returns one packet; the space offered to one read must hold the largest one the MTU allows.
constexpr size_t kMaxPacketSize = 65536;
// Packets of one batch are read one after the other into this buffer (with MTU 1500 about 250 of them),
// so reading allocates nothing; a batch ends when less than kMaxPacketSize is left.
constexpr size_t kReadBufferSize = 8 * kMaxPacketSize;

Error tunError(const QString &code, const QString &message)
{
    return Error {code, message};
}

// An ifreq for interface \a name, or an error.
Result<ifreq> makeIfreq(const QString &name)
{
    const Result<QByteArray> bytes = Linux::interfaceNameBytes(name, false);
    if (!bytes)
        return bytes.error();
    ifreq ifr {};
    std::memcpy(ifr.ifr_name, bytes->constData(), static_cast<size_t>(bytes->size()));
    return ifr;
}

// Runs one interface ioctl on a fresh AF_INET control socket.
Result<ifreq> interfaceIoctl(const QString &name, unsigned long request, const ifreq *input, const QString &what)
{
    Result<ifreq> ifr = makeIfreq(name);
    if (!ifr)
        return ifr;
    if (input) {
        ifreq copy = *input;
        std::memcpy(copy.ifr_name, ifr->ifr_name, sizeof copy.ifr_name);
        ifr.value() = copy;
    }
    Result<Linux::UniqueFd> sock = Linux::ioctlSocket();
    if (!sock)
        return sock.error();
    if (::ioctl(sock->get(), request, &ifr.value()) < 0) {
        const int error = errno;
        return tunError(u"device-config"_s, u"cannot %1 of %2: %3"_s.arg(what, name, Linux::errnoText(error)));
    }
    return ifr;
}

sockaddr ipv4Sockaddr(quint32 hostOrderAddress)
{
    sockaddr_in in {};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(hostOrderAddress);
    sockaddr result {};
    static_assert(sizeof in <= sizeof result);
    std::memcpy(&result, &in, sizeof in);
    return result;
}

bool isHexField(QByteArrayView field)
{
    if (field.isEmpty())
        return false;
    for (const char c : field) {
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex)
            return false;
    }
    return true;
}

} // namespace

QString defaultInterfaceFromRouteTable(QByteArrayView routeTable)
{
    QString lastWithGateway;
    const QList<QByteArray> lines = routeTable.toByteArray().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 3 || fields.at(0) == "Iface")
            continue;
        const QByteArray &destination = fields.at(1);
        const QByteArray &gateway = fields.at(2);
        if (!isHexField(destination) || !isHexField(gateway))
            continue;
        const QString iface = QString::fromUtf8(fields.at(0));
        if (destination == "00000000")
            return iface;
        bool ok = false;
        if (gateway.toULongLong(&ok, 16) != 0 && ok)
            lastWithGateway = iface;
    }
    return lastWithGateway;
}

Result<int> interfaceMtu(const QString &name)
{
    const Result<ifreq> ifr = interfaceIoctl(name, SIOCGIFMTU, nullptr, u"read the MTU"_s);
    if (!ifr)
        return ifr.error();
    return ifr->ifr_mtu;
}

int defaultInterfaceMtu(const QString &routeFile)
{
    QFile file(routeFile);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcTun) << "cannot read" << routeFile << "- assuming an MTU of" << kFallbackUplinkMtu;
        return kFallbackUplinkMtu;
    }
    // /proc files report a size of 0; read until the end.
    const QString iface = defaultInterfaceFromRouteTable(file.readAll());
    if (iface.isEmpty()) {
        qCInfo(lcTun) << "no default route - assuming an MTU of" << kFallbackUplinkMtu;
        return kFallbackUplinkMtu;
    }
    const Result<int> mtu = interfaceMtu(iface);
    if (!mtu || *mtu <= 0) {
        qCWarning(lcTun).noquote() << (mtu ? u"invalid MTU on %1"_s.arg(iface) : mtu.error().message)
                                   << "- assuming an MTU of" << kFallbackUplinkMtu;
        return kFallbackUplinkMtu;
    }
    return *mtu;
}

int defaultInterfaceMtu()
{
    return defaultInterfaceMtu(u"/proc/net/route"_s);
}

int tunMtu(DeviceType type)
{
    return defaultInterfaceMtu() - deviceOverhead(type);
}

Result<QHostAddress> interfaceIpv4Address(const QString &name)
{
    Result<ifreq> ifr = makeIfreq(name);
    if (!ifr)
        return ifr.error();
    Result<Linux::UniqueFd> sock = Linux::ioctlSocket();
    if (!sock)
        return sock.error();
    if (::ioctl(sock->get(), SIOCGIFADDR, &ifr.value()) < 0) {
        const int error = errno;
        if (error == EADDRNOTAVAIL)
            return tunError(u"device-config"_s, u"%1 has no IPv4 address"_s.arg(name));
        return tunError(
            u"device-config"_s, u"cannot read the IPv4 address of %1: %2"_s.arg(name, Linux::errnoText(error)));
    }
    sockaddr_in in {};
    std::memcpy(&in, &ifr->ifr_addr, sizeof in);
    if (in.sin_family != AF_INET)
        return tunError(u"device-config"_s, u"%1 has no IPv4 address"_s.arg(name));
    return QHostAddress(ntohl(in.sin_addr.s_addr));
}

Result<bool> removeStaleDevice(const QString &name)
{
    const Result<QByteArray> bytes = Linux::interfaceNameBytes(name, false);
    if (!bytes)
        return bytes.error();
    if (::if_nametoindex(bytes->constData()) == 0)
        return false;

    // Attaching to the device and clearing IFF_PERSIST makes the kernel delete it when we close it. The kernel
    // refuses to attach to anything but an idle TUN/TAP device of the requested kind, which is exactly the
    // safety check we want: a NIC, a bridge or the device of a running VPN is never touched.
    const QByteArray controlPath = "/dev/net/tun";
    Linux::UniqueFd fd(::open(controlPath.constData(), O_RDWR | O_CLOEXEC));
    if (!fd.isValid()) {
        const int error = errno;
        return tunError(u"tun-open"_s, u"cannot open /dev/net/tun: %1"_s.arg(Linux::errnoText(error)));
    }
    constexpr std::array<int, 4> attempts = {IFF_TUN, IFF_TAP, IFF_TUN | IFF_MULTI_QUEUE, IFF_TAP | IFF_MULTI_QUEUE};
    int lastError = EINVAL;
    bool attached = false;
    for (const int flags : attempts) {
        ifreq ifr {};
        std::memcpy(ifr.ifr_name, bytes->constData(), static_cast<size_t>(bytes->size()));
        ifr.ifr_flags = static_cast<short>(flags | IFF_NO_PI);
        if (::ioctl(fd.get(), TUNSETIFF, &ifr) == 0) {
            attached = true;
            break;
        }
        lastError = errno;
        if (lastError != EINVAL)
            break;
    }
    if (!attached) {
        if (lastError == EINVAL)
            return tunError(u"stale-device"_s, u"not removing %1: it is not a TUN/TAP device"_s.arg(name));
        if (lastError == EBUSY)
            return tunError(u"stale-device"_s, u"not removing %1: a running process still uses it"_s.arg(name));
        return tunError(u"stale-device"_s, u"cannot remove %1: %2"_s.arg(name, Linux::errnoText(lastError)));
    }
    if (::ioctl(fd.get(), TUNSETPERSIST, 0) < 0) {
        const int error = errno;
        return tunError(u"stale-device"_s, u"cannot remove %1: %2"_s.arg(name, Linux::errnoText(error)));
    }
    fd.reset();
    if (::if_nametoindex(bytes->constData()) != 0)
        return tunError(u"stale-device"_s, u"%1 still exists after removing it"_s.arg(name));
    qCInfo(lcTun).noquote() << "removed stale device" << name;
    return true;
}

TunDevice::TunDevice(QObject *parent) : QObject(parent)
{
}

TunDevice::~TunDevice()
{
    close();
}

Result<QString> TunDevice::open(DeviceType type, const QString &namePattern)
{
    return open(type, namePattern, u"/dev/net/tun"_s);
}

Result<QString> TunDevice::open(DeviceType type, const QString &namePattern, const QString &controlPath)
{
    close();
    const Result<QByteArray> bytes = Linux::interfaceNameBytes(namePattern, true);
    if (!bytes)
        return bytes.error();
    const QByteArray path = QFile::encodeName(controlPath);
    Linux::UniqueFd fd(::open(path.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd.isValid()) {
        const int error = errno;
        return tunError(u"tun-open"_s, u"cannot open %1: %2"_s.arg(controlPath, Linux::errnoText(error)));
    }
    ifreq ifr {};
    std::memcpy(ifr.ifr_name, bytes->constData(), static_cast<size_t>(bytes->size()));
    ifr.ifr_flags = static_cast<short>((type == DeviceType::Tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI);
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0) {
        const int error = errno;
        const QString kind = type == DeviceType::Tap ? u"TAP"_s : u"TUN"_s;
        QString detail = Linux::errnoText(error);
        if (error == EBUSY)
            detail = u"the device is in use"_s;
        else if (error == EINVAL)
            detail = u"a device of that name exists and is not a %1 device"_s.arg(kind);
        return tunError(u"tun-create"_s, u"cannot create %1 device %2: %3"_s.arg(kind, namePattern, detail));
    }
    m_fd = fd.release();
    m_type = type;
    m_name = QString::fromUtf8(ifr.ifr_name, static_cast<qsizetype>(::strnlen(ifr.ifr_name, IFNAMSIZ)));
    if (!m_buffer)
        m_buffer = std::make_shared<std::vector<char>>(kReadBufferSize);
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] { readPackets(); });
    updateNotifier();
    qCInfo(lcTun).noquote() << "opened" << (type == DeviceType::Tap ? "TAP" : "TUN") << "device" << m_name;
    return m_name;
}

void TunDevice::close()
{
    if (m_notifier) {
        // close() may run inside the notifier's own activated() signal.
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
        qCInfo(lcTun).noquote() << "closed device" << m_name;
    }
    m_name.clear();
}

Result<Ok> TunDevice::setMtu(int mtu)
{
    if (!isOpen())
        return tunError(u"device-config"_s, u"the device is not open"_s);
    if (mtu < 68 || mtu > 65535)
        return tunError(u"device-config"_s, u"invalid MTU %1 (68..65535)"_s.arg(mtu));
    ifreq input {};
    input.ifr_mtu = mtu;
    const Result<ifreq> result = interfaceIoctl(m_name, SIOCSIFMTU, &input, u"set the MTU to %1"_s.arg(mtu));
    if (!result)
        return result.error();
    return Ok {};
}

Result<int> TunDevice::mtu() const
{
    if (!isOpen())
        return tunError(u"device-config"_s, u"the device is not open"_s);
    return interfaceMtu(m_name);
}

Result<Ok> TunDevice::setIpv4Address(const QHostAddress &address, int prefixLength)
{
    if (!isOpen())
        return tunError(u"device-config"_s, u"the device is not open"_s);
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (!isV4)
        return tunError(u"device-config"_s, u"\"%1\" is not an IPv4 address"_s.arg(address.toString()));
    if (prefixLength < 0 || prefixLength > 32)
        return tunError(u"device-config"_s, u"invalid prefix length %1 (0..32)"_s.arg(prefixLength));
    const quint32 mask = prefixLength == 0 ? 0u : ~quint32(0) << (32 - prefixLength);

    ifreq input {};
    input.ifr_addr = ipv4Sockaddr(v4);
    const QString addressText = QHostAddress(v4).toString();
    Result<ifreq> result = interfaceIoctl(m_name, SIOCSIFADDR, &input, u"set the address %1"_s.arg(addressText));
    if (!result)
        return result.error();
    input = ifreq {};
    input.ifr_netmask = ipv4Sockaddr(mask);
    result = interfaceIoctl(m_name, SIOCSIFNETMASK, &input, u"set the netmask /%1"_s.arg(prefixLength));
    if (!result)
        return result.error();
    qCInfo(lcTun).noquote() << "configured" << m_name << "with" << addressText << "netmask"
                            << QHostAddress(mask).toString();
    return Ok {};
}

Result<Ok> TunDevice::setUp(bool up)
{
    if (!isOpen())
        return tunError(u"device-config"_s, u"the device is not open"_s);
    Result<ifreq> flags = interfaceIoctl(m_name, SIOCGIFFLAGS, nullptr, u"read the flags"_s);
    if (!flags)
        return flags.error();
    ifreq input = *flags;
    if (up)
        input.ifr_flags = static_cast<short>(input.ifr_flags | IFF_UP | IFF_RUNNING);
    else
        input.ifr_flags = static_cast<short>(input.ifr_flags & ~(IFF_UP | IFF_RUNNING));
    const Result<ifreq> result = interfaceIoctl(m_name, SIOCSIFFLAGS, &input, up ? u"bring up"_s : u"bring down"_s);
    if (!result)
        return result.error();
    return Ok {};
}

Result<Ok> TunDevice::configureIpv4(const QHostAddress &address, int prefixLength)
{
    const Result<Ok> configured = setIpv4Address(address, prefixLength);
    if (!configured)
        return configured;
    return setUp(true);
}

Result<QHostAddress> TunDevice::ipv4Address() const
{
    if (!isOpen())
        return tunError(u"device-config"_s, u"the device is not open"_s);
    return interfaceIpv4Address(m_name);
}

void TunDevice::setPacketHandler(PacketBatchHandler handler)
{
    m_handler = std::move(handler);
    updateNotifier();
}

void TunDevice::setReadingEnabled(bool enabled)
{
    m_readingEnabled = enabled;
    updateNotifier();
}

void TunDevice::updateNotifier()
{
    if (m_notifier)
        m_notifier->setEnabled(m_readingEnabled && m_handler);
}

Result<Ok> TunDevice::write(QByteArrayView packet)
{
    if (!isOpen())
        return tunError(u"tun-write"_s, u"the device is not open"_s);
    for (;;) {
        const ssize_t written = ::write(m_fd, packet.data(), static_cast<size_t>(packet.size()));
        if (written >= 0)
            return Ok {};
        const int error = errno;
        if (error == EINTR)
            continue;
        return tunError(u"tun-write"_s,
            u"cannot write a packet of %1 bytes to %2: %3"_s.arg(packet.size()).arg(m_name, Linux::errnoText(error)));
    }
}

void TunDevice::readPackets()
{
    const QPointer<TunDevice> alive(this);
    QString failure;
    int total = 0;
    bool drained = false;
    while (alive && m_fd >= 0 && m_handler && !drained && failure.isEmpty() && total < kMaxPacketsPerWakeup) {
        // Kept alive by these references while the handler runs, even if it deletes the device.
        const std::shared_ptr<std::vector<char>> buffer = m_buffer;
        const std::shared_ptr<QList<QByteArray>> batch = m_batch;
        batch->clear(); // keeps its capacity
        size_t used = 0;
        while (total < kMaxPacketsPerWakeup && buffer->size() - used >= kMaxPacketSize) {
            char *at = buffer->data() + used;
            const ssize_t n = ::read(m_fd, at, kMaxPacketSize);
            if (n > 0) {
                // No copy: the handler sees the read buffer itself (valid until the next read).
                batch->append(QByteArray::fromRawData(at, static_cast<qsizetype>(n)));
                used += static_cast<size_t>(n);
                ++total;
                continue;
            }
            drained = true;
            if (n == 0)
                break;
            const int error = errno;
            if (error == EINTR) {
                drained = false;
                continue;
            }
            if (error != EAGAIN && error != EWOULDBLOCK)
                failure = u"cannot read from %1: %2"_s.arg(m_name, Linux::errnoText(error));
            break;
        }
        if (!failure.isEmpty()) {
            qCWarning(lcTun).noquote() << failure;
            m_readingEnabled = false;
            updateNotifier();
        }
        if (!batch->isEmpty()) {
            // A copy, so the handler may replace itself or delete this device.
            const PacketBatchHandler handler = m_handler;
            handler(*batch);
        }
    }
    if (alive && !failure.isEmpty())
        Q_EMIT readFailed(failure);
}

} // namespace Nimbus
