#include <cmath>
#include <limits>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "core/crypto/initmessage.h"
#include "tests/support/cryptovectors.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(Nimbus::AlgorithmList)
Q_DECLARE_METATYPE(std::optional<Nimbus::Algorithm>)

class tst_InitMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pingA5();
    void roundTripAllStages_data();
    void roundTripAllStages();
    void plainMarkerEncoding();
    void selectAlgorithm_data();
    void selectAlgorithm();
    void recordedInitMessages_data();
    void recordedInitMessages();
    void plainCloseIsNotAnInit();
    void firstMatchingTrustedKeyOnly();
    void forgedByteFlips();
    void wrongKey();
    void truncatedAtEveryLength();
    void badFields_data();
    void badFields();
    void unknownFieldsAndTrailingBytesIgnored();
    void randomInputIsRejectedCleanly();

private:
    QByteArray m_a5;
};

namespace
{

AlgorithmList a5Algorithms()
{
    return AlgorithmList {
        false, {{Algorithm::Aes128Gcm, 600.0f}, {Algorithm::Aes256Gcm, 500.0f}, {Algorithm::Chacha20Poly1305, 400.0f}}};
}

InitMessage a5Message()
{
    InitMessage message;
    message.stage = Stage::Ping;
    message.saltedNodeId = Test::fromHex("a0a1a2a3edf338965c24430052d03899b3785285");
    message.ecdhPublicKey = X25519KeyPair::fromSecret(QByteArray(32, '\x11')).publicKey();
    message.algorithms = a5Algorithms();
    return message;
}

QByteArray field(quint8 type, const QByteArray &value)
{
    QByteArray out;
    out.append(static_cast<char>(type));
    out.append(static_cast<char>(value.size() >> 8));
    out.append(static_cast<char>(value.size() & 0xff));
    return out + value;
}

/// A correctly signed init datagram around arbitrary raw fields (for messages the encoder cannot produce).
QByteArray signedRaw(const Identity &signer, const QByteArray &fields, const QByteArray &trailer = {})
{
    const QByteArray salt = Test::fromHex("0a0b0c0d");
    const QByteArray body = salt + keyTag(signer.publicKey(), salt) + fields + '\0';
    return '\xff' + body + '\x40' + signer.sign(body) + trailer;
}

QByteArray stageField(quint8 stage)
{
    return field(1, QByteArray(1, static_cast<char>(stage)));
}

QByteArray algorithmsField()
{
    return field(4, Test::fromHex("0144160000 0243fa0000 0343c80000"));
}

Identity mysecret()
{
    return Identity::fromPassword(u"mysecret"_s);
}

} // namespace

void tst_InitMessage::initTestCase()
{
    QVERIFY(initCrypto());
    m_a5 = Test::fromHex("ff 01020304 1a1a47b0 010001 01"
                         "020014 a0a1a2a3edf338965c24430052d03899b3785285"
                         "030020 7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13"
                         "04000f 0144160000 0243fa0000 0343c80000"
                         "00 40"
                         "70184cb8c29ab736c5d34cd52b5412db8f5382d64aecb1cc713d9420b1c8560c"
                         "464619d3c07a643801af88c2b55d4cba2181a698f004f774f5714f8f1acc1307");
    QCOMPARE(m_a5.size(), 155);
}

void tst_InitMessage::pingA5()
{
    const Identity identity = Identity::fromPassword(u"test"_s);
    const QByteArray salted
        = saltedNodeId(Test::fromHex("000102030405060708090a0b0c0d0e0f"), Test::fromHex("a0a1a2a3"));
    InitMessage message = a5Message();
    QCOMPARE(message.saltedNodeId, salted);
    const QByteArray encoded = message.encode(identity, Test::fromHex("01020304"));
    QCOMPARE(encoded.toHex(), m_a5.toHex());

    const Result<InitMessage> decoded = InitMessage::decode(m_a5, {identity.publicKey()});
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().code));
    QCOMPARE(decoded->stage, Stage::Ping);
    QCOMPARE(decoded->saltedNodeId, salted);
    QCOMPARE(decoded->ecdhPublicKey, message.ecdhPublicKey);
    QCOMPARE(decoded->algorithms, std::optional<AlgorithmList>(a5Algorithms()));
    QVERIFY(!decoded->payload.has_value());

    // Without a salt the encoder picks a random one; still valid, different bytes.
    const QByteArray randomSalt = message.encode(identity);
    QCOMPARE(randomSalt.size(), 155);
    QVERIFY(randomSalt.mid(1, 4) != m_a5.mid(1, 4) || randomSalt == m_a5);
    QVERIFY(InitMessage::decode(randomSalt, {identity.publicKey()}).ok());
}

