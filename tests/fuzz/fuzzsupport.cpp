#include "tests/fuzz/fuzzsupport.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include <sodium.h>

#include <QHashFunctions>
#include <QtGlobal>

#include "core/crypto/cryptocore.h"
#include "core/crypto/rotation.h"
#include "core/node/handshake.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Fuzz
{

namespace
{

// splitmix64: tiny, fast and good enough to stand in for randomness in a reproducible harness.
quint64 g_randomState = 0;

quint64 nextRandom()
{
    quint64 z = (g_randomState += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

const char *randomName()
{
    return "nimbus-fuzz-deterministic";
}

uint32_t randomU32()
{
    return static_cast<uint32_t>(nextRandom() >> 32);
}

void randomBuffer(void *const buffer, const size_t size)
{
    auto *out = static_cast<unsigned char *>(buffer);
    for (size_t i = 0; i < size; i += 8) {
        const quint64 value = nextRandom();
        std::memcpy(out + i, &value, std::min<size_t>(8, size - i));
    }
}

randombytes_implementation g_deterministicRandom = {
    randomName,
    randomU32,
    nullptr, // stir
    nullptr, // uniform: libsodium derives it from random()
    randomBuffer,
    nullptr, // close
};

void silentMessageHandler(QtMsgType, const QMessageLogContext &, const QString &)
{
}

constexpr quint8 kTypeRotation = 0x10;

} // namespace

void initDeterminism()
{
    static bool done = false;
    if (done)
        return;
    done = true;
    randombytes_set_implementation(&g_deterministicRandom);
    check(initCrypto(), "libsodium initialises");
    QHashSeed::setDeterministicGlobalSeed();
    qInstallMessageHandler(silentMessageHandler);
}

void resetRandom(quint64 seed)
{
    g_randomState = seed;
}

void check(bool condition, const char *what)
{
    if (condition)
        return;
    std::fprintf(stderr, "fuzz: invariant violated: %s\n", what);
    std::fflush(stderr);
    std::abort();
}

// ---------------------------------------------------------------------------------------------- InputReader

InputReader::InputReader(const uint8_t *data, size_t size)
    : m_data(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size))
{
}

quint8 InputReader::u8()
{
    if (atEnd())
        return 0;
    return static_cast<quint8>(m_data[m_pos++]);
}

quint16 InputReader::u16()
{
    const quint8 high = u8();
    return static_cast<quint16>((high << 8) | u8());
}

QByteArrayView InputReader::bytes(qsizetype count)
{
    count = std::clamp<qsizetype>(count, 0, remaining());
    const QByteArrayView view = m_data.sliced(m_pos, count);
    m_pos += count;
    return view;
}

// ---------------------------------------------------------------------------------------------- CaptureHost

void CaptureHost::sendDatagram(const SocketAddress &to, QByteArrayView datagram)
{
    if (sent.size() < 512)
        sent.append({to, datagram.toByteArray()});
}

void CaptureHost::writeToDevice(QByteArrayView)
{
    ++deviceWrites;
}

void CaptureHost::onEvent(const NodeEvent &event)
{
    ++eventCount;
    if (std::holds_alternative<KeyRotatedEvent>(event))
        ++keyRotations;
}

const Identity &recordedIdentity()
{
    static const Identity identity = Identity::fromPassword(u"mysecret"_s);
    return identity;
}

// ---------------------------------------------------------------------------------------------- Session

SessionOptions SessionOptions::fromByte(quint8 byte)
{
    SessionOptions options;
    options.rotate = byte & 0x01;
    options.mode = static_cast<Mode>((byte >> 1) & 0x03);
    options.deviceType = (byte & 0x08) ? DeviceType::Tap : DeviceType::Tun;
    switch ((byte >> 4) & 0x03) {
    case 1:
        options.cipher = Cipher::Aes256;
        break;
    case 2:
        options.cipher = Cipher::Plain;
        break;
    default:
        options.cipher = Cipher::Chacha20;
        break;
    }
    options.claims = !(byte & 0x40);
    return options;
}

SocketAddress Session::engineAddress()
{
    return *SocketAddress::parse(u"192.0.2.1:3210"_s);
}

SocketAddress Session::peerAddress()
{
    return *SocketAddress::parse(u"192.0.2.2:3210"_s);
}

Session::Session(const SessionOptions &options)
{
    const Identity &identity = recordedIdentity();
    m_trusted = {identity.publicKey()};
    switch (options.cipher) {
    case SessionOptions::Cipher::Plain:
        m_algorithms.allowPlain = true;
        m_algorithms.algorithms = {{Algorithm::Chacha20Poly1305, 1500.0f}};
        break;
    case SessionOptions::Cipher::Aes256:
        if (algorithmAvailable(Algorithm::Aes256Gcm)) {
            m_algorithms.algorithms = {{Algorithm::Aes256Gcm, 2000.0f}};
            break;
        }
        [[fallthrough]];
    case SessionOptions::Cipher::Chacha20:
        m_algorithms.algorithms = {{Algorithm::Chacha20Poly1305, 1500.0f}};
        break;
    }

    NodeConfig config(identity.clone());
    config.trustedKeys = m_trusted;
    config.algorithms = m_algorithms;
    if (options.claims)
        config.claims = {*Range::parse(u"10.0.0.1/32"_s)};
    config.peerTimeoutSecs = 20;
    config.keepaliveSecs = 10;
    config.mode = options.mode;
    config.deviceType = options.deviceType;
    config.ownAddresses = {engineAddress()};
    config.nodeId = NodeId {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 1, 1, 1, 1, 1, 1, 1, 1};
    config.rotationIntervalSecs = kRotationMs / 1000;
    m_engine = std::make_unique<MeshNode>(std::move(config), m_host, m_now);

    // The peer initiates, so the engine is the handshake responder and therefore the rotation initiator.
    m_peerId = NodeId {0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 2, 2, 2, 2, 2, 2, 2, 2};
    NodeInfo peerInfo;
    peerInfo.nodeId = m_peerId;
    peerInfo.claims = {*Range::parse(u"10.0.0.2/32"_s)};
    peerInfo.peerTimeout = 20;
    peerInfo.addresses = {peerAddress()};
    const Handshake::Context context {identity, m_trusted, m_algorithms, m_peerId};
    std::unique_ptr<Handshake> handshake = Handshake::initiate(context, peerInfo, m_now);
    m_engine->handleDatagram(peerAddress(), handshake->lastMessage(), m_now);

    std::optional<InitMessage> pong;
    for (const CaptureHost::Sent &item : std::as_const(m_host.sent)) {
        if (item.to != peerAddress() || item.datagram.isEmpty() || quint8(item.datagram[0]) != 0xFF)
            continue;
        Result<InitMessage> message = InitMessage::decode(item.datagram, m_trusted);
        if (message && message->stage == Stage::Pong)
            pong = std::move(message).value();
    }
    m_host.sent.clear();
    check(pong.has_value(), "the engine answers a valid PING with a PONG");
    Handshake::Output output = handshake->handle(context, *pong, m_now);
    check(output.established.has_value() && !output.send.isEmpty(), "the peer completes the handshake");
    m_core = std::move(output.established->core);
    m_engine->handleDatagram(peerAddress(), output.send, m_now);
    check(m_engine->peers().size() == 1, "the engine establishes the session");
    if (m_core) {
        m_rotation = std::make_unique<RotationState>(false);
        m_peerNextRotation = m_now + kRotationMs;
    }
    deliverToPeer();

    if (options.rotate && m_core) {
        for (int i = 0; i < 16 && (peerSendingSlot() == 0 || m_host.keyRotations == 0); ++i)
            advance(kRotationMs);
        check(peerSendingSlot() != 0 && m_host.keyRotations > 0, "both sides send with rotated keys");
        check(m_engine->peers().size() == 1, "the session survives key rotation");
    }
    m_setupPhase = false;
}

Session::~Session() = default;

int Session::peerSendingSlot() const
{
    return m_core ? m_core->sendingSlot() : 0;
}

QByteArray Session::sendSealed(QByteArrayView plaintext)
{
    const QByteArray datagram = m_core ? m_core->encrypt(plaintext) : plaintext.toByteArray();
    m_engine->handleDatagram(peerAddress(), datagram, m_now);
    deliverToPeer();
    return datagram;
}

void Session::sendRaw(QByteArrayView datagram, std::optional<SocketAddress> from)
{
    m_engine->handleDatagram(from.value_or(peerAddress()), datagram, m_now);
    deliverToPeer();
}

void Session::advance(TimeMs ms)
{
    const TimeMs end = m_now + ms;
    for (int steps = 0;; ++steps) {
        check(steps < 100'000, "the engine's deadline moves forward");
        TimeMs next = m_engine->nextDeadline();
        if (m_rotation)
            next = std::min(next, m_peerNextRotation);
        if (next > end)
            break;
        m_now = std::max(m_now, next);
        if (m_engine->nextDeadline() <= m_now)
            m_engine->tick(m_now);
        deliverToPeer();
        if (m_rotation && m_peerNextRotation <= m_now) {
            m_peerNextRotation = m_now + kRotationMs;
            peerRotationCycle();
        }
    }
    m_now = end;
}

void Session::deliverToPeer()
{
    const QList<CaptureHost::Sent> sent = std::exchange(m_host.sent, {});
    if (!m_core || !m_rotation)
        return;
    for (const CaptureHost::Sent &item : sent) {
        if (item.to != peerAddress() || item.datagram.isEmpty() || quint8(item.datagram[0]) == 0xFF)
            continue;
        const std::optional<QByteArray> plain = m_core->decrypt(item.datagram);
        // Until the fuzzer speaks, the peer is honest: everything the engine seals must open at the peer.
        check(plain.has_value() || !m_setupPhase, "the peer opens every message the engine seals");
        if (!plain || plain->isEmpty() || quint8(plain->at(0)) != kTypeRotation)
            continue;
        const Result<RotationMessage> message = RotationMessage::decode(QByteArrayView(*plain).sliced(1));
        if (!message)
            continue;
        if (std::optional<RotationKey> key = m_rotation->receive(*message))
            m_core->installKey(key->slot, key->key.view(), key->forSending);
    }
}

void Session::peerRotationCycle()
{
    RotationState::CycleResult result = m_rotation->cycle();
    if (result.key)
        m_core->installKey(result.key->slot, result.key->key.view(), result.key->forSending);
    if (result.message) {
        QByteArray plain(1, char(kTypeRotation));
        plain.append(result.message->encode());
        sendSealed(plain);
    }
}

} // namespace Nimbus::Fuzz
