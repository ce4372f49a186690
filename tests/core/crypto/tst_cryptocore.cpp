#include <cmath>
#include <cstring>
#include <set>
#include <vector>

#include <QHash>
#include <QJsonObject>
#include <QTest>

#include "core/crypto/cryptocore.h"
#include "core/crypto/identity.h"
#include "core/crypto/initmessage.h"
#include "tests/support/cryptovectors.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(Nimbus::Algorithm)

class tst_CryptoCore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void knownAnswerA7_data();
    void knownAnswerA7();
    void recordedSessions_data();
    void recordedSessions();
    void roundTrip_data();
    void roundTrip();
    void tamperEveryByte_data();
    void tamperEveryByte();
    void tooShort();
    void replayPinning();
    void reorderingInsideWindow();
    void reflectionRejected();
    void keyConfusion();
    void rotationInstallChangesSendingSlot();
    void nonceIncrementAndCarry();
    void inPlaceApis();
    void rawBufferApis_data();
    void rawBufferApis();
};

namespace
{

const QList<Algorithm> kAeads {Algorithm::Aes128Gcm, Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305};

struct Pair {
    CryptoCore a;
    CryptoCore b;
    explicit Pair(Algorithm algorithm, const QByteArray &key = randomBytes(32))
        : a(algorithm, key, true), b(algorithm, key, false)
    {
    }
};

QByteArray message(int i)
{
    return QByteArray(1, '\0') + "message " + QByteArray::number(i);
}

QString errorName(OpenError error)
{
    switch (error) {
    case OpenError::TooShort:
        return u"TooShort"_s;
    case OpenError::OldNonce:
        return u"OldNonce"_s;
    case OpenError::AuthFailed:
        return u"AuthFailed"_s;
    }
    return u"?"_s;
}

} // namespace

void tst_CryptoCore::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_CryptoCore::knownAnswerA7_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addColumn<QByteArray>("datagram");
    QTest::addRow("AES128") << Algorithm::Aes128Gcm
                            << Test::fromHex("00 00010203040600 990b4642cc9363529827c831556ca0ec9b583a61 41"
                                             "81739507a356197441d48722bae61848");
    QTest::addRow("CHACHA20") << Algorithm::Chacha20Poly1305
                              << Test::fromHex("00 00010203040600 fe65478a3ea2af0958f5be75eba4b014ae51e77630"
                                               "f10c8068dca45c7589833db4ae0980f7");
}

void tst_CryptoCore::knownAnswerA7()
{
    QFETCH(Algorithm, algorithm);
    QFETCH(QByteArray, datagram);
    // A.6: the session key is the raw X25519 output (first 16 bytes for AES-128).
    const X25519KeyPair own = X25519KeyPair::fromSecret(QByteArray(32, '\x11'));
    const X25519KeyPair peer = X25519KeyPair::fromSecret(QByteArray(32, '\x22'));
    const std::optional<SecureBytes> shared = own.agree(peer.publicKey());
    QVERIFY(shared.has_value());
    QCOMPARE(shared->toByteArrayUnsafe().toHex(),
        QByteArray("9e004098efc091d4ec2663b4e9f5cfd4d7064571690b4bea97ab146ab9f35056"));

    const QByteArray plaintext = Test::fromHex("00 4500001c000000004001f8cf0a0000010a000002");
    CryptoCore sender(algorithm, shared->view(), true);
    QCOMPARE(sender.algorithm(), algorithm);
    QVERIFY(sender.ownHalfHigh());
    sender.setSendNonceForTesting(0, Test::fromHex("80 0000000000 0102030405ff"));
    const QByteArray sealed = sender.encrypt(plaintext);
    QCOMPARE(sealed.size(), 45);
    QCOMPARE(sealed.toHex(), datagram.toHex());

    CryptoCore receiver(algorithm, peer.agree(own.publicKey())->view(), false);
    OpenError error {};
    const std::optional<QByteArray> opened = receiver.decrypt(datagram, &error);
    QVERIFY2(opened.has_value(), qPrintable(errorName(error)));
    QCOMPARE(opened->toHex(), plaintext.toHex());

    // The next message uses the next nonce.
    QCOMPARE(sender.encrypt(plaintext).mid(1, 7).toHex(), QByteArray("00010203040601"));
}

