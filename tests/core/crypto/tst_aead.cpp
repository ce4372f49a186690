#include <QTest>

#include "core/crypto/aead.h"
#include "core/crypto/identity.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

Q_DECLARE_METATYPE(Nimbus::Algorithm)
Q_DECLARE_METATYPE(std::optional<Nimbus::Algorithm>)

class tst_Aead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void names_data();
    void names();
    void parseNames_data();
    void parseNames();
    void availability();
    void recordedExamples_data();
    void recordedExamples();
    void roundTripAndTamper_data();
    void roundTripAndTamper();
    void longKeyIsTruncated();
    void moveKeepsKey();
};

namespace
{

struct Example {
    QString name;
    Algorithm algorithm = Algorithm::Plain;
    QByteArray key;
    int keyId = -1;
    QByteArray nonce;
    QByteArray sealed;
    QByteArray plaintext;
};

/// The blocks of vectors/aead-examples.txt.
QList<Example> loadExamples()
{
    QList<Example> examples;
    const QList<QByteArray> lines = Test::readSharedFile(u"vectors/aead-examples.txt"_s).split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line.startsWith('[')) {
            examples.append(Example {});
            examples.last().name = QString::fromUtf8(line.mid(1, line.indexOf(']') - 1));
            continue;
        }
        if (examples.isEmpty())
            continue;
        Example &example = examples.last();
        const qsizetype space = line.indexOf(' ');
        if (space < 0)
            continue;
        const QByteArray key = line.left(space);
        const QByteArray value = line.mid(space).trimmed().split(' ').first();
        if (key == "algorithm")
            example.algorithm = parseAlgorithmName(QString::fromLatin1(value)).value_or(Algorithm::Plain);
        else if (key == "key")
            example.key = QByteArray::fromHex(value);
        else if (key == "key_id")
            example.keyId = value.toInt();
        else if (key == "nonce(12)")
            example.nonce = QByteArray::fromHex(value);
        else if (key == "sealed")
            example.sealed = QByteArray::fromHex(value);
        else if (key == "plaintext")
            example.plaintext = QByteArray::fromHex(value);
    }
    return examples;
}

const quint8 *u8(const QByteArray &bytes)
{
    return reinterpret_cast<const quint8 *>(bytes.constData());
}

quint8 *u8(QByteArray &bytes)
{
    return reinterpret_cast<quint8 *>(bytes.data());
}

} // namespace

void tst_Aead::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_Aead::names_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("keyLength");
    QTest::addRow("plain") << Algorithm::Plain << u"PLAIN"_s << 0;
    QTest::addRow("aes128") << Algorithm::Aes128Gcm << u"AES128"_s << 16;
    QTest::addRow("aes256") << Algorithm::Aes256Gcm << u"AES256"_s << 32;
    QTest::addRow("chacha20") << Algorithm::Chacha20Poly1305 << u"CHACHA20"_s << 32;
}

void tst_Aead::names()
{
    QFETCH(Algorithm, algorithm);
    QFETCH(QString, name);
    QFETCH(int, keyLength);
    QCOMPARE(algorithmName(algorithm), name);
    QCOMPARE(Nimbus::keyLength(algorithm), keyLength);
    QCOMPARE(parseAlgorithmName(name), std::optional(algorithm));
}

void tst_Aead::parseNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<std::optional<Algorithm>>("expected");
    const std::optional<Algorithm> none;
    for (const QString &name : {u"plain"_s, u"none"_s, u"unencrypted"_s, u"PLAIN"_s, u"Unencrypted"_s})
        QTest::addRow("%s", qPrintable(name)) << name << std::optional(Algorithm::Plain);
    for (const QString &name : {u"aes128"_s, u"aes128_gcm"_s, u"aes_128"_s, u"aes_128_gcm"_s, u"AES_128_GCM"_s})
        QTest::addRow("%s", qPrintable(name)) << name << std::optional(Algorithm::Aes128Gcm);
    for (const QString &name : {u"aes256"_s, u"aes256_gcm"_s, u"aes_256"_s, u"aes_256_gcm"_s, u"AES256"_s})
        QTest::addRow("%s", qPrintable(name)) << name << std::optional(Algorithm::Aes256Gcm);
    for (const QString &name : {u"chacha"_s, u"chacha20"_s, u"chacha20_poly1305"_s, u"CHACHA20_POLY1305"_s})
        QTest::addRow("%s", qPrintable(name)) << name << std::optional(Algorithm::Chacha20Poly1305);
    for (const QString &name : {u""_s, u"aes"_s, u"aes-128"_s, u"aes192"_s, u"xchacha20"_s, u"chacha20poly1305"_s})
        QTest::addRow("bad '%s'", qPrintable(name)) << name << none;
}

