#include <QJsonObject>
#include <QTest>

#include "core/crypto/cryptocore.h"
#include "core/crypto/rotation.h"
#include "tests/support/cryptovectors.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(Nimbus::Algorithm)

class tst_Rotation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void encodeA9();
    void decodeA9();
    void decodeRecorded();
    void decodeRejectsTruncated();
    void decodeRejectsBadLengths();
    void initialState();
    void timeline_data();
    void timeline();
    void lostFirstMessageIsRepeated();
    void duplicateAndOldIdsIgnored();
    void badProposalIgnored();
    void randomBodiesAreHandled();
};

namespace
{

const QByteArray kPub33 = QByteArray::fromHex("7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14");
const QByteArray kPub44 = QByteArray::fromHex("ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b");

/// One side of an established session: its crypto core and rotation state (spec §4.8).
struct Node {
    const char *name;
    CryptoCore core;
    RotationState rotation;
    Node(const char *name, Algorithm algorithm, const QByteArray &sessionKey, bool halfHigh, bool initiator)
        : name(name), core(algorithm, sessionKey, halfHigh), rotation(initiator)
    {
    }
};

constexpr char kRotationType = 0x10;

/// Seals a rotation message as a type-0x10 message of \a from.
QByteArray sealRotation(Node &from, const RotationMessage &message)
{
    return from.core.encrypt(QByteArray(QByteArray(1, kRotationType) + message.encode()));
}

/// Opens \a sealed at \a to and feeds it to its rotation state, installing a returned key. False on any failure.
bool deliverRotation(Node &to, const QByteArray &sealed, std::optional<RotationKey> *installed = nullptr)
{
    const std::optional<QByteArray> plaintext = to.core.decrypt(sealed);
    if (!plaintext || plaintext->isEmpty() || plaintext->at(0) != kRotationType)
        return false;
    const Result<RotationMessage> message = RotationMessage::decode(QByteArrayView(*plaintext).sliced(1));
    if (!message.ok())
        return false;
    std::optional<RotationKey> key = to.rotation.receive(*message);
    if (key)
        to.core.installKey(key->slot, key->key.view(), key->forSending);
    if (installed)
        *installed = std::move(key);
    return true;
}

/// Runs one cycle at \a node; installs a receive key; returns the sealed message to send, if any.
std::optional<QByteArray> runCycle(Node &node)
{
    RotationState::CycleResult result = node.rotation.cycle();
    if (result.key) {
        if (result.key->forSending)
            return std::nullopt; // never for a cycle; makes the caller's checks fail
        node.core.installKey(result.key->slot, result.key->key.view(), false);
    }
    if (!result.message)
        return std::nullopt;
    return sealRotation(node, *result.message);
}

/// DATA both ways must keep working.
bool exchange(Node &x, Node &y, int round)
{
    const QByteArray data = QByteArray(1, '\0') + "ping " + QByteArray::number(round);
    return x.core.decrypt(y.core.encrypt(data)) == data && y.core.decrypt(x.core.encrypt(data)) == data;
}

} // namespace

void tst_Rotation::initTestCase()
{
    QVERIFY(initCrypto());
    QCOMPARE(X25519KeyPair::fromSecret(QByteArray(32, '\x33')).publicKey(), kPub33);
    QCOMPARE(X25519KeyPair::fromSecret(QByteArray(32, '\x44')).publicKey(), kPub44);
}

void tst_Rotation::encodeA9()
{
    const RotationMessage first {1, kPub33, std::nullopt};
    const QByteArray encodedFirst = first.encode();
    QCOMPARE(encodedFirst.size(), 42);
    QCOMPARE(encodedFirst.toHex(), QByteArray("000000000000000120" + kPub33.toHex() + "00"));

    const RotationMessage second {2, kPub33, kPub44};
    const QByteArray encodedSecond = second.encode();
    QCOMPARE(encodedSecond.size(), 74);
    QCOMPARE(encodedSecond.toHex(), QByteArray("000000000000000220" + kPub33.toHex() + "20" + kPub44.toHex()));

    const RotationMessage bigId {0x0102030405060708ULL, kPub44, std::nullopt};
    QVERIFY(bigId.encode().startsWith(QByteArray::fromHex("0102030405060708")));
}