void tst_InitMessage::roundTripAllStages_data()
{
    QTest::addColumn<int>("stage");
    QTest::addColumn<bool>("keys");
    QTest::addColumn<bool>("payload");
    QTest::addColumn<int>("length");
    QTest::addRow("PING") << 1 << true << false << 155;
    QTest::addRow("PONG") << 2 << true << true << 155 + 3 + 83;
    QTest::addRow("PENG") << 3 << false << true << 188;
}

void tst_InitMessage::roundTripAllStages()
{
    QFETCH(int, stage);
    QFETCH(bool, keys);
    QFETCH(bool, payload);
    QFETCH(int, length);
    const Identity identity = mysecret();
    InitMessage message;
    message.stage = static_cast<Stage>(stage);
    message.saltedNodeId = saltedNodeId(randomBytes(16));
    if (keys) {
        message.ecdhPublicKey = X25519KeyPair::generate().publicKey();
        message.algorithms = a5Algorithms();
    }
    if (payload)
        message.payload = randomBytes(83);
    const QByteArray encoded = message.encode(identity);
    QCOMPARE(encoded.size(), length); // README length formulas
    QCOMPARE(static_cast<quint8>(encoded[0]), quint8(0xff));
    QCOMPARE(encoded.mid(9, 4), QByteArray(QByteArray::fromHex("010001") + char(stage))); // stage first
    const Result<InitMessage> decoded = InitMessage::decode(encoded, {identity.publicKey()});
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->stage, message.stage);
    QCOMPARE(decoded->saltedNodeId, message.saltedNodeId);
    QCOMPARE(decoded->ecdhPublicKey, message.ecdhPublicKey);
    QCOMPARE(decoded->algorithms, message.algorithms);
    QCOMPARE(decoded->payload, message.payload);
}

void tst_InitMessage::plainMarkerEncoding()
{
    const Identity identity = mysecret();
    InitMessage message = a5Message();
    message.algorithms = AlgorithmList {true, {{Algorithm::Chacha20Poly1305, 800.0f}}};
    const QByteArray encoded = message.encode(identity);
    QCOMPARE(encoded.size(), 150);
    QVERIFY(encoded.contains(Test::fromHex("04000a 007f800000 0344480000")));
    const Result<InitMessage> decoded = InitMessage::decode(encoded, {identity.publicKey()});
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->algorithms, message.algorithms);

    // Only plain (what `--algorithm plain` sends).
    message.algorithms = AlgorithmList {true, {}};
    const QByteArray plainOnly = message.encode(identity);
    QCOMPARE(plainOnly.size(), 145); // README: 145 bytes with a single entry (real-plain PING)
    QVERIFY(plainOnly.contains(Test::fromHex("040005 007f800000 00 40")));
    QCOMPARE(InitMessage::decode(plainOnly, {identity.publicKey()})->algorithms, message.algorithms);
}

