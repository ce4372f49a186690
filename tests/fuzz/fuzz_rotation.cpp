/// libFuzzer harness: key rotation (spec §4.8). First the whole input is decoded as a ROTATION body: what decodes
/// must re-encode to the bytes it was read from. Then the input drives two rotation state machines with their
/// CryptoCores, A (the rotation initiator) and B, over in-order channels that can lose and duplicate messages:
/// whatever the schedule, each side's sending key must open at the other side (checked after every step) as long
/// as only honest messages travel. Injected messages (a malicious but authenticated peer) must not crash
/// anything; after one the key check is off.
///
/// Operations (op byte, low 3 bits; bit 3 picks the direction where it matters):
///   0 cycle A   1 cycle B   2 deliver the next A->B message   3 deliver the next B->A message
///   4 drop the next message   5 duplicate the next message   6 u8-length chunk: inject it, decoded, into a side
///   7 seal and open a probe in both directions (done after every step anyway)
#include <deque>

#include "core/crypto/cryptocore.h"
#include "core/crypto/rotation.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Nimbus;
using namespace Nimbus::Fuzz;

namespace
{

constexpr int kMaxOperations = 200;

struct Side {
    RotationState rotation;
    CryptoCore core;
    std::deque<RotationMessage> outbox; ///< messages on their way to the other side, in order

    Side(bool initiator, QByteArrayView sessionKey, bool ownHalfHigh)
        : rotation(initiator), core(Algorithm::Chacha20Poly1305, sessionKey, ownHalfHigh)
    {
    }

    void install(const std::optional<RotationKey> &key)
    {
        if (key)
            core.installKey(key->slot, key->key.view(), key->forSending);
    }
    void cycle()
    {
        RotationState::CycleResult result = rotation.cycle();
        install(result.key);
        if (result.message)
            outbox.push_back(std::move(*result.message));
    }
    void receive(const RotationMessage &message) { install(rotation.receive(message)); }
};

void probe(Side &from, Side &to)
{
    static const QByteArray payload("probe");
    const QByteArray sealed = from.core.encrypt(payload);
    const std::optional<QByteArray> opened = to.core.decrypt(sealed);
    check(opened.has_value() && *opened == payload, "rotation keeps both sides able to read each other");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    initDeterminism();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    resetRandom();
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (const Result<RotationMessage> message = RotationMessage::decode(bytes)) {
        check(message->propose.size() == 32, "proposals are 32-byte keys");
        check(!message->confirm || message->confirm->size() == 32, "confirmations are 32-byte keys");
        check(bytes.startsWith(message->encode()), "a decoded rotation message re-encodes to its bytes");
    }

    const QByteArray sessionKey(32, '\x5a');
    Side a(true, sessionKey, true);
    Side b(false, sessionKey, false);
    if (std::optional<RotationMessage> first = a.rotation.start())
        a.outbox.push_back(std::move(*first));
    bool honest = true;
    InputReader input(data, size);
    for (int count = 0; count < kMaxOperations && !input.atEnd(); ++count) {
        const quint8 op = input.u8();
        const bool towardsA = op & 0x08;
        Side &sender = towardsA ? b : a;
        Side &receiver = towardsA ? a : b;
        switch (op & 0x07) {
        case 0:
            a.cycle();
            break;
        case 1:
            b.cycle();
            break;
        case 2:
        case 3: {
            Side &source = (op & 0x07) == 2 ? a : b;
            Side &target = (op & 0x07) == 2 ? b : a;
            if (!source.outbox.empty()) {
                const RotationMessage message = std::move(source.outbox.front());
                source.outbox.pop_front();
                target.receive(message);
            }
            break;
        }
        case 4:
            if (!sender.outbox.empty())
                sender.outbox.pop_front();
            break;
        case 5:
            if (!sender.outbox.empty())
                sender.outbox.push_front(sender.outbox.front());
            break;
        case 6:
            if (const Result<RotationMessage> injected = RotationMessage::decode(input.bytes(input.u8()))) {
                receiver.receive(*injected);
                honest = false;
            }
            break;
        case 7:
            break;
        }
        if (honest) {
            probe(a, b);
            probe(b, a);
        }
    }
    return 0;
}
