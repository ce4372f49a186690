#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include "core/wire/nodeinfo.h"
#include "tests/support/testsupport.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::NodeInfo;
using Nimbus::PeerListEntry;
using Nimbus::Range;
using Nimbus::SocketAddress;

namespace
{

/// Spec Appendix A.8.
const char appendixA8Hex[] = "040010 000102030405060708090a0b0c0d0e0f"
                             "010029 89 101112131415161718191a1b1c1d1e1f"
                             "  00000000000000000000ffffc0000201 0c8a"
                             "  c6336407 0c8a"
                             "020018 04 0a000000 18 10 fd000000000000000000000000000000 40"
                             "030002 012c"
                             "050013 08 00000000000000000000ffffc0000202 0c8a"
                             "00";

Nimbus::NodeId nodeIdFrom(quint8 first)
{
    Nimbus::NodeId id;
    for (size_t i = 0; i < id.size(); ++i)
        id[i] = static_cast<quint8>(first + i);
    return id;
}

NodeInfo appendixA8Info()
{
    NodeInfo info;
    info.nodeId = nodeIdFrom(0x00);
    PeerListEntry peer;
    peer.nodeId = nodeIdFrom(0x10);
    peer.addresses
        = {*SocketAddress::parse(u"[::ffff:192.0.2.1]:3210"_s), *SocketAddress::parse(u"198.51.100.7:3210"_s)};
    info.peers = {peer};
    info.claims = {*Range::parse(u"10.0.0.0/24"_s), *Range::parse(u"fd00::/64"_s)};
    info.peerTimeout = 300;
    info.addresses = {*SocketAddress::parse(u"[::ffff:192.0.2.2]:3210"_s)};
    return info;
}

QByteArray part(quint8 type, const QByteArray &body)
{
    QByteArray out;
    out.append(static_cast<char>(type));
    out.append(static_cast<char>(body.size() >> 8));
    out.append(static_cast<char>(body.size() & 0xff));
    return out + body;
}

/// Concatenates byte arrays and chars into a plain QByteArray (no QStringBuilder type leaks into QTest).
template<typename... Parts>
QByteArray join(const Parts &...parts)
{
    QByteArray out;
    (out.append(parts), ...);
    return out;
}

QByteArray nodeIdPart()
{
    return part(4, Nimbus::Test::fromHex("000102030405060708090a0b0c0d0e0f"));
}

/// The decoder's textual form (decode_pcap.py): IPv6 entries as `[hex]:port`, IPv4 entries as `a.b.c.d:port`.
QString vectorAddressString(const SocketAddress &address)
{
    if (address.isV4Form())
        return address.toString();
    const auto &bytes = address.ipv6Bytes();
    const QByteArray raw(reinterpret_cast<const char *>(bytes.data()), 16);
    return u'[' + QString::fromLatin1(raw.toHex()) + u"]:"_s + QString::number(address.port());
}

QString vectorClaimString(const Range &claim)
{
    if (claim.address.size() == 4)
        return claim.toString();
    return QString::fromLatin1(claim.address.toHex()) + u'/' + QString::number(claim.prefixLength);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        out.append(item.toString());
    return out;
}

/// Field 5 (payload) of a plaintext init message: 0xFF | salt(4) | hash(4) | TLV... | 0x00 | sig.
QByteArray initPayload(const QByteArray &datagram)
{
    qsizetype pos = 9;
    while (pos + 3 <= datagram.size()) {
        const auto type = static_cast<quint8>(datagram[pos]);
        if (type == 0)
            break;
        const int length = (static_cast<quint8>(datagram[pos + 1]) << 8) | static_cast<quint8>(datagram[pos + 2]);
        pos += 3;
        if (pos + length > datagram.size())
            break;
        if (type == 5)
            return datagram.mid(pos, length);
        pos += length;
    }
    return {};
}

} // namespace

