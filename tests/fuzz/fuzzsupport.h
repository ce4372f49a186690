/// Shared parts of the libFuzzer harnesses in tests/fuzz/: determinism, invariant checks, an input reader and
/// an engine with a real established session whose remote side the harness plays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "core/crypto/identity.h"
#include "core/crypto/initmessage.h"
#include "core/node/meshnode.h"

/// Every harness defines both (libFuzzer calls them; tst_fuzzcorpus calls them for the seed corpus).
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace Nimbus::Fuzz
{

/// Makes every run reproducible: installs a deterministic libsodium random generator (before libsodium is
/// initialised), fixes Qt's hash seed and silences Qt's log output. Idempotent; call from LLVMFuzzerInitialize.
void initDeterminism();
/// Restarts the deterministic random stream: every input sees the same "random" keys, salts and nonces.
void resetRandom(quint64 seed = 0);
/// A finding: prints \a what and aborts when \a condition does not hold (libFuzzer saves the input).
void check(bool condition, const char *what);

/// Bounds-checked reading of the fuzz input; reads past the end give zeros / empty views.
class InputReader
{
public:
    InputReader(const uint8_t *data, size_t size);
    explicit InputReader(QByteArrayView data) : m_data(data) { }

    bool atEnd() const { return m_pos >= m_data.size(); }
    qsizetype remaining() const { return m_data.size() - m_pos; }
    quint8 u8();
    quint16 u16();
    /// The next \a count bytes (fewer at the end).
    QByteArrayView bytes(qsizetype count);
    /// A u16 length followed by that many bytes.
    QByteArrayView chunk() { return bytes(u16()); }
    QByteArrayView rest() { return bytes(remaining()); }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

/// A NodeHost that keeps what the engine sends (bounded, for inspection) and counts the rest.
struct CaptureHost : NodeHost {
    struct Sent {
        SocketAddress to;
        QByteArray datagram;
    };
    QList<Sent> sent;
    qsizetype deviceWrites = 0;
    qsizetype eventCount = 0;
    qsizetype keyRotations = 0;

    void sendDatagram(const SocketAddress &to, QByteArrayView datagram) override;
    void writeToDevice(QByteArrayView packet) override;
    void onEvent(const NodeEvent &event) override;
};

/// The identity of the recorded sessions (password "mysecret"); PBKDF2 runs once per process.
const Identity &recordedIdentity();

/// How the engine under test is set up (decoded from an input's first byte by fromByte()).
struct SessionOptions {
    enum class Cipher {
        Chacha20,
        Aes256, ///< falls back to ChaCha20 where the CPU has no AES-NI
        Plain,
    };
    Cipher cipher = Cipher::Chacha20;
    Mode mode = Mode::Normal;
    DeviceType deviceType = DeviceType::Tun;
    bool rotate = false; ///< run key rotation until both sides send with rotated keys before the input
    bool claims = true; ///< the engine claims 10.0.0.1/32

    /// bit 0 rotate, bits 1-2 mode, bit 3 TAP, bits 4-5 cipher, bit 6 no claims.
    static SessionOptions fromByte(quint8 byte);
};

/// A MeshNode (the engine under test, at 192.0.2.1:3210) with a real session to a peer at 192.0.2.2:3210 whose
/// side the harness plays with the product's own Handshake, CryptoCore and RotationState: the peer can seal any
/// plaintext, so fuzzed message bodies reach the engine's message handling.
class Session
{
public:
    explicit Session(const SessionOptions &options);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    MeshNode &engine() { return *m_engine; }
    CaptureHost &host() { return m_host; }
    static SocketAddress engineAddress();
    static SocketAddress peerAddress();
    TimeMs now() const { return m_now; }
    bool encrypted() const { return m_core != nullptr; }
    /// The key slot the peer seals with (0 until rotation moved it).
    int peerSendingSlot() const;

    /// Seals \a plaintext (message type byte + body) as the peer and delivers it from the peer's address.
    /// Returns the datagram that was sent.
    QByteArray sendSealed(QByteArrayView plaintext);
    /// Delivers \a datagram unchanged from \a from (default: the peer's address).
    void sendRaw(QByteArrayView datagram, std::optional<SocketAddress> from = std::nullopt);
    /// Runs the engine's timers (and the peer's rotation cycle) for \a ms; the peer reads what the engine sent.
    void advance(TimeMs ms);

private:
    void deliverToPeer();
    void peerRotationCycle();

    static constexpr TimeMs kRotationMs = 2000;

    CaptureHost m_host;
    TimeMs m_now = 1'000'000;
    AlgorithmList m_algorithms;
    QList<QByteArray> m_trusted;
    NodeId m_peerId {};
    std::unique_ptr<MeshNode> m_engine;
    std::unique_ptr<CryptoCore> m_core;
    std::unique_ptr<RotationState> m_rotation;
    TimeMs m_peerNextRotation = 0;
    bool m_setupPhase = true;
};

} // namespace Nimbus::Fuzz
