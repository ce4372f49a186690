#include "helper/platform/linux/tundevice.h"

#include <algorithm>
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
#include <sys/uio.h>
#include <unistd.h>

#include <QFile>
#include <QLoggingCategory>
#include <QPointer>

#include "helper/platform/linux/epolldispatcher.h"
#include "helper/platform/linux/inetchecksum.h"
#include "helper/platform/linux/linuxutil.h"
#include "helper/platform/linux/packetcoalescer.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

Q_LOGGING_CATEGORY(lcTun, "nimbus.helper.tun")

// A TUN read returns one packet; the space offered to one read must hold the largest one the MTU allows.
constexpr size_t kMaxPacketSize = 65536;
// Packets of one batch are read one after the other into this buffer (with MTU 1500 about 250 of them),
// so reading allocates nothing; a batch ends when less than kReadReserve is left. With TCP segmentation
// offload a read may need room for the large segment and, after it, the packets it is cut into.
constexpr size_t kReadReserve = 2 * kMaxPacketSize + 16384;
constexpr size_t kReadBufferSize = 16 * kMaxPacketSize;
// virtio_net_hdr, in host byte order on a TUN device (the coalescer writes the same header).
constexpr quint8 kVnetNeedsCsum = PacketCoalescer::kVnetNeedsCsum;
constexpr quint8 kVnetGsoNone = 0;
constexpr quint8 kVnetGsoTcpV4 = PacketCoalescer::kVnetGsoTcpV4;
constexpr quint8 kVnetGsoTcpV6 = PacketCoalescer::kVnetGsoTcpV6;
constexpr quint8 kVnetGsoEcn = 0x80;
static_assert(PacketCoalescer::kVnetHeaderSize == kVnetHeaderSize);
// TUNSETOFFLOAD flags for UDP segmentation offload (Linux 6.2; <linux/if_tun.h> of older kernels lacks them).
constexpr unsigned int kTunOffloadUso4 = 0x20;
constexpr unsigned int kTunOffloadUso6 = 0x40;

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

namespace
{

using Inet::foldComplement;
using Inet::load16;
using Inet::load32;
using Inet::store16;
using Inet::store32;
using Inet::sumWords;

constexpr quint8 kTcpFin = 0x01;
constexpr quint8 kTcpPsh = 0x08;
constexpr quint8 kTcpCwr = 0x80;

} // namespace

bool completePartialChecksum(char *packet, qsizetype size, qsizetype start, qsizetype offset)
{
    if (!packet || start < 0 || offset < 0 || start + offset + 2 > size)
        return false;
    char *field = packet + start + offset;
    const quint16 result = foldComplement(sumWords(packet + start, size - start));
    // A computed 0 would mean "no checksum" to UDP: send it as 0xffff (RFC 768), which TCP accepts as well.
    store16(field, result == 0 ? 0xffff : result);
    return true;
}