class tst_NodeInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendixA8Encode();
    void appendixA8Decode();
    void recordedVectors_data();
    void recordedVectors();
    void aeadExamples_data();
    void aeadExamples();
    void encodeEmpty();
    void encodeWithoutPeerTimeout();
    void encodeAddressOrderAndLimit();
    void encodePeerWithoutNodeId();
    void encodeSkipsOversizedClaims();
    void encodeLimitsPartLength();
    void decodeAnyPartOrder();
    void decodeSkipsUnknownParts();
    void decodeIgnoresBytesAfterEnd();
    void decodeSurplusPartBytesSkipped();
    void decodePlainIpv4Entries();
    void everyTruncationRejected();
    void truncatedInsidePart_data();
    void truncatedInsidePart();
    void missingNodeIdRejected();
    void claimLengthLimit();
    void randomGarbageNeverCrashes();
    void mutatedVectorsNeverCrash();
    void nodeIdHex();
};

void tst_NodeInfo::appendixA8Encode()
{
    const QByteArray expected = Nimbus::Test::fromHex(appendixA8Hex);
    QCOMPARE(expected.size(), 118);
    QCOMPARE(appendixA8Info().encode(), expected);
}

void tst_NodeInfo::appendixA8Decode()
{
    const auto decoded = NodeInfo::decode(Nimbus::Test::fromHex(appendixA8Hex));
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(*decoded, appendixA8Info());
    QCOMPARE(Nimbus::nodeIdToHex(decoded->nodeId), u"000102030405060708090a0b0c0d0e0f"_s);
    QCOMPARE(decoded->peers.size(), 1);
    QCOMPARE(Nimbus::nodeIdToHex(*decoded->peers[0].nodeId), u"101112131415161718191a1b1c1d1e1f"_s);
    QCOMPARE(decoded->peers[0].addresses.size(), 2);
    QCOMPARE(decoded->peers[0].addresses[0].toString(), u"192.0.2.1:3210"_s);
    QVERIFY(!decoded->peers[0].addresses[0].isV4Form());
    QCOMPARE(decoded->peers[0].addresses[1].toString(), u"198.51.100.7:3210"_s);
    QVERIFY(decoded->peers[0].addresses[1].isV4Form());
    QCOMPARE(decoded->claims.size(), 2);
    QCOMPARE(decoded->claims[0].toString(), u"10.0.0.0/24"_s);
    QCOMPARE(decoded->claims[1].toDisplayString(), u"fd00::/64"_s);
    QCOMPARE(decoded->peerTimeout, std::optional<quint16>(300));
    QCOMPARE(decoded->addresses.size(), 1);
    QCOMPARE(decoded->addresses[0].toString(), u"192.0.2.2:3210"_s);
    QCOMPARE(decoded->encode(), Nimbus::Test::fromHex(appendixA8Hex));
}

void tst_NodeInfo::recordedVectors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QJsonObject>("expected");

    const QDir vectors(Nimbus::Test::sharedDir() + u"/vectors"_s);
    const QStringList dirs = vectors.entryList({u"real-*"_s, u"keylog-*"_s}, QDir::Dirs, QDir::Name);
    QVERIFY2(dirs.size() >= 4, qPrintable(vectors.path()));
    int nodeInfoMessages = 0;
    int handshakePayloads = 0;
    for (const QString &dir : dirs) {
        // Python's json writes the PLAIN algorithm speed as the non-standard token Infinity; QJsonDocument
        // rejects it, and it never occurs inside the strings of these files.
        QByteArray json = Nimbus::Test::readSharedFile(u"vectors/"_s + dir + u"/packets.json"_s);
        json.replace("-Infinity", "null").replace("Infinity", "null").replace("NaN", "null");
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(dir + u": "_s + error.errorString()));
        const QJsonArray packets = doc.array();
        for (const QJsonValue &value : packets) {
            const QJsonObject packet = value.toObject();
            const int n = packet.value(u"n"_s).toInt();
            if (packet.value(u"msg_type"_s).toString() == u"NODE_INFO"_s) {
                // keylog-*: the decrypted plaintext; real-plain: the datagram itself. Both start with type 0x01.
                const QString hex = packet.contains(u"plaintext_hex"_s) ? packet.value(u"plaintext_hex"_s).toString()
                                                                        : packet.value(u"udp_payload_hex"_s).toString();
                const QByteArray message = QByteArray::fromHex(hex.toLatin1());
                QVERIFY2(message.size() > 1 && message[0] == '\x01', qPrintable(dir + u" #"_s + QString::number(n)));
                QTest::addRow("%s #%d NODE_INFO", qPrintable(dir), n)
                    << message.sliced(1) << packet.value(u"body"_s).toObject();
                ++nodeInfoMessages;
            }
            if (packet.contains(u"payload_node_info"_s)) {
                QByteArray payload;
                if (packet.contains(u"payload_plaintext_hex"_s))
                    payload = QByteArray::fromHex(packet.value(u"payload_plaintext_hex"_s).toString().toLatin1());
                else // plain mode: the payload travels in clear
                    payload
                        = initPayload(QByteArray::fromHex(packet.value(u"udp_payload_hex"_s).toString().toLatin1()));
                QVERIFY2(!payload.isEmpty(), qPrintable(dir + u" #"_s + QString::number(n)));
                QTest::addRow("%s #%d %s payload", qPrintable(dir), n, qPrintable(packet.value(u"stage"_s).toString()))
                    << payload << packet.value(u"payload_node_info"_s).toObject();
                ++handshakePayloads;
            }
        }
    }
    QVERIFY2(nodeInfoMessages >= 100, qPrintable(QString::number(nodeInfoMessages)));
    QVERIFY2(handshakePayloads >= 10, qPrintable(QString::number(handshakePayloads)));
}