void tst_CryptoCore::recordedSessions_data()
{
    QTest::addColumn<QString>("capture");
    QTest::addColumn<int>("sealedCount");
    QTest::addColumn<int>("payloadCount");
    QTest::addColumn<int>("rotatedCount");
    QTest::addRow("keylog-default") << u"keylog-default"_s << 94 << 4 << 2;
    QTest::addRow("keylog-aes128") << u"keylog-aes128"_s << 17 << 4 << 0;
    QTest::addRow("keylog-chacha20") << u"keylog-chacha20"_s << 17 << 2 << 0;
}

void tst_CryptoCore::recordedSessions()
{
    QFETCH(QString, capture);
    QFETCH(int, sealedCount);
    QFETCH(int, payloadCount);
    QFETCH(int, rotatedCount);

    const std::optional<Test::KeylogSide> sideA
        = Test::parseKeylog(Test::readSharedFile(u"vectors/"_s + capture + u"/stderr-A.txt"_s));
    const std::optional<Test::KeylogSide> sideB
        = Test::parseKeylog(Test::readSharedFile(u"vectors/"_s + capture + u"/stderr-B.txt"_s));
    QVERIFY(sideA && sideB);
    const std::array<const Test::KeylogSide *, 2> sides {&*sideA, &*sideB};
    QCOMPARE(sideA->algorithm, sideB->algorithm);
    QCOMPARE(sideA->sessionKey, sideB->sessionKey);
    QCOMPARE(sideA->ownSaltedId, sideB->peerSaltedId);
    QCOMPARE(sideB->ownSaltedId, sideA->peerSaltedId);
    // Spec §3.7: the side with the larger salted id sends with 0x80.
    QCOMPARE(sideA->ownHalfHigh, sideA->ownSaltedId > sideA->peerSaltedId);
    QCOMPARE(sideB->ownHalfHigh, !sideA->ownHalfHigh);

    const QList<QJsonObject> packets = Test::loadCapturePackets(capture);
    QVERIFY(!packets.isEmpty());

    // Which address is which node: match the salted ids of the init messages with the keylogs.
    QHash<QString, int> sideOf;
    for (const QJsonObject &packet : packets) {
        if (packet.value(u"kind"_s).toString() != u"INIT"_s)
            continue;
        const QByteArray salted = QByteArray::fromHex(packet.value(u"salted_node_id_hash"_s).toString().toLatin1());
        for (int i = 0; i < 2; ++i) {
            if (salted == sides[i]->ownSaltedId)
                sideOf.insert(packet.value(u"src"_s).toString(), i);
        }
    }
    QCOMPARE(sideOf.size(), 2);

    // One receiving core per node, with the rotated keys of that node's keylog in their slots.
    std::array<std::optional<CryptoCore>, 2> receivers;
    for (int i = 0; i < 2; ++i) {
        receivers[i].emplace(sides[i]->algorithm, sides[i]->sessionKey, sides[i]->ownHalfHigh);
        std::set<int> slots;
        for (const Test::KeylogRotation &rotation : sides[i]->rotations) {
            QCOMPARE(rotation.slot, static_cast<int>(rotation.id % 4));
            QVERIFY2(rotation.slot != 0 && slots.insert(rotation.slot).second,
                "a rotation reuses a slot; this test would need to install keys in time order");
            receivers[i]->installKey(rotation.slot, rotation.key, rotation.forSending);
        }
    }

    const Identity identity = Identity::fromPassword(u"mysecret"_s);
    int sealed = 0;
    int payloads = 0;
    int rotated = 0;
    qint64 lastTick = 0;
    for (const QJsonObject &packet : packets) {
        // Replay pinning runs on the 2 s housekeeping grid, as in VpnCloud; real traffic must pass it.
        const auto tickNow = static_cast<qint64>(std::floor(packet.value(u"t"_s).toDouble() / 2.0));
        for (; lastTick < tickNow; ++lastTick) {
            receivers[0]->tick();
            receivers[1]->tick();
        }
        const QString where = u"%1 packet %2"_s.arg(capture).arg(packet.value(u"n"_s).toInt());
        const QString src = packet.value(u"src"_s).toString();
        QVERIFY2(sideOf.contains(src), qPrintable(where));
        CryptoCore &receiver = *receivers[1 - sideOf.value(src)];
        QByteArray datagram = QByteArray::fromHex(packet.value(u"udp_payload_hex"_s).toString().toLatin1());
        QByteArray sealedBytes;
        QByteArray expected;
        const QString kind = packet.value(u"kind"_s).toString();
        if (kind == u"SEALED"_s) {
            QVERIFY2(static_cast<quint8>(datagram[0]) <= 3, qPrintable(where));
            sealedBytes = datagram;
            expected = QByteArray::fromHex(packet.value(u"plaintext_hex"_s).toString().toLatin1());
            ++sealed;
            if (datagram[0] != 0)
                ++rotated;
        } else if (kind == u"INIT"_s && packet.contains(u"payload_plaintext_hex"_s)) {
            // Handshake payload: sealed NodeInfo without a type byte (spec §3.8).
            const Result<InitMessage> init = InitMessage::decode(datagram, {identity.publicKey()});
            QVERIFY2(init.ok() && init->payload, qPrintable(where));
            sealedBytes = *init->payload;
            expected = QByteArray::fromHex(packet.value(u"payload_plaintext_hex"_s).toString().toLatin1());
            ++payloads;
        } else {
            continue;
        }
        QVERIFY2(!expected.isEmpty(), qPrintable(where));
        OpenError error {};
        std::optional<QByteArray> opened;
        if (packet.value(u"n"_s).toInt() % 2 == 0) {
            opened = receiver.decrypt(sealedBytes, &error);
        } else if (receiver.decryptInPlace(sealedBytes, &error)) {
            opened = sealedBytes;
        }
        QVERIFY2(opened.has_value(), qPrintable(where + u": "_s + errorName(error)));
        QCOMPARE(opened->toHex(), expected.toHex());
    }
    QCOMPARE(sealed, sealedCount);
    QCOMPARE(payloads, payloadCount);
    QCOMPARE(rotated, rotatedCount);
}

