// The translation of a network's configuration into the engine's settings (helper/engineconfig).
#include <QTest>

#include "core/crypto/identity.h"
#include "helper/engineconfig.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

namespace
{

NetworkConfig withPassword()
{
    NetworkConfig config;
    config.password = u"engine-config"_s;
    return config;
}

Result<EngineConfig> translate(const NetworkConfig &config)
{
    return translateConfig(config, Identity::fromPassword(u"engine-config"_s));
}

QString keyOf(const Identity &identity)
{
    return base62Encode(identity.publicKey());
}

} // namespace

class tst_EngineConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaults();
    void timeoutsAndKeepalive();
    void mode_data();
    void mode();
    void deviceTypeBalanceAndFastFailover();
    void claims();
    void invalidClaim();
    void algorithms_data();
    void algorithms();
    void noUsableAlgorithm();
    void trustedKeys();
    void invalidTrustedKey();
    void peers();
    void invalidPeer();
    void statsd();
    void invalidStatsd();
    void identityFromPasswordOrKey();
    void invalidPrivateKey();
};

void tst_EngineConfig::initTestCase()
{
    QVERIFY(initCrypto());
}

void tst_EngineConfig::defaults()
{
    Result<EngineConfig> engine = translate(withPassword());
    QVERIFY(engine);
    const NodeConfig &node = engine->node;
    QCOMPARE(node.peerTimeoutSecs, 300u);
    QCOMPARE(node.keepaliveSecs, std::nullopt);
    QCOMPARE(node.switchTimeoutSecs, 300u);
    QCOMPARE(node.mode, Mode::Normal);
    QCOMPARE(node.deviceType, DeviceType::Tun);
    QVERIFY(!node.balance);
    QVERIFY(node.fastFailover);
    QVERIFY(node.claims.isEmpty());
    QVERIFY(node.trustedKeys.isEmpty());
    QVERIFY(node.ownAddresses.isEmpty()); // the socket's addresses are added when the network starts
    QVERIFY(node.algorithms == NodeConfig::defaultAlgorithms());
    QVERIFY(engine->peers.isEmpty());
    QVERIFY(!engine->statsd);
    QCOMPARE(node.identity.publicKey(), Identity::fromPassword(u"engine-config"_s).publicKey());
}

void tst_EngineConfig::timeoutsAndKeepalive()
{
    NetworkConfig config = withPassword();
    config.peerTimeout = 17;
    config.keepalive = 4;
    config.switchTimeout = 33;
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->node.peerTimeoutSecs, 17u);
    QCOMPARE(engine->node.keepaliveSecs, std::optional<quint32>(4));
    QCOMPARE(engine->node.switchTimeoutSecs, 33u);
}

void tst_EngineConfig::mode_data()
{
    QTest::addColumn<NodeMode>("configured");
    QTest::addColumn<Mode>("engine");
    QTest::addRow("normal") << NodeMode::Normal << Mode::Normal;
    QTest::addRow("router") << NodeMode::Router << Mode::Router;
    QTest::addRow("switch") << NodeMode::Switch << Mode::Switch;
    QTest::addRow("hub") << NodeMode::Hub << Mode::Hub;
}

void tst_EngineConfig::mode()
{
    QFETCH(NodeMode, configured);
    QFETCH(Mode, engine);
    NetworkConfig config = withPassword();
    config.mode = configured;
    Result<EngineConfig> translated = translate(config);
    QVERIFY(translated);
    QCOMPARE(translated->node.mode, engine);
    QCOMPARE(engineMode(configured), engine);
}

void tst_EngineConfig::deviceTypeBalanceAndFastFailover()
{
    NetworkConfig config = withPassword();
    config.deviceType = DeviceType::Tap;
    config.balance = true;
    config.fastFailover = false;
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->node.deviceType, DeviceType::Tap);
    QVERIFY(engine->node.balance);
    QVERIFY(!engine->node.fastFailover);
}

void tst_EngineConfig::claims()
{
    NetworkConfig config = withPassword();
    config.claims = {u"10.0.0.1/32"_s, u"10.1.0.0/16"_s, u"fd00::/64"_s};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->node.claims.size(), 3);
    QCOMPARE(engine->node.claims[0], *Range::parse(u"10.0.0.1/32"));
    QCOMPARE(engine->node.claims[1], *Range::parse(u"10.1.0.0/16"));
    QCOMPARE(engine->node.claims[2], *Range::parse(u"fd00::/64"));
}

void tst_EngineConfig::invalidClaim()
{
    NetworkConfig config = withPassword();
    config.claims = {u"10.0.0.1/32"_s, u"10.0.0.1/40"_s};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(!engine);
    QCOMPARE(engine.error().code, u"bad-config"_s);
    QCOMPARE(engine.error().message, u"claims: invalid range \"10.0.0.1/40\""_s);
}

void tst_EngineConfig::algorithms_data()
{
    QTest::addColumn<QList<Algorithm>>("configured");
    QTest::addColumn<bool>("plain");
    QTest::addColumn<QList<Algorithm>>("advertised");
    const bool aes = algorithmAvailable(Algorithm::Aes256Gcm);
    QTest::addRow("chacha20") << QList<Algorithm> {Algorithm::Chacha20Poly1305} << false
                              << QList<Algorithm> {Algorithm::Chacha20Poly1305};
    QTest::addRow("plain") << QList<Algorithm> {Algorithm::Plain} << true << QList<Algorithm> {};
    QTest::addRow("aes128 never advertised") << QList<Algorithm> {Algorithm::Aes128Gcm, Algorithm::Chacha20Poly1305}
                                             << false << QList<Algorithm> {Algorithm::Chacha20Poly1305};
    // Ascending ids whatever the configured order; AES-256 only where the CPU has it.
    QTest::addRow("sorted") << QList<Algorithm> {Algorithm::Chacha20Poly1305, Algorithm::Aes256Gcm, Algorithm::Plain}
                            << true
                            << (aes ? QList<Algorithm> {Algorithm::Aes256Gcm, Algorithm::Chacha20Poly1305}
                                    : QList<Algorithm> {Algorithm::Chacha20Poly1305});
}