bool segmentTcpPacket(
    QByteArrayView packet, int segmentSize, char *out, qsizetype capacity, std::vector<qsizetype> &sizes)
{
    if (segmentSize <= 0 || packet.isEmpty() || !out)
        return false;
    const char *in = packet.data();
    const int version = static_cast<quint8>(in[0]) >> 4;
    qsizetype ipHeader = 0;
    if (version == 4) {
        if (packet.size() < 20)
            return false;
        ipHeader = qsizetype(static_cast<quint8>(in[0]) & 0x0f) * 4;
        if (ipHeader < 20 || static_cast<quint8>(in[9]) != IPPROTO_TCP)
            return false;
    } else if (version == 6) {
        ipHeader = 40;
        if (packet.size() < ipHeader || static_cast<quint8>(in[6]) != IPPROTO_TCP)
            return false;
    } else {
        return false;
    }
    if (packet.size() < ipHeader + 20)
        return false;
    const qsizetype tcpHeader = qsizetype(static_cast<quint8>(in[ipHeader + 12]) >> 4) * 4;
    const qsizetype headers = ipHeader + tcpHeader;
    if (tcpHeader < 20 || packet.size() < headers)
        return false;
    const qsizetype payload = packet.size() - headers;
    const qsizetype count = payload == 0 ? 1 : (payload + segmentSize - 1) / segmentSize;
    if (count * headers + payload > capacity)
        return false;

    const quint32 sequence = load32(in + ipHeader + 4);
    const quint16 id = version == 4 ? load16(in + 4) : 0;
    const quint8 flags = static_cast<quint8>(in[ipHeader + 13]);
    // The pseudo header without the TCP length: addresses and protocol.
    const quint64 pseudo = Inet::pseudoHeaderSum(in, version, IPPROTO_TCP);
    char *at = out;
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype chunk = std::min<qsizetype>(segmentSize, payload - i * segmentSize);
        const qsizetype size = headers + chunk;
        std::memcpy(at, in, static_cast<size_t>(headers));
        if (chunk > 0)
            std::memcpy(at + headers, in + headers + i * segmentSize, static_cast<size_t>(chunk));
        if (version == 4) {
            store16(at + 2, static_cast<quint16>(size));
            store16(at + 4, static_cast<quint16>(id + i));
            store16(at + 10, 0);
            store16(at + 10, foldComplement(sumWords(at, ipHeader)));
        } else {
            store16(at + 4, static_cast<quint16>(size - ipHeader));
        }
        char *tcp = at + ipHeader;
        store32(tcp + 4, sequence + quint32(i * segmentSize));
        quint8 segmentFlags = flags;
        if (i + 1 < count)
            segmentFlags &= static_cast<quint8>(~(kTcpFin | kTcpPsh));
        if (i > 0)
            segmentFlags &= static_cast<quint8>(~kTcpCwr);
        tcp[13] = static_cast<char>(segmentFlags);
        store16(tcp + 16, 0);
        const qsizetype tcpLength = size - ipHeader;
        store16(tcp + 16, foldComplement(sumWords(tcp, tcpLength, pseudo + quint64(tcpLength))));
        sizes.push_back(size);
        at += size;
    }
    return true;
}

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

TunDevice::TunDevice(QObject *parent) : PacketDevice(parent)
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
    // IFF_TUN_EXCL: only a new device. Without it the kernel attaches to an idle device of that name, a VM's tap
    // or another program's persistent device, which the network would then configure and take down with it.
    const int kind = (type == DeviceType::Tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI | IFF_TUN_EXCL;
    // TUN devices get a virtio_net_hdr before every packet, so that the kernel may hand over large TCP
    // segments (TSO) instead of MTU-sized packets; a kernel that refuses it gets a plain device.
    bool vnet = type == DeviceType::Tun;
    ifr.ifr_flags = static_cast<short>(kind | (vnet ? IFF_VNET_HDR : 0));
    int result = ::ioctl(fd.get(), TUNSETIFF, &ifr);
    if (result < 0 && vnet && errno == EINVAL) {
        vnet = false;
        ifr.ifr_flags = static_cast<short>(kind);
        result = ::ioctl(fd.get(), TUNSETIFF, &ifr);
    }
    if (result < 0) {
        const int error = errno;
        const QString kind = type == DeviceType::Tap ? u"TAP"_s : u"TUN"_s;
        QString detail = Linux::errnoText(error);
        if (error == EBUSY)
            detail = u"a network interface of that name exists already (Nimbus only creates new devices and leaves "
                     "others alone: choose another name, or a pattern such as vpncloud%d)"_s;
        else if (error == EINVAL)
            detail = u"a device of that name exists and is not a %1 device"_s.arg(kind);
        return tunError(u"tun-create"_s, u"cannot create %1 device %2: %3"_s.arg(kind, namePattern, detail));
    }
    m_vnetHeader = vnet;
    m_tso = false;
    bool uso = false;
    if (vnet) {
        int headerSize = static_cast<int>(kVnetHeaderSize);
        const unsigned int offloads = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
        if (::ioctl(fd.get(), TUNSETVNETHDRSZ, &headerSize) == 0) {
            // UDP segmentation offload is only probed (the kernel rejects flags it does not know): merged UDP
            // writes need it; reads stay without it, the kernel cuts large UDP packets before handing them out.
            uso = ::ioctl(fd.get(), TUNSETOFFLOAD, offloads | kTunOffloadUso4 | kTunOffloadUso6) == 0;
            m_tso = ::ioctl(fd.get(), TUNSETOFFLOAD, offloads) == 0;
        }
        if (!m_tso)
            qCInfo(lcTun) << "no TCP segmentation offload on the device:" << Linux::errnoText(errno);
    }
    // Received TCP segments (and UDP datagrams) are merged into large packets only where the kernel hands out
    // large ones too.
    m_coalescing = m_tso;
    if (m_coalescing && !m_coalescer)
        m_coalescer = std::make_unique<PacketCoalescer>();
    if (m_coalescer)
        m_coalescer->setUdpMerging(m_tso && uso);
    m_fd = fd.release();
    m_type = type;
    m_name = QString::fromUtf8(ifr.ifr_name, static_cast<qsizetype>(::strnlen(ifr.ifr_name, IFNAMSIZ)));
    if (!m_buffer)
        m_buffer = std::make_shared<std::vector<char>>(kReadBufferSize);
    m_readWatch = new ReadWatch(
        m_fd, [this] { readPackets(); }, this);
    updateNotifier();
    qCDebug(lcTun).noquote() << "opened" << (type == DeviceType::Tap ? "TAP" : "TUN") << "device" << m_name;
    return m_name;
}