void tst_NodeInfo::recordedVectors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QJsonObject, expected);

    const auto decoded = NodeInfo::decode(bytes);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(decoded->encode(), bytes);

    QCOMPARE(bytes.size(), expected.value(u"encoded_len"_s).toInt());
    QCOMPARE(Nimbus::nodeIdToHex(decoded->nodeId), expected.value(u"node_id"_s).toString());
    QVERIFY(decoded->peerTimeout.has_value());
    QCOMPARE(int(*decoded->peerTimeout), expected.value(u"peer_timeout"_s).toInt());

    QStringList claims;
    for (const Range &claim : decoded->claims)
        claims.append(vectorClaimString(claim));
    QCOMPARE(claims, toStringList(expected.value(u"claims"_s)));

    QStringList addresses;
    for (const SocketAddress &address : decoded->addresses)
        addresses.append(vectorAddressString(address));
    QCOMPARE(addresses, toStringList(expected.value(u"addrs"_s)));

    const QJsonArray peers = expected.value(u"peers"_s).toArray();
    QCOMPARE(decoded->peers.size(), peers.size());
    for (qsizetype i = 0; i < peers.size(); ++i) {
        const QJsonObject peer = peers[i].toObject();
        const PeerListEntry &entry = decoded->peers[i];
        if (peer.value(u"node_id"_s).isNull()) {
            QVERIFY(!entry.nodeId.has_value());
        } else {
            QVERIFY(entry.nodeId.has_value());
            QCOMPARE(Nimbus::nodeIdToHex(*entry.nodeId), peer.value(u"node_id"_s).toString());
        }
        QStringList peerAddresses;
        for (const SocketAddress &address : entry.addresses)
            peerAddresses.append(vectorAddressString(address));
        QCOMPARE(peerAddresses, toStringList(peer.value(u"addrs"_s)));
    }
}

void tst_NodeInfo::aeadExamples_data()
{
    QTest::addColumn<QByteArray>("bytes");

    const QByteArray text = Nimbus::Test::readSharedFile(u"vectors/aead-examples.txt"_s);
    QVERIFY(!text.isEmpty());
    QByteArray title;
    int rows = 0;
    for (const QByteArray &rawLine : text.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line.startsWith('[')) {
            title = line;
            continue;
        }
        if (!line.startsWith("plaintext"))
            continue;
        const QByteArray plaintext = QByteArray::fromHex(line.mid(9).trimmed());
        const QByteArray label = title.left(title.indexOf(']') + 1);
        if (title.contains("init PONG") || title.contains("init PENG")) {
            QTest::newRow(label.constData()) << plaintext; // handshake payload: no type byte
            ++rows;
        } else if (title.contains("NODE_INFO")) {
            QVERIFY2(plaintext.startsWith('\x01'), title.constData());
            QTest::newRow(label.constData()) << plaintext.sliced(1);
            ++rows;
        }
    }
    QVERIFY2(rows >= 7, qPrintable(QString::number(rows)));
}

