/// libFuzzer harness: init messages (spec §3.2-3.4) at every layer that reads them: InitMessage::decode, the
/// Handshake state machine in both roles and a MeshNode. Random bytes never carry a valid signature, so the
/// harness can also sign the input itself with the trusted key of the recorded sessions: then the field parser,
/// the stage logic, algorithm selection and key exchange see fuzzed but authentic messages.
///
/// Input: a flags byte, then the message. Flag bit 0: "re-sign": the rest is salt(4) followed by fields (type u8,
/// length u16 BE, value); the harness fixes field lengths that run past the end, adds the key tag, the end marker
/// and a valid signature. Without it the rest is a complete datagram (e.g. a recorded one). Bit 1: also feed it
/// to a MeshNode; bit 2: also feed it to a handshake that sent a PING (the initiator's view).
#include <bit>

#include "core/crypto/cryptocore.h"
#include "core/node/handshake.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Fuzz;

namespace
{

/// 0xFF | salt | key tag | fields (lengths repaired) | 0x00 | 64 | Ed25519 signature.
QByteArray signedDatagram(QByteArrayView fieldsWithSalt, const Identity &signer)
{
    InputReader in(fieldsWithSalt);
    QByteArray body = in.bytes(4).toByteArray();
    while (body.size() < 4)
        body.append('\0');
    body.append(keyTag(signer.publicKey(), body));
    while (!in.atEnd()) {
        const quint8 type = in.u8();
        if (type == 0)
            break;
        const QByteArrayView value = in.chunk();
        body.append(char(type));
        body.append(char(value.size() >> 8));
        body.append(char(value.size() & 0xff));
        body.append(value);
    }
    body.append('\0');
    const QByteArray signature = signer.sign(body);
    return QByteArray(1, '\xff') + body + char(signature.size()) + signature;
}

bool sameAlgorithms(const std::optional<AlgorithmList> &a, const std::optional<AlgorithmList> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    // Speeds are compared bit for bit: NaN is a valid (if silly) speed on the wire.
    if (a->allowPlain != b->allowPlain || a->algorithms.size() != b->algorithms.size())
        return false;
    for (qsizetype i = 0; i < a->algorithms.size(); ++i) {
        if (a->algorithms[i].algorithm != b->algorithms[i].algorithm
            || std::bit_cast<quint32>(a->algorithms[i].speed) != std::bit_cast<quint32>(b->algorithms[i].speed))
            return false;
    }
    return true;
}

NodeConfig engineConfig(const Identity &identity, const QList<QByteArray> &trusted)
{
    NodeConfig config(identity.clone());
    config.trustedKeys = trusted;
    config.nodeId = NodeId {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 1, 1, 1, 1, 1, 1, 1, 1};
    config.claims = {*Range::parse(u"10.0.0.1/32"_s)};
    return config;
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
    InputReader input(data, size);
    const quint8 flags = input.u8();
    const Identity &identity = recordedIdentity();
    // A second, unrelated trusted key first: the decoder must pick the key by its tag.
    static const QByteArray otherKey
        = QByteArray::fromHex("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
    const QList<QByteArray> trusted {otherKey, identity.publicKey()};
    const bool resign = flags & 0x01;
    const QByteArray datagram = resign ? signedDatagram(input.rest(), identity) : input.rest().toByteArray();

    const Result<InitMessage> message = InitMessage::decode(datagram, trusted);
    if (resign) {
        check(
            message.ok() || (message.error().code != u"untrusted-peer"_s && message.error().code != u"bad-signature"_s),
            "a message signed by a trusted key authenticates");
    }
    if (message) {
        check(message->saltedNodeId.size() == 20, "salted node ids are 20 bytes");
        check(!message->ecdhPublicKey || message->ecdhPublicKey->size() == 32, "ECDH keys are 32 bytes");
        const QByteArray again = message->encode(identity, QByteArrayView(datagram).sliced(1, 4));
        const Result<InitMessage> decoded = InitMessage::decode(again, trusted);
        check(decoded.ok(), "a re-encoded init message decodes");
        check(decoded->stage == message->stage && decoded->saltedNodeId == message->saltedNodeId
                && decoded->ecdhPublicKey == message->ecdhPublicKey && decoded->payload == message->payload
                && sameAlgorithms(decoded->algorithms, message->algorithms),
            "init messages survive the round trip");

        const NodeId ownId {0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 3, 3, 3, 3, 3, 3, 3, 3};
        NodeInfo ownInfo;
        ownInfo.nodeId = ownId;
        const AlgorithmList algorithms = NodeConfig::defaultAlgorithms();
        const Handshake::Context context {identity, trusted, algorithms, ownId};
        const std::unique_ptr<Handshake> responder = Handshake::respond(context, ownInfo, 0);
        const Handshake::Output answer = responder->handle(context, *message, 0);
        if (!answer.send.isEmpty())
            check(InitMessage::decode(answer.send, trusted).ok(), "the responder's answer decodes");
        if (flags & 0x04) {
            const std::unique_ptr<Handshake> initiator = Handshake::initiate(context, ownInfo, 0);
            const Handshake::Output reply = initiator->handle(context, *message, 10);
            if (!reply.send.isEmpty())
                check(InitMessage::decode(reply.send, trusted).ok(), "the initiator's answer decodes");
            (void)initiator->tick(2000);
        }
    }

    if (flags & 0x02) {
        CaptureHost host;
        MeshNode engine(engineConfig(identity, trusted), host, 1000);
        const SocketAddress from = *SocketAddress::parse(u"192.0.2.2:3210"_s);
        engine.handleDatagram(from, datagram, 1000);
        engine.handleDatagram(from, datagram, 1001); // a retransmission
        for (const CaptureHost::Sent &sent : std::as_const(host.sent))
            check(InitMessage::decode(sent.datagram, trusted).ok(), "the engine's answers decode");
        check(engine.peers().isEmpty(), "one init message never completes a handshake");
        engine.tick(3000);
    }
    return 0;
}