void tst_InitMessage::selectAlgorithm_data()
{
    QTest::addColumn<AlgorithmList>("own");
    QTest::addColumn<AlgorithmList>("peer");
    QTest::addColumn<std::optional<Algorithm>>("expected");
    using A = Algorithm;
    const AlgorithmList vpncloud {
        false, {{A::Aes128Gcm, 3257.5f}, {A::Aes256Gcm, 3108.7f}, {A::Chacha20Poly1305, 1559.1f}}};
    const AlgorithmList nimbus {false, {{A::Aes256Gcm, 600.0f}, {A::Chacha20Poly1305, 800.0f}}};
    QTest::addRow("min of speeds, then max") << nimbus << vpncloud << std::optional(A::Chacha20Poly1305);
    QTest::addRow("symmetric") << vpncloud << nimbus << std::optional(A::Chacha20Poly1305);
    QTest::addRow("fastest common") << vpncloud << vpncloud << std::optional(A::Aes128Gcm);
    QTest::addRow("keylog-default capture")
        << AlgorithmList {false, {{A::Aes128Gcm, 182.2f}, {A::Aes256Gcm, 399.1f}, {A::Chacha20Poly1305, 293.1f}}}
        << AlgorithmList {false, {{A::Aes128Gcm, 179.3f}, {A::Aes256Gcm, 557.2f}, {A::Chacha20Poly1305, 193.8f}}}
        << std::optional(A::Aes256Gcm);
    const AlgorithmList tieOwn {false, {{A::Chacha20Poly1305, 500.0f}, {A::Aes256Gcm, 500.0f}}};
    const AlgorithmList tiePeer {false, {{A::Aes256Gcm, 900.0f}, {A::Chacha20Poly1305, 900.0f}}};
    QTest::addRow("tie: own first wins") << tieOwn << tiePeer << std::optional(A::Chacha20Poly1305);
    QTest::addRow("tie: other side picks its first") << tiePeer << tieOwn << std::optional(A::Aes256Gcm);
    QTest::addRow("tie: min ties although speeds differ")
        << AlgorithmList {false, {{A::Aes256Gcm, 700.0f}, {A::Chacha20Poly1305, 300.0f}}}
        << AlgorithmList {false, {{A::Chacha20Poly1305, 900.0f}, {A::Aes256Gcm, 300.0f}}}
        << std::optional(A::Aes256Gcm);
    QTest::addRow("plain both") << AlgorithmList {true, nimbus.algorithms} << AlgorithmList {true, vpncloud.algorithms}
                                << std::optional(A::Plain);
    QTest::addRow("plain only own") << AlgorithmList {true, nimbus.algorithms} << vpncloud
                                    << std::optional(A::Chacha20Poly1305);
    QTest::addRow("plain only peer") << nimbus << AlgorithmList {true, vpncloud.algorithms}
                                     << std::optional(A::Chacha20Poly1305);
    QTest::addRow("plain only-lists") << AlgorithmList {true, {}} << AlgorithmList {true, {}}
                                      << std::optional(A::Plain);
    QTest::addRow("plain own, peer no plain, nothing common")
        << AlgorithmList {true, {}} << vpncloud << std::optional<A>();
    QTest::addRow("no common algorithm") << AlgorithmList {false, {{A::Aes128Gcm, 1.0f}}} << nimbus
                                         << std::optional<A>();
    QTest::addRow("empty lists") << AlgorithmList {} << AlgorithmList {} << std::optional<A>();
    QTest::addRow("peer duplicate: first occurrence counts")
        << AlgorithmList {false, {{A::Aes256Gcm, 1000.0f}, {A::Chacha20Poly1305, 500.0f}}}
        << AlgorithmList {false, {{A::Aes256Gcm, 100.0f}, {A::Chacha20Poly1305, 400.0f}, {A::Aes256Gcm, 2000.0f}}}
        << std::optional(A::Chacha20Poly1305);
}

void tst_InitMessage::selectAlgorithm()
{
    QFETCH(AlgorithmList, own);
    QFETCH(AlgorithmList, peer);
    QFETCH(std::optional<Algorithm>, expected);
    QCOMPARE(Nimbus::selectAlgorithm(own, peer), expected);
}

void tst_InitMessage::recordedInitMessages_data()
{
    QTest::addColumn<QJsonObject>("packet");
    int rows = 0;
    for (const QString &capture : {u"keylog-default"_s, u"keylog-aes128"_s, u"keylog-chacha20"_s, u"real-plain"_s}) {
        const QList<QJsonObject> packets = Test::loadCapturePackets(capture);
        QVERIFY2(!packets.isEmpty(), qPrintable(capture));
        for (const QJsonObject &packet : packets) {
            if (packet.value(u"kind"_s).toString() != u"INIT"_s)
                continue;
            QTest::addRow("%s #%d %s",
                qPrintable(capture),
                packet.value(u"n"_s).toInt(),
                qPrintable(packet.value(u"stage"_s).toString()))
                << packet;
            ++rows;
        }
    }
    QCOMPARE(rows, 17); // 6 + 5 + 3 + 3 init datagrams in the four captures
}

