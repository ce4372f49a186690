#pragma once

#include <optional>

#include <QByteArray>

#include "core/crypto/identity.h"

namespace Nimbus
{

/// Body of a ROTATION message (after the 0x10 type byte), spec §4.8.1.
struct RotationMessage {
    quint64 id = 0;
    QByteArray propose; ///< 32-byte X25519 public key
    std::optional<QByteArray> confirm; ///< 32-byte X25519 public key, if present

    QByteArray encode() const;
    /// Rejects truncated bodies; trailing bytes are ignored. Error code "bad-rotation".
    static Result<RotationMessage> decode(QByteArrayView body);
};

/// A key to install into a CryptoCore slot, produced by the rotation state machine.
struct RotationKey {
    SecureBytes key;
    int slot = 0;
    bool forSending = false;
};

/// The key-rotation state machine of spec §4.8.2-4.8.4. The handshake responder is the rotation initiator.
class RotationState
{
public:
    /// \a initiator: true on the handshake responder (B). Then start() yields the first message.
    explicit RotationState(bool initiator);

    /// For the initiator: the first message {id 1, propose P}, to send right after the handshake.
    std::optional<RotationMessage> start();

    /// Processes a received rotation message (spec §4.8.3). May return a key to install for sending.
    std::optional<RotationKey> receive(const RotationMessage &message);

    struct CycleResult {
        std::optional<RotationMessage> message; ///< to send, if any
        std::optional<RotationKey> key; ///< to install (receive-only), if any
    };
    /// One rotation cycle (spec §4.8.4), due every rotation interval after the handshake.
    CycleResult cycle();

    quint64 lastOwnMessageId() const { return m_msgId; }

private:
    bool m_initiator;
    std::optional<X25519KeyPair> m_proposed;
    struct Pending {
        SecureBytes key;
        QByteArray confirmPublic;
    };
    std::optional<Pending> m_pending;
    struct Confirmed {
        QByteArray publicKey;
        quint64 id;
    };
    std::optional<Confirmed> m_confirmed;
    quint64 m_msgId = 0;
    bool m_timeout = false;
};

} // namespace Nimbus
