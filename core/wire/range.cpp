#include "core/wire/range.h"

#include <algorithm>

#include "core/wire/addressparse.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

const quint8 *bytesOf(const QByteArray &array)
{
    return reinterpret_cast<const quint8 *>(array.constData());
}

template<size_t N>
QByteArray toByteArray(const std::array<quint8, N> &bytes)
{
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(N));
}

/// `vlan<id>/aa:bb:cc:dd:ee:ff` -> 8 bytes (VLAN id u16 BE || MAC).
std::optional<QByteArray> parseVlanMac(QStringView text)
{
    if (!text.startsWith(u"vlan"_s))
        return std::nullopt;
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0)
        return std::nullopt;
    const auto id = WireDetail::parseDecimal(text.sliced(4, slash - 4), 4, 0x0fff);
    const auto mac = WireDetail::parseMac(text.sliced(slash + 1));
    if (!id || !mac)
        return std::nullopt;
    QByteArray out;
    out.append(static_cast<char>(*id >> 8));
    out.append(static_cast<char>(*id & 0xff));
    out.append(toByteArray(*mac));
    return out;
}

std::optional<QByteArray> parseRoutingAddress(QStringView text)
{
    if (const auto v4 = WireDetail::parseIpv4(text))
        return toByteArray(*v4);
    if (const auto mac = WireDetail::parseMac(text))
        return toByteArray(*mac);
    if (const auto vlan = parseVlanMac(text))
        return vlan;
    if (const auto v6 = WireDetail::parseIpv6(text))
        return toByteArray(*v6);
    return std::nullopt;
}

QString vlanMacString(const QByteArray &address)
{
    const unsigned id = (static_cast<unsigned>(bytesOf(address)[0]) << 8) | bytesOf(address)[1];
    return u"vlan"_s + QString::number(id) + u'/' + WireDetail::formatMac(bytesOf(address) + 2);
}

QString formatAddress(const QByteArray &address, bool fullIpv6)
{
    switch (address.size()) {
    case 4:
        return WireDetail::formatIpv4(bytesOf(address));
    case 16:
        return fullIpv6 ? WireDetail::formatIpv6Full(bytesOf(address))
                        : WireDetail::formatIpv6Compressed(bytesOf(address));
    case 6:
        return WireDetail::formatMac(bytesOf(address));
    case 8:
        return vlanMacString(address);
    default:
        // Other lengths can only come from a peer's NodeInfo; show them as plain hex.
        return QString::fromLatin1(address.toHex());
    }
}

} // namespace

std::optional<Range> Range::parse(QStringView text)
{
    const qsizetype slash = text.lastIndexOf(u'/');
    if (slash < 0)
        return std::nullopt;
    const auto address = parseRoutingAddress(text.first(slash));
    if (!address)
        return std::nullopt;
    const auto prefix = WireDetail::parseDecimal(text.sliced(slash + 1), 3, static_cast<quint32>(address->size() * 8));
    if (!prefix)
        return std::nullopt;
    return Range {*address, static_cast<quint8>(*prefix)};
}

Range Range::host(const QByteArray &address)
{
    return Range {address, static_cast<quint8>(std::min<qsizetype>(address.size() * 8, 255))};
}

bool Range::matches(const QByteArray &addr) const
{
    if (addr.size() != address.size())
        return false;
    // A prefix wider than the address (only possible from the wire) compares the whole address.
    const qsizetype bits = std::min<qsizetype>(prefixLength, address.size() * 8);
    const qsizetype fullBytes = bits / 8;
    const quint8 *a = bytesOf(address);
    const quint8 *b = bytesOf(addr);
    if (!std::equal(a, a + fullBytes, b))
        return false;
    const int restBits = static_cast<int>(bits % 8);
    if (restBits == 0)
        return true;
    const auto mask = static_cast<quint8>(0xff << (8 - restBits));
    return (a[fullBytes] & mask) == (b[fullBytes] & mask);
}

QString Range::toString() const
{
    return formatAddress(address, true) + u'/' + QString::number(prefixLength);
}

QString Range::toDisplayString() const
{
    return formatAddress(address, false) + u'/' + QString::number(prefixLength);
}

QString formatRoutingAddress(const QByteArray &address)
{
    return formatAddress(address, false);
}

} // namespace Nimbus