void tst_Rotation::decodeA9()
{
    const Result<RotationMessage> first = RotationMessage::decode(
        Test::fromHex("0000000000000001 20 7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14 00"));
    QVERIFY(first.ok());
    QCOMPARE(first->id, quint64(1));
    QCOMPARE(first->propose, kPub33);
    QVERIFY(!first->confirm.has_value());

    const QByteArray secondBytes
        = Test::fromHex("0000000000000002 20 7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14"
                        "20 ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b");
    const Result<RotationMessage> second = RotationMessage::decode(secondBytes);
    QVERIFY(second.ok());
    QCOMPARE(second->id, quint64(2));
    QCOMPARE(second->propose, kPub33);
    QCOMPARE(second->confirm, std::optional(kPub44));

    // Trailing bytes are ignored.
    const Result<RotationMessage> trailing = RotationMessage::decode(QByteArray(secondBytes + "trailing"));
    QVERIFY(trailing.ok());
    QCOMPARE(trailing->confirm, std::optional(kPub44));
}

void tst_Rotation::decodeRecorded()
{
    // The ROTATION plaintexts of the keylog captures (after the 0x10 type byte).
    int checked = 0;
    for (const QString &capture : {u"keylog-default"_s, u"keylog-aes128"_s, u"keylog-chacha20"_s}) {
        for (const QJsonObject &packet : Test::loadCapturePackets(capture)) {
            if (packet.value(u"msg_type"_s).toString() != u"ROTATION"_s)
                continue;
            const QByteArray plaintext = QByteArray::fromHex(packet.value(u"plaintext_hex"_s).toString().toLatin1());
            QCOMPARE(plaintext.at(0), kRotationType);
            const Result<RotationMessage> message = RotationMessage::decode(QByteArrayView(plaintext).sliced(1));
            QVERIFY(message.ok());
            const QJsonObject body = packet.value(u"body"_s).toObject();
            QCOMPARE(message->id, static_cast<quint64>(body.value(u"message_id"_s).toInteger()));
            QCOMPARE(message->propose.toHex(), body.value(u"propose_x25519"_s).toString().toLatin1());
            if (body.contains(u"confirm_x25519"_s) && !body.value(u"confirm_x25519"_s).isNull())
                QCOMPARE(
                    message->confirm.value_or("none").toHex(), body.value(u"confirm_x25519"_s).toString().toLatin1());
            else
                QVERIFY(!message->confirm.has_value());
            QCOMPARE(message->encode(), plaintext.mid(1)); // and back, byte for byte
            ++checked;
        }
    }
    QCOMPARE(checked, 4); // ids 1 and 2 in keylog-default, id 1 in the two short captures
}

void tst_Rotation::decodeRejectsTruncated()
{
    for (const QByteArray &full :
        {RotationMessage {1, kPub33, std::nullopt}.encode(), RotationMessage {2, kPub33, kPub44}.encode()}) {
        for (int length = 0; length < full.size(); ++length) {
            const Result<RotationMessage> decoded = RotationMessage::decode(full.left(length));
            QVERIFY2(!decoded.ok(), qPrintable(QString::number(length)));
            QCOMPARE(decoded.error().code, u"bad-rotation"_s);
        }
        QVERIFY(RotationMessage::decode(full).ok());
    }
}

void tst_Rotation::decodeRejectsBadLengths()
{
    const QByteArray id = QByteArray::fromHex("0000000000000003");
    const auto code = [](const QByteArray &body) {
        const Result<RotationMessage> decoded = RotationMessage::decode(body);
        return decoded.ok() ? u"ok"_s : decoded.error().code;
    };
    QCOMPARE(code(QByteArray(id + '\x10' + QByteArray(16, 'k') + '\0')), u"bad-rotation"_s);
    QCOMPARE(code(QByteArray(id + '\x00' + '\0')), u"bad-rotation"_s);
    QCOMPARE(code(QByteArray(id + '\x20' + kPub33 + '\x10' + QByteArray(16, 'k'))), u"bad-rotation"_s);
    QCOMPARE(code(QByteArray(id + '\x20' + kPub33 + '\xff' + QByteArray(255, 'k'))), u"bad-rotation"_s);
    QCOMPARE(code(QByteArray(id + '\x20' + kPub33 + '\x20' + kPub44)), u"ok"_s);
}

