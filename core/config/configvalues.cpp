#include "core/config/configvalues.h"

#include <algorithm>
#include <vector>

#include <QHostAddress>

#include "core/config/config.h"
#include "core/crypto/identity.h"
#include "core/wire/range.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::ConfigDetail
{

namespace
{

constexpr qsizetype kMaxHostLength = 253;
constexpr qsizetype kMaxQuotedLength = 64;

bool isDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

/// Strict dotted quad: four decimal parts 0..255 without leading zeros.
bool isIpv4Literal(QStringView text)
{
    int parts = 0;
    qsizetype start = 0;
    while (true) {
        qsizetype end = text.indexOf(u'.', start);
        if (end < 0)
            end = text.size();
        const QStringView part = text.mid(start, end - start);
        if (!isDigits(part) || part.size() > 3 || (part.size() > 1 && part.front() == u'0'))
            return false;
        if (part.toUInt() > 255)
            return false;
        ++parts;
        if (end == text.size())
            break;
        start = end + 1;
    }
    return parts == 4;
}

bool isIpv6Literal(QStringView text)
{
    if (!text.contains(u':') || text.contains(u'%'))
        return false;
    QHostAddress address;
    return address.setAddress(text.toString()) && address.protocol() == QAbstractSocket::IPv6Protocol;
}

/// A DNS name or an IPv4 literal. A name made only of digits and dots must be a valid IPv4 literal.
bool isHostName(QStringView text)
{
    if (text.isEmpty() || text.size() > kMaxHostLength)
        return false;
    bool onlyDigitsAndDots = true;
    for (QChar c : text) {
        const bool digit = c >= u'0' && c <= u'9';
        const bool alpha = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
        if (!digit && !alpha && c != u'.' && c != u'-' && c != u'_')
            return false;
        if (!digit && c != u'.')
            onlyDigitsAndDots = false;
    }
    if (onlyDigitsAndDots)
        return isIpv4Literal(text);
    return !text.startsWith(u'.') && !text.startsWith(u'-');
}

std::optional<quint16> parsePort(QStringView text, bool allowZero)
{
    if (!isDigits(text) || text.size() > 5)
        return std::nullopt;
    const uint port = text.toUInt();
    if (port > 65535 || (port == 0 && !allowZero))
        return std::nullopt;
    return static_cast<quint16>(port);
}

enum class PortRule {
    Optional,
    Required,
};

enum class HostRule {
    NameOrIp,
    IpOnly,
};

/// Splits `host`, `host:port`, `[v6]`, `[v6]:port` and checks both parts.
Problem checkEndpoint(QStringView text, PortRule portRule, HostRule hostRule, bool allowPortZero)
{
    const QString example = hostRule == HostRule::IpOnly ? u"IP or IP:PORT"_s : u"HOST:PORT"_s;
    if (text.isEmpty())
        return u"empty address"_s;
    for (QChar c : text) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return u"expected %1 without spaces, got %2"_s.arg(example, quoteValue(text));
    }
    QStringView host;
    QStringView port;
    bool hasPort = false;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return u"missing \"]\" after the IPv6 address in %1"_s.arg(quoteValue(text));
        host = text.mid(1, close - 1);
        const QStringView rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return u"unexpected text after \"]\" in %1"_s.arg(quoteValue(text));
            port = rest.mid(1);
            hasPort = true;
        }
        if (!isIpv6Literal(host))
            return u"%1 is not a valid IPv6 address"_s.arg(quoteValue(host));
    } else {
        const qsizetype colons = text.count(u':');
        if (colons > 1) {
            if (isIpv6Literal(text)) {
                if (portRule == PortRule::Required || hostRule == HostRule::NameOrIp)
                    return u"an IPv6 address needs brackets and a port, e.g. \"[%1]:3210\""_s.arg(text);
                return std::nullopt;
            }
            return u"expected %1, got %2"_s.arg(example, quoteValue(text));
        }
        if (colons == 1) {
            const qsizetype colon = text.indexOf(u':');
            host = text.left(colon);
            port = text.mid(colon + 1);
            hasPort = true;
        } else {
            host = text;
        }
        const bool hostOk = hostRule == HostRule::IpOnly ? isIpv4Literal(host) : isHostName(host);
        if (!hostOk) {
            if (hostRule == HostRule::IpOnly)
                return u"%1 is not an IP address"_s.arg(quoteValue(host));
            return u"%1 is not a valid host name or IP address"_s.arg(quoteValue(host));
        }
    }
    if (hasPort && !parsePort(port, allowPortZero))
        return u"%1 is not a valid port (%2..65535)"_s.arg(quoteValue(port), allowPortZero ? u"0"_s : u"1"_s);
    if (!hasPort && portRule == PortRule::Required)
        return u"missing port, expected %1, got %2"_s.arg(example, quoteValue(text));
    return std::nullopt;
}

} // namespace

