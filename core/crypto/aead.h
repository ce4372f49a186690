#pragma once

#include <memory>
#include <optional>

#include <QByteArray>
#include <QString>

#include "core/crypto/securebytes.h"

namespace Nimbus
{

/// Algorithm ids as on the wire (spec §3.3.4). Plain is the "plaintext allowed" marker.
enum class Algorithm : quint8 {
    Plain = 0,
    Aes128Gcm = 1,
    Aes256Gcm = 2,
    Chacha20Poly1305 = 3,
};

/// Key length of an AEAD algorithm (16 for AES-128, otherwise 32; 0 for Plain).
int keyLength(Algorithm algorithm);
/// `AES128`, `AES256`, `CHACHA20`, `PLAIN` (as in VpnCloud's stats file).
QString algorithmName(Algorithm algorithm);
/// True if this build and CPU can run the algorithm (AES-256-GCM needs AES-NI for libsodium).
bool algorithmAvailable(Algorithm algorithm);
/// Parses the names of spec §9.2 (case-insensitive): plain/none/unencrypted, aes128..., aes256..., chacha...
std::optional<Algorithm> parseAlgorithmName(QStringView name);

/// An AEAD with a fixed key: 12-byte nonce, 16-byte tag, empty associated data.
/// AES-256-GCM and ChaCha20-Poly1305 use libsodium; AES-128-GCM uses OpenSSL (Nimbus never advertises it,
/// but it can open and seal it, e.g. for the recorded VpnCloud sessions). Without AES-NI, AES-256-GCM falls back to
/// OpenSSL as well (algorithmAvailable() still says false, so it is not advertised). seal()/open() reuse per-object
/// cipher state: one Aead must not be used from two threads at the same time.
class Aead
{
public:
    static constexpr int kNonceSize = 12;
    static constexpr int kTagSize = 16;

    /// \a key must be at least keyLength(algorithm) bytes; longer keys are truncated.
    Aead(Algorithm algorithm, QByteArrayView key);
    ~Aead();
    Aead(Aead &&) noexcept;
    Aead &operator=(Aead &&) noexcept;

    Algorithm algorithm() const { return m_algorithm; }
    /// Encrypts \a len bytes at \a data in place and writes the tag to \a tag.
    void seal(const quint8 *nonce, quint8 *data, qsizetype len, quint8 *tag) const;
    /// Decrypts in place; false (data unspecified) if authentication fails.
    [[nodiscard]] bool open(const quint8 *nonce, quint8 *data, qsizetype len, const quint8 *tag) const;

private:
    struct OpenSslState;
    Algorithm m_algorithm;
    SecureBytes m_key;
    SecureBytes m_aesState; ///< libsodium's expanded AES-256-GCM key (crypto_aead_aes256gcm_state), if used
    std::unique_ptr<OpenSslState> m_openssl;
};

} // namespace Nimbus
