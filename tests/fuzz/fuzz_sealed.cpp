/// libFuzzer harness: what an established peer can send. The engine under test has a real session (handshake
/// through the product's own code, optionally followed by key rotation) with a peer whose side the harness plays,
/// so fuzzed plaintexts are sealed with the session's keys and reach the message handling (DATA, NODE_INFO,
/// KEEPALIVE, ROTATION, CLOSE, unknown types). Raw datagrams, replays, device packets, ICMP reports and time
/// steps are interleaved.
///
/// Input: an options byte (SessionOptions::fromByte: rotate, mode, TUN/TAP, cipher, claims), then up to 64
/// operations, each an op byte (low 3 bits select it) and its arguments; a chunk is a u16 big-endian length and
/// that many bytes:
///   0 chunk: seal the chunk (type byte + body) as the peer and deliver it   1 chunk: deliver the chunk raw
///   2 u8 chunk: deliver raw from 192.0.2.<u8>   3 u8: advance u8 x 100 ms   4 chunk: device packet
///   5: ICMP port unreachable for the peer   6: replay the last datagram   7: read every view of the engine
#include <algorithm>

#include "core/crypto/cryptocore.h"
#include "tests/fuzz/fuzzsupport.h"

using namespace Nimbus;
using namespace Nimbus::Fuzz;

namespace
{

constexpr int kMaxOperations = 64;
constexpr TimeMs kMaxAdvanceMs = 30'000; // per input: enough for a peer timeout, and every run stays fast

void readViews(Session &session)
{
    MeshNode &engine = session.engine();
    const QList<PeerInfo> peers = engine.peers();
    // Only a completed handshake creates a session, and only the peer's address ever completed one.
    check(peers.size() <= 1, "no session without a handshake");
    for (const PeerInfo &peer : peers)
        check(peer.address == Session::peerAddress(), "sessions only at the handshake's address");
    const QList<ClaimInfo> claims = engine.claims(session.now());
    for (const ClaimInfo &claim : claims)
        (void)claim.range.toDisplayString();
    const QByteArray info = engine.currentNodeInfo().encode();
    check(NodeInfo::decode(info).ok(), "the engine's own NodeInfo decodes");
    (void)engine.routeFor(QByteArray::fromHex("0a000002"));
    (void)engine.nextDeadline();
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
    Session session(SessionOptions::fromByte(input.u8()));
    QByteArray last;
    TimeMs advanced = 0;
    for (int count = 0; count < kMaxOperations && !input.atEnd(); ++count) {
        const quint8 op = input.u8();
        switch (op & 0x07) {
        case 0:
            last = session.sendSealed(input.chunk());
            break;
        case 1:
            last = input.chunk().toByteArray();
            session.sendRaw(last);
            break;
        case 2: {
            const quint8 host[4] = {192, 0, 2, input.u8()};
            const auto port = static_cast<quint16>(3210 + (op >> 3));
            last = input.chunk().toByteArray();
            session.sendRaw(last, SocketAddress::fromIpv4Bytes(host, port));
            break;
        }
        case 3: {
            const TimeMs step = std::min<TimeMs>(TimeMs(input.u8()) * 100, kMaxAdvanceMs - advanced);
            advanced += step;
            session.advance(step);
            break;
        }
        case 4:
            session.engine().handleDevicePacket(input.chunk(), session.now());
            break;
        case 5:
            session.engine().handleUnreachable(Session::peerAddress(), session.now());
            break;
        case 6:
            if (!last.isEmpty())
                session.sendRaw(last);
            break;
        case 7:
            readViews(session);
            break;
        }
    }
    readViews(session);
    session.engine().close(session.now());
    check(session.engine().peers().isEmpty(), "close() forgets every peer");
    return 0;
}
