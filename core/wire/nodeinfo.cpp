#include "core/wire/nodeinfo.h"

#include <algorithm>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

enum PartType : quint8 {
    PartEnd = 0,
    PartPeers = 1,
    PartClaims = 2,
    PartPeerTimeout = 3,
    PartNodeId = 4,
    PartAddresses = 5,
};

constexpr int maxAddressesPerFamily = 7;
constexpr quint8 flagNodeId = 0x80;
constexpr qsizetype maxPartBody = 0xffff;
constexpr qsizetype ipv6EntrySize = 18;
constexpr qsizetype ipv4EntrySize = 6;
constexpr int maxClaimAddressLength = 16;

void appendU16(QByteArray &out, quint16 value)
{
    out.append(static_cast<char>(value >> 8));
    out.append(static_cast<char>(value & 0xff));
}

void appendBytes(QByteArray &out, const quint8 *bytes, qsizetype count)
{
    out.append(reinterpret_cast<const char *>(bytes), count);
}

/// Flags byte and entries (IPv6 first) of an address list, at most 7 per family.
QByteArray encodeAddresses(const QList<SocketAddress> &addresses, quint8 extraFlags)
{
    QList<const SocketAddress *> v6;
    QList<const SocketAddress *> v4;
    for (const SocketAddress &address : addresses) {
        const bool asV4 = address.isV4Form() && address.isIpv4Mapped();
        QList<const SocketAddress *> &list = asV4 ? v4 : v6;
        if (list.size() < maxAddressesPerFamily)
            list.append(&address);
    }
    QByteArray out;
    out.append(static_cast<char>(extraFlags | static_cast<quint8>(v6.size() << 3) | static_cast<quint8>(v4.size())));
    for (const SocketAddress *address : std::as_const(v6)) {
        appendBytes(out, address->ipv6Bytes().data(), 16);
        appendU16(out, address->port());
    }
    for (const SocketAddress *address : std::as_const(v4)) {
        appendBytes(out, address->ipv6Bytes().data() + 12, 4);
        appendU16(out, address->port());
    }
    return out;
}

void appendPart(QByteArray &out, quint8 type, const QByteArray &body)
{
    out.append(static_cast<char>(type));
    appendU16(out, static_cast<quint16>(body.size()));
    out.append(body);
}

/// Bounds-checked big-endian reader over a byte view.
class Reader
{
public:
    explicit Reader(QByteArrayView data) : m_data(data) { }

    qsizetype remaining() const { return m_data.size() - m_pos; }
    bool atEnd() const { return m_pos >= m_data.size(); }

    std::optional<quint8> u8()
    {
        if (remaining() < 1)
            return std::nullopt;
        return static_cast<quint8>(m_data[m_pos++]);
    }
    std::optional<quint16> u16()
    {
        if (remaining() < 2)
            return std::nullopt;
        const auto value
            = static_cast<quint16>((static_cast<quint8>(m_data[m_pos]) << 8) | static_cast<quint8>(m_data[m_pos + 1]));
        m_pos += 2;
        return value;
    }
    /// The next \a count bytes, or nullopt (and nothing consumed) if fewer remain.
    std::optional<QByteArrayView> bytes(qsizetype count)
    {
        if (count < 0 || remaining() < count)
            return std::nullopt;
        const QByteArrayView view = m_data.sliced(m_pos, count);
        m_pos += count;
        return view;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

const quint8 *rawBytes(QByteArrayView view)
{
    return reinterpret_cast<const quint8 *>(view.data());
}

Error badNodeInfo(const QString &detail)
{
    return Error {u"bad-node-info"_s, detail};
}

/// Reads the address entries announced by \a flags (IPv6 entries first). nullopt on truncation.
std::optional<QList<SocketAddress>> readAddresses(Reader &reader, quint8 flags)
{
    const int v4Count = flags & 0x07;
    const int v6Count = (flags >> 3) & 0x07;
    QList<SocketAddress> addresses;
    addresses.reserve(v4Count + v6Count);
    for (int i = 0; i < v6Count; ++i) {
        const auto entry = reader.bytes(ipv6EntrySize);
        if (!entry)
            return std::nullopt;
        const auto port = static_cast<quint16>((rawBytes(*entry)[16] << 8) | rawBytes(*entry)[17]);
        addresses.append(SocketAddress::fromIpv6Bytes(rawBytes(*entry), port));
    }
    for (int i = 0; i < v4Count; ++i) {
        const auto entry = reader.bytes(ipv4EntrySize);
        if (!entry)
            return std::nullopt;
        const auto port = static_cast<quint16>((rawBytes(*entry)[4] << 8) | rawBytes(*entry)[5]);
        addresses.append(SocketAddress::fromIpv4Bytes(rawBytes(*entry), port));
    }
    return addresses;
}

std::optional<Error> readPeers(QByteArrayView body, QList<PeerListEntry> &peers)
{
    peers.clear();
    Reader reader(body);
    while (!reader.atEnd()) {
        const quint8 flags = *reader.u8();
        PeerListEntry entry;
        if (flags & flagNodeId) {
            const auto id = reader.bytes(16);
            if (!id)
                return badNodeInfo(u"peer list entry %1: truncated node id"_s.arg(peers.size()));
            NodeId nodeId;
            std::memcpy(nodeId.data(), id->data(), nodeId.size());
            entry.nodeId = nodeId;
        }
        auto addresses = readAddresses(reader, flags);
        if (!addresses)
            return badNodeInfo(u"peer list entry %1: truncated address list"_s.arg(peers.size()));
        entry.addresses = std::move(*addresses);
        peers.append(std::move(entry));
    }
    return std::nullopt;
}

std::optional<Error> readClaims(QByteArrayView body, QList<Range> &claims)
{
    claims.clear();
    Reader reader(body);
    while (!reader.atEnd()) {
        const quint8 length = *reader.u8();
        if (length > maxClaimAddressLength)
            return badNodeInfo(u"claim %1: address length %2 exceeds 16"_s.arg(claims.size()).arg(length));
        const auto address = reader.bytes(length);
        const auto prefix = reader.u8();
        if (!address || !prefix)
            return badNodeInfo(u"claim %1: truncated"_s.arg(claims.size()));
        claims.append(Range {address->toByteArray(), *prefix});
    }
    return std::nullopt;
}

} // namespace

QString nodeIdToHex(const NodeId &id)
{
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(id.data()), static_cast<qsizetype>(id.size())).toHex());
}

