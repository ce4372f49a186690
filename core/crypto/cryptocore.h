#pragma once

#include <array>
#include <optional>

#include <QByteArray>

#include "core/crypto/aead.h"

namespace Nimbus
{

/// Why a sealed message was rejected.
enum class OpenError {
    TooShort, ///< shorter than 24 bytes
    OldNonce, ///< below the slot's replay floor (spec §4.5)
    AuthFailed, ///< AEAD authentication failed (wrong key, tampering, reflection)
};

/// The per-session crypto core of spec §4: four key slots, nonce halves, permissive replay pinning.
/// Message layout: key id (1) || nonce[5..12] (7) || ciphertext || tag (16).
class CryptoCore
{
public:
    static constexpr int kHeaderSize = 8;
    static constexpr int kOverhead = kHeaderSize + Aead::kTagSize;

    /// Slot 0 gets \a sessionKey and becomes the sending slot; slots 1-3 get random dummy keys.
    /// \a ownHalfHigh: true if our nonces start with 0x80 (our salted id is the larger one, spec §3.7).
    CryptoCore(Algorithm algorithm, QByteArrayView sessionKey, bool ownHalfHigh);

    Algorithm algorithm() const { return m_algorithm; }
    bool ownHalfHigh() const { return m_ownHalfHigh; }
    int sendingSlot() const { return m_sendingSlot; }

    /// Seals \a plaintext with the sending slot: increments the slot's send nonce first (spec §4.3).
    QByteArray encrypt(QByteArrayView plaintext);
    /// Seals in place: \a buffer holds kHeaderSize spare bytes, then the plaintext, then kTagSize spare bytes.
    void encryptInPlace(QByteArray &buffer);
    /// Opens a sealed message (spec §4.4); on success returns the plaintext.
    std::optional<QByteArray> decrypt(QByteArrayView message, OpenError *error = nullptr);
    /// Opens a sealed message in place. On success returns true and \a message is the plaintext (header and tag
    /// are cut off without copying the payload; a shared \a message is detached once). On failure returns false,
    /// sets \a error, and \a message is unchanged for TooShort/OldNonce but unspecified for AuthFailed.
    [[nodiscard]] bool decryptInPlace(QByteArray &message, OpenError *error = nullptr);
    /// Opens the sealed message of \a size bytes at \a message in place, in a buffer the caller owns (no
    /// allocation, no copy). On success returns true and the plaintext is the `size - kOverhead` bytes at
    /// `message + kHeaderSize`. On failure returns false and sets \a error; the buffer is unchanged for
    /// TooShort/OldNonce but unspecified for AuthFailed.
    [[nodiscard]] bool openInPlace(char *message, qsizetype size, OpenError *error = nullptr);
    /// Seals in place in a buffer the caller owns: \a size bytes at \a buffer are kHeaderSize spare bytes, the
    /// plaintext and kTagSize spare bytes (the layout of encryptInPlace()). Does nothing if size < kOverhead.
    void sealInPlace(char *buffer, qsizetype size);

    /// Installs \a key (truncated to the algorithm's key length) into \a slot (0-3) with a fresh random
    /// send nonce and reset replay state; if \a forSending, the slot becomes the sending slot.
    void installKey(int slot, QByteArrayView key, bool forSending);
    /// One replay-pinning step (spec §4.5): min = nextMin; nextMin = seen + 1, for every slot.
    void tick();

    /// For known-answer tests: sets the slot's send nonce (12 bytes, before the pre-increment).
    void setSendNonceForTesting(int slot, QByteArrayView nonce12);

private:
    using Nonce = std::array<quint8, 12>;
    struct Slot {
        std::optional<Aead> aead;
        Nonce sendNonce {};
        Nonce minNonce {};
        Nonce nextMinNonce {};
        Nonce seenNonce {};
    };
    void resetSlot(Slot &slot, QByteArrayView key);
    /// Length check, slot lookup, nonce reconstruction and replay floor of spec §4.4.
    Slot *checkHeader(QByteArrayView message, Nonce &nonce, OpenError *error);

    Algorithm m_algorithm;
    bool m_ownHalfHigh;
    int m_sendingSlot = 0;
    std::array<Slot, 4> m_slots;
};

} // namespace Nimbus
