#include <QTest>

#include "core/crypto/identity.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

class tst_Base62 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void encode_data();
    void encode();
    void decode_data();
    void decode();
    void decodeRejectsForeignCharacters_data();
    void decodeRejectsForeignCharacters();
    void roundTripRandom();
    void decodeKey32Pads_data();
    void decodeKey32Pads();
    void decodeKey32Errors_data();
    void decodeKey32Errors();
    void leadingZeroVectors();
};

void tst_Base62::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_Base62::encode_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    // Spec Appendix A.1.
    QTest::addRow("empty") << QByteArray() << QString();
    QTest::addRow("00") << Test::fromHex("00") << QString();
    QTest::addRow("3d") << Test::fromHex("3d") << u"z"_s;
    QTest::addRow("3e") << Test::fromHex("3e") << u"10"_s;
    QTest::addRow("0100") << Test::fromHex("0100") << u"48"_s;
    QTest::addRow("Test") << QByteArray("Test") << u"1Xp7Ke"_s;
    QTest::addRow("01..20") << Test::fromHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20")
                            << u"Eoh211G4c8wtVWM00my5rsNSFlKgaWqQ4mb8gdEqno"_s;
    QTest::addRow("leading zero bytes dropped") << Test::fromHex("00003d") << u"z"_s;
}

void tst_Base62::encode()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    QCOMPARE(base62Encode(bytes), text);
}

void tst_Base62::decode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addRow("empty") << QString() << QByteArray();
    QTest::addRow("0") << u"0"_s << QByteArray();
    QTest::addRow("z") << u"z"_s << Test::fromHex("3d");
    QTest::addRow("10") << u"10"_s << Test::fromHex("3e");
    QTest::addRow("48") << u"48"_s << Test::fromHex("0100");
    QTest::addRow("1Xp7Ke") << u"1Xp7Ke"_s << QByteArray("Test");
    QTest::addRow("leading zeros ignored") << u"0001Xp7Ke"_s << QByteArray("Test");
    QTest::addRow("A.1 32 bytes") << u"Eoh211G4c8wtVWM00my5rsNSFlKgaWqQ4mb8gdEqno"_s
                                  << Test::fromHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    QTest::addRow("A.2 seed") << u"OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmyz"_s
                              << Test::fromHex("67d20409c97fb9cc56119343f183c0047b47f22251a8a04bd8936ad85bb8e24d");
}

void tst_Base62::decode()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    const std::optional<QByteArray> decoded = base62Decode(text);
    QVERIFY(decoded.has_value());
    QCOMPARE(*decoded, bytes);
}

void tst_Base62::decodeRejectsForeignCharacters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("bang") << u"abc!"_s;
    QTest::addRow("space") << u"ab c"_s;
    QTest::addRow("leading space") << u" abc"_s;
    QTest::addRow("dash") << u"a-b"_s;
    QTest::addRow("plus") << u"a+b"_s;
    QTest::addRow("slash") << u"a/b"_s;
    QTest::addRow("umlaut") << u"abä"_s;
    QTest::addRow("fullwidth digit") << u"1\uff11"_s;
    QTest::addRow("nul") << QString(QChar(0));
}

void tst_Base62::decodeRejectsForeignCharacters()
{
    QFETCH(QString, text);
    QVERIFY(!base62Decode(text).has_value());
    const Result<QByteArray> key = decodeKey32(text);
    QVERIFY(!key.ok());
    QCOMPARE(key.error().code, u"bad-key"_s);
}

void tst_Base62::roundTripRandom()
{
    // 2^256 - 1 needs exactly 43 digits (62^43 > 2^256 > 62^42).
    QCOMPARE(base62Encode(QByteArray(32, '\xff')).size(), 43);
    QCOMPARE(base62Decode(base62Encode(QByteArray(32, '\xff'))).value(), QByteArray(32, '\xff'));
    for (int length = 1; length <= 64; ++length) {
        for (int round = 0; round < 8; ++round) {
            QByteArray bytes = randomBytes(length);
            bytes[0] = static_cast<char>(bytes[0] | 1); // no leading zero byte, so the round trip is exact
            const QString text = base62Encode(bytes);
            QVERIFY2(base62Decode(text) == bytes, qPrintable(text));
        }
    }
}