void tst_InitMessage::recordedInitMessages()
{
    QFETCH(QJsonObject, packet);
    const QByteArray datagram = QByteArray::fromHex(packet.value(u"udp_payload_hex"_s).toString().toLatin1());
    QCOMPARE(datagram.size(), packet.value(u"len"_s).toInt());
    QCOMPARE(static_cast<quint8>(datagram[0]), quint8(0xff));
    // Every capture used password `mysecret` (node-b's private key is `genkey --password mysecret`).
    const Identity identity = mysecret();
    const Result<InitMessage> decoded = InitMessage::decode(datagram, {identity.publicKey()});
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().code));

    const QString stage = packet.value(u"stage"_s).toString();
    const Stage expectedStage = stage == u"PING"_s ? Stage::Ping : stage == u"PONG"_s ? Stage::Pong : Stage::Peng;
    QCOMPARE(decoded->stage, expectedStage);
    QCOMPARE(decoded->saltedNodeId.toHex(), packet.value(u"salted_node_id_hash"_s).toString().toLatin1());

    if (packet.contains(u"ecdh_x25519_pub"_s)) {
        QVERIFY(decoded->ecdhPublicKey.has_value());
        QCOMPARE(decoded->ecdhPublicKey->toHex(), packet.value(u"ecdh_x25519_pub"_s).toString().toLatin1());
    } else {
        QVERIFY(!decoded->ecdhPublicKey.has_value());
    }

    if (packet.contains(u"algorithms"_s)) {
        QVERIFY(decoded->algorithms.has_value());
        const QJsonArray expected = packet.value(u"algorithms"_s).toArray();
        qsizetype aeadIndex = 0;
        bool expectPlain = false;
        for (const QJsonValue &entryValue : expected) {
            const QJsonArray entry = entryValue.toArray();
            const QString name = entry.at(0).toString();
            if (name == u"PLAIN"_s) {
                expectPlain = true;
                continue;
            }
            QVERIFY(aeadIndex < decoded->algorithms->algorithms.size());
            const AlgorithmSpeed &got = decoded->algorithms->algorithms[aeadIndex++];
            QCOMPARE(algorithmName(got.algorithm), name);
            QVERIFY2(std::abs(got.speed - entry.at(1).toDouble()) < 0.051,
                qPrintable(u"%1 vs %2"_s.arg(got.speed).arg(entry.at(1).toDouble())));
        }
        QCOMPARE(aeadIndex, decoded->algorithms->algorithms.size());
        QCOMPARE(decoded->algorithms->allowPlain, expectPlain);
    } else {
        QVERIFY(!decoded->algorithms.has_value());
    }

    if (packet.contains(u"payload_len"_s)) {
        QVERIFY(decoded->payload.has_value());
        QCOMPARE(decoded->payload->size(), packet.value(u"payload_len"_s).toInt());
        if (packet.contains(u"payload_nonce7"_s)) {
            // Sealed NodeInfo: key id || nonce[5..12] || ciphertext || tag.
            QCOMPARE(static_cast<int>(decoded->payload->at(0)), packet.value(u"payload_key_id"_s).toInt());
            QCOMPARE(decoded->payload->mid(1, 7).toHex(), packet.value(u"payload_nonce7"_s).toString().toLatin1());
        } else {
            // Plain session: the raw NodeInfo, node id part first.
            const QByteArray nodeId = packet.value(u"payload_node_info"_s)[u"node_id"_s].toString().toLatin1();
            QCOMPARE(decoded->payload->left(19).toHex(), QByteArray("040010" + nodeId));
        }
    } else {
        QVERIFY(!decoded->payload.has_value());
    }

    // Our encoder reproduces the datagram byte for byte from the decoded fields (Ed25519 is deterministic),
    // except the speeds, which the JSON rounds: re-encode with the decoded floats.
    const QByteArray reencoded = decoded->encode(identity, datagram.mid(1, 4));
    QCOMPARE(reencoded.toHex(), datagram.toHex());
}

void tst_InitMessage::plainCloseIsNotAnInit()
{
    // real-plain: CLOSE in plaintext mode is the single byte 0xFF (spec §1.4 quirk); it must be rejected cleanly.
    int closes = 0;
    for (const QJsonObject &packet : Test::loadCapturePackets(u"real-plain"_s)) {
        const QByteArray datagram = QByteArray::fromHex(packet.value(u"udp_payload_hex"_s).toString().toLatin1());
        if (packet.value(u"kind"_s).toString() == u"INIT"_s || static_cast<quint8>(datagram.at(0)) != 0xff)
            continue;
        const Result<InitMessage> decoded = InitMessage::decode(datagram, {mysecret().publicKey()});
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, u"truncated"_s);
        ++closes;
    }
    QCOMPARE(closes, 2);
}

void tst_InitMessage::firstMatchingTrustedKeyOnly()
{
    const Identity identity = Identity::fromPassword(u"test"_s);
    const QByteArray other = Identity::generate().publicKey();
    QVERIFY(InitMessage::decode(m_a5, {other, identity.publicKey()}).ok());
    QVERIFY(InitMessage::decode(m_a5, {identity.publicKey(), other}).ok());

    // A message carrying the tag of trusted key X but signed by Y: X is tried, fails, and Y is not tried.
    const Identity signer = mysecret();
    InitMessage message = a5Message();
    QByteArray forged = message.encode(signer, Test::fromHex("01020304"));
    forged.replace(5, 4, keyTag(identity.publicKey(), Test::fromHex("01020304")));
    const Result<InitMessage> decoded = InitMessage::decode(forged, {identity.publicKey(), signer.publicKey()});
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, u"bad-signature"_s);
}

