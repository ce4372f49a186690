#pragma once

// Big-endian field access and the Internet checksum (RFC 1071) for the IP/TCP packet work of the TUN device
// (cutting offloaded segments, merging received ones). Header-only so the hot loops inline.

#include <cstring>

#include <QtGlobal>

namespace Nimbus::Inet
{

inline quint16 load16(const char *at)
{
    return static_cast<quint16>((static_cast<quint8>(at[0]) << 8) | static_cast<quint8>(at[1]));
}

inline quint32 load32(const char *at)
{
    return (quint32(load16(at)) << 16) | load16(at + 2);
}

inline void store16(char *at, quint16 value)
{
    at[0] = static_cast<char>(value >> 8);
    at[1] = static_cast<char>(value & 0xff);
}

inline void store32(char *at, quint32 value)
{
    store16(at, static_cast<quint16>(value >> 16));
    store16(at + 2, static_cast<quint16>(value & 0xffff));
}

/// \a sum plus the ones' complement sum (RFC 1071) of \a size bytes read as big-endian 16-bit words (an odd last
/// byte padded with zero), folded to 16 bits. Adds native 32-bit words and swaps the bytes of the folded result
/// at the end, which gives the same sum (RFC 1071 2(B)) at a fraction of the cost of one word at a time.
inline quint64 sumWords(const char *data, qsizetype size, quint64 sum = 0)
{
    quint64 accumulator = 0;
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint32 first = 0;
        quint32 second = 0;
        std::memcpy(&first, data + i, 4);
        std::memcpy(&second, data + i + 4, 4);
        accumulator += quint64(first) + second;
    }
    for (; i + 4 <= size; i += 4) {
        quint32 word = 0;
        std::memcpy(&word, data + i, 4);
        accumulator += word;
    }
    if (i < size) {
        quint32 tail = 0;
        std::memcpy(&tail, data + i, static_cast<size_t>(size - i));
        accumulator += tail;
    }
    while (accumulator >> 16)
        accumulator = (accumulator & 0xffff) + (accumulator >> 16);
    auto folded = static_cast<quint16>(accumulator);
#if Q_BYTE_ORDER == Q_LITTLE_ENDIAN
    folded = static_cast<quint16>((folded >> 8) | (folded << 8));
#endif
    return sum + folded;
}

/// \a sum folded to 16 bits and complemented: the value of a checksum field.
inline quint16 foldComplement(quint64 sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<quint16>(~sum & 0xffff);
}

/// The sum of the TCP or UDP (\a protocol) pseudo header without the length (addresses and protocol) of an IPv4
/// (\a version 4) or IPv6 packet starting at \a ip; add the TCP or UDP length to complete it.
inline quint64 pseudoHeaderSum(const char *ip, int version, quint8 protocol)
{
    return version == 4 ? sumWords(ip + 12, 8, protocol) : sumWords(ip + 8, 32, protocol);
}

} // namespace Nimbus::Inet