void tst_NodeInfo::aeadExamples()
{
    QFETCH(QByteArray, bytes);
    const auto decoded = NodeInfo::decode(bytes);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(decoded->encode(), bytes);
    QCOMPARE(decoded->claims.size(), 1);
    QVERIFY(decoded->claims[0].toString().startsWith(u"10.0.1."_s));
    QCOMPARE(decoded->peerTimeout, std::optional<quint16>(30));
    QCOMPARE(decoded->addresses.size(), 1);
    QVERIFY(decoded->addresses[0].isIpv4Mapped());
    QCOMPARE(decoded->addresses[0].port(), quint16(3210));
}

void tst_NodeInfo::encodeEmpty()
{
    NodeInfo info;
    info.nodeId = nodeIdFrom(0xa0);
    info.peerTimeout = 300;
    const QByteArray expected = Nimbus::Test::fromHex("040010 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf 010000 020000"
                                                      "030002 012c 050001 00 00");
    QCOMPARE(info.encode(), expected);
    const auto decoded = NodeInfo::decode(expected);
    QVERIFY(decoded.ok());
    QCOMPARE(*decoded, info);
}

void tst_NodeInfo::encodeWithoutPeerTimeout()
{
    NodeInfo info = appendixA8Info();
    info.peerTimeout.reset();
    const QByteArray encoded = info.encode();
    QCOMPARE(encoded.size(), 118 - 5);
    QVERIFY(!encoded.contains(Nimbus::Test::fromHex("030002012c")));
    const auto decoded = NodeInfo::decode(encoded);
    QVERIFY(decoded.ok());
    QVERIFY(!decoded->peerTimeout.has_value());
    QCOMPARE(*decoded, info);
}

void tst_NodeInfo::encodeAddressOrderAndLimit()
{
    NodeInfo info;
    for (int i = 1; i <= 9; ++i) {
        info.addresses.append(*SocketAddress::parse(u"10.0.0.%1:%2"_s.arg(i).arg(1000 + i)));
        info.addresses.append(*SocketAddress::parse(u"[2001:db8::%1]:%2"_s.arg(i).arg(2000 + i)));
    }
    const QByteArray encoded = info.encode();
    const QByteArray addressPart
        = encoded.sliced(encoded.size() - 1 - (3 + 1 + 7 * 18 + 7 * 6), 3 + 1 + 7 * 18 + 7 * 6);
    QCOMPARE(addressPart.left(3), Nimbus::Test::fromHex("0500a9")); // 1 + 126 + 42 = 169
    QCOMPARE(static_cast<quint8>(addressPart[3]), quint8((7 << 3) | 7));
    // IPv6 entries first, then IPv4, each in the given order, the first 7 of each family.
    QCOMPARE(addressPart.sliced(4, 18), Nimbus::Test::fromHex("20010db8000000000000000000000001 07d1"));
    QCOMPARE(addressPart.sliced(4 + 6 * 18, 18), Nimbus::Test::fromHex("20010db8000000000000000000000007 07d7"));
    QCOMPARE(addressPart.sliced(4 + 7 * 18, 6), Nimbus::Test::fromHex("0a000001 03e9"));
    QCOMPARE(addressPart.sliced(4 + 7 * 18 + 6 * 6, 6), Nimbus::Test::fromHex("0a000007 03ef"));

    const auto decoded = NodeInfo::decode(encoded);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->addresses.size(), 14);
    QCOMPARE(decoded->addresses[0].toString(), u"[2001:db8::1]:2001"_s);
    QCOMPARE(decoded->addresses[7].toString(), u"10.0.0.1:1001"_s);

    // A mapped address not in v4 form goes out as an IPv6 entry.
    NodeInfo mapped;
    mapped.addresses = {SocketAddress(QHostAddress(u"1.2.3.4"_s), 1).withV4Form(false)};
    QVERIFY(mapped.encode().endsWith(Nimbus::Test::fromHex("050013 08 00000000000000000000ffff01020304 0001 00")));
    mapped.addresses = {SocketAddress(QHostAddress(u"1.2.3.4"_s), 1)};
    QVERIFY(mapped.encode().endsWith(Nimbus::Test::fromHex("050007 01 01020304 0001 00")));
}