void tst_Rotation::initialState()
{
    RotationState initiator(true);
    const std::optional<RotationMessage> first = initiator.start();
    QVERIFY(first.has_value());
    QCOMPARE(first->id, quint64(1));
    QCOMPARE(first->propose.size(), 32);
    QVERIFY(!first->confirm.has_value());
    QCOMPARE(initiator.lastOwnMessageId(), quint64(1));

    RotationState responder(false);
    QVERIFY(!responder.start().has_value());
    QCOMPARE(responder.lastOwnMessageId(), quint64(0));
    // Nothing pending yet: a cycle does nothing.
    const RotationState::CycleResult idle = responder.cycle();
    QVERIFY(!idle.message && !idle.key);
}

void tst_Rotation::timeline_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addColumn<bool>("initiatorCyclesFirst");
    for (const Algorithm algorithm : {Algorithm::Aes128Gcm, Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305}) {
        QTest::addRow("%s, A's cycle first", qPrintable(algorithmName(algorithm))) << algorithm << false;
        QTest::addRow("%s, B's cycle first", qPrintable(algorithmName(algorithm))) << algorithm << true;
    }
}

void tst_Rotation::timeline()
{
    QFETCH(Algorithm, algorithm);
    QFETCH(bool, initiatorCyclesFirst);
    // A = handshake initiator (rotation non-initiator), B = handshake responder (rotation initiator).
    const QByteArray sessionKey = randomBytes(32);
    Node a("A", algorithm, sessionKey, true, false);
    Node b("B", algorithm, sessionKey, false, true);
    QVERIFY(exchange(a, b, 0));

    // Right after PENG, B sends {1, P1}.
    const std::optional<RotationMessage> start = b.rotation.start();
    QVERIFY(start.has_value());
    std::optional<RotationKey> installed;
    QVERIFY(deliverRotation(a, sealRotation(b, *start), &installed));
    QVERIFY(!installed.has_value()); // nothing to confirm yet
    QVERIFY(exchange(a, b, 1));

    // Each period both sides run a cycle (in the order of the row); exactly one of them sends.
    quint64 expectedId = 2;
    int expectedSendingSlotA = 0;
    int expectedSendingSlotB = 0;
    for (int period = 1; period <= 9; ++period) {
        Node &mover = expectedId % 2 == 0 ? a : b; // A sends even ids, B odd ones
        Node &other = expectedId % 2 == 0 ? b : a;
        Node &firstToCycle = initiatorCyclesFirst ? b : a;
        Node &secondToCycle = initiatorCyclesFirst ? a : b;
        std::optional<QByteArray> sent;
        for (Node *node : {&firstToCycle, &secondToCycle}) {
            std::optional<QByteArray> out = runCycle(*node);
            if (node == &mover) {
                QVERIFY2(out.has_value(),
                    qPrintable(u"period %1: %2 did not send"_s.arg(period).arg(QLatin1String(node->name))));
                sent = out;
                // The mover installed the peer's proposal for receiving only; its sending slot is unchanged.
                QCOMPARE(node->core.sendingSlot(), node == &a ? expectedSendingSlotA : expectedSendingSlotB);
                QCOMPARE(node->rotation.lastOwnMessageId(), expectedId);
                QVERIFY(exchange(a, b, period * 10 + 1));
            } else {
                // The other side's own proposal is still unconfirmed: it waits (first cycle after receiving).
                QVERIFY2(
                    !out.has_value(), qPrintable(u"period %1: %2 sent"_s.arg(period).arg(QLatin1String(node->name))));
            }
        }
        QVERIFY(sent.has_value());
        QVERIFY(deliverRotation(other, *sent, &installed));
        QVERIFY2(installed.has_value(), qPrintable(u"period %1: no key switch"_s.arg(period)));
        QCOMPARE(installed->slot, static_cast<int>(expectedId % 4));
        QVERIFY(installed->forSending);
        QCOMPARE(other.core.sendingSlot(), static_cast<int>(expectedId % 4));
        (&other == &a ? expectedSendingSlotA : expectedSendingSlotB) = static_cast<int>(expectedId % 4);
        QVERIFY2(exchange(a, b, period * 10 + 2), qPrintable(u"period %1 after the switch"_s.arg(period)));
        // The switched side's messages now carry the new key id.
        QCOMPARE(static_cast<int>(other.core.encrypt(QByteArray(1, '\0'))[0]), static_cast<int>(expectedId % 4));
        ++expectedId;
    }
    QCOMPARE(a.core.sendingSlot(), expectedSendingSlotA);
    QCOMPARE(b.core.sendingSlot(), expectedSendingSlotB);
    QVERIFY(expectedSendingSlotA != 0 && expectedSendingSlotB != 0);
}

