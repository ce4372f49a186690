#include "core/crypto/cryptocore.h"

#include <cstring>

#include <sodium.h>

#include "core/crypto/sodiuminit_p.h"

namespace Nimbus
{

namespace
{

constexpr int kSlotCount = 4;
constexpr int kWireNonceOffset = 5; // nonce bytes 5..11 travel in header bytes 1..7
constexpr int kWireNonceSize = 7;

template<typename Nonce>
void increment(Nonce &nonce)
{
    for (auto it = nonce.rbegin(); it != nonce.rend(); ++it) {
        if (++*it != 0)
            break;
    }
}

quint8 *bytes(QByteArray &array)
{
    return reinterpret_cast<quint8 *>(array.data());
}

const quint8 *bytes(QByteArrayView view)
{
    return reinterpret_cast<const quint8 *>(view.data());
}

} // namespace

CryptoCore::CryptoCore(Algorithm algorithm, QByteArrayView sessionKey, bool ownHalfHigh)
    : m_algorithm(algorithm), m_ownHalfHigh(ownHalfHigh)
{
    Detail::ensureSodium();
    resetSlot(m_slots[0], sessionKey);
    SecureBytes dummy(static_cast<std::size_t>(keyLength(algorithm)));
    for (int i = 1; i < kSlotCount; ++i) {
        if (!dummy.isEmpty())
            randombytes_buf(dummy.data(), dummy.size());
        resetSlot(m_slots[i], dummy.view());
    }
}

void CryptoCore::resetSlot(Slot &slot, QByteArrayView key)
{
    slot.aead.emplace(m_algorithm, key);
    slot.sendNonce.fill(0);
    slot.sendNonce[0] = m_ownHalfHigh ? 0x80 : 0x00;
    randombytes_buf(slot.sendNonce.data() + 6, 6);
    slot.minNonce.fill(0);
    slot.nextMinNonce.fill(0);
    slot.seenNonce.fill(0);
}

QByteArray CryptoCore::encrypt(QByteArrayView plaintext)
{
    QByteArray buffer(plaintext.size() + kOverhead, Qt::Uninitialized);
    if (!plaintext.isEmpty())
        std::memcpy(buffer.data() + kHeaderSize, plaintext.data(), static_cast<std::size_t>(plaintext.size()));
    encryptInPlace(buffer);
    return buffer;
}

void CryptoCore::encryptInPlace(QByteArray &buffer)
{
    Q_ASSERT_X(buffer.size() >= kOverhead, "CryptoCore::encryptInPlace", "buffer lacks header/tag space");
    if (buffer.size() < kOverhead)
        return;
    sealInPlace(buffer.data(), buffer.size());
}

void CryptoCore::sealInPlace(char *buffer, qsizetype size)
{
    if (!buffer || size < kOverhead)
        return;
    Slot &slot = m_slots[static_cast<std::size_t>(m_sendingSlot)];
    increment(slot.sendNonce);
    quint8 *out = reinterpret_cast<quint8 *>(buffer);
    out[0] = static_cast<quint8>(m_sendingSlot);
    std::memcpy(out + 1, slot.sendNonce.data() + kWireNonceOffset, kWireNonceSize);
    const qsizetype length = size - kOverhead;
    slot.aead->seal(slot.sendNonce.data(), out + kHeaderSize, length, out + kHeaderSize + length);
}

CryptoCore::Slot *CryptoCore::checkHeader(QByteArrayView message, Nonce &nonce, OpenError *error)
{
    if (message.size() < kOverhead) {
        if (error)
            *error = OpenError::TooShort;
        return nullptr;
    }
    const quint8 *in = bytes(message);
    Slot &slot = m_slots[in[0] % kSlotCount];
    nonce.fill(0);
    nonce[0] = m_ownHalfHigh ? 0x00 : 0x80; // the peer's half
    std::memcpy(nonce.data() + kWireNonceOffset, in + 1, kWireNonceSize);
    if (nonce < slot.minNonce) {
        if (error)
            *error = OpenError::OldNonce;
        return nullptr;
    }
    return &slot;
}

std::optional<QByteArray> CryptoCore::decrypt(QByteArrayView message, OpenError *error)
{
    Nonce nonce;
    Slot *slot = checkHeader(message, nonce, error);
    if (!slot)
        return std::nullopt;
    const qsizetype length = message.size() - kOverhead;
    QByteArray plaintext(length, Qt::Uninitialized);
    if (length > 0)
        std::memcpy(plaintext.data(), message.data() + kHeaderSize, static_cast<std::size_t>(length));
    if (!slot->aead->open(nonce.data(), bytes(plaintext), length, bytes(message) + kHeaderSize + length)) {
        if (error)
            *error = OpenError::AuthFailed;
        return std::nullopt;
    }
    if (nonce > slot->seenNonce)
        slot->seenNonce = nonce;
    return plaintext;
}

bool CryptoCore::decryptInPlace(QByteArray &message, OpenError *error)
{
    Nonce nonce;
    Slot *slot = checkHeader(message, nonce, error);
    if (!slot)
        return false;
    const qsizetype length = message.size() - kOverhead;
    quint8 *data = bytes(message);
    if (!slot->aead->open(nonce.data(), data + kHeaderSize, length, data + kHeaderSize + length)) {
        if (error)
            *error = OpenError::AuthFailed;
        return false;
    }
    if (nonce > slot->seenNonce)
        slot->seenNonce = nonce;
    // Both are O(1) on a detached QByteArray: Qt 6 moves the begin pointer when erasing at the front.
    message.truncate(kHeaderSize + length);
    message.remove(0, kHeaderSize);
    return true;
}

bool CryptoCore::openInPlace(char *message, qsizetype size, OpenError *error)
{
    if (!message || size < kOverhead) {
        if (error)
            *error = OpenError::TooShort;
        return false;
    }
    Nonce nonce;
    Slot *slot = checkHeader(QByteArrayView(message, size), nonce, error);
    if (!slot)
        return false;
    const qsizetype length = size - kOverhead;
    quint8 *data = reinterpret_cast<quint8 *>(message);
    if (!slot->aead->open(nonce.data(), data + kHeaderSize, length, data + kHeaderSize + length)) {
        if (error)
            *error = OpenError::AuthFailed;
        return false;
    }
    if (nonce > slot->seenNonce)
        slot->seenNonce = nonce;
    return true;
}

void CryptoCore::installKey(int slot, QByteArrayView key, bool forSending)
{
    Q_ASSERT(slot >= 0 && slot < kSlotCount);
    const int index = slot & (kSlotCount - 1);
    resetSlot(m_slots[static_cast<std::size_t>(index)], key);
    if (forSending)
        m_sendingSlot = index;
}

void CryptoCore::tick()
{
    for (Slot &slot : m_slots) {
        slot.minNonce = slot.nextMinNonce;
        slot.nextMinNonce = slot.seenNonce;
        increment(slot.nextMinNonce);
    }
}

void CryptoCore::setSendNonceForTesting(int slot, QByteArrayView nonce12)
{
    if (slot < 0 || slot >= kSlotCount || nonce12.size() != static_cast<qsizetype>(Nonce().size()))
        return;
    std::memcpy(m_slots[static_cast<std::size_t>(slot)].sendNonce.data(), nonce12.data(), nonce12.size());
}

} // namespace Nimbus