void tst_NodeInfo::encodePeerWithoutNodeId()
{
    NodeInfo info;
    PeerListEntry anonymous;
    anonymous.addresses = {*SocketAddress::parse(u"192.0.2.9:3210"_s)};
    PeerListEntry empty;
    info.peers = {anonymous, empty};
    const QByteArray encoded = info.encode();
    QVERIFY(encoded.contains(Nimbus::Test::fromHex("010008 01 c0000209 0c8a 00")));
    const auto decoded = NodeInfo::decode(encoded);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->peers, info.peers);
    QVERIFY(!decoded->peers[0].nodeId.has_value());
}

void tst_NodeInfo::encodeSkipsOversizedClaims()
{
    NodeInfo info;
    info.claims = {Range {QByteArray(17, 'x'), 8}, *Range::parse(u"10.0.0.1/32"_s)};
    const auto decoded = NodeInfo::decode(info.encode());
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->claims, QList<Range> {*Range::parse(u"10.0.0.1/32"_s)});
}

void tst_NodeInfo::encodeLimitsPartLength()
{
    NodeInfo info;
    for (int i = 0; i < 5000; ++i)
        info.claims.append(Range::host(QByteArray(16, static_cast<char>(i))));
    const QByteArray encoded = info.encode();
    const auto decoded = NodeInfo::decode(encoded);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->claims.size(), 0xffff / 18);
    QCOMPARE(decoded->claims, info.claims.first(0xffff / 18));
}

void tst_NodeInfo::decodeAnyPartOrder()
{
    const NodeInfo info = appendixA8Info();
    const QByteArray encoded = info.encode();
    // Split the parts and write them in reverse order.
    QList<QByteArray> parts;
    qsizetype pos = 0;
    while (encoded[pos] != 0) {
        const int length = (static_cast<quint8>(encoded[pos + 1]) << 8) | static_cast<quint8>(encoded[pos + 2]);
        parts.append(encoded.sliced(pos, 3 + length));
        pos += 3 + length;
    }
    QCOMPARE(parts.size(), 5);
    QByteArray reversed;
    for (qsizetype i = parts.size() - 1; i >= 0; --i)
        reversed += parts[i];
    reversed += '\0';
    const auto decoded = NodeInfo::decode(reversed);
    QVERIFY(decoded.ok());
    QCOMPARE(*decoded, info);
    QCOMPARE(decoded->encode(), encoded);
}

void tst_NodeInfo::decodeSkipsUnknownParts()
{
    const QByteArray encoded = Nimbus::Test::fromHex(appendixA8Hex);
    const QByteArray withUnknown
        = join(part(9, "abc"), encoded.chopped(1), part(0x77, QByteArray()), part(6, QByteArray(300, 'z')), '\0');
    const auto decoded = NodeInfo::decode(withUnknown);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(*decoded, appendixA8Info());
}

void tst_NodeInfo::decodeIgnoresBytesAfterEnd()
{
    const auto decoded = NodeInfo::decode(join(Nimbus::Test::fromHex(appendixA8Hex), "trailing"));
    QVERIFY(decoded.ok());
    QCOMPARE(*decoded, appendixA8Info());
}

void tst_NodeInfo::decodeSurplusPartBytesSkipped()
{
    // Longer fixed-size parts than needed: the surplus is skipped by the part length.
    const QByteArray bytes = join(part(4, Nimbus::Test::fromHex("000102030405060708090a0b0c0d0e0f ffff")),
        part(3, Nimbus::Test::fromHex("012c 0400")),
        part(5, Nimbus::Test::fromHex("01 0a000001 0c8a 05")),
        '\0');
    const auto decoded = NodeInfo::decode(bytes);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->nodeId, nodeIdFrom(0));
    QCOMPARE(decoded->peerTimeout, std::optional<quint16>(300));
    QCOMPARE(decoded->addresses, QList<SocketAddress> {*SocketAddress::parse(u"10.0.0.1:3210"_s)});
}