void tst_CryptoCore::roundTrip_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    for (const Algorithm algorithm : kAeads)
        QTest::addRow("%s", qPrintable(algorithmName(algorithm))) << algorithm;
}

void tst_CryptoCore::roundTrip()
{
    QFETCH(Algorithm, algorithm);
    Pair pair(algorithm);
    QCOMPARE(pair.a.sendingSlot(), 0);
    for (int length : {0, 1, 25, 1427, 9000}) {
        const QByteArray plaintext = randomBytes(length);
        const QByteArray fromA = pair.a.encrypt(plaintext);
        const QByteArray fromB = pair.b.encrypt(plaintext);
        QCOMPARE(fromA.size(), length + CryptoCore::kOverhead);
        QCOMPARE(fromA[0], '\0');
        QCOMPARE(pair.b.decrypt(fromA).value_or("failed"), plaintext);
        QCOMPARE(pair.a.decrypt(fromB).value_or("failed"), plaintext);
    }
    // Slots 1-3 hold random dummy keys: a message claiming them fails.
    for (char slot : {'\x01', '\x02', '\x03'}) {
        QByteArray forged = pair.a.encrypt("\x01hello");
        forged[0] = slot;
        OpenError error {};
        QVERIFY(!pair.b.decrypt(forged, &error));
        QCOMPARE(error, OpenError::AuthFailed);
    }
}

void tst_CryptoCore::tamperEveryByte_data()
{
    roundTrip_data();
}