void tst_Rotation::lostFirstMessageIsRepeated()
{
    const QByteArray sessionKey = randomBytes(32);
    Node a("A", Algorithm::Chacha20Poly1305, sessionKey, false, false);
    Node b("B", Algorithm::Chacha20Poly1305, sessionKey, true, true);
    const std::optional<RotationMessage> start = b.rotation.start();
    QVERIFY(start.has_value()); // ... and lost

    // B waits one cycle, then re-sends {1, P1}; A has nothing to do meanwhile.
    QVERIFY(!runCycle(b).has_value());
    QVERIFY(!runCycle(a).has_value());
    const RotationState::CycleResult repeat = b.rotation.cycle();
    QVERIFY(repeat.message.has_value());
    QVERIFY(!repeat.key.has_value());
    QCOMPARE(repeat.message->id, quint64(1));
    QCOMPARE(repeat.message->propose, start->propose);
    QVERIFY(!repeat.message->confirm.has_value());
    QVERIFY(deliverRotation(a, sealRotation(b, *repeat.message)));

    // From here on the normal exchange: A sends id 2, B switches to slot 2.
    const std::optional<QByteArray> second = runCycle(a);
    QVERIFY(second.has_value());
    std::optional<RotationKey> installed;
    QVERIFY(deliverRotation(b, *second, &installed));
    QVERIFY(installed && installed->slot == 2 && installed->forSending);
    QVERIFY(exchange(a, b, 1));

    // If A's id 2 is lost instead, A re-sends it unchanged after one idle cycle.
    Node c("C", Algorithm::Aes256Gcm, sessionKey, false, false);
    Node d("D", Algorithm::Aes256Gcm, sessionKey, true, true);
    QVERIFY(deliverRotation(c, sealRotation(d, *d.rotation.start())));
    const RotationState::CycleResult lost = c.rotation.cycle();
    QVERIFY(lost.message && lost.key);
    c.core.installKey(lost.key->slot, lost.key->key.view(), false);
    QVERIFY(!c.rotation.cycle().message.has_value()); // timeout flag set
    const RotationState::CycleResult again = c.rotation.cycle();
    QVERIFY(again.message.has_value());
    QVERIFY(!again.key.has_value());
    QCOMPARE(again.message->id, lost.message->id);
    QCOMPARE(again.message->propose, lost.message->propose);
    QCOMPARE(again.message->confirm, lost.message->confirm);
    QVERIFY(deliverRotation(d, sealRotation(c, *again.message), &installed));
    QVERIFY(installed && installed->slot == 2);
    QVERIFY(exchange(c, d, 2));
}

