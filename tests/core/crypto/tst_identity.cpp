#include <QTest>

#include "core/crypto/genkey.h"
#include "core/crypto/identity.h"
#include "core/crypto/initmessage.h"
#include "core/crypto/securebytes.h"
#include "tests/support/testsupport.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

class tst_Identity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void passwordTest();
    void genkeyPasswordVectors_data();
    void genkeyPasswordVectors();
    void genkeyRandomVector();
    void fromSeedRejectsBadLength_data();
    void fromSeedRejectsBadLength();
    void generateAndClone();
    void signAndVerify();
    void keyTagA3();
    void saltedNodeIdA4();
    void sha256KnownAnswer();
    void randomBytesSizes();
    void x25519A6();
    void x25519Rejects();
    void secureBytes();
};

namespace
{

struct GenkeyEntry {
    QString password;
    QString text; ///< the three output lines, each with '\n'
    QString privateKey;
    QString publicKey;
};

/// Blocks of vectors/genkey-password.txt: "## password: 'P' (utf-8 bytes: HEX)" and the three output lines.
QList<GenkeyEntry> genkeyEntries()
{
    QList<GenkeyEntry> entries;
    const QList<QByteArray> lines = Test::readSharedFile(u"vectors/genkey-password.txt"_s).split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (!line.startsWith("## password: "))
            continue;
        const qsizetype bytesAt = line.lastIndexOf("(utf-8 bytes: ");
        if (bytesAt < 0 || i + 3 >= lines.size())
            continue;
        const QByteArray hex = line.mid(bytesAt + 14, line.size() - bytesAt - 15);
        GenkeyEntry entry;
        entry.password = QString::fromUtf8(QByteArray::fromHex(hex));
        for (int k = 1; k <= 3; ++k)
            entry.text += QString::fromUtf8(lines[i + k]) + u'\n';
        entry.privateKey = QString::fromLatin1(lines[i + 1].mid(13));
        entry.publicKey = QString::fromLatin1(lines[i + 2].mid(12));
        entries.append(entry);
    }
    return entries;
}

} // namespace

void tst_Identity::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_Identity::passwordTest()
{
    // Spec Appendix A.2.
    const Identity identity = Identity::fromPassword(u"test"_s);
    QCOMPARE(identity.seed().toByteArrayUnsafe().toHex(),
        QByteArray("67d20409c97fb9cc56119343f183c0047b47f22251a8a04bd8936ad85bb8e24d"));
    QCOMPARE(
        identity.publicKey().toHex(), QByteArray("6b36b29a19d4408c1aa5f8c146c15f1b91d1ede28ace5aec7387b7954c7c7ab3"));
    QCOMPARE(base62Encode(identity.seed().view()), u"OcNT14Czd82FN9R7Bms8WW0ZX50TO7SoA99yGK2Rmyz"_s);
    QCOMPARE(base62Encode(identity.publicKey()), u"PQGYPnaB8PV2qWtxGtN9wibSKzYbSwbQh1s9b5syjch"_s);
}

void tst_Identity::genkeyPasswordVectors_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("privateKey");
    QTest::addColumn<QString>("publicKey");
    QTest::addColumn<QString>("output");
    const QList<GenkeyEntry> entries = genkeyEntries();
    QVERIFY(entries.size() >= 6);
    bool sawEmpty = false;
    bool sawSpace = false;
    for (const GenkeyEntry &entry : entries) {
        sawEmpty = sawEmpty || entry.password.isEmpty();
        sawSpace = sawSpace || entry.password.contains(u' ');
        QTest::addRow("'%s'", qPrintable(entry.password))
            << entry.password << entry.privateKey << entry.publicKey << entry.text;
    }
    QVERIFY(sawEmpty);
    QVERIFY(sawSpace);
}

void tst_Identity::genkeyPasswordVectors()
{
    QFETCH(QString, password);
    QFETCH(QString, privateKey);
    QFETCH(QString, publicKey);
    QFETCH(QString, output);
    const Identity identity = Identity::fromPassword(password);
    QCOMPARE(base62Encode(identity.seed().view()), privateKey);
    QCOMPARE(base62Encode(identity.publicKey()), publicKey);
    QCOMPARE(genkeyOutput(identity), output);
    // The config path: private-key text -> seed -> the same identity.
    const Result<Identity> fromText = Identity::fromSeed(decodeKey32(privateKey).value());
    QVERIFY(fromText.ok());
    QCOMPARE(fromText->publicKey(), identity.publicKey());
    QCOMPARE(decodeKey32(publicKey).value(), identity.publicKey());
}