void tst_CryptoCore::tamperEveryByte()
{
    QFETCH(Algorithm, algorithm);
    Pair pair(algorithm);
    const QByteArray sealed = pair.a.encrypt(QByteArray(QByteArray(1, '\0') + randomBytes(40)));
    for (int i = 0; i < sealed.size(); ++i) {
        QByteArray tampered = sealed;
        tampered[i] = static_cast<char>(tampered[i] ^ 0xff);
        OpenError error {};
        QVERIFY2(!pair.b.decrypt(tampered, &error), qPrintable(QString::number(i)));
        QCOMPARE(error, OpenError::AuthFailed);
        for (int bit = 0; bit < 8; ++bit) {
            QByteArray flipped = sealed;
            flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
            const bool ignoredBit = i == 0 && bit >= 2; // the key id is taken mod 4 (spec §1.3)
            QVERIFY2(pair.b.decrypt(flipped).has_value() == ignoredBit, qPrintable(u"%1/%2"_s.arg(i).arg(bit)));
        }
    }
    QVERIFY(pair.b.decrypt(sealed).has_value());
}

void tst_CryptoCore::tooShort()
{
    Pair pair(Algorithm::Chacha20Poly1305);
    const QByteArray empty = pair.a.encrypt({});
    QCOMPARE(empty.size(), 24);
    for (int length = 0; length < 24; ++length) {
        OpenError error = OpenError::AuthFailed;
        QVERIFY(!pair.b.decrypt(empty.left(length), &error));
        QCOMPARE(error, OpenError::TooShort);
        QByteArray inPlace = empty.left(length);
        error = OpenError::AuthFailed;
        QVERIFY(!pair.b.decryptInPlace(inPlace, &error));
        QCOMPARE(error, OpenError::TooShort);
        QCOMPARE(inPlace, empty.left(length));
    }
    QVERIFY(!pair.b.decrypt(empty.left(3))); // the datagram that crashes VpnCloud (spec §4.4) is just dropped
    const std::optional<QByteArray> opened = pair.b.decrypt(empty);
    QVERIFY(opened.has_value());
    QVERIFY(opened->isEmpty());
}

void tst_CryptoCore::replayPinning()
{
    Pair pair(Algorithm::Aes256Gcm);
    QList<QByteArray> sent;
    for (int i = 0; i < 10; ++i)
        sent.append(pair.a.encrypt(message(i)));

    QVERIFY(pair.b.decrypt(sent[5]));
    QVERIFY(pair.b.decrypt(sent[5])); // duplicates are accepted inside the window (VpnCloud is that lax)
    pair.b.tick();
    QVERIFY(pair.b.decrypt(sent[5]));
    QVERIFY(pair.b.decrypt(sent[2])); // older than the newest, but not yet pinned
    pair.b.tick();
    // Floor is now "newest seen before the previous tick" + 1.
    for (int i : {2, 4, 5}) {
        OpenError error {};
        QVERIFY2(!pair.b.decrypt(sent[i], &error), qPrintable(QString::number(i)));
        QCOMPARE(error, OpenError::OldNonce);
    }
    QVERIFY(pair.b.decrypt(sent[6]));
    QVERIFY(pair.b.decrypt(sent[3]).has_value() == false);
    // The floor only moves at ticks: 6 stays acceptable until two more ticks pass.
    QVERIFY(pair.b.decrypt(sent[6]));
    pair.b.tick();
    QVERIFY(pair.b.decrypt(sent[6]));
    pair.b.tick();
    OpenError error {};
    QVERIFY(!pair.b.decrypt(sent[6], &error));
    QCOMPARE(error, OpenError::OldNonce);
    QVERIFY(pair.b.decrypt(sent[7]));

    // A forged old nonce is rejected before authentication (cheap), a forged new one by authentication.
    QByteArray forged = sent[9];
    forged[forged.size() - 1] = static_cast<char>(forged[forged.size() - 1] ^ 1);
    QVERIFY(!pair.b.decrypt(forged, &error));
    QCOMPARE(error, OpenError::AuthFailed);
    QVERIFY(pair.b.decrypt(sent[9])); // a failed forgery does not advance the window

    // Ticks without traffic never reject fresh messages.
    for (int i = 0; i < 5; ++i)
        pair.b.tick();
    QVERIFY(pair.b.decrypt(pair.a.encrypt(message(11))));
}