void tst_Rotation::duplicateAndOldIdsIgnored()
{
    const QByteArray sessionKey = randomBytes(32);
    Node a("A", Algorithm::Aes256Gcm, sessionKey, true, false);
    Node b("B", Algorithm::Aes256Gcm, sessionKey, false, true);
    const RotationMessage first = *b.rotation.start();
    QVERIFY(deliverRotation(a, sealRotation(b, first)));
    const std::optional<QByteArray> second = runCycle(a); // id 2
    QVERIFY(second.has_value());

    // A has created id 2: B's id 1 again is old now and ignored (no new pending proposal, no key).
    QVERIFY(!a.rotation.receive(first).has_value());
    const RotationState::CycleResult waiting = a.rotation.cycle();
    QVERIFY(!waiting.message && !waiting.key); // only the timeout flag; a new pending would have sent id 4

    std::optional<RotationKey> installed;
    QVERIFY(deliverRotation(b, *second, &installed));
    QVERIFY(installed.has_value());
    // A duplicate datagram of id 2 before B's own next message: id 2 > B's last own id 1, so it is processed
    // again (a new pending proposal, as in VpnCloud), but B's proposal is consumed: no second key switch.
    QVERIFY(deliverRotation(b, *second, &installed));
    QVERIFY(!installed.has_value());
    QCOMPARE(b.core.sendingSlot(), 2);
    const std::optional<QByteArray> bThird = runCycle(b); // id 3
    QVERIFY(bThird.has_value());
    QCOMPARE(b.rotation.lastOwnMessageId(), quint64(3));
    // Now ids 1 and 2 are old for B; with a confirmation they would switch B's key if they were processed.
    const QByteArray someKey = X25519KeyPair::generate().publicKey();
    QVERIFY(!b.rotation.receive(RotationMessage {2, kPub33, someKey}).has_value());
    QVERIFY(!b.rotation.receive(RotationMessage {1, kPub33, someKey}).has_value());
    QVERIFY(!b.rotation.receive(first).has_value());

    QVERIFY(deliverRotation(a, *bThird, &installed));
    QVERIFY(installed && installed->slot == 3);
    QVERIFY(exchange(a, b, 1));
    // Control: a newer id with a confirmation is processed (B's proposal 3 is still open).
    QVERIFY(b.rotation.receive(RotationMessage {4, kPub33, someKey}).has_value());
}

void tst_Rotation::badProposalIgnored()
{
    RotationState state(false);
    // A low-order proposal (all-zero shared secret) is ignored as a whole: nothing becomes pending.
    QVERIFY(!state.receive(RotationMessage {1, QByteArray(32, '\0'), std::nullopt}).has_value());
    QVERIFY(!state.cycle().message.has_value());
    QVERIFY(!state.receive(RotationMessage {1, QByteArray(31, '\x09'), std::nullopt}).has_value());
    QVERIFY(!state.cycle().message.has_value());
    // A good one afterwards works.
    QVERIFY(!state.receive(RotationMessage {1, kPub33, std::nullopt}).has_value());
    const RotationState::CycleResult result = state.cycle();
    QVERIFY(result.message && result.key);
    QCOMPARE(result.message->id, quint64(2));
    QCOMPARE(result.key->slot, 2);
    QVERIFY(!result.key->forSending);
    QCOMPARE(result.key->key.size(), std::size_t(32));
}

void tst_Rotation::randomBodiesAreHandled()
{
    int accepted = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray body = randomBytes(round % 90);
        if (round % 3 == 0 && body.size() > 9)
            body[8] = '\x20'; // make a plausible propose length more likely
        if (round % 6 == 0 && body.size() > 41)
            body[41] = '\0'; // and a valid confirm length, so that some bodies surely decode
        const Result<RotationMessage> decoded = RotationMessage::decode(body);
        if (!decoded.ok()) {
            QCOMPARE(decoded.error().code, u"bad-rotation"_s);
            continue;
        }
        ++accepted;
        QCOMPARE(decoded->propose.size(), 32);
        QVERIFY(!decoded->confirm || decoded->confirm->size() == 32);
        QVERIFY(body.startsWith(decoded->encode())); // a decoded body is a prefix re-encoding
        RotationState state(round % 2 == 0);
        (void)state.receive(*decoded); // random keys: either ignored or a pending proposal, never a crash
    }
    QVERIFY(accepted > 0);
}

QTEST_APPLESS_MAIN(tst_Rotation)

#include "tst_rotation.moc"