void tst_InitMessage::forgedByteFlips()
{
    const QList<QByteArray> trusted {Identity::fromPassword(u"test"_s).publicKey()};
    // Offsets of the A.5 datagram: 1-4 salt, 5-8 tag, then TLVs; these bytes steer the field walk.
    const QList<int> structural {10, 11, 14, 15, 37, 38, 72, 73, 89};
    const int endMarker = 89;
    QCOMPARE(static_cast<quint8>(m_a5[endMarker]), quint8(0));
    for (int i = 0; i < m_a5.size(); ++i) {
        for (const quint8 mask : {quint8(0x01), quint8(0x80), quint8(0xff)}) {
            QByteArray forged = m_a5;
            forged[i] = static_cast<char>(forged[i] ^ mask);
            const Result<InitMessage> decoded = InitMessage::decode(forged, trusted);
            const QString where = u"offset %1 mask %2"_s.arg(i).arg(mask);
            if (i == 0) {
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QCOMPARE(decoded.error().code, u"bad-field"_s); // not an init message any more
            } else if (i <= 8) {
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QCOMPARE(decoded.error().code, u"untrusted-peer"_s);
            } else if (i < 90 && !structural.contains(i)) {
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QCOMPARE(decoded.error().code, u"bad-signature"_s);
            } else if (i == 90) {
                // The signature length byte.
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QVERIFY2(decoded.error().code == u"bad-signature"_s || decoded.error().code == u"truncated"_s,
                    qPrintable(where + u' ' + decoded.error().code));
            } else if (i > 90) {
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QCOMPARE(decoded.error().code, u"bad-signature"_s);
            } else {
                // A length byte or the end marker: the walk goes astray and ends truncated or unverifiable.
                QVERIFY2(!decoded.ok(), qPrintable(where));
                QVERIFY2(decoded.error().code == u"bad-signature"_s || decoded.error().code == u"truncated"_s,
                    qPrintable(where + u' ' + decoded.error().code));
            }
        }
    }
}

void tst_InitMessage::wrongKey()
{
    const Result<InitMessage> none = InitMessage::decode(m_a5, {});
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, u"untrusted-peer"_s);
    const Result<InitMessage> other = InitMessage::decode(m_a5, {mysecret().publicKey(), QByteArray(32, '\x05')});
    QVERIFY(!other.ok());
    QCOMPARE(other.error().code, u"untrusted-peer"_s);
    const Result<InitMessage> shortKey = InitMessage::decode(m_a5, {QByteArray()});
    QVERIFY(!shortKey.ok());
    QCOMPARE(shortKey.error().code, u"untrusted-peer"_s);
}

void tst_InitMessage::truncatedAtEveryLength()
{
    const QList<QByteArray> trusted {Identity::fromPassword(u"test"_s).publicKey()};
    for (int length = 0; length < m_a5.size(); ++length) {
        const Result<InitMessage> decoded = InitMessage::decode(m_a5.left(length), trusted);
        QVERIFY2(!decoded.ok(), qPrintable(QString::number(length)));
        QVERIFY2(decoded.error().code == u"truncated"_s, qPrintable(u"%1: %2"_s.arg(length).arg(decoded.error().code)));
    }
    QVERIFY(InitMessage::decode(m_a5, trusted).ok());
}

