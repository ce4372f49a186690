// Base62 of spec §2.4: the byte string is one big-endian unsigned integer written in base 62.
#include <algorithm>
#include <vector>

#include "core/crypto/identity.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

namespace
{

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kKeySize = 32;

int digitValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'A' && u <= u'Z')
        return u - u'A' + 10;
    if (u >= u'a' && u <= u'z')
        return u - u'a' + 36;
    return -1;
}

} // namespace

QString base62Encode(QByteArrayView bytes)
{
    // Repeated long division of the big-endian number by 62; digits come out least significant first.
    std::vector<quint8> number(bytes.begin(), bytes.end());
    std::size_t start = 0;
    QString reversed;
    while (true) {
        while (start < number.size() && number[start] == 0)
            ++start;
        if (start == number.size())
            break;
        unsigned remainder = 0;
        for (std::size_t i = start; i < number.size(); ++i) {
            const unsigned value = remainder * 256 + number[i];
            number[i] = static_cast<quint8>(value / 62);
            remainder = value % 62;
        }
        reversed.append(QLatin1Char(kAlphabet[remainder]));
    }
    std::reverse(reversed.begin(), reversed.end());
    return reversed;
}

std::optional<QByteArray> base62Decode(QStringView text)
{
    // Little-endian base-256 accumulator: number = number * 62 + digit for every character.
    std::vector<quint8> number;
    for (const QChar c : text) {
        const int digit = digitValue(c);
        if (digit < 0)
            return std::nullopt;
        unsigned carry = static_cast<unsigned>(digit);
        for (quint8 &byte : number) {
            const unsigned value = byte * 62u + carry;
            byte = static_cast<quint8>(value & 0xff);
            carry = value >> 8;
        }
        while (carry > 0) {
            number.push_back(static_cast<quint8>(carry & 0xff));
            carry >>= 8;
        }
    }
    while (!number.empty() && number.back() == 0)
        number.pop_back();
    QByteArray out(static_cast<qsizetype>(number.size()), Qt::Uninitialized);
    for (std::size_t i = 0; i < number.size(); ++i)
        out[static_cast<qsizetype>(number.size() - 1 - i)] = static_cast<char>(number[i]);
    return out;
}

Result<QByteArray> decodeKey32(QStringView text)
{
    // Leading '0' digits carry no value; more than 43 significant digits always exceed 32 bytes (62^43 > 2^256),
    // so longer input is rejected before the quadratic decoder sees it.
    qsizetype first = 0;
    while (first < text.size() && text[first] == u'0')
        ++first;
    const QStringView significant = text.mid(first);
    if (significant.isEmpty())
        return Error {u"bad-key"_s, u"The key is empty."_s};
    if (significant.size() > 43)
        return Error {u"bad-key"_s, u"The key is too long for a 32-byte key."_s};
    std::optional<QByteArray> bytes = base62Decode(significant);
    if (!bytes)
        return Error {u"bad-key"_s, u"The key contains a character that is not base62 (0-9, A-Z, a-z)."_s};
    if (bytes->size() > kKeySize)
        return Error {u"bad-key"_s, u"The key is too long for a 32-byte key."_s};
    if (bytes->size() < kKeySize)
        bytes->prepend(QByteArray(kKeySize - bytes->size(), '\0'));
    return *std::move(bytes);
}

} // namespace Nimbus