std::optional<NodeId> nodeIdFromHex(QStringView hex)
{
    if (hex.size() != 32)
        return std::nullopt;
    for (const QChar c : hex) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return std::nullopt;
    }
    const QByteArray raw = QByteArray::fromHex(hex.toLatin1());
    NodeId id;
    std::memcpy(id.data(), raw.constData(), id.size());
    return id;
}

QByteArray NodeInfo::encode() const
{
    QByteArray out;
    appendPart(out, PartNodeId, QByteArray(reinterpret_cast<const char *>(nodeId.data()), 16));

    QByteArray peerBody;
    for (const PeerListEntry &peer : peers) {
        QByteArray entry;
        QByteArray addressBytes = encodeAddresses(peer.addresses, peer.nodeId ? flagNodeId : 0);
        entry.append(addressBytes.front());
        if (peer.nodeId)
            appendBytes(entry, peer.nodeId->data(), 16);
        entry.append(addressBytes.sliced(1));
        if (peerBody.size() + entry.size() > maxPartBody)
            break; // the part length is a u16: drop what does not fit
        peerBody.append(entry);
    }
    appendPart(out, PartPeers, peerBody);

    QByteArray claimBody;
    for (const Range &claim : claims) {
        if (claim.address.size() > maxClaimAddressLength)
            continue; // not representable (receivers reject it)
        if (claimBody.size() + claim.address.size() + 2 > maxPartBody)
            break;
        claimBody.append(static_cast<char>(claim.address.size()));
        claimBody.append(claim.address);
        claimBody.append(static_cast<char>(claim.prefixLength));
    }
    appendPart(out, PartClaims, claimBody);

    if (peerTimeout) {
        QByteArray timeoutBody;
        appendU16(timeoutBody, *peerTimeout);
        appendPart(out, PartPeerTimeout, timeoutBody);
    }

    appendPart(out, PartAddresses, encodeAddresses(addresses, 0));
    out.append(static_cast<char>(PartEnd));
    return out;
}

Result<NodeInfo> NodeInfo::decode(QByteArrayView bytes)
{
    NodeInfo info;
    bool haveNodeId = false;
    Reader reader(bytes);
    while (true) {
        const auto type = reader.u8();
        if (!type)
            return badNodeInfo(u"missing end marker"_s);
        if (*type == PartEnd)
            break;
        const auto length = reader.u16();
        if (!length)
            return badNodeInfo(u"truncated header of part %1"_s.arg(*type));
        const auto body = reader.bytes(*length);
        if (!body)
            return badNodeInfo(
                u"part %1 claims %2 bytes but only %3 remain"_s.arg(*type).arg(*length).arg(reader.remaining()));
        // Bodies longer than needed are skipped by their length (VpnCloud would misparse the surplus).
        switch (*type) {
        case PartNodeId:
            if (body->size() < 16)
                return badNodeInfo(u"node id part has %1 bytes, needs 16"_s.arg(body->size()));
            std::memcpy(info.nodeId.data(), body->data(), info.nodeId.size());
            haveNodeId = true;
            break;
        case PartPeers:
            if (auto error = readPeers(*body, info.peers))
                return *error;
            break;
        case PartClaims:
            if (auto error = readClaims(*body, info.claims))
                return *error;
            break;
        case PartPeerTimeout:
            if (body->size() < 2)
                return badNodeInfo(u"peer timeout part has %1 bytes, needs 2"_s.arg(body->size()));
            info.peerTimeout = static_cast<quint16>((rawBytes(*body)[0] << 8) | rawBytes(*body)[1]);
            break;
        case PartAddresses: {
            Reader partReader(*body);
            const auto flags = partReader.u8();
            if (!flags)
                return badNodeInfo(u"empty address list part"_s);
            auto addresses = readAddresses(partReader, *flags);
            if (!addresses)
                return badNodeInfo(u"truncated address list"_s);
            info.addresses = std::move(*addresses);
            break;
        }
        default:
            break; // unknown part: skipped
        }
    }
    if (!haveNodeId)
        return badNodeInfo(u"payload without node id"_s);
    return info;
}

} // namespace Nimbus