void TunDevice::close()
{
    if (m_readWatch) {
        // close() may run inside the watch's own handler.
        m_readWatch->setEnabled(false);
        m_readWatch->deleteLater();
        m_readWatch = nullptr;
    }
    if (m_coalescer)
        m_coalescer->clear();
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
    qCDebug(lcTun).noquote() << "configured" << m_name << "with" << addressText << "netmask"
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
    if (m_readWatch)
        m_readWatch->setEnabled(m_readingEnabled && m_handler);
}

bool TunDevice::writeParts(const iovec *parts, int count)
{
    for (;;) {
        const ssize_t written = ::writev(m_fd, parts, count);
        if (written >= 0)
            return true;
        if (errno != EINTR)
            return false;
    }
}

Result<Ok> TunDevice::write(QByteArrayView packet)
{
    if (!isOpen())
        return tunError(u"tun-write"_s, u"the device is not open"_s);
    static constexpr std::array<char, kVnetHeaderSize> noOffload {};
    const std::array<iovec, 2> parts {{{const_cast<char *>(noOffload.data()), noOffload.size()},
        {const_cast<char *>(packet.data()), static_cast<size_t>(packet.size())}}};
    const bool vnet = m_vnetHeader;
    if (writeParts(parts.data() + (vnet ? 0 : 1), vnet ? 2 : 1))
        return Ok {};
    const int error = errno;
    return tunError(u"tun-write"_s,
        u"cannot write a packet of %1 bytes to %2: %3"_s.arg(packet.size()).arg(m_name, Linux::errnoText(error)));
}

Result<Ok> TunDevice::queueWrite(QByteArrayView packet)
{
    if (!m_coalescing || !isOpen())
        return write(packet);
    m_coalescer->add(packet);
    if (m_coalescer->packetCount() >= kMaxQueuedWrites)
        m_queuedWriteErrors += flushWrites();
    return Ok {};
}

bool TunDevice::udpCoalescingActive() const
{
    return m_coalescing && m_coalescer->udpMerging();
}

int TunDevice::queuedWriteCount() const
{
    return m_coalescer ? m_coalescer->packetCount() : 0;
}

int TunDevice::flushWrites()
{
    int failed = std::exchange(m_queuedWriteErrors, 0);
    if (!m_coalescer || m_coalescer->isEmpty())
        return failed;
    if (!isOpen()) {
        failed += m_coalescer->packetCount();
        m_coalescer->clear();
        return failed;
    }
    int lastError = 0;
    m_coalescer->forEach([&](const PacketCoalescer::Output &output) {
        if (writeParts(output.parts.data(), static_cast<int>(output.parts.size()))) {
            if (output.segments > 1) {
                ++m_coalescedWrites;
                m_coalescedSegments += quint64(output.segments);
            }
            return;
        }
        const int error = errno;
        if (output.segments == 1 || error != EINVAL) {
            failed += output.segments;
            lastError = error;
            return;
        }
        // The kernel refuses merged packets: write the segments as they came, now and from now on.
        qCWarning(lcTun).noquote() << "the kernel refuses merged" << (output.udp ? "UDP datagrams" : "TCP segments")
                                   << "on" << m_name << "(" << Linux::errnoText(error) << "); writing them one by one";
        if (output.udp)
            m_coalescer->setUdpMerging(false);
        else
            m_coalescing = false;
        for (const iovec &original : output.originals) {
            if (!writeParts(&original, 1)) {
                ++failed;
                lastError = errno;
            }
        }
    });
    m_coalescer->clear();
    if (failed > 0)
        qCDebug(lcTun).noquote() << "cannot write" << failed << "packets to" << m_name << ":"
                                 << Linux::errnoText(lastError);
    return failed;
}

