#include "core/crypto/initmessage.h"

#include <bit>
#include <cstring>
#include <limits>

#include <sodium.h>

#include "core/crypto/sodiuminit_p.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

namespace
{

constexpr quint8 kInitPrefix = 0xff;
constexpr int kSaltSize = 4;
constexpr int kTagSize = 4;
constexpr int kSaltedIdSize = 20;
constexpr int kEcdhKeySize = 32;
constexpr int kSignatureSize = 64;
constexpr int kAlgorithmEntrySize = 5;

enum FieldType : quint8 {
    FieldEnd = 0,
    FieldStage = 1,
    FieldSaltedNodeId = 2,
    FieldEcdhKey = 3,
    FieldAlgorithms = 4,
    FieldPayload = 5,
};

Error makeError(const QString &code, const QString &message)
{
    return Error {code, message};
}

bool appendField(QByteArray &out, quint8 type, QByteArrayView value)
{
    if (value.size() > std::numeric_limits<quint16>::max())
        return false;
    const auto length = static_cast<quint16>(value.size());
    out.append(static_cast<char>(type));
    out.append(static_cast<char>(length >> 8));
    out.append(static_cast<char>(length & 0xff));
    out.append(value);
    return true;
}

void appendAlgorithm(QByteArray &out, quint8 id, float speed)
{
    quint8 entry[kAlgorithmEntrySize];
    entry[0] = id;
    Detail::putBigEndian(entry + 1, std::bit_cast<quint32>(speed), 4);
    out.append(reinterpret_cast<const char *>(entry), kAlgorithmEntrySize);
}

QByteArray encodeAlgorithms(const AlgorithmList &list)
{
    QByteArray out;
    if (list.allowPlain)
        appendAlgorithm(out, static_cast<quint8>(Algorithm::Plain), std::numeric_limits<float>::infinity());
    for (const AlgorithmSpeed &entry : list.algorithms) {
        if (entry.algorithm != Algorithm::Plain)
            appendAlgorithm(out, static_cast<quint8>(entry.algorithm), entry.speed);
    }
    return out;
}

AlgorithmList decodeAlgorithms(QByteArrayView value)
{
    AlgorithmList list;
    const auto *in = reinterpret_cast<const quint8 *>(value.data());
    for (qsizetype pos = 0; pos + kAlgorithmEntrySize <= value.size(); pos += kAlgorithmEntrySize) {
        const quint8 id = in[pos];
        const quint32 bits = (quint32(in[pos + 1]) << 24) | (quint32(in[pos + 2]) << 16) | (quint32(in[pos + 3]) << 8)
            | quint32(in[pos + 4]);
        switch (id) {
        case static_cast<quint8>(Algorithm::Plain):
            list.allowPlain = true;
            break;
        case static_cast<quint8>(Algorithm::Aes128Gcm):
        case static_cast<quint8>(Algorithm::Aes256Gcm):
        case static_cast<quint8>(Algorithm::Chacha20Poly1305):
            list.algorithms.append(AlgorithmSpeed {static_cast<Algorithm>(id), std::bit_cast<float>(bits)});
            break;
        default:
            break; // unknown ids are ignored (spec §3.3.4)
        }
    }
    return list;
}

} // namespace

std::optional<Algorithm> selectAlgorithm(const AlgorithmList &own, const AlgorithmList &peer)
{
    if (own.allowPlain && peer.allowPlain)
        return Algorithm::Plain;
    std::optional<AlgorithmSpeed> best;
    for (const AlgorithmSpeed &mine : own.algorithms) {
        if (mine.algorithm == Algorithm::Plain)
            continue;
        for (const AlgorithmSpeed &theirs : peer.algorithms) {
            if (theirs.algorithm != mine.algorithm)
                continue;
            const float speed = std::min(mine.speed, theirs.speed);
            // Strictly greater: on a tie the earlier entry of the own list wins.
            if (!best || speed > best->speed)
                best = AlgorithmSpeed {mine.algorithm, speed};
            break; // only the first occurrence in the peer's list counts
        }
    }
    if (!best)
        return std::nullopt;
    return best->algorithm;
}

