/// Claimed address ranges (spec §5.3.3, §7.3): parsing, prefix matching and the text forms used in hooks and UI.
#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

namespace Nimbus
{

/// An address range a node claims (spec §5.3.3, §7.3): an address of 4 (IPv4), 16 (IPv6), 6 (MAC) or
/// 8 (VLAN id u16 BE + MAC) bytes and a prefix length. The base address is kept unmasked, as on the wire.
struct Range {
    QByteArray address;
    quint8 prefixLength = 0;

    /// Parses `10.0.0.1/32`, `fd00::/64`, `aa:bb:cc:dd:ee:ff/48`. The prefix is mandatory (as in VpnCloud) and
    /// must not exceed the address width. Also accepts the VLAN form of toString() (`vlan5/aa:bb:cc:dd:ee:ff/64`).
    /// Returns nullopt on any error.
    static std::optional<Range> parse(QStringView text);
    /// A host range (/32, /128, /48) for a raw address.
    static Range host(const QByteArray &address);

    /// True if \a addr has the same length and its first prefixLength bits equal the range's.
    bool matches(const QByteArray &addr) const;
    /// `10.0.0.1/32`; IPv6 as 8 groups of 4 hex digits (as in VpnCloud's hook CLAIMS variable);
    /// MAC as `aa:bb:cc:dd:ee:ff`; VLAN MAC as `vlan<id>/aa:bb:..`.
    QString toString() const;
    /// The same, but IPv6 in its usual compressed form (for the UI and logs).
    QString toDisplayString() const;

    friend bool operator==(const Range &, const Range &) = default;
};

/// Formats a routing address (4, 16, 6 or 8 bytes) for display: dotted IPv4, compressed IPv6, MAC.
QString formatRoutingAddress(const QByteArray &address);

} // namespace Nimbus