void tst_Identity::genkeyRandomVector()
{
    const QString file = QString::fromUtf8(Test::readSharedFile(u"vectors/genkey-random.txt"_s));
    QVERIFY(file.startsWith(u"Private key: "_s));
    const QString privateText = file.section(u'\n', 0, 0).mid(13);
    const Result<Identity> identity = Identity::fromSeed(decodeKey32(privateText).value());
    QVERIFY(identity.ok());
    QCOMPARE(genkeyOutput(*identity), file);

    const Identity random = Identity::generate();
    const QStringList lines = genkeyOutput(random).split(u'\n');
    QCOMPARE(lines.size(), 4); // three lines and the empty rest after the final newline
    QVERIFY(lines[0].startsWith(u"Private key: "_s));
    QVERIFY(lines[1].startsWith(u"Public key: "_s));
    QCOMPARE(lines[2], file.section(u'\n', 2, 2));
    QVERIFY(lines[3].isEmpty());
}

void tst_Identity::fromSeedRejectsBadLength_data()
{
    QTest::addColumn<int>("length");
    QTest::addRow("0") << 0;
    QTest::addRow("31") << 31;
    QTest::addRow("33") << 33;
    QTest::addRow("64") << 64;
}

void tst_Identity::fromSeedRejectsBadLength()
{
    QFETCH(int, length);
    const Result<Identity> identity = Identity::fromSeed(QByteArray(length, '\x01'));
    QVERIFY(!identity.ok());
    QCOMPARE(identity.error().code, u"bad-key"_s);
}

void tst_Identity::generateAndClone()
{
    const Identity a = Identity::generate();
    const Identity b = Identity::generate();
    QCOMPARE(a.seed().size(), std::size_t(32));
    QCOMPARE(a.publicKey().size(), 32);
    QVERIFY(a.publicKey() != b.publicKey());
    const Identity copy = a.clone();
    QCOMPARE(copy.publicKey(), a.publicKey());
    QCOMPARE(copy.seed().toByteArrayUnsafe(), a.seed().toByteArrayUnsafe());
    QVERIFY(copy.seed().data() != a.seed().data());
    QCOMPARE(copy.sign("x"), a.sign("x"));
}

void tst_Identity::signAndVerify()
{
    const Identity identity = Identity::fromPassword(u"test"_s);
    const QByteArray message = "init body bytes";
    const QByteArray signature = identity.sign(message);
    QCOMPARE(signature.size(), 64);
    QCOMPARE(identity.sign(message), signature); // Ed25519 is deterministic
    QVERIFY(verifySignature(identity.publicKey(), message, signature));
    QVERIFY(verifySignature(identity.publicKey(), QByteArray(), identity.sign(QByteArray())));

    QByteArray tamperedMessage = message;
    tamperedMessage[0] = 'I';
    QVERIFY(!verifySignature(identity.publicKey(), tamperedMessage, signature));
    for (int i = 0; i < signature.size(); ++i) {
        QByteArray tampered = signature;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        QVERIFY2(!verifySignature(identity.publicKey(), message, tampered), qPrintable(QString::number(i)));
    }
    QVERIFY(!verifySignature(Identity::fromPassword(u"other"_s).publicKey(), message, signature));
    QVERIFY(!verifySignature(identity.publicKey().left(31), message, signature));
    QVERIFY(!verifySignature(identity.publicKey(), message, signature.left(63)));
    QVERIFY(!verifySignature(identity.publicKey(), message, QByteArray(signature + 'x')));
    QVERIFY(!verifySignature(QByteArray(), message, signature));
}

void tst_Identity::keyTagA3()
{
    const Identity identity = Identity::fromPassword(u"test"_s);
    QCOMPARE(keyTag(identity.publicKey(), Test::fromHex("01020304")).toHex(), QByteArray("1a1a47b0"));
    QCOMPARE(keyTag(identity.publicKey(), Test::fromHex("01020304")),
        sha256(QByteArray(identity.publicKey() + Test::fromHex("01020304"))).left(4));
}

void tst_Identity::saltedNodeIdA4()
{
    const QByteArray nodeId = Test::fromHex("000102030405060708090a0b0c0d0e0f");
    const QByteArray salted = saltedNodeId(nodeId, Test::fromHex("a0a1a2a3"));
    QCOMPARE(salted.toHex(), QByteArray("a0a1a2a3edf338965c24430052d03899b3785285"));
    QVERIFY(saltedIdMatches(salted, nodeId));

    QByteArray otherNode = nodeId;
    otherNode[15] = 0x10;
    QVERIFY(!saltedIdMatches(salted, otherNode));
    QVERIFY(!saltedIdMatches(salted.left(19), nodeId));
    QVERIFY(!saltedIdMatches(QByteArray(), nodeId));

    const QByteArray random1 = saltedNodeId(nodeId);
    const QByteArray random2 = saltedNodeId(nodeId);
    QCOMPARE(random1.size(), 20);
    QVERIFY(random1 != random2); // fresh salt each time (probability of a clash 2^-32)
    QVERIFY(saltedIdMatches(random1, nodeId));
    QVERIFY(saltedIdMatches(random2, nodeId));
}

