#include "core/wire/packetaddress.h"

namespace Nimbus
{

namespace
{

constexpr qsizetype ipv4HeaderSize = 20;
constexpr qsizetype ipv6HeaderSize = 40;
constexpr qsizetype ethernetHeaderSize = 14;
constexpr qsizetype vlanTaggedMinSize = 16;

quint8 byteAt(QByteArrayView data, qsizetype index)
{
    return static_cast<quint8>(data[index]);
}

std::optional<PacketAddresses> extractTun(QByteArrayView packet)
{
    if (packet.isEmpty())
        return std::nullopt;
    switch (byteAt(packet, 0) >> 4) {
    case 4:
        if (packet.size() < ipv4HeaderSize)
            return std::nullopt;
        return PacketAddresses {packet.sliced(12, 4).toByteArray(), packet.sliced(16, 4).toByteArray()};
    case 6:
        if (packet.size() < ipv6HeaderSize)
            return std::nullopt;
        return PacketAddresses {packet.sliced(8, 16).toByteArray(), packet.sliced(24, 16).toByteArray()};
    default:
        return std::nullopt;
    }
}

std::optional<PacketAddresses> extractTap(QByteArrayView packet)
{
    if (packet.size() < ethernetHeaderSize)
        return std::nullopt;
    const QByteArrayView destinationMac = packet.sliced(0, 6);
    const QByteArrayView sourceMac = packet.sliced(6, 6);
    const bool tagged = byteAt(packet, 12) == 0x81 && byteAt(packet, 13) == 0x00;
    if (!tagged)
        return PacketAddresses {sourceMac.toByteArray(), destinationMac.toByteArray()};
    if (packet.size() < vlanTaggedMinSize)
        return std::nullopt;
    // VLAN id 0 (priority tag) is kept as a VLAN address, as VpnCloud does (spec §7.2 quirk).
    QByteArray vlan;
    vlan.append(static_cast<char>(byteAt(packet, 14) & 0x0f));
    vlan.append(static_cast<char>(byteAt(packet, 15)));
    PacketAddresses result {vlan, vlan};
    result.source.append(sourceMac);
    result.destination.append(destinationMac);
    return result;
}

} // namespace

std::optional<PacketAddresses> extractAddresses(DeviceType type, QByteArrayView packet)
{
    return type == DeviceType::Tun ? extractTun(packet) : extractTap(packet);
}

bool isBroadcastOrMulticast(DeviceType type, const QByteArray &destination)
{
    const auto at = [&destination](qsizetype i) { return static_cast<quint8>(destination[i]); };
    if (type == DeviceType::Tun) {
        if (destination.size() == 4)
            return (at(0) & 0xf0) == 0xe0 || destination == QByteArray(4, '\xff');
        if (destination.size() == 16)
            return at(0) == 0xff;
        return false;
    }
    if (destination.size() == 6)
        return (at(0) & 0x01) != 0;
    if (destination.size() == 8)
        return (at(2) & 0x01) != 0;
    return false;
}

} // namespace Nimbus
