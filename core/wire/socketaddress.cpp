#include "core/wire/socketaddress.h"

#include <cstring>

#include <QHashFunctions>

#include "core/wire/addressparse.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr std::array<quint8, 12> mappedPrefix {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

} // namespace

SocketAddress::SocketAddress(const QHostAddress &address, quint16 port) : m_port(port)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4 && address.protocol() == QAbstractSocket::IPv4Protocol) {
        std::memcpy(m_bytes.data(), mappedPrefix.data(), mappedPrefix.size());
        m_bytes[12] = static_cast<quint8>(v4 >> 24);
        m_bytes[13] = static_cast<quint8>(v4 >> 16);
        m_bytes[14] = static_cast<quint8>(v4 >> 8);
        m_bytes[15] = static_cast<quint8>(v4);
        m_v4Form = true;
        return;
    }
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR raw = address.toIPv6Address();
        for (size_t i = 0; i < m_bytes.size(); ++i)
            m_bytes[i] = raw[static_cast<int>(i)];
    }
    // Null and "any" addresses stay `::`.
}

SocketAddress SocketAddress::fromIpv6Bytes(const quint8 *bytes16, quint16 port)
{
    SocketAddress result;
    std::memcpy(result.m_bytes.data(), bytes16, result.m_bytes.size());
    result.m_port = port;
    return result;
}

SocketAddress SocketAddress::fromIpv4Bytes(const quint8 *bytes4, quint16 port)
{
    SocketAddress result;
    std::memcpy(result.m_bytes.data(), mappedPrefix.data(), mappedPrefix.size());
    std::memcpy(result.m_bytes.data() + 12, bytes4, 4);
    result.m_port = port;
    result.m_v4Form = true;
    return result;
}

std::optional<SocketAddress> SocketAddress::parse(QStringView text, std::optional<quint16> defaultPort)
{
    QStringView host = text;
    std::optional<quint16> port = defaultPort;
    bool bracketed = false;

    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        host = text.sliced(1, close - 1);
        const QStringView rest = text.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return std::nullopt;
            const auto value = WireDetail::parseDecimal(rest.sliced(1), 5, 65535);
            if (!value)
                return std::nullopt;
            port = static_cast<quint16>(*value);
        }
        bracketed = true;
    } else if (text.count(u':') == 1) {
        const qsizetype colon = text.indexOf(u':');
        host = text.first(colon);
        const auto value = WireDetail::parseDecimal(text.sliced(colon + 1), 5, 65535);
        if (!value)
            return std::nullopt;
        port = static_cast<quint16>(*value);
    }
    // Otherwise: a bare IPv4 address, or a bare IPv6 literal (several colons) without port.

    if (!port)
        return std::nullopt;
    if (!bracketed) {
        if (const auto v4 = WireDetail::parseIpv4(host))
            return fromIpv4Bytes(v4->data(), *port);
    }
    if (bracketed || host.contains(u':')) {
        if (const auto v6 = WireDetail::parseIpv6(host))
            return fromIpv6Bytes(v6->data(), *port);
    }
    return std::nullopt;
}

QHostAddress SocketAddress::address() const
{
    if (isIpv4Mapped()) {
        const quint32 v4 = (static_cast<quint32>(m_bytes[12]) << 24) | (static_cast<quint32>(m_bytes[13]) << 16)
            | (static_cast<quint32>(m_bytes[14]) << 8) | static_cast<quint32>(m_bytes[15]);
        return QHostAddress(v4);
    }
    return QHostAddress(m_bytes.data());
}

bool SocketAddress::isIpv4Mapped() const
{
    return std::memcmp(m_bytes.data(), mappedPrefix.data(), mappedPrefix.size()) == 0;
}

SocketAddress SocketAddress::withV4Form(bool v4Form) const
{
    SocketAddress result = *this;
    result.m_v4Form = v4Form && isIpv4Mapped();
    return result;
}

bool SocketAddress::isUnspecified() const
{
    const auto zeroFrom = [this](size_t from) {
        for (size_t i = from; i < m_bytes.size(); ++i) {
            if (m_bytes[i] != 0)
                return false;
        }
        return true;
    };
    return zeroFrom(0) || (isIpv4Mapped() && zeroFrom(12));
}

QString SocketAddress::toString() const
{
    if (isIpv4Mapped())
        return WireDetail::formatIpv4(m_bytes.data() + 12) + u':' + QString::number(m_port);
    return u'[' + WireDetail::formatIpv6Compressed(m_bytes.data()) + u"]:"_s + QString::number(m_port);
}

size_t qHash(const SocketAddress &address, size_t seed) noexcept
{
    const auto &bytes = address.ipv6Bytes();
    seed = qHashBits(bytes.data(), bytes.size(), seed);
    return qHashMulti(seed, address.port());
}

} // namespace Nimbus
