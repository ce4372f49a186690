#include "core/crypto/rotation.h"

namespace Nimbus
{

using namespace Qt::Literals::StringLiterals;

namespace
{

constexpr int kIdSize = 8;
constexpr int kKeySize = 32;
constexpr int kSlotCount = 4;

Error badRotation(const QString &message)
{
    return Error {u"bad-rotation"_s, message};
}

int slotFor(quint64 id)
{
    return static_cast<int>(id % kSlotCount);
}

} // namespace

QByteArray RotationMessage::encode() const
{
    QByteArray out;
    out.reserve(kIdSize + 2 + propose.size() + (confirm ? confirm->size() : 0));
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(static_cast<char>((id >> shift) & 0xff));
    out.append(static_cast<char>(propose.size()));
    out.append(propose);
    if (confirm) {
        out.append(static_cast<char>(confirm->size()));
        out.append(*confirm);
    } else {
        out.append('\0');
    }
    return out;
}

Result<RotationMessage> RotationMessage::decode(QByteArrayView body)
{
    const auto *in = reinterpret_cast<const quint8 *>(body.data());
    if (body.size() < kIdSize + 1)
        return badRotation(u"Rotation message is truncated."_s);
    RotationMessage message;
    for (int i = 0; i < kIdSize; ++i)
        message.id = (message.id << 8) | in[i];
    qsizetype pos = kIdSize;
    const qsizetype proposeLength = in[pos++];
    if (proposeLength != kKeySize)
        return badRotation(u"Rotation message proposes a key that is not 32 bytes."_s);
    if (pos + proposeLength + 1 > body.size())
        return badRotation(u"Rotation message is truncated."_s);
    message.propose = body.sliced(pos, proposeLength).toByteArray();
    pos += proposeLength;
    const qsizetype confirmLength = in[pos++];
    if (confirmLength != 0) {
        if (confirmLength != kKeySize)
            return badRotation(u"Rotation message confirms a key that is not 32 bytes."_s);
        if (pos + confirmLength > body.size())
            return badRotation(u"Rotation message is truncated."_s);
        message.confirm = body.sliced(pos, confirmLength).toByteArray();
    }
    return message; // trailing bytes are ignored (spec §4.8.1)
}

RotationState::RotationState(bool initiator) : m_initiator(initiator)
{
    if (m_initiator) {
        m_proposed = X25519KeyPair::generate();
        m_msgId = 1;
    }
}

std::optional<RotationMessage> RotationState::start()
{
    if (!m_initiator || !m_proposed)
        return std::nullopt;
    return RotationMessage {1, m_proposed->publicKey(), std::nullopt};
}

std::optional<RotationKey> RotationState::receive(const RotationMessage &message)
{
    // Duplicates and old messages: compared with the id of the last message this node created (spec §4.8.3).
    if (message.id <= m_msgId)
        return std::nullopt;
    X25519KeyPair reply = X25519KeyPair::generate();
    std::optional<SecureBytes> pendingKey = reply.agree(message.propose);
    if (!pendingKey)
        return std::nullopt; // an unusable proposal (bad length, low-order point) is ignored as a whole
    std::optional<SecureBytes> confirmedKey;
    if (message.confirm && m_proposed) {
        confirmedKey = m_proposed->agree(*message.confirm);
        if (!confirmedKey)
            return std::nullopt;
    }

    m_timeout = false;
    m_pending = Pending {std::move(*pendingKey), reply.publicKey()};
    if (!confirmedKey)
        return std::nullopt;
    m_proposed.reset();
    return RotationKey {std::move(*confirmedKey), slotFor(message.id), true};
}

RotationState::CycleResult RotationState::cycle()
{
    CycleResult result;
    if (m_proposed) {
        // Our proposal is not confirmed yet: wait one more cycle, then repeat it.
        if (!m_timeout) {
            m_timeout = true;
            return result;
        }
        RotationMessage message;
        message.id = m_confirmed ? m_confirmed->id : 1;
        message.propose = m_proposed->publicKey();
        if (m_confirmed)
            message.confirm = m_confirmed->publicKey;
        result.message = std::move(message);
        return result;
    }
    if (m_pending) {
        m_msgId += 2;
        m_proposed = X25519KeyPair::generate();
        m_confirmed = Confirmed {m_pending->confirmPublic, m_msgId};
        result.message = RotationMessage {m_msgId, m_proposed->publicKey(), m_pending->confirmPublic};
        result.key = RotationKey {std::move(m_pending->key), slotFor(m_msgId), false};
        m_pending.reset();
    }
    return result;
}

} // namespace Nimbus