void tst_CryptoCore::reorderingInsideWindow()
{
    Pair pair(Algorithm::Chacha20Poly1305);
    QList<QByteArray> sent;
    for (int i = 0; i < 8; ++i)
        sent.append(pair.a.encrypt(message(i)));
    for (int i : {3, 1, 7, 0, 2, 6, 4, 5}) {
        const std::optional<QByteArray> opened = pair.b.decrypt(sent[i]);
        QVERIFY2(opened.has_value(), qPrintable(QString::number(i)));
        QCOMPARE(*opened, message(i));
    }
    pair.b.tick();
    QVERIFY(pair.b.decrypt(sent[0])); // reordering across one tick is still fine
    pair.b.tick();
    QVERIFY(!pair.b.decrypt(sent[0])); // two ticks later it is not
    QVERIFY(pair.b.decrypt(pair.a.encrypt(message(8))));
}

void tst_CryptoCore::reflectionRejected()
{
    for (const Algorithm algorithm : kAeads) {
        Pair pair(algorithm);
        const QByteArray own = pair.a.encrypt(message(1));
        OpenError error {};
        QVERIFY(!pair.a.decrypt(own, &error));
        QCOMPARE(error, OpenError::AuthFailed);
        // Two nodes on the same half cannot talk either.
        const QByteArray key = randomBytes(32);
        CryptoCore x(algorithm, key, false);
        CryptoCore y(algorithm, key, false);
        QVERIFY(!y.decrypt(x.encrypt(message(2))));
        QVERIFY(pair.b.decrypt(own)); // the message itself is fine for the real peer
    }
}

void tst_CryptoCore::keyConfusion()
{
    Pair pair(Algorithm::Aes256Gcm);
    const QByteArray rotated = randomBytes(32);
    QByteArray other = rotated;
    other[31] = static_cast<char>(other[31] ^ 1);

    pair.a.installKey(2, rotated, true);
    const QByteArray onSlot2 = pair.a.encrypt(message(1));
    QCOMPARE(onSlot2[0], '\x02');
    OpenError error {};
    QVERIFY(!pair.b.decrypt(onSlot2, &error)); // slot 2 still holds a dummy key
    QCOMPARE(error, OpenError::AuthFailed);
    pair.b.installKey(2, other, false);
    QVERIFY(!pair.b.decrypt(onSlot2, &error)); // a different key in the slot
    QCOMPARE(error, OpenError::AuthFailed);
    pair.b.installKey(3, rotated, false);
    QVERIFY(!pair.b.decrypt(onSlot2, &error)); // the right key in another slot
    QByteArray relabelled = onSlot2;
    relabelled[0] = '\x03';
    QVERIFY(pair.b.decrypt(relabelled)); // ... is found through the key id byte
    pair.b.installKey(2, rotated, false);
    QCOMPARE(pair.b.decrypt(onSlot2).value_or("failed"), message(1));

    // A slot-0 message relabelled to slot 2 fails; genuine slot-0 messages keep working.
    Pair fresh(Algorithm::Aes256Gcm);
    QByteArray slot0 = fresh.a.encrypt(message(2));
    fresh.b.installKey(2, rotated, false);
    QVERIFY(fresh.b.decrypt(slot0));
    slot0[0] = '\x02';
    QVERIFY(!fresh.b.decrypt(slot0, &error));
    QCOMPARE(error, OpenError::AuthFailed);

    // AES-128 truncates a 32-byte rotated key; a key differing only in the dropped half is the same key.
    Pair aes128(Algorithm::Aes128Gcm);
    aes128.a.installKey(1, rotated, true);
    aes128.b.installKey(1, other, false);
    QVERIFY(aes128.b.decrypt(aes128.a.encrypt(message(3))));
}