void TunDevice::appendOffloaded(
    char *at, qsizetype size, std::vector<char> &buffer, size_t &used, QList<QByteArray> &batch)
{
    if (size < kVnetHeaderSize) {
        ++m_droppedOffload;
        return;
    }
    const quint8 flags = static_cast<quint8>(at[0]);
    const quint8 gsoType = static_cast<quint8>(at[1]) & static_cast<quint8>(~kVnetGsoEcn);
    quint16 gsoSize = 0;
    quint16 csumStart = 0;
    quint16 csumOffset = 0;
    std::memcpy(&gsoSize, at + 4, 2);
    std::memcpy(&csumStart, at + 6, 2);
    std::memcpy(&csumOffset, at + 8, 2);
    char *packet = at + kVnetHeaderSize;
    const qsizetype length = size - kVnetHeaderSize;
    if (gsoType == kVnetGsoNone) {
        if ((flags & kVnetNeedsCsum) && !completePartialChecksum(packet, length, csumStart, csumOffset)) {
            ++m_droppedOffload;
            return;
        }
        batch.append(QByteArray::fromRawData(packet, length));
        return;
    }
    if (gsoType != kVnetGsoTcpV4 && gsoType != kVnetGsoTcpV6) {
        ++m_droppedOffload;
        return;
    }
    // Cut into MTU-sized packets right behind the large segment (readPackets() keeps room for them).
    char *out = buffer.data() + used;
    const auto capacity = static_cast<qsizetype>(buffer.size() - used);
    m_segmentSizes.clear();
    if (!segmentTcpPacket(QByteArrayView(packet, length), gsoSize, out, capacity, m_segmentSizes)) {
        ++m_droppedOffload;
        return;
    }
    ++m_offloadedSegments;
    for (const qsizetype part : m_segmentSizes) {
        batch.append(QByteArray::fromRawData(out, part));
        out += part;
        used += static_cast<size_t>(part);
    }
}

void TunDevice::readPackets()
{
    const QPointer<TunDevice> alive(this);
    QString failure;
    int total = 0;
    // Sparse traffic (a ping, a keystroke): one packet is all there is; read it and leave the second read, which
    // would only find the device empty, to the event loop (WakeupPacer).
    const bool onePacket = m_pacer.sparse(Linux::monotonicNs());
    bool drained = false;
    while (alive && m_fd >= 0 && m_handler && !drained && failure.isEmpty() && total < kMaxPacketsPerWakeup) {
        // Kept alive by these references while the handler runs, even if it deletes the device.
        const std::shared_ptr<std::vector<char>> buffer = m_buffer;
        const std::shared_ptr<QList<QByteArray>> batch = m_batch;
        batch->clear(); // keeps its capacity
        size_t used = 0;
        while (total < kMaxPacketsPerWakeup && buffer->size() - used >= kReadReserve) {
            char *at = buffer->data() + used;
            const ssize_t n = ::read(m_fd, at, kMaxPacketSize);
            if (n > 0) {
                used += static_cast<size_t>(n);
                ++total;
                if (m_vnetHeader)
                    appendOffloaded(at, static_cast<qsizetype>(n), *buffer, used, *batch);
                else // no copy: the handler sees the read buffer itself (valid until the next read)
                    batch->append(QByteArray::fromRawData(at, static_cast<qsizetype>(n)));
                if (onePacket) {
                    drained = true; // as far as this wake-up goes
                    break;
                }
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
