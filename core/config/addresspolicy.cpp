#include "core/config/addresspolicy.h"

#include <QHostAddress>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

std::optional<Ipv4Prefix> Ipv4Prefix::parse(QStringView text, int defaultLength)
{
    const qsizetype slash = text.indexOf(u'/');
    const QStringView addressText = slash < 0 ? text : text.left(slash);
    int length = defaultLength;
    if (slash >= 0) {
        const QStringView lengthText = text.mid(slash + 1);
        bool ok = false;
        length = lengthText.toInt(&ok);
        if (!ok || lengthText.isEmpty() || lengthText.size() > 2 || !lengthText.front().isDigit())
            return std::nullopt;
    }
    if (length < 0 || length > 32)
        return std::nullopt;
    const QHostAddress address(addressText.toString());
    bool ipv4 = false;
    const quint32 value = address.toIPv4Address(&ipv4);
    if (!ipv4 || address.protocol() != QAbstractSocket::IPv4Protocol)
        return std::nullopt;
    return Ipv4Prefix {value, length};
}

quint32 Ipv4Prefix::mask() const
{
    return length <= 0 ? 0U : ~quint32(0) << (32 - length);
}

bool Ipv4Prefix::contains(const Ipv4Prefix &other) const
{
    return other.length >= length && (other.address & mask()) == network();
}

bool Ipv4Prefix::overlaps(const Ipv4Prefix &other) const
{
    return contains(other) || other.contains(*this);
}

QString Ipv4Prefix::toString() const
{
    return u"%1/%2"_s.arg(QHostAddress(network()).toString()).arg(length);
}

namespace AddressPolicy
{

QList<Ipv4Prefix> privateRanges()
{
    return {
        {0x0A000000, 8}, // 10.0.0.0/8
        {0xAC100000, 12}, // 172.16.0.0/12
        {0xC0A80000, 16}, // 192.168.0.0/16
        {0x64400000, 10}, // 100.64.0.0/10
    };
}

std::optional<QString> checkDeviceAddress(
    QStringView ip, const AddressPolicySettings &settings, const QList<HostRoute> &host, const QStringList &ownDevices)
{
    const std::optional<Ipv4Prefix> subnet = Ipv4Prefix::parse(ip, kDefaultPrefixLength);
    if (!subnet)
        return u"ip \"%1\" is not an IPv4 address with a prefix"_s.arg(ip);
    if (subnet->length < kMinPrefixLength)
        return u"ip %1: the prefix /%2 is wider than /%3; only root may use a wider one"_s.arg(ip)
            .arg(subnet->length)
            .arg(kMinPrefixLength);
    bool allowed = false;
    for (const QList<Ipv4Prefix> &ranges : {privateRanges(), settings.allowedRanges}) {
        for (const Ipv4Prefix &range : ranges)
            allowed = allowed || range.contains(*subnet);
    }
    if (!allowed)
        return u"ip %1: %2 is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) "
               "or a range the admin allows (--allow-range); only root may use it"_s.arg(ip, subnet->toString());
    for (const HostRoute &route : host) {
        if (route.prefix.length == 0 || ownDevices.contains(route.interface))
            continue;
        if (route.prefix.overlaps(*subnet))
            return u"ip %1: %2 overlaps %3 of device %4 on this host; only root may use it"_s.arg(
                ip, subnet->toString(), route.prefix.toString(), route.interface);
    }
    return std::nullopt;
}

} // namespace AddressPolicy

} // namespace Nimbus