void tst_CryptoCore::rotationInstallChangesSendingSlot()
{
    Pair pair(Algorithm::Chacha20Poly1305);
    const QByteArray key2 = randomBytes(32);
    const QByteArray key3 = randomBytes(32);
    pair.a.installKey(2, key2, false);
    QCOMPARE(pair.a.sendingSlot(), 0);
    QCOMPARE(pair.a.encrypt(message(0))[0], '\0');
    pair.a.installKey(2, key2, true);
    QCOMPARE(pair.a.sendingSlot(), 2);
    const QByteArray first = pair.a.encrypt(message(1));
    QCOMPARE(first[0], '\x02');
    QCOMPARE(first[1], '\0'); // a fresh slot nonce: bytes 1..5 zero, random 6..11 (spec §4.2)
    pair.b.installKey(2, key2, false);
    QCOMPARE(pair.b.sendingSlot(), 0);
    QCOMPARE(pair.b.decrypt(first).value_or("failed"), message(1));

    pair.b.installKey(3, key3, true);
    pair.a.installKey(3, key3, false);
    QCOMPARE(pair.a.sendingSlot(), 2);
    const QByteArray fromB = pair.b.encrypt(message(2));
    QCOMPARE(fromB[0], '\x03');
    QCOMPARE(pair.a.decrypt(fromB).value_or("failed"), message(2));
    // Installing resets the slot's replay state.
    QVERIFY(pair.a.decrypt(fromB));
    pair.a.tick();
    pair.a.tick();
    QVERIFY(!pair.a.decrypt(fromB));
    pair.a.installKey(3, key3, false);
    QVERIFY(pair.a.decrypt(fromB));
}

void tst_CryptoCore::nonceIncrementAndCarry()
{
    Pair pair(Algorithm::Aes128Gcm);
    const QByteArray first = pair.a.encrypt(message(0));
    const QByteArray second = pair.a.encrypt(message(1));
    const quint64 n1 = first.mid(1, 7).toHex().toULongLong(nullptr, 16);
    const quint64 n2 = second.mid(1, 7).toHex().toULongLong(nullptr, 16);
    QCOMPARE(n2, n1 + 1);

    pair.a.setSendNonceForTesting(0, Test::fromHex("80 0000000000 ffffffffffff"));
    const QByteArray carried = pair.a.encrypt(message(2));
    QCOMPARE(carried.mid(1, 7).toHex(), QByteArray("01000000000000"));
    QCOMPARE(pair.b.decrypt(carried).value_or("failed"), message(2));

    // Out-of-range test hooks are ignored.
    pair.a.setSendNonceForTesting(4, QByteArray(12, '\0'));
    pair.a.setSendNonceForTesting(0, QByteArray(11, '\0'));
    QCOMPARE(pair.a.encrypt(message(3)).mid(1, 7).toHex(), QByteArray("01000000000001"));
}

void tst_CryptoCore::inPlaceApis()
{
    Pair pair(Algorithm::Aes256Gcm);
    const QByteArray plaintext = QByteArray(1, '\0') + randomBytes(100);
    QByteArray buffer = QByteArray(CryptoCore::kHeaderSize, 'h') + plaintext + QByteArray(Aead::kTagSize, 't');
    pair.a.encryptInPlace(buffer);
    QCOMPARE(buffer.size(), plaintext.size() + CryptoCore::kOverhead);
    QCOMPARE(pair.b.decrypt(buffer).value_or("failed"), plaintext);

    const QByteArray sealed = pair.a.encrypt(plaintext);
    const QByteArray pristine(sealed.constData(), sealed.size());
    QByteArray alias = sealed; // shares data with `sealed`
    QVERIFY(pair.b.decryptInPlace(alias));
    QCOMPARE(alias, plaintext);
    QCOMPARE(sealed, pristine); // the shared original is untouched

    QByteArray owned(pair.a.encrypt(plaintext));
    QVERIFY(pair.b.decryptInPlace(owned));
    QCOMPARE(owned, plaintext);
    owned.append("more"); // still a valid, growable array
    QCOMPARE(owned.size(), plaintext.size() + 4);

    QByteArray bad = pair.a.encrypt(plaintext);
    bad[20] = static_cast<char>(bad[20] ^ 4);
    OpenError error {};
    QVERIFY(!pair.b.decryptInPlace(bad, &error));
    QCOMPARE(error, OpenError::AuthFailed);
}

