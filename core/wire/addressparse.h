/// Internal helpers of core/wire: strict parsing and formatting of IPv4, IPv6 and MAC address literals.
/// Not part of the public API; use SocketAddress, Range and formatRoutingAddress instead.
#pragma once

#include <array>
#include <optional>

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace Nimbus::WireDetail
{

/// Dotted quad with exactly four decimal parts 0..255 (no leading zeros, no shortened forms).
std::optional<std::array<quint8, 4>> parseIpv4(QStringView text);
/// An IPv6 literal (compressed or not, embedded IPv4 allowed); no scope id, no brackets, no whitespace.
std::optional<std::array<quint8, 16>> parseIpv6(QStringView text);
/// `aa:bb:cc:dd:ee:ff` (exactly two hex digits per group, any case).
std::optional<std::array<quint8, 6>> parseMac(QStringView text);
/// A decimal number of 1..maxDigits digits not above maxValue.
std::optional<quint32> parseDecimal(QStringView text, int maxDigits, quint32 maxValue);

QString formatIpv4(const quint8 *bytes4);
/// Compressed lowercase form (RFC 5952 style as produced by QHostAddress).
QString formatIpv6Compressed(const quint8 *bytes16);
/// Eight groups of four lowercase hex digits.
QString formatIpv6Full(const quint8 *bytes16);
QString formatMac(const quint8 *bytes6);

} // namespace Nimbus::WireDetail