int editDistance(QStringView a, QStringView b)
{
    std::vector<int> row(static_cast<size_t>(b.size()) + 1);
    for (size_t j = 0; j < row.size(); ++j)
        row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[static_cast<size_t>(j)];
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[static_cast<size_t>(j)] = std::min({above + 1, row[static_cast<size_t>(j - 1)] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row.back();
}

std::optional<quint32> parseU32(QStringView text)
{
    if (!isDigits(text) || text.size() > 10)
        return std::nullopt;
    const quint64 value = text.toULongLong();
    if (value > 0xFFFFFFFFull)
        return std::nullopt;
    return static_cast<quint32>(value);
}

std::optional<bool> parseBool(QStringView text)
{
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    return std::nullopt;
}

Problem checkIpWithPrefix(QStringView text)
{
    const qsizetype slash = text.indexOf(u'/');
    const QStringView address = slash < 0 ? text : text.left(slash);
    bool ok = isIpv4Literal(address);
    if (ok && slash >= 0) {
        const QStringView prefix = text.mid(slash + 1);
        ok = isDigits(prefix) && prefix.size() <= 2 && prefix.toUInt() <= 32;
    }
    if (!ok)
        return u"expected an IPv4 address A.B.C.D with an optional /prefix (0-32), got %1"_s.arg(quoteValue(text));
    return std::nullopt;
}

Problem checkListen(QStringView text)
{
    if (text.startsWith(u"ws://")) {
        if (auto problem = checkEndpoint(text.mid(5), PortRule::Required, HostRule::NameOrIp, false))
            return QString(u"bad WebSocket address: "_s + *problem);
        return std::nullopt;
    }
    if (isDigits(text)) {
        if (!parsePort(text, true))
            return u"port %1 is out of range (0..65535)"_s.arg(quoteValue(text));
        return std::nullopt;
    }
    if (text.startsWith(u"*:")) {
        if (!parsePort(text.mid(2), true))
            return u"%1 is not a valid port (0..65535)"_s.arg(quoteValue(text.mid(2)));
        return std::nullopt;
    }
    if (auto problem = checkEndpoint(text, PortRule::Optional, HostRule::IpOnly, true))
        return QString(u"expected PORT, *:PORT, IP, IP:PORT or [IPv6]:PORT: "_s + *problem);
    return std::nullopt;
}

Problem checkPeerAddress(QStringView text)
{
    return checkEndpoint(text, PortRule::Optional, HostRule::NameOrIp, false);
}

Problem checkAdvertiseAddress(QStringView text)
{
    return checkEndpoint(text, PortRule::Optional, HostRule::IpOnly, false);
}

Problem checkHostPort(QStringView text)
{
    return checkEndpoint(text, PortRule::Required, HostRule::NameOrIp, false);
}

Problem checkClaim(QStringView text)
{
    if (!Range::parse(text))
        return u"expected ADDRESS/PREFIX (e.g. 10.0.0.0/24, fd00::/64, aa:bb:cc:dd:ee:ff/48), got %1"_s.arg(
            quoteValue(text));
    return std::nullopt;
}

Problem checkKey(QStringView text)
{
    if (text.isEmpty())
        return u"empty key"_s;
    if (!decodeKey32(text).ok())
        return u"not a valid key (expected a base62-encoded 32-byte key, as printed by genkey)"_s;
    return std::nullopt;
}

Problem checkDeviceName(QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    bool ok = !utf8.isEmpty() && utf8.size() <= 15 && text != u"." && text != u"..";
    for (QChar c : text) {
        if (c == u'/' || c == u':' || c.isSpace() || c.category() == QChar::Other_Control)
            ok = false;
    }
    const qsizetype percents = text.count(u'%');
    if (percents > 1 || (percents == 1 && !text.contains(u"%d")))
        ok = false;
    if (!ok)
        return u"expected an interface name of 1-15 characters without '/', ':' or spaces (\"%d\" = first "
               "free number), got %1"_s.arg(quoteValue(text));
    return std::nullopt;
}

Problem checkHookEvent(QStringView text)
{
    const QStringList events = hookEventNames();
    if (!events.contains(text))
        return u"unknown hook event %1 (known: %2)"_s.arg(quoteValue(text), events.join(u", "));
    return std::nullopt;
}

bool keyHasLeadingZeroByte(QStringView text)
{
    const std::optional<QByteArray> bytes = base62Decode(text);
    return bytes && bytes->size() < 32;
}

QString quoteValue(QStringView text)
{
    QString out = u"\""_s;
    const QStringView shown = text.left(kMaxQuotedLength);
    for (QChar c : shown) {
        if (c == u'"' || c == u'\\') {
            out += u'\\';
            out += c;
        } else if (c == u'\n') {
            out += u"\\n"_s;
        } else if (c == u'\t') {
            out += u"\\t"_s;
        } else if (c.unicode() < 0x20 || c.unicode() == 0x7F) {
            out += u"\\x%1"_s.arg(static_cast<uint>(c.unicode()), 2, 16, QChar(u'0'));
        } else {
            out += c;
        }
    }
    if (shown.size() < text.size())
        out += u"..."_s;
    out += u'"';
    return out;
}

} // namespace Nimbus::ConfigDetail
