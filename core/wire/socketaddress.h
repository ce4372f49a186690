/// UDP endpoint value type normalised to IPv6 as VpnCloud does (spec §1.1), with parsing and formatting.
#pragma once

#include <array>
#include <compare>
#include <optional>

#include <QHostAddress>
#include <QString>

namespace Nimbus
{

/// A UDP endpoint, normalised the way VpnCloud compares peers (spec §1.1): an IPv4 address is kept as its
/// IPv4-mapped IPv6 form, so `1.2.3.4:3210` and `[::ffff:1.2.3.4]:3210` are equal and hash alike.
/// The address also remembers whether it was written as plain IPv4 (`isV4Form()`), which only decides how it
/// is encoded in a NodeInfo address list; equality and hashing ignore it.
class SocketAddress
{
public:
    SocketAddress() = default;
    /// Normalises \a address (IPv4 or IPv6, mapped or not). A null address gives `::`.
    SocketAddress(const QHostAddress &address, quint16 port);
    /// From 16 raw IPv6 bytes (as on the wire) and a port.
    static SocketAddress fromIpv6Bytes(const quint8 *bytes16, quint16 port);
    /// From 4 raw IPv4 bytes (as on the wire) and a port; isV4Form() is true.
    static SocketAddress fromIpv4Bytes(const quint8 *bytes4, quint16 port);
    /// Parses `1.2.3.4:3210`, `[2001:db8::1]:3210`, `::ffff:...` forms. With no port, \a defaultPort is used;
    /// `std::nullopt` if it is not an IP literal (host names are resolved by the helper, not here).
    static std::optional<SocketAddress> parse(QStringView text, std::optional<quint16> defaultPort = std::nullopt);

    /// The address, as plain IPv4 when it is IPv4-mapped.
    QHostAddress address() const;
    const std::array<quint8, 16> &ipv6Bytes() const { return m_bytes; }
    quint16 port() const { return m_port; }
    /// True if the address is IPv4-mapped (`::ffff:a.b.c.d`).
    bool isIpv4Mapped() const;
    /// True if it was created from a plain IPv4 form; only affects NodeInfo encoding.
    bool isV4Form() const { return m_v4Form; }
    /// A copy with the v4-form flag set; the flag can only be true for IPv4-mapped addresses.
    SocketAddress withV4Form(bool v4Form) const;
    /// True for `::` and `::ffff:0.0.0.0`.
    bool isUnspecified() const;

    /// `1.2.3.4:3210` for IPv4-mapped addresses, `[2001:db8::1]:3210` otherwise (as VpnCloud logs them).
    QString toString() const;

    friend bool operator==(const SocketAddress &a, const SocketAddress &b)
    {
        return a.m_bytes == b.m_bytes && a.m_port == b.m_port;
    }
    friend std::strong_ordering operator<=>(const SocketAddress &a, const SocketAddress &b)
    {
        if (auto c = a.m_bytes <=> b.m_bytes; c != 0)
            return c;
        return a.m_port <=> b.m_port;
    }

private:
    std::array<quint8, 16> m_bytes {};
    quint16 m_port = 0;
    bool m_v4Form = false;
};

size_t qHash(const SocketAddress &address, size_t seed = 0) noexcept;

} // namespace Nimbus