void tst_InitMessage::badFields_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QString>("code");
    const QByteArray salted = field(2, QByteArray(20, '\x42'));
    const QByteArray ecdh = field(3, QByteArray(32, '\x09'));
    const QByteArray payload = field(5, QByteArray(40, '\x01'));
    const auto row = [](const char *name, const QByteArray &fields, const QString &code) {
        QTest::newRow(name) << fields << code;
    };
    row("valid PING", stageField(1) + salted + ecdh + algorithmsField(), QString());
    row("valid PONG", stageField(2) + salted + ecdh + algorithmsField() + payload, QString());
    row("valid PENG", stageField(3) + salted + payload, QString());
    row("fields in any order", algorithmsField() + ecdh + salted + stageField(1), QString());
    row("stage length 2", field(1, "\x01\x01") + salted + ecdh + algorithmsField(), u"bad-field"_s);
    row("stage length 0", field(1, {}) + salted + ecdh + algorithmsField(), u"bad-field"_s);
    row("salted id 19", stageField(1) + field(2, QByteArray(19, 'x')) + ecdh + algorithmsField(), u"bad-field"_s);
    row("salted id 21", stageField(1) + field(2, QByteArray(21, 'x')) + ecdh + algorithmsField(), u"bad-field"_s);
    row("ecdh 31", stageField(1) + salted + field(3, QByteArray(31, 'x')) + algorithmsField(), u"bad-field"_s);
    row("algorithms 7 bytes", stageField(1) + salted + ecdh + field(4, QByteArray(7, '\x03')), u"bad-field"_s);
    row("stage 0", stageField(0) + salted + ecdh + algorithmsField(), u"bad-stage"_s);
    row("stage 4", stageField(4) + salted + ecdh + algorithmsField(), u"bad-stage"_s);
    row("stage 5", stageField(5) + salted + payload, u"bad-stage"_s);
    row("stage 255", stageField(255) + salted, u"bad-stage"_s);
    row("no stage", salted + ecdh + algorithmsField(), u"missing-field"_s);
    row("no salted id", stageField(1) + ecdh + algorithmsField(), u"missing-field"_s);
    row("PING without ecdh", stageField(1) + salted + algorithmsField(), u"missing-field"_s);
    row("PING without algorithms", stageField(1) + salted + ecdh, u"missing-field"_s);
    row("PONG without payload", stageField(2) + salted + ecdh + algorithmsField(), u"missing-field"_s);
    row("PONG without ecdh", stageField(2) + salted + algorithmsField() + payload, u"missing-field"_s);
    row("PENG without payload", stageField(3) + salted, u"missing-field"_s);
    row("empty", QByteArray(), u"missing-field"_s);
}

void tst_InitMessage::badFields()
{
    QFETCH(QByteArray, fields);
    QFETCH(QString, code);
    const Identity identity = mysecret();
    const Result<InitMessage> decoded = InitMessage::decode(signedRaw(identity, fields), {identity.publicKey()});
    if (code.isEmpty()) {
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().code));
        return;
    }
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, code);
    QVERIFY(!decoded.error().message.isEmpty());
}

void tst_InitMessage::unknownFieldsAndTrailingBytesIgnored()
{
    const Identity identity = mysecret();
    const QByteArray fields = stageField(1) + field(0x77, "unknown") + field(2, QByteArray(20, '\x42'))
        + field(3, QByteArray(32, '\x09')) + field(4, Test::fromHex("0544160000 0343c80000 00 7f800000"));
    const Result<InitMessage> decoded
        = InitMessage::decode(signedRaw(identity, fields, "trailing bytes"), {identity.publicKey()});
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->stage, Stage::Ping);
    // Unknown algorithm id 5 is ignored; id 0 anywhere means plaintext allowed.
    QCOMPARE(decoded->algorithms, std::optional(AlgorithmList {true, {{Algorithm::Chacha20Poly1305, 400.0f}}}));

    // A signature length other than 64 is rejected.
    QByteArray badLength = signedRaw(identity, fields);
    const qsizetype lengthAt = badLength.size() - 65;
    QCOMPARE(static_cast<quint8>(badLength[lengthAt]), quint8(64));
    badLength[lengthAt] = 63;
    const Result<InitMessage> rejected = InitMessage::decode(badLength, {identity.publicKey()});
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.error().code, u"bad-signature"_s);
}

void tst_InitMessage::randomInputIsRejectedCleanly()
{
    // Random bodies behind a valid salt and tag reach the field walk; none may crash or be accepted.
    const Identity identity = mysecret();
    const QByteArray salt = Test::fromHex("01020304");
    const QByteArray head = QByteArray(QByteArray(1, '\xff') + salt + keyTag(identity.publicKey(), salt));
    const QStringList codes {u"truncated"_s, u"bad-signature"_s};
    for (int round = 0; round < 3000; ++round) {
        const QByteArray random = randomBytes(1 + round % 300);
        const Result<InitMessage> decoded = InitMessage::decode(QByteArray(head + random), {identity.publicKey()});
        QVERIFY(!decoded.ok());
        QVERIFY2(codes.contains(decoded.error().code), qPrintable(decoded.error().code));
        QVERIFY(!InitMessage::decode(QByteArray(QByteArray(1, '\xff') + random), {identity.publicKey()}).ok());
    }
}

QTEST_APPLESS_MAIN(tst_InitMessage)

#include "tst_initmessage.moc"
