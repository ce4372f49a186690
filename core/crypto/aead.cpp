#include "core/crypto/aead.h"

#include <cstdint>
#include <cstring>
#include <limits>

#include <openssl/evp.h>
#include <sodium.h>

#include "core/crypto/sodiuminit_p.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

int keyLength(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Plain:
        return 0;
    case Algorithm::Aes128Gcm:
        return 16;
    case Algorithm::Aes256Gcm:
    case Algorithm::Chacha20Poly1305:
        return 32;
    }
    return 0;
}

QString algorithmName(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Plain:
        return u"PLAIN"_s;
    case Algorithm::Aes128Gcm:
        return u"AES128"_s;
    case Algorithm::Aes256Gcm:
        return u"AES256"_s;
    case Algorithm::Chacha20Poly1305:
        return u"CHACHA20"_s;
    }
    return QString();
}

bool algorithmAvailable(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Plain:
    case Algorithm::Aes128Gcm: // OpenSSL
    case Algorithm::Chacha20Poly1305:
        return true;
    case Algorithm::Aes256Gcm:
        return Detail::ensureSodium() && crypto_aead_aes256gcm_is_available() == 1;
    }
    return false;
}

std::optional<Algorithm> parseAlgorithmName(QStringView name)
{
    const QString lower = name.trimmed().toString().toLower();
    if (lower == u"plain" || lower == u"none" || lower == u"unencrypted")
        return Algorithm::Plain;
    if (lower == u"aes128" || lower == u"aes128_gcm" || lower == u"aes_128" || lower == u"aes_128_gcm")
        return Algorithm::Aes128Gcm;
    if (lower == u"aes256" || lower == u"aes256_gcm" || lower == u"aes_256" || lower == u"aes_256_gcm")
        return Algorithm::Aes256Gcm;
    if (lower == u"chacha" || lower == u"chacha20" || lower == u"chacha20_poly1305")
        return Algorithm::Chacha20Poly1305;
    return std::nullopt;
}

/// OpenSSL contexts for AES-GCM when libsodium cannot do it (always for AES-128, for AES-256 without AES-NI).
/// The key schedule is set up once; every message only sets the nonce.
struct Aead::OpenSslState {
    EVP_CIPHER_CTX *sealCtx = nullptr;
    EVP_CIPHER_CTX *openCtx = nullptr;

    OpenSslState() = default;
    OpenSslState(const OpenSslState &) = delete;
    OpenSslState &operator=(const OpenSslState &) = delete;
    ~OpenSslState()
    {
        EVP_CIPHER_CTX_free(sealCtx);
        EVP_CIPHER_CTX_free(openCtx);
    }
};

Aead::Aead(Algorithm algorithm, QByteArrayView key) : m_algorithm(algorithm)
{
    const int length = keyLength(algorithm);
    Q_ASSERT_X(key.size() >= length, "Aead", "key too short");
    m_key = SecureBytes(static_cast<std::size_t>(length));
    if (length > 0)
        std::memcpy(m_key.data(), key.data(), static_cast<std::size_t>(qMin<qsizetype>(length, key.size())));
    Detail::ensureSodium();

    if (algorithm == Algorithm::Aes256Gcm && crypto_aead_aes256gcm_is_available() == 1) {
        m_aesState = SecureBytes(crypto_aead_aes256gcm_statebytes());
        // sodium_malloc places the block at the end of a page, so a 512-byte state is 16-byte aligned as libsodium
        // requires; if not (unexpected), fall back to the per-message API.
        if (reinterpret_cast<std::uintptr_t>(m_aesState.data()) % 16 == 0)
            crypto_aead_aes256gcm_beforenm(
                reinterpret_cast<crypto_aead_aes256gcm_state *>(m_aesState.data()), m_key.data());
        else
            m_aesState = SecureBytes();
        return;
    }
    if (algorithm == Algorithm::Aes128Gcm || algorithm == Algorithm::Aes256Gcm) {
        const EVP_CIPHER *cipher = algorithm == Algorithm::Aes128Gcm ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
        m_openssl = std::make_unique<OpenSslState>();
        m_openssl->sealCtx = EVP_CIPHER_CTX_new();
        m_openssl->openCtx = EVP_CIPHER_CTX_new();
        if (!m_openssl->sealCtx || !m_openssl->openCtx
            || EVP_EncryptInit_ex(m_openssl->sealCtx, cipher, nullptr, m_key.data(), nullptr) != 1
            || EVP_DecryptInit_ex(m_openssl->openCtx, cipher, nullptr, m_key.data(), nullptr) != 1)
            qFatal("OpenSSL AES-GCM initialisation failed");
    }
}

