/// Routing addresses of packets read from the local TUN/TAP device (spec §7.2).
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>

namespace Nimbus
{

/// Source and destination routing addresses of one device packet: 4 or 16 bytes (TUN), 6 or 8 bytes (TAP).
struct PacketAddresses {
    QByteArray source;
    QByteArray destination;
    friend bool operator==(const PacketAddresses &, const PacketAddresses &) = default;
};

/// The kind of virtual device a packet came from.
enum class DeviceType {
    Tun,
    Tap,
};

/// Extracts the routing addresses (spec §7.2). TUN: IPv4 (>= 20 bytes) or IPv6 (>= 40 bytes) by the version
/// nibble. TAP (>= 14 bytes): MAC addresses, or with an outer 802.1Q tag (>= 16 bytes) 8-byte values
/// `VLAN id (u16 BE, 12 bits) || MAC`. nullopt for packets too short or of unknown IP version.
std::optional<PacketAddresses> extractAddresses(DeviceType type, QByteArrayView packet);

/// True if \a destination (as returned by extractAddresses()) is a broadcast or multicast address:
/// IPv4 224.0.0.0/4 or 255.255.255.255, IPv6 ff00::/8, or a MAC with the group bit set.
bool isBroadcastOrMulticast(DeviceType type, const QByteArray &destination);

} // namespace Nimbus