void tst_Base62::decodeKey32Pads_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("key");
    QTest::addRow("z") << u"z"_s << QByteArray(QByteArray(31, '\0') + Test::fromHex("3d"));
    QTest::addRow("A.1 31 bytes") << u"Eoh211G4c8wtVWM00my5rsNSFlKgaWqQ4mb8gdEqno"_s
                                  << Test::fromHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    QTest::addRow("full 32 bytes") << u"OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmyz"_s
                                   << Test::fromHex("67d20409c97fb9cc56119343f183c0047b47f22251a8a04bd8936ad85bb8e24d");
    QTest::addRow("leading zero digits") << u"0000OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmyz"_s
                                         << Test::fromHex(
                                                "67d20409c97fb9cc56119343f183c0047b47f22251a8a04bd8936ad85bb8e24d");
    QTest::addRow("one") << u"1"_s << QByteArray(QByteArray(31, '\0') + Test::fromHex("01"));
}

void tst_Base62::decodeKey32Pads()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, key);
    const Result<QByteArray> decoded = decodeKey32(text);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(decoded->size(), 32);
    QCOMPARE(*decoded, key);
}

void tst_Base62::decodeKey32Errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addRow("empty") << QString();
    QTest::addRow("only zeros") << u"0000"_s;
    QTest::addRow("33 bytes") << base62Encode(QByteArray(33, '\x7f'));
    QTest::addRow("43 z digits exceed 2^256") << QString(43, u'z');
    QTest::addRow("44 digits") << QString(44, u'1');
    QTest::addRow("very long") << QString(100000, u'z');
    QTest::addRow("bad character") << u"OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmy_"_s;
}

void tst_Base62::decodeKey32Errors()
{
    QFETCH(QString, text);
    const Result<QByteArray> decoded = decodeKey32(text);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, u"bad-key"_s);
    QVERIFY(!decoded.error().message.isEmpty());
}

void tst_Base62::leadingZeroVectors()
{
    // vectors/genkey-leading-zero.txt: seeds/public keys starting with 0x00 encode to 42 characters.
    const QList<QByteArray> lines = Test::readSharedFile(u"vectors/genkey-leading-zero.txt"_s).split('\n');
    int checked = 0;
    QString password;
    QString privateText;
    for (const QByteArray &line : lines) {
        if (line.startsWith("## genkey --password ")) {
            password = QString::fromUtf8(line.mid(21).trimmed());
        } else if (line.startsWith("Private key: ") && !password.isEmpty()) {
            privateText = QString::fromLatin1(line.mid(13).trimmed());
        } else if (line.startsWith("Public key: ") && !privateText.isEmpty()) {
            const QString publicText = QString::fromLatin1(line.mid(12).trimmed());
            const Identity identity = Identity::fromPassword(password);
            const Result<QByteArray> seed = decodeKey32(privateText);
            const Result<QByteArray> publicKey = decodeKey32(publicText);
            QVERIFY(seed.ok());
            QVERIFY(publicKey.ok());
            QCOMPARE(*seed, identity.seed().toByteArrayUnsafe());
            QCOMPARE(*publicKey, identity.publicKey());
            QCOMPARE(base62Encode(identity.seed().view()), privateText);
            QCOMPARE(base62Encode(identity.publicKey()), publicText);
            // Exactly one of the two starts with 0x00 and is 42 characters long; its minimal decoding is 31 bytes.
            const bool seedShort = seed->startsWith('\0');
            const bool publicShort = publicKey->startsWith('\0');
            QVERIFY(seedShort != publicShort);
            const QString &shortText = seedShort ? privateText : publicText;
            QCOMPARE(shortText.size(), 42);
            QCOMPARE(base62Decode(shortText)->size(), 31);
            ++checked;
            password.clear();
            privateText.clear();
        }
    }
    QCOMPARE(checked, 2);
}

QTEST_APPLESS_MAIN(tst_Base62)

#include "tst_base62.moc"