void tst_Aead::parseNames()
{
    QFETCH(QString, name);
    QFETCH(std::optional<Algorithm>, expected);
    QCOMPARE(parseAlgorithmName(name), expected);
}

void tst_Aead::availability()
{
    QVERIFY(algorithmAvailable(Algorithm::Plain));
    QVERIFY(algorithmAvailable(Algorithm::Aes128Gcm));
    QVERIFY(algorithmAvailable(Algorithm::Chacha20Poly1305));
    // AES-256-GCM depends on the CPU (libsodium needs AES-NI + PCLMUL); either answer is fine, but it is stable.
    QCOMPARE(algorithmAvailable(Algorithm::Aes256Gcm), algorithmAvailable(Algorithm::Aes256Gcm));
    if (!algorithmAvailable(Algorithm::Aes256Gcm))
        qInfo("AES-256-GCM not available in libsodium on this CPU; the OpenSSL fallback is tested");
}

void tst_Aead::recordedExamples_data()
{
    QTest::addColumn<int>("index");
    const QList<Example> examples = loadExamples();
    QCOMPARE(examples.size(), 16); // 5 AES128 + 6 AES256 + 5 CHACHA20
    for (int i = 0; i < examples.size(); ++i)
        QTest::addRow("%s", qPrintable(examples[i].name)) << i;
}

void tst_Aead::recordedExamples()
{
    QFETCH(int, index);
    const Example example = loadExamples().at(index);
    QVERIFY(example.algorithm != Algorithm::Plain);
    QCOMPARE(example.key.size(), keyLength(example.algorithm));
    QCOMPARE(example.nonce.size(), Aead::kNonceSize);
    QCOMPARE(example.sealed.size(), 8 + example.plaintext.size() + Aead::kTagSize);
    // Header: key id, then nonce bytes 5..11.
    QCOMPARE(static_cast<int>(example.sealed[0]), example.keyId);
    QCOMPARE(example.sealed.mid(1, 7), example.nonce.mid(5));
    QCOMPARE(example.nonce.mid(1, 4), QByteArray(4, '\0'));

    const Aead aead(example.algorithm, example.key);
    QCOMPARE(aead.algorithm(), example.algorithm);
    const qsizetype length = example.plaintext.size();
    QByteArray data = example.sealed.mid(8, length);
    const QByteArray tag = example.sealed.right(Aead::kTagSize);
    QVERIFY(aead.open(u8(example.nonce), u8(data), length, u8(tag)));
    QCOMPARE(data.toHex(), example.plaintext.toHex());

    // Sealing the plaintext with the same nonce gives the recorded bytes.
    QByteArray sealed = example.plaintext;
    QByteArray sealedTag(Aead::kTagSize, '\0');
    aead.seal(u8(example.nonce), u8(sealed), length, u8(sealedTag));
    QCOMPARE(QByteArray(sealed + sealedTag).toHex(), example.sealed.mid(8).toHex());

    // The nonce with the other half fails, as does the right nonce with another key.
    QByteArray otherHalf = example.nonce;
    otherHalf[0] = static_cast<char>(otherHalf[0] ^ 0x80);
    data = example.sealed.mid(8, length);
    QVERIFY(!aead.open(u8(otherHalf), u8(data), length, u8(tag)));
    QByteArray otherKey = example.key;
    otherKey[0] = static_cast<char>(otherKey[0] ^ 1);
    data = example.sealed.mid(8, length);
    QVERIFY(!Aead(example.algorithm, otherKey).open(u8(example.nonce), u8(data), length, u8(tag)));
}