void tst_NodeInfo::decodePlainIpv4Entries()
{
    const QByteArray bytes = join(nodeIdPart(), part(5, Nimbus::Test::fromHex("02 c0000201 0c8a c0000202 0001")), '\0');
    const auto decoded = NodeInfo::decode(bytes);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->addresses.size(), 2);
    QVERIFY(decoded->addresses[0].isV4Form());
    // Plain IPv4 and IPv4-mapped entries denote the same endpoint.
    QCOMPARE(decoded->addresses[0], *SocketAddress::parse(u"[::ffff:192.0.2.1]:3210"_s));
    QCOMPARE(decoded->addresses[1].toString(), u"192.0.2.2:1"_s);
    QVERIFY(decoded->peers.isEmpty());
    QVERIFY(decoded->claims.isEmpty());
    QVERIFY(!decoded->peerTimeout.has_value());
    QCOMPARE(decoded->encode(), join(nodeIdPart(), part(1, {}), part(2, {}), part(5, bytes.sliced(22, 13)), '\0'));
}

void tst_NodeInfo::everyTruncationRejected()
{
    QList<QByteArray> samples {Nimbus::Test::fromHex(appendixA8Hex)};
    // One recorded NodeInfo (keylog-default packet 16) too.
    samples.append(
        Nimbus::Test::fromHex("0400105800c8369c4e5e0d13934b68308663a40100238861f56e2b5cd8881846af66119a5bab5e"
                              "00000000000000000000ffffc000020d0c8a020006040a00010220030002001e050013080000"
                              "0000000000000000ffffc000020e0c8a00"));
    for (const QByteArray &sample : std::as_const(samples)) {
        QVERIFY(NodeInfo::decode(sample).ok());
        for (qsizetype length = 0; length < sample.size(); ++length) {
            const auto decoded = NodeInfo::decode(QByteArrayView(sample).first(length));
            QVERIFY2(!decoded.ok(), qPrintable(u"prefix of %1 bytes accepted"_s.arg(length)));
            QCOMPARE(decoded.error().code, u"bad-node-info"_s);
            QVERIFY(!decoded.error().message.isEmpty());
        }
    }
}

void tst_NodeInfo::truncatedInsidePart_data()
{
    QTest::addColumn<QByteArray>("bytes");

    const QByteArray peerEntry = Nimbus::Test::fromHex("89 101112131415161718191a1b1c1d1e1f"
                                                       "00000000000000000000ffffc0000201 0c8a c6336407 0c8a");
    for (qsizetype cut = 1; cut < peerEntry.size(); ++cut) {
        QTest::addRow("peer entry cut to %d", int(cut)) << join(nodeIdPart(), part(1, peerEntry.first(cut)), '\0');
    }
    const QByteArray claims = Nimbus::Test::fromHex("04 0a000000 18 10 fd000000000000000000000000000000 40");
    for (qsizetype cut = 1; cut < claims.size(); ++cut) {
        if (cut == 6)
            continue; // a whole first claim
        QTest::addRow("claims cut to %d", int(cut)) << join(nodeIdPart(), part(2, claims.first(cut)), '\0');
    }
    const QByteArray addresses = Nimbus::Test::fromHex("09 00000000000000000000ffffc0000202 0c8a c0000202 0c8a");
    for (qsizetype cut = 0; cut < addresses.size(); ++cut) {
        QTest::addRow("addresses cut to %d", int(cut)) << join(nodeIdPart(), part(5, addresses.first(cut)), '\0');
    }
    QTest::newRow("peer timeout 1 byte") << join(nodeIdPart(), part(3, "\x01"), '\0');
    QTest::newRow("peer timeout empty") << join(nodeIdPart(), part(3, {}), '\0');
    QTest::newRow("node id 15 bytes") << join(part(4, QByteArray(15, 'a')), '\0');
    QTest::newRow("node id empty") << join(part(4, {}), '\0');
    QTest::newRow("part length beyond data") << join(nodeIdPart(), Nimbus::Test::fromHex("020010 04 0a000000 18 00"));
    QTest::newRow("part header cut") << join(nodeIdPart(), Nimbus::Test::fromHex("0200"));
}

void tst_NodeInfo::truncatedInsidePart()
{
    QFETCH(QByteArray, bytes);
    const auto decoded = NodeInfo::decode(bytes);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, u"bad-node-info"_s);
}

