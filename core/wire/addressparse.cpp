#include "core/wire/addressparse.h"

#include <QHostAddress>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::WireDetail
{

namespace
{

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

QString hexByte(quint8 b)
{
    return u"%1"_s.arg(b, 2, 16, QLatin1Char('0'));
}

} // namespace

std::optional<quint32> parseDecimal(QStringView text, int maxDigits, quint32 maxValue)
{
    if (text.isEmpty() || text.size() > maxDigits)
        return std::nullopt;
    quint64 value = 0;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        value = value * 10 + static_cast<quint64>(c.unicode() - u'0');
    }
    if (value > maxValue)
        return std::nullopt;
    return static_cast<quint32>(value);
}

std::optional<std::array<quint8, 4>> parseIpv4(QStringView text)
{
    std::array<quint8, 4> out {};
    qsizetype start = 0;
    for (int i = 0; i < 4; ++i) {
        qsizetype end = text.indexOf(u'.', start);
        if (i == 3) {
            if (end != -1)
                return std::nullopt;
            end = text.size();
        } else if (end == -1) {
            return std::nullopt;
        }
        const QStringView part = text.sliced(start, end - start);
        if (part.size() > 1 && part.front() == u'0')
            return std::nullopt; // no leading zeros (octal ambiguity)
        const auto value = parseDecimal(part, 3, 255);
        if (!value)
            return std::nullopt;
        out[static_cast<size_t>(i)] = static_cast<quint8>(*value);
        start = end + 1;
    }
    return out;
}

std::optional<std::array<quint8, 16>> parseIpv6(QStringView text)
{
    if (text.isEmpty() || text.size() > 45 || !text.contains(u':'))
        return std::nullopt;
    for (const QChar c : text) {
        if (hexValue(c) < 0 && c != u':' && c != u'.')
            return std::nullopt; // rejects scope ids, brackets and whitespace, which QHostAddress would accept
    }
    const QHostAddress address(text.toString());
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return std::nullopt;
    const Q_IPV6ADDR raw = address.toIPv6Address();
    std::array<quint8, 16> out {};
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = raw[static_cast<int>(i)];
    return out;
}

std::optional<std::array<quint8, 6>> parseMac(QStringView text)
{
    if (text.size() != 17)
        return std::nullopt;
    std::array<quint8, 6> out {};
    for (qsizetype i = 0; i < 6; ++i) {
        const qsizetype pos = i * 3;
        if (i > 0 && text[pos - 1] != u':')
            return std::nullopt;
        const int hi = hexValue(text[pos]);
        const int lo = hexValue(text[pos + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out[static_cast<size_t>(i)] = static_cast<quint8>(hi * 16 + lo);
    }
    return out;
}

QString formatIpv4(const quint8 *bytes4)
{
    return u"%1.%2.%3.%4"_s.arg(bytes4[0]).arg(bytes4[1]).arg(bytes4[2]).arg(bytes4[3]);
}

QString formatIpv6Compressed(const quint8 *bytes16)
{
    Q_IPV6ADDR raw;
    for (int i = 0; i < 16; ++i)
        raw[i] = bytes16[i];
    return QHostAddress(raw).toString();
}

QString formatIpv6Full(const quint8 *bytes16)
{
    QString out;
    out.reserve(39);
    for (int group = 0; group < 8; ++group) {
        if (group > 0)
            out += u':';
        out += hexByte(bytes16[2 * group]) + hexByte(bytes16[2 * group + 1]);
    }
    return out;
}

QString formatMac(const quint8 *bytes6)
{
    QString out;
    out.reserve(17);
    for (int i = 0; i < 6; ++i) {
        if (i > 0)
            out += u':';
        out += hexByte(bytes6[i]);
    }
    return out;
}

} // namespace Nimbus::WireDetail
