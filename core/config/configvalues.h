/// Internal helpers of core/config: validation of single configuration values shared by the YAML, command-line
/// and profile parsers. Each check returns std::nullopt if the value is fine, otherwise the reason (one line,
/// without the name of the setting, which the caller prefixes). Not part of the public API.
#pragma once

#include <optional>

#include <QString>
#include <QStringView>

namespace Nimbus::ConfigDetail
{

using Problem = std::optional<QString>;

/// An unsigned 32-bit decimal number (an optional leading '+' is not accepted).
std::optional<quint32> parseU32(QStringView text);
/// `true`/`false` in the spellings YAML 1.2 knows (true, True, TRUE, false, False, FALSE).
std::optional<bool> parseBool(QStringView text);

/// `A.B.C.D` or `A.B.C.D/len` (0..32).
Problem checkIpWithPrefix(QStringView text);
/// The forms of spec §9.7: PORT, *:PORT, IP, IP:PORT, [IPv6]:PORT, ws://HOST:PORT.
Problem checkListen(QStringView text);
/// `host`, `host:port`, `ipv4:port`, `[ipv6]:port` (spec §9.6).
Problem checkPeerAddress(QStringView text);
/// `IP` or `IP:PORT` / `[IPv6]:PORT` (IP literals only).
Problem checkAdvertiseAddress(QStringView text);
/// `host:port` with a mandatory port.
Problem checkHostPort(QStringView text);
/// `ADDRESS/PREFIX` as accepted by Range::parse.
Problem checkClaim(QStringView text);
/// A base62-encoded 32-byte key. The message never repeats the text (it may be a private key).
Problem checkKey(QStringView text);
/// A Linux interface name pattern (1..15 bytes, no '/', no whitespace; `%d` allowed).
Problem checkDeviceName(QStringView text);
/// One of hookEventNames().
Problem checkHookEvent(QStringView text);

/// True if the base62 key decodes to fewer than 32 bytes, i.e. its first byte is zero (VpnCloud rejects it).
bool keyHasLeadingZeroByte(QStringView text);

/// Levenshtein distance, for "did you mean" hints.
int editDistance(QStringView a, QStringView b);

/// \a text quoted for an error message, shortened to a sensible length, control characters escaped.
QString quoteValue(QStringView text);

} // namespace Nimbus::ConfigDetail