Aead::~Aead() = default;
Aead::Aead(Aead &&) noexcept = default;
Aead &Aead::operator=(Aead &&) noexcept = default;

void Aead::seal(const quint8 *nonce, quint8 *data, qsizetype len, quint8 *tag) const
{
    const auto mlen = static_cast<unsigned long long>(len);
    switch (m_algorithm) {
    case Algorithm::Chacha20Poly1305:
        crypto_aead_chacha20poly1305_ietf_encrypt_detached(
            data, tag, nullptr, data, mlen, nullptr, 0, nullptr, nonce, m_key.data());
        return;
    case Algorithm::Aes256Gcm:
        if (!m_openssl) {
            if (m_aesState.isEmpty())
                crypto_aead_aes256gcm_encrypt_detached(
                    data, tag, nullptr, data, mlen, nullptr, 0, nullptr, nonce, m_key.data());
            else
                crypto_aead_aes256gcm_encrypt_detached_afternm(data,
                    tag,
                    nullptr,
                    data,
                    mlen,
                    nullptr,
                    0,
                    nullptr,
                    nonce,
                    reinterpret_cast<const crypto_aead_aes256gcm_state *>(m_aesState.data()));
            return;
        }
        [[fallthrough]];
    case Algorithm::Aes128Gcm: {
        if (len > std::numeric_limits<int>::max())
            qFatal("AES-GCM message too long");
        EVP_CIPHER_CTX *ctx = m_openssl->sealCtx;
        int outLen = 0;
        int finalLen = 0;
        if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1
            || (len > 0 && EVP_EncryptUpdate(ctx, data, &outLen, data, static_cast<int>(len)) != 1)
            || EVP_EncryptFinal_ex(ctx, data + outLen, &finalLen) != 1
            || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, tag) != 1)
            qFatal("OpenSSL AES-GCM encryption failed");
        return;
    }
    case Algorithm::Plain:
        std::memset(tag, 0, kTagSize);
        return;
    }
}

bool Aead::open(const quint8 *nonce, quint8 *data, qsizetype len, const quint8 *tag) const
{
    const auto clen = static_cast<unsigned long long>(len);
    switch (m_algorithm) {
    case Algorithm::Chacha20Poly1305:
        return crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                   data, nullptr, data, clen, tag, nullptr, 0, nonce, m_key.data())
            == 0;
    case Algorithm::Aes256Gcm:
        if (!m_openssl) {
            if (m_aesState.isEmpty())
                return crypto_aead_aes256gcm_decrypt_detached(
                           data, nullptr, data, clen, tag, nullptr, 0, nonce, m_key.data())
                    == 0;
            return crypto_aead_aes256gcm_decrypt_detached_afternm(data,
                       nullptr,
                       data,
                       clen,
                       tag,
                       nullptr,
                       0,
                       nonce,
                       reinterpret_cast<const crypto_aead_aes256gcm_state *>(m_aesState.data()))
                == 0;
        }
        [[fallthrough]];
    case Algorithm::Aes128Gcm: {
        if (len > std::numeric_limits<int>::max())
            return false;
        EVP_CIPHER_CTX *ctx = m_openssl->openCtx;
        int outLen = 0;
        int finalLen = 0;
        // OpenSSL's setter takes a non-const pointer but only reads the tag.
        quint8 tagCopy[kTagSize];
        std::memcpy(tagCopy, tag, kTagSize);
        if (EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) != 1)
            return false;
        if (len > 0 && EVP_DecryptUpdate(ctx, data, &outLen, data, static_cast<int>(len)) != 1)
            return false;
        if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, tagCopy) != 1)
            return false;
        return EVP_DecryptFinal_ex(ctx, data + outLen, &finalLen) == 1;
    }
    case Algorithm::Plain:
        return false;
    }
    return false;
}

} // namespace Nimbus