QByteArray InitMessage::encode(const Identity &signer, QByteArrayView keySalt4) const
{
    const QByteArray salt = keySalt4.size() == kSaltSize ? keySalt4.toByteArray() : randomBytes(kSaltSize);
    QByteArray body;
    body.reserve(256 + (payload ? payload->size() : 0));
    body.append(salt);
    body.append(keyTag(signer.publicKey(), salt));
    const char stageByte = static_cast<char>(stage);
    bool ok = appendField(body, FieldStage, QByteArrayView(&stageByte, 1));
    ok = ok && appendField(body, FieldSaltedNodeId, saltedNodeId);
    if (ecdhPublicKey)
        ok = ok && appendField(body, FieldEcdhKey, *ecdhPublicKey);
    if (algorithms)
        ok = ok && appendField(body, FieldAlgorithms, encodeAlgorithms(*algorithms));
    if (payload)
        ok = ok && appendField(body, FieldPayload, *payload);
    if (!ok)
        return {};
    body.append(static_cast<char>(FieldEnd));

    const QByteArray signature = signer.sign(body);
    QByteArray out;
    out.reserve(1 + body.size() + 1 + signature.size());
    out.append(static_cast<char>(kInitPrefix));
    out.append(body);
    out.append(static_cast<char>(signature.size()));
    out.append(signature);
    return out;
}

