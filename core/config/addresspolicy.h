/// Which device addresses a non-admin client may give a network (issue 14 item 3, docs/control-protocol.md,
/// "Address policy"). Pure rules: the host's addresses and routes are passed in (helper/platform/linux reads
/// them), so every rule is tested without a network namespace.
#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace Nimbus
{

/// An IPv4 prefix: an address (host byte order, kept unmasked) and a prefix length 0-32.
struct Ipv4Prefix {
    quint32 address = 0;
    int length = 32;

    /// Parses `A.B.C.D/LEN`; a missing `/LEN` gives \a defaultLength. Returns nullopt on any error.
    static std::optional<Ipv4Prefix> parse(QStringView text, int defaultLength = 32);
    /// The netmask of length().
    quint32 mask() const;
    /// The first address of the prefix (the address with the host bits cleared).
    quint32 network() const { return address & mask(); }
    /// True if every address of \a other is in this prefix.
    bool contains(const Ipv4Prefix &other) const;
    /// True if the two prefixes share at least one address.
    bool overlaps(const Ipv4Prefix &other) const;
    /// `A.B.C.D/LEN` of network().
    QString toString() const;

    friend bool operator==(const Ipv4Prefix &, const Ipv4Prefix &) = default;
};

/// One IPv4 address or route the host has, as the helper's platform layer reads it.
struct HostRoute {
    Ipv4Prefix prefix; ///< a route's destination, or an address with its prefix length
    QString interface; ///< the device it belongs to
};

/// The admin's settings for the policy (`nimbus-helper --allow-range CIDR`).
struct AddressPolicySettings {
    /// Ranges non-admins may use besides the built-in private ones (kPrivateRanges).
    QList<Ipv4Prefix> allowedRanges;
};

namespace AddressPolicy
{

/// The shortest prefix a non-admin's device address may have: nothing wider than a /8.
constexpr int kMinPrefixLength = 8;
/// The prefix length the helper gives a device address written without one (as VpnCloud).
constexpr int kDefaultPrefixLength = 24;

/// The ranges every operator may use: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) and
/// 100.64.0.0/10 (CGNAT, RFC 6598).
QList<Ipv4Prefix> privateRanges();

/// Checks the device address \a ip (a profile's `ip`, `A.B.C.D[/LEN]`) of a network a NON-ADMIN client connects.
/// The rules, in order:
///   1. the prefix is at most as wide as a /8 (kMinPrefixLength);
///   2. the whole subnet lies in a private range (privateRanges()) or in one of \a settings.allowedRanges;
///   3. the subnet overlaps no address or route in \a host, except the default route (length 0) and those of
///      the devices in \a ownDevices (the helper's own networks).
/// Returns nullopt if the address is allowed, otherwise one line naming the rule broken (for the error message).
std::optional<QString> checkDeviceAddress(
    QStringView ip, const AddressPolicySettings &settings, const QList<HostRoute> &host, const QStringList &ownDevices);

} // namespace AddressPolicy

} // namespace Nimbus