void tst_EngineConfig::algorithms()
{
    QFETCH(QList<Algorithm>, configured);
    QFETCH(bool, plain);
    QFETCH(QList<Algorithm>, advertised);
    NetworkConfig config = withPassword();
    config.algorithms = configured;
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->node.algorithms.allowPlain, plain);
    QList<Algorithm> actual;
    for (const AlgorithmSpeed &speed : engine->node.algorithms.algorithms)
        actual.append(speed.algorithm);
    QCOMPARE(actual, advertised);
    QVERIFY(advertisedAlgorithms(configured) == engine->node.algorithms);
}

void tst_EngineConfig::noUsableAlgorithm()
{
    NetworkConfig config = withPassword();
    config.algorithms = {Algorithm::Aes128Gcm};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(!engine);
    QCOMPARE(engine.error().code, u"bad-config"_s);
    QCOMPARE(engine.error().message, u"crypto.algorithms: none of the configured algorithms is available here"_s);
}

void tst_EngineConfig::trustedKeys()
{
    const Identity first = Identity::generate();
    const Identity second = Identity::generate();
    NetworkConfig config = withPassword();
    config.trustedKeys = {keyOf(first), keyOf(second)};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->node.trustedKeys, (QList<QByteArray> {first.publicKey(), second.publicKey()}));
}

void tst_EngineConfig::invalidTrustedKey()
{
    NetworkConfig config = withPassword();
    config.trustedKeys = {u"not-a-key"_s};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(!engine);
    QCOMPARE(engine.error().code, u"bad-key"_s);
    QCOMPARE(engine.error().message, u"crypto.trusted-keys: invalid key \"not-a-key\""_s);
}

void tst_EngineConfig::peers()
{
    NetworkConfig config = withPassword();
    config.peers = {u"192.0.2.1:3210"_s, u"[2001:db8::1]:4000"_s, u"vpn.example.org"_s};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QCOMPARE(engine->peers.size(), 3);
    QCOMPARE(engine->peers[0].text, u"192.0.2.1:3210"_s);
    QVERIFY(engine->peers[0].literal);
    QCOMPARE(*engine->peers[0].literal, *SocketAddress::parse(u"192.0.2.1:3210"));
    QVERIFY(engine->peers[1].literal);
    QCOMPARE(engine->peers[1].port, 4000);
    QCOMPARE(engine->peers[2].host, u"vpn.example.org"_s);
    QCOMPARE(engine->peers[2].port, 3210);
    QVERIFY(!engine->peers[2].literal); // looked up after the start
}

void tst_EngineConfig::invalidPeer()
{
    NetworkConfig config = withPassword();
    config.peers = {u"host:99999"_s};
    Result<EngineConfig> engine = translate(config);
    QVERIFY(!engine);
    QCOMPARE(engine.error().message, PeerName::parse(u"host:99999"_s).error().message);
}

void tst_EngineConfig::statsd()
{
    NetworkConfig config = withPassword();
    config.statsdServer = u"127.0.0.1:8125"_s;
    Result<EngineConfig> engine = translate(config);
    QVERIFY(engine);
    QVERIFY(engine->statsd);
    QCOMPARE(engine->statsd->text, u"127.0.0.1:8125"_s);
    QCOMPARE(*engine->statsd->literal, *SocketAddress::parse(u"127.0.0.1:8125"));
}

void tst_EngineConfig::invalidStatsd()
{
    NetworkConfig config = withPassword();
    config.statsdServer = u":8125"_s;
    Result<EngineConfig> engine = translate(config);
    QVERIFY(!engine);
    QCOMPARE(engine.error().code, u"bad-config"_s);
    QVERIFY2(engine.error().message.startsWith(u"statsd.server: "_s), qPrintable(engine.error().message));
}

void tst_EngineConfig::identityFromPasswordOrKey()
{
    Result<Identity> fromPassword = identityFromConfig(withPassword());
    QVERIFY(fromPassword);
    QCOMPARE(fromPassword->publicKey(), Identity::fromPassword(u"engine-config"_s).publicKey());

    const Identity generated = Identity::generate();
    NetworkConfig config = withPassword();
    config.privateKey = base62Encode(generated.seed().view());
    Result<Identity> fromKey = identityFromConfig(config); // the private key takes precedence
    QVERIFY(fromKey);
    QCOMPARE(fromKey->publicKey(), generated.publicKey());
}

void tst_EngineConfig::invalidPrivateKey()
{
    NetworkConfig config;
    config.privateKey = u"not!a-key"_s;
    Result<Identity> identity = identityFromConfig(config);
    QVERIFY(!identity);
    QCOMPARE(identity.error().code, u"bad-key"_s);
    QVERIFY2(identity.error().message.startsWith(u"crypto.private-key: "_s), qPrintable(identity.error().message));
}

QTEST_GUILESS_MAIN(tst_EngineConfig)
#include "tst_engineconfig.moc"