Result<InitMessage> InitMessage::decode(QByteArrayView datagram, const QList<QByteArray> &trustedKeys)
{
    if (datagram.isEmpty())
        return makeError(u"truncated"_s, u"Init message is empty."_s);
    if (static_cast<quint8>(datagram[0]) != kInitPrefix)
        return makeError(u"bad-field"_s, u"Not an init message (first byte is not 0xFF)."_s);
    const QByteArrayView body = datagram.sliced(1);
    const auto *in = reinterpret_cast<const quint8 *>(body.data());
    if (body.size() < kSaltSize + kTagSize)
        return makeError(u"truncated"_s, u"Init message is truncated."_s);

    // Step 2: the first trusted key whose tag matches is the only one tried (spec §3.2).
    const QByteArrayView salt = body.first(kSaltSize);
    const QByteArrayView tag = body.sliced(kSaltSize, kTagSize);
    const QByteArray *signerKey = nullptr;
    for (const QByteArray &key : trustedKeys) {
        if (keyTag(key, salt) == tag) {
            signerKey = &key;
            break;
        }
    }
    if (!signerKey)
        return makeError(u"untrusted-peer"_s, u"Init message is not signed by a trusted key."_s);

    // Step 3: walk the fields up to the end marker, remembering where each value is.
    struct Span {
        qsizetype offset = -1;
        qsizetype length = 0;
    };
    Span fields[6];
    qsizetype pos = kSaltSize + kTagSize;
    while (true) {
        if (pos >= body.size())
            return makeError(u"truncated"_s, u"Init message ends before its end marker."_s);
        const quint8 type = in[pos++];
        if (type == FieldEnd)
            break;
        if (pos + 2 > body.size())
            return makeError(u"truncated"_s, u"Init message field header is truncated."_s);
        const qsizetype length = (qsizetype(in[pos]) << 8) | in[pos + 1];
        pos += 2;
        if (pos + length > body.size())
            return makeError(u"truncated"_s, u"Init message field is truncated."_s);
        if (type <= FieldPayload)
            fields[type] = Span {pos, length};
        pos += length;
    }
    const qsizetype signedLength = pos;
    if (pos >= body.size())
        return makeError(u"truncated"_s, u"Init message has no signature."_s);
    const qsizetype signatureLength = in[pos++];
    if (pos + signatureLength > body.size())
        return makeError(u"truncated"_s, u"Init message signature is truncated."_s);
    if (signatureLength != kSignatureSize)
        return makeError(u"bad-signature"_s, u"Init message signature has the wrong length."_s);

    // Step 4: signature over salt .. end marker.
    if (!verifySignature(*signerKey, body.first(signedLength), body.sliced(pos, signatureLength)))
        return makeError(u"bad-signature"_s, u"Init message signature is invalid."_s);

    // Step 5: field lengths and mandatory fields.
    const auto value = [&](FieldType type) { return body.sliced(fields[type].offset, fields[type].length); };
    const auto present = [&](FieldType type) { return fields[type].offset >= 0; };
    if (!present(FieldStage) || !present(FieldSaltedNodeId))
        return makeError(u"missing-field"_s, u"Init message lacks the stage or the salted node id."_s);
    if (fields[FieldStage].length != 1)
        return makeError(u"bad-field"_s, u"Init message stage field must be 1 byte."_s);
    if (fields[FieldSaltedNodeId].length != kSaltedIdSize)
        return makeError(u"bad-field"_s, u"Init message salted node id must be 20 bytes."_s);
    if (present(FieldEcdhKey) && fields[FieldEcdhKey].length != kEcdhKeySize)
        return makeError(u"bad-field"_s, u"Init message ECDH key must be 32 bytes."_s);
    if (present(FieldAlgorithms) && fields[FieldAlgorithms].length % kAlgorithmEntrySize != 0)
        return makeError(u"bad-field"_s, u"Init message algorithm list is not a multiple of 5 bytes."_s);

    InitMessage message;
    const quint8 stage = static_cast<quint8>(value(FieldStage)[0]);
    if (stage < static_cast<quint8>(Stage::Ping) || stage > static_cast<quint8>(Stage::Peng))
        return makeError(u"bad-stage"_s, u"Init message has an unknown stage %1."_s.arg(stage));
    message.stage = static_cast<Stage>(stage);
    message.saltedNodeId = value(FieldSaltedNodeId).toByteArray();
    if (present(FieldEcdhKey))
        message.ecdhPublicKey = value(FieldEcdhKey).toByteArray();
    if (present(FieldAlgorithms))
        message.algorithms = decodeAlgorithms(value(FieldAlgorithms));
    if (present(FieldPayload))
        message.payload = value(FieldPayload).toByteArray();

    const bool needsKeys = message.stage == Stage::Ping || message.stage == Stage::Pong;
    const bool needsPayload = message.stage == Stage::Pong || message.stage == Stage::Peng;
    if ((needsKeys && (!message.ecdhPublicKey || !message.algorithms)) || (needsPayload && !message.payload))
        return makeError(u"missing-field"_s, u"Init message lacks a field its stage requires."_s);
    return message;
}

QByteArray saltedNodeId(QByteArrayView nodeId16, QByteArrayView salt4)
{
    QByteArray out = salt4.size() == kSaltSize ? salt4.toByteArray() : randomBytes(kSaltSize);
    crypto_hash_sha256_state state;
    unsigned char digest[crypto_hash_sha256_BYTES];
    Detail::ensureSodium();
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char *>(out.constData()), kSaltSize);
    crypto_hash_sha256_update(&state,
        reinterpret_cast<const unsigned char *>(nodeId16.data()),
        static_cast<unsigned long long>(nodeId16.size()));
    crypto_hash_sha256_final(&state, digest);
    out.append(reinterpret_cast<const char *>(digest), kSaltedIdSize - kSaltSize);
    return out;
}

bool saltedIdMatches(QByteArrayView saltedId, QByteArrayView nodeId16)
{
    if (saltedId.size() != kSaltedIdSize)
        return false;
    return saltedNodeId(nodeId16, saltedId.first(kSaltSize)) == saltedId;
}

} // namespace Nimbus