void tst_Identity::sha256KnownAnswer()
{
    QCOMPARE(sha256("abc").toHex(), QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(
        sha256(QByteArray()).toHex(), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void tst_Identity::randomBytesSizes()
{
    QCOMPARE(randomBytes(0).size(), 0);
    QCOMPARE(randomBytes(-3).size(), 0);
    QCOMPARE(randomBytes(16).size(), 16);
    QVERIFY(randomBytes(16) != randomBytes(16));
}

void tst_Identity::x25519A6()
{
    // Spec Appendix A.5 / A.6.
    const X25519KeyPair own = X25519KeyPair::fromSecret(QByteArray(32, '\x11'));
    const X25519KeyPair peer = X25519KeyPair::fromSecret(QByteArray(32, '\x22'));
    QCOMPARE(own.publicKey().toHex(), QByteArray("7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13"));
    QCOMPARE(peer.publicKey().toHex(), QByteArray("0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20"));
    const std::optional<SecureBytes> shared = own.agree(peer.publicKey());
    const std::optional<SecureBytes> sharedPeer = peer.agree(own.publicKey());
    QVERIFY(shared.has_value());
    QVERIFY(sharedPeer.has_value());
    QCOMPARE(shared->toByteArrayUnsafe().toHex(),
        QByteArray("9e004098efc091d4ec2663b4e9f5cfd4d7064571690b4bea97ab146ab9f35056"));
    QCOMPARE(sharedPeer->toByteArrayUnsafe(), shared->toByteArrayUnsafe());

    const X25519KeyPair a = X25519KeyPair::generate();
    const X25519KeyPair b = X25519KeyPair::generate();
    QCOMPARE(a.publicKey().size(), 32);
    QVERIFY(a.publicKey() != b.publicKey());
    QCOMPARE(a.agree(b.publicKey())->toByteArrayUnsafe(), b.agree(a.publicKey())->toByteArrayUnsafe());
}

void tst_Identity::x25519Rejects()
{
    const X25519KeyPair own = X25519KeyPair::generate();
    QVERIFY(!own.agree(QByteArray(32, '\0')).has_value()); // low-order point: all-zero shared secret
    QVERIFY(!own.agree(Test::fromHex("0100000000000000000000000000000000000000000000000000000000000000")).has_value());
    QVERIFY(!own.agree(QByteArray(31, '\x09')).has_value());
    QVERIFY(!own.agree(QByteArray(33, '\x09')).has_value());
    QVERIFY(!own.agree(QByteArray()).has_value());
    const X25519KeyPair broken = X25519KeyPair::fromSecret(QByteArray(31, '\x11'));
    QVERIFY(broken.publicKey().isEmpty());
    QVERIFY(!broken.agree(own.publicKey()).has_value());
}

void tst_Identity::secureBytes()
{
    SecureBytes empty;
    QVERIFY(empty.isEmpty());
    QCOMPARE(empty.view().size(), 0);
    QCOMPARE(empty.clone().size(), std::size_t(0));

    SecureBytes zeroed(std::size_t(8));
    QCOMPARE(zeroed.toByteArrayUnsafe(), QByteArray(8, '\0'));

    SecureBytes bytes(QByteArrayView("secret"));
    QCOMPARE(bytes.size(), std::size_t(6));
    QCOMPARE(bytes.view(), QByteArrayView("secret"));
    SecureBytes copy = bytes.clone();
    QVERIFY(copy.data() != bytes.data());
    QCOMPARE(copy.toByteArrayUnsafe(), QByteArray("secret"));

    SecureBytes moved(std::move(bytes));
    QCOMPARE(moved.toByteArrayUnsafe(), QByteArray("secret"));
    QVERIFY(bytes.isEmpty()); // NOLINT(bugprone-use-after-move): the moved-from state is documented as empty
    QVERIFY(bytes.data() == nullptr);

    SecureBytes assigned(QByteArrayView("other"));
    assigned = std::move(moved);
    QCOMPARE(assigned.toByteArrayUnsafe(), QByteArray("secret"));
    QVERIFY(moved.isEmpty()); // NOLINT(bugprone-use-after-move)
}

QTEST_APPLESS_MAIN(tst_Identity)

#include "tst_identity.moc"