void tst_Aead::roundTripAndTamper_data()
{
    QTest::addColumn<Algorithm>("algorithm");
    QTest::addColumn<int>("length");
    for (const Algorithm algorithm : {Algorithm::Aes128Gcm, Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305}) {
        for (const int length : {0, 1, 15, 16, 17, 100, 1427}) {
            QTest::addRow("%s %d", qPrintable(algorithmName(algorithm)), length) << algorithm << length;
        }
    }
}

void tst_Aead::roundTripAndTamper()
{
    QFETCH(Algorithm, algorithm);
    QFETCH(int, length);
    const Aead aead(algorithm, randomBytes(32));
    const QByteArray nonce = randomBytes(Aead::kNonceSize);
    const QByteArray plaintext = randomBytes(length);
    QByteArray ciphertext = plaintext;
    QByteArray tag(Aead::kTagSize, '\0');
    aead.seal(u8(nonce), u8(ciphertext), length, u8(tag));
    QCOMPARE(ciphertext.size(), length);
    // A 1-byte ciphertext equals its plaintext with probability 1/256 (CI saw it once); from 8 bytes on, 2^-64.
    if (length >= 8)
        QVERIFY(ciphertext != plaintext);

    QByteArray opened = ciphertext;
    QVERIFY(aead.open(u8(nonce), u8(opened), length, u8(tag)));
    QCOMPARE(opened, plaintext);

    for (int i = 0; i < length + Aead::kTagSize; ++i) {
        QByteArray badData = ciphertext;
        QByteArray badTag = tag;
        if (i < length)
            badData[i] = static_cast<char>(badData[i] ^ 0x01);
        else
            badTag[i - length] = static_cast<char>(badTag[i - length] ^ 0x01);
        QVERIFY2(!aead.open(u8(nonce), u8(badData), length, u8(badTag)), qPrintable(QString::number(i)));
    }
    // Truncation (a shorter ciphertext with the same tag) fails as well.
    if (length > 0) {
        QByteArray shorter = ciphertext.left(length - 1);
        QVERIFY(!aead.open(u8(nonce), u8(shorter), length - 1, u8(tag)));
    }
    // The context survives a failure: the genuine message still opens afterwards.
    opened = ciphertext;
    QVERIFY(aead.open(u8(nonce), u8(opened), length, u8(tag)));
    QCOMPARE(opened, plaintext);
}

void tst_Aead::longKeyIsTruncated()
{
    // A raw 32-byte X25519 secret used for AES-128 keys only its first 16 bytes (spec §3.7).
    const QByteArray shared = randomBytes(32);
    const Aead longKey(Algorithm::Aes128Gcm, shared);
    const Aead shortKey(Algorithm::Aes128Gcm, shared.left(16));
    const QByteArray nonce = randomBytes(12);
    QByteArray a = "same plaintext";
    QByteArray b = a;
    QByteArray tagA(16, '\0');
    QByteArray tagB(16, '\0');
    longKey.seal(u8(nonce), u8(a), a.size(), u8(tagA));
    shortKey.seal(u8(nonce), u8(b), b.size(), u8(tagB));
    QCOMPARE(a, b);
    QCOMPARE(tagA, tagB);
}

void tst_Aead::moveKeepsKey()
{
    for (const Algorithm algorithm : {Algorithm::Aes128Gcm, Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305}) {
        Aead original(algorithm, QByteArray(32, '\x07'));
        const QByteArray nonce(12, '\x01');
        QByteArray data = "payload";
        QByteArray tag(16, '\0');
        original.seal(u8(nonce), u8(data), data.size(), u8(tag));
        Aead moved(std::move(original));
        QByteArray copy = data;
        QVERIFY(moved.open(u8(nonce), u8(copy), copy.size(), u8(tag)));
        QCOMPARE(copy, QByteArray("payload"));
        Aead assigned(Algorithm::Chacha20Poly1305, QByteArray(32, '\x09'));
        assigned = std::move(moved);
        QCOMPARE(assigned.algorithm(), algorithm);
        copy = data;
        QVERIFY(assigned.open(u8(nonce), u8(copy), copy.size(), u8(tag)));
    }
}

QTEST_APPLESS_MAIN(tst_Aead)

#include "tst_aead.moc"