void tst_NodeInfo::missingNodeIdRejected()
{
    const QByteArray encoded = Nimbus::Test::fromHex(appendixA8Hex);
    const auto decoded = NodeInfo::decode(encoded.sliced(19));
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, u"bad-node-info"_s);
    QVERIFY(!NodeInfo::decode(QByteArray(1, '\0')).ok());
    QVERIFY(!NodeInfo::decode(QByteArray()).ok());
}

void tst_NodeInfo::claimLengthLimit()
{
    const QByteArray claim16 = join('\x10', QByteArray(16, '\x01'), '\x80');
    const auto ok = NodeInfo::decode(join(nodeIdPart(), part(2, claim16), '\0'));
    QVERIFY(ok.ok());
    QCOMPARE(ok->claims.size(), 1);
    QCOMPARE(ok->claims[0].prefixLength, quint8(128));

    const QByteArray claim17 = join('\x11', QByteArray(17, '\x01'), '\x80');
    const auto rejected = NodeInfo::decode(join(nodeIdPart(), part(2, join(claim16, claim17)), '\0'));
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.error().code, u"bad-node-info"_s);
    QVERIFY(!NodeInfo::decode(join(nodeIdPart(), part(2, join('\xff', QByteArray(256, 'a'))), '\0')).ok());

    // Odd lengths up to 16 are accepted as they are (only 4, 16, 6 and 8 ever match anything).
    const auto odd = NodeInfo::decode(join(nodeIdPart(), part(2, Nimbus::Test::fromHex("00 00 03 010203 18")), '\0'));
    QVERIFY(odd.ok());
    QCOMPARE(odd->claims.size(), 2);
    QCOMPARE(odd->claims[0].address.size(), 0);
    QCOMPARE(odd->claims[1].address, Nimbus::Test::fromHex("010203"));
}

void tst_NodeInfo::randomGarbageNeverCrashes()
{
    QRandomGenerator random(0x4e696d62);
    int accepted = 0;
    for (int i = 0; i < 4000; ++i) {
        const int length = random.bounded(0, 160);
        QByteArray buffer(length, '\0');
        for (char &c : buffer)
            c = static_cast<char>(random.bounded(256));
        // Half of them start with a valid node id part so that the later parts get exercised too.
        if (i % 2 == 1)
            buffer.prepend(nodeIdPart());
        const auto decoded = NodeInfo::decode(buffer);
        if (!decoded.ok()) {
            QCOMPARE(decoded.error().code, u"bad-node-info"_s);
            continue;
        }
        ++accepted;
        // Whatever is accepted survives an encode/decode round trip unchanged.
        const auto again = NodeInfo::decode(decoded->encode());
        QVERIFY(again.ok());
        QCOMPARE(*again, *decoded);
    }
    qInfo("%d of 4000 random buffers decoded", accepted);
}

void tst_NodeInfo::mutatedVectorsNeverCrash()
{
    const QByteArray original = Nimbus::Test::fromHex(appendixA8Hex);
    QRandomGenerator random(20240601);
    int accepted = 0;
    for (int i = 0; i < 4000; ++i) {
        QByteArray buffer = original;
        const int flips = random.bounded(1, 4);
        for (int f = 0; f < flips; ++f)
            buffer[random.bounded(buffer.size())] = static_cast<char>(random.bounded(256));
        const auto decoded = NodeInfo::decode(buffer);
        if (!decoded.ok())
            continue;
        ++accepted;
        const auto again = NodeInfo::decode(decoded->encode());
        QVERIFY(again.ok());
        QCOMPARE(*again, *decoded);
    }
    QVERIFY(accepted > 0);
}

void tst_NodeInfo::nodeIdHex()
{
    const Nimbus::NodeId id = nodeIdFrom(0xf0);
    QCOMPARE(Nimbus::nodeIdToHex(id), u"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"_s);
    QCOMPARE(Nimbus::nodeIdFromHex(u"F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF"_s), std::optional<Nimbus::NodeId>(id));
    QVERIFY(!Nimbus::nodeIdFromHex(u"f0f1"_s).has_value());
    QVERIFY(!Nimbus::nodeIdFromHex(u"g0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"_s).has_value());
    QVERIFY(!Nimbus::nodeIdFromHex(u"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00"_s).has_value());
}

QTEST_APPLESS_MAIN(tst_NodeInfo)
#include "tst_nodeinfo.moc"