void tst_CryptoCore::rawBufferApis_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    for (const Algorithm algorithm : kAeads)
        QTest::addRow("%s", qPrintable(algorithmName(algorithm))) << algorithm;
}

void tst_CryptoCore::rawBufferApis()
{
    QFETCH(Algorithm, algorithm);
    Pair pair(algorithm);
    // One buffer reused for every message, both ways, with shrinking and growing sizes.
    std::vector<char> buffer(16 + 9000 + CryptoCore::kOverhead);
    for (int length : {1427, 1, 9000, 25, 1427, 0, 300}) {
        for (const bool aToB : {true, false}) {
            CryptoCore &sender = aToB ? pair.a : pair.b;
            CryptoCore &receiver = aToB ? pair.b : pair.a;
            const QByteArray plaintext = randomBytes(length);
            const qsizetype size = length + CryptoCore::kOverhead;
            char *at = buffer.data() + 16; // not at the start of the allocation
            std::memcpy(at + CryptoCore::kHeaderSize, plaintext.constData(), size_t(length));
            sender.sealInPlace(at, size);
            // The same wire format as encrypt(): the other side's copy APIs open it.
            const QByteArray wire(at, size);
            QCOMPARE(CryptoCore(algorithm, QByteArray(32, 'x'), true).decrypt(wire).has_value(), false);
            QVERIFY(receiver.openInPlace(at, size));
            QCOMPARE(QByteArray(at + CryptoCore::kHeaderSize, length), plaintext);
            // encrypt() output opens with openInPlace(); sealInPlace() output opens with decrypt().
            QByteArray copy = sender.encrypt(plaintext);
            QVERIFY(receiver.openInPlace(copy.data(), copy.size()));
            QCOMPARE(copy.sliced(CryptoCore::kHeaderSize, length), plaintext);
            std::memcpy(at + CryptoCore::kHeaderSize, plaintext.constData(), size_t(length));
            sender.sealInPlace(at, size);
            QCOMPARE(receiver.decrypt(QByteArrayView(at, size)).value_or("failed"), plaintext);
        }
    }

    // Errors: too short, tampered, replayed below the floor.
    OpenError error {};
    char tiny[CryptoCore::kOverhead - 1] = {};
    QVERIFY(!pair.b.openInPlace(tiny, sizeof tiny, &error));
    QCOMPARE(error, OpenError::TooShort);
    QVERIFY(!pair.b.openInPlace(nullptr, 0, &error));
    QCOMPARE(error, OpenError::TooShort);
    QByteArray bad = pair.a.encrypt("\x00payload");
    bad[CryptoCore::kHeaderSize + 2] = static_cast<char>(bad[CryptoCore::kHeaderSize + 2] ^ 1);
    QVERIFY(!pair.b.openInPlace(bad.data(), bad.size(), &error));
    QCOMPARE(error, OpenError::AuthFailed);
    const QByteArray old = pair.a.encrypt("\x00old");
    for (int i = 0; i < 3; ++i) {
        QVERIFY(pair.b.decrypt(pair.a.encrypt("\x00newer")));
        pair.b.tick();
    }
    QByteArray replay(old.constData(), old.size());
    QVERIFY(!pair.b.openInPlace(replay.data(), replay.size(), &error));
    QCOMPARE(error, OpenError::OldNonce);
    QCOMPARE(replay, old); // unchanged on OldNonce

    // sealInPlace() on a buffer without room for header and tag does nothing.
    char small[CryptoCore::kOverhead - 1] = {'a', 'b'};
    pair.a.sealInPlace(small, sizeof small);
    QCOMPARE(small[0], 'a');
}

QTEST_APPLESS_MAIN(tst_CryptoCore)

#include "tst_cryptocore.moc"
