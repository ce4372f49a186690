#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/crypto/securebytes.h"
#include "core/protocol/result.h"

namespace Nimbus
{

/// Must be called once before any other crypto function (wraps sodium_init). Returns false on failure.
bool initCrypto();

/// Base62 as VpnCloud uses for keys (spec §2.4): big-endian integer, alphabet 0-9A-Za-z, no leading zeros.
QString base62Encode(QByteArrayView bytes);
/// Decodes to minimal-length big-endian bytes; nullopt for a character outside the alphabet.
std::optional<QByteArray> base62Decode(QStringView text);
/// Decodes a 32-byte key, left-padding with zero bytes if the text encodes fewer (spec §2.4 quirk).
/// Errors: "bad-key" (invalid character, more than 32 bytes, or empty / only '0' digits, i.e. an all-zero key).
Result<QByteArray> decodeKey32(QStringView text);

/// The Ed25519 long-term identity of a node (spec §2.2).
class Identity
{
public:
    /// PBKDF2-HMAC-SHA256(password, "vpncloudVPNCLOUDvpncl0udVpnCloud", 4096) -> seed.
    static Identity fromPassword(const QString &password);
    /// From a 32-byte seed ("private key").
    static Result<Identity> fromSeed(QByteArrayView seed);
    /// A fresh random identity (genkey without password).
    static Identity generate();

    const SecureBytes &seed() const { return m_seed; }
    /// 32-byte Ed25519 public key.
    const QByteArray &publicKey() const { return m_publicKey; }
    /// 64-byte detached Ed25519 signature.
    QByteArray sign(QByteArrayView message) const;

    Identity clone() const;

private:
    Identity() = default;
    SecureBytes m_seed;
    SecureBytes m_secretKey; // libsodium's 64-byte form
    QByteArray m_publicKey;
};

/// Verifies a detached Ed25519 signature.
bool verifySignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature);
/// First 4 bytes of SHA-256(publicKey || salt) (spec §3.2).
QByteArray keyTag(QByteArrayView publicKey, QByteArrayView salt4);
/// SHA-256 of \a data (32 bytes).
QByteArray sha256(QByteArrayView data);
/// \a n cryptographically random bytes.
QByteArray randomBytes(int n);

/// An ephemeral X25519 key pair (spec §2.6).
class X25519KeyPair
{
public:
    static X25519KeyPair generate();
    static X25519KeyPair fromSecret(QByteArrayView secret32);
    const QByteArray &publicKey() const { return m_publicKey; }
    /// Raw X25519(secret, peerPublic), no KDF; nullopt for an all-zero result or a bad key length.
    std::optional<SecureBytes> agree(QByteArrayView peerPublic) const;

private:
    SecureBytes m_secret;
    QByteArray m_publicKey;
};

} // namespace Nimbus
