#pragma once

#include <optional>

#include <QByteArray>
#include <QList>

#include "core/crypto/aead.h"
#include "core/crypto/identity.h"
#include "core/protocol/result.h"

namespace Nimbus
{

/// Handshake stage (spec §3.3.1).
enum class Stage : quint8 {
    Ping = 1,
    Pong = 2,
    Peng = 3,
};

/// One advertised algorithm with its self-measured speed (spec §3.3.4).
struct AlgorithmSpeed {
    Algorithm algorithm;
    float speed = 0;
    friend bool operator==(const AlgorithmSpeed &, const AlgorithmSpeed &) = default;
};

/// An algorithm list as advertised in PING/PONG: the plaintext marker plus AEADs in order.
struct AlgorithmList {
    bool allowPlain = false;
    QList<AlgorithmSpeed> algorithms;
    friend bool operator==(const AlgorithmList &, const AlgorithmList &) = default;
};

/// Outcome of the algorithm selection of spec §3.6: Plain, an AEAD, or nullopt for "no common algorithms".
std::optional<Algorithm> selectAlgorithm(const AlgorithmList &own, const AlgorithmList &peer);

/// The decoded fields of an init message (spec §3.2).
struct InitMessage {
    Stage stage = Stage::Ping;
    QByteArray saltedNodeId; ///< 20 bytes
    std::optional<QByteArray> ecdhPublicKey;
    std::optional<AlgorithmList> algorithms;
    std::optional<QByteArray> payload;

    /// Builds `0xFF || InitBody` with fields in VpnCloud order, signed by \a signer. \a keySalt4 is the 4-byte key
    /// salt (random if empty).
    QByteArray encode(const Identity &signer, QByteArrayView keySalt4 = {}) const;

    /// Parses and authenticates a datagram starting with 0xFF (spec §3.4 steps 1-5): finds the first trusted key
    /// whose tag matches, verifies the signature, checks field lengths and mandatory fields.
    /// Error codes: "truncated", "untrusted-peer", "bad-signature", "bad-field", "missing-field", "bad-stage".
    static Result<InitMessage> decode(QByteArrayView datagram, const QList<QByteArray> &trustedKeys);
};

/// salt(4) || SHA-256(salt || nodeId)[0..16] with a random salt unless \a salt4 is given (spec §3.3.2).
QByteArray saltedNodeId(QByteArrayView nodeId16, QByteArrayView salt4 = {});
/// True if \a saltedId was made from \a nodeId16 (the second self check of spec §3.4 step 6).
bool saltedIdMatches(QByteArrayView saltedId, QByteArrayView nodeId16);

} // namespace Nimbus
