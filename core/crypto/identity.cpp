#include "core/crypto/identity.h"

#include <cstring>

#include <openssl/evp.h>
#include <sodium.h>

#include "core/crypto/sodiuminit_p.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

namespace
{

constexpr char kPasswordSalt[] = "vpncloudVPNCLOUDvpncl0udVpnCloud";
constexpr int kPasswordIterations = 4096;
constexpr int kSeedSize = crypto_sign_SEEDBYTES;

const unsigned char *bytesOf(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

} // namespace

bool initCrypto()
{
    return Detail::ensureSodium();
}

Identity Identity::fromPassword(const QString &password)
{
    QByteArray utf8 = password.toUtf8();
    SecureBytes seed(kSeedSize);
    const int ok = PKCS5_PBKDF2_HMAC(utf8.constData(),
        static_cast<int>(utf8.size()),
        reinterpret_cast<const unsigned char *>(kPasswordSalt),
        static_cast<int>(sizeof(kPasswordSalt) - 1),
        kPasswordIterations,
        EVP_sha256(),
        kSeedSize,
        seed.data());
    if (!utf8.isEmpty())
        sodium_memzero(utf8.data(), static_cast<std::size_t>(utf8.size()));
    if (ok != 1)
        qFatal("PBKDF2 failed in OpenSSL");
    return fromSeed(seed.view()).value();
}

Result<Identity> Identity::fromSeed(QByteArrayView seed)
{
    if (seed.size() != kSeedSize)
        return Error {u"bad-key"_s, u"A private key (seed) must be 32 bytes."_s};
    if (!Detail::ensureSodium())
        return Error {u"crypto-init"_s, u"libsodium could not be initialised."_s};
    Identity identity;
    identity.m_seed = SecureBytes(seed);
    identity.m_secretKey = SecureBytes(crypto_sign_SECRETKEYBYTES);
    identity.m_publicKey = QByteArray(crypto_sign_PUBLICKEYBYTES, Qt::Uninitialized);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char *>(identity.m_publicKey.data()),
        identity.m_secretKey.data(),
        identity.m_seed.data());
    return identity;
}

Identity Identity::generate()
{
    SecureBytes seed(kSeedSize);
    Detail::ensureSodium();
    randombytes_buf(seed.data(), seed.size());
    return fromSeed(seed.view()).value();
}

QByteArray Identity::sign(QByteArrayView message) const
{
    QByteArray signature(crypto_sign_BYTES, Qt::Uninitialized);
    crypto_sign_detached(reinterpret_cast<unsigned char *>(signature.data()),
        nullptr,
        bytesOf(message),
        static_cast<unsigned long long>(message.size()),
        m_secretKey.data());
    return signature;
}

Identity Identity::clone() const
{
    Identity copy;
    copy.m_seed = m_seed.clone();
    copy.m_secretKey = m_secretKey.clone();
    copy.m_publicKey = m_publicKey;
    return copy;
}

bool verifySignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature)
{
    if (publicKey.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    if (!Detail::ensureSodium())
        return false;
    return crypto_sign_verify_detached(bytesOf(signature),
               bytesOf(message),
               static_cast<unsigned long long>(message.size()),
               bytesOf(publicKey))
        == 0;
}

QByteArray keyTag(QByteArrayView publicKey, QByteArrayView salt4)
{
    crypto_hash_sha256_state state;
    unsigned char digest[crypto_hash_sha256_BYTES];
    Detail::ensureSodium();
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, bytesOf(publicKey), static_cast<unsigned long long>(publicKey.size()));
    crypto_hash_sha256_update(&state, bytesOf(salt4), static_cast<unsigned long long>(salt4.size()));
    crypto_hash_sha256_final(&state, digest);
    return QByteArray(reinterpret_cast<const char *>(digest), 4);
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray digest(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    Detail::ensureSodium();
    crypto_hash_sha256(
        reinterpret_cast<unsigned char *>(digest.data()), bytesOf(data), static_cast<unsigned long long>(data.size()));
    return digest;
}

QByteArray randomBytes(int n)
{
    if (n <= 0)
        return {};
    QByteArray out(n, Qt::Uninitialized);
    Detail::ensureSodium();
    randombytes_buf(out.data(), static_cast<std::size_t>(n));
    return out;
}

X25519KeyPair X25519KeyPair::generate()
{
    SecureBytes secret(crypto_scalarmult_SCALARBYTES);
    Detail::ensureSodium();
    randombytes_buf(secret.data(), secret.size());
    return fromSecret(secret.view());
}

X25519KeyPair X25519KeyPair::fromSecret(QByteArrayView secret32)
{
    X25519KeyPair pair;
    // A wrong-length secret yields a pair without a public key whose agree() always fails.
    if (secret32.size() != crypto_scalarmult_SCALARBYTES || !Detail::ensureSodium())
        return pair;
    pair.m_secret = SecureBytes(secret32);
    pair.m_publicKey = QByteArray(crypto_scalarmult_BYTES, Qt::Uninitialized);
    crypto_scalarmult_base(reinterpret_cast<unsigned char *>(pair.m_publicKey.data()), pair.m_secret.data());
    return pair;
}

std::optional<SecureBytes> X25519KeyPair::agree(QByteArrayView peerPublic) const
{
    if (peerPublic.size() != crypto_scalarmult_BYTES || m_secret.size() != crypto_scalarmult_SCALARBYTES)
        return std::nullopt;
    SecureBytes shared(crypto_scalarmult_BYTES);
    // crypto_scalarmult fails (-1) for an all-zero result, i.e. a low-order peer key.
    if (crypto_scalarmult(shared.data(), m_secret.data(), bytesOf(peerPublic)) != 0)
        return std::nullopt;
    return shared;
}

} // namespace Nimbus
