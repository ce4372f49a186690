// Network with an in-memory device and socket: two real engines handshake through linked fake sockets.
#include <memory>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/crypto/identity.h"
#include "helper/engineconfig.h"
#include "helper/hookrunner.h"
#include "helper/network.h"
#include "tests/fakes/helper/fakedatagramsocket.h"
#include "tests/fakes/helper/fakepacketdevice.h"

using namespace Nimbus;
using namespace Nimbus::Test;
using namespace Qt::Literals::StringLiterals;

namespace
{

SocketAddress address(const QString &text)
{
    return *SocketAddress::parse(text);
}

/// An IPv4 packet (header only, no options) from \a source to \a destination with \a payload.
QByteArray ipv4Packet(const QHostAddress &source, const QHostAddress &destination, const QByteArray &payload)
{
    QByteArray packet(20, '\0');
    packet[0] = char(0x45);
    const int total = 20 + int(payload.size());
    packet[2] = char(total >> 8);
    packet[3] = char(total & 0xff);
    packet[8] = char(64);
    packet[9] = char(17);
    const quint32 src = source.toIPv4Address();
    const quint32 dst = destination.toIPv4Address();
    for (int i = 0; i < 4; ++i) {
        packet[12 + i] = char(src >> (24 - 8 * i));
        packet[16 + i] = char(dst >> (24 - 8 * i));
    }
    return packet + payload;
}

struct Event {
    QString name;
    QJsonObject data;
};

/// One network on fakes, with the events it published.
struct Node {
    FakePacketDevice *device = nullptr;
    FakeDatagramSocket *socket = nullptr;
    std::unique_ptr<Network> network;
    std::shared_ptr<QList<Event>> events = std::make_shared<QList<Event>>();

    QList<Event> eventsNamed(const QString &name) const
    {
        QList<Event> result;
        for (const Event &e : std::as_const(*events)) {
            if (e.name == name)
                result.append(e);
        }
        return result;
    }
};

NetworkConfig baseConfig(const QString &name, const QString &claim)
{
    NetworkConfig config;
    config.name = name;
    config.password = u"tst_network"_s;
    config.claims = {claim};
    config.peerTimeout = 60;
    return config;
}

Result<Node> startNode(NetworkConfig config, const SocketAddress &local)
{
    Node node;
    auto device = std::make_unique<FakePacketDevice>(u"fake-%1"_s.arg(config.name));
    auto socket = std::make_unique<FakeDatagramSocket>(local);
    node.device = device.get();
    node.socket = socket.get();
    Result<Identity> identity = identityFromConfig(config);
    if (!identity)
        return identity.error();
    Result<EngineConfig> engine = translateConfig(config, std::move(identity).value());
    if (!engine)
        return engine.error();
    auto hooks = std::make_unique<HookRunner>(config);
    const std::shared_ptr<QList<Event>> events = node.events;
    Result<std::unique_ptr<Network>> network = Network::create(
        std::move(config),
        false,
        [events](const QString &name, const QJsonObject &data) {
            events->append(Event {name, data});
        },
        std::move(engine).value(),
        NetworkIo {std::move(device), std::move(socket)},
        std::move(hooks));
    if (!network)
        return network.error();
    node.network = std::move(network).value();
    return node;
}

} // namespace

class tst_Network : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void handshakeThroughTheSocket();
    void datagramInIsWrittenToTheDevice();
    void devicePacketGoesOutAsDatagram();
    void icmpReportReachesTheEngine();
    void engineEventsBecomeControlEvents();
    void statusPeersClaimsAndStats();
    void statsFileWrittenAtStart();
    void unwritableStatsFileStopsTheStart();
    void readFailureIsReported();
    void closeStopsEverything();

private:
    /// Starts a (10.0.0.1, configured peer b) and b (10.0.0.2) and waits for the handshake.
    void startPair(bool waitForHandshake = true);

    const SocketAddress m_addressA = address(u"127.0.0.1:3210"_s);
    const SocketAddress m_addressB = address(u"127.0.0.2:3210"_s);
    Node m_a;
    Node m_b;
};

void tst_Network::init()
{
    QVERIFY(initCrypto());
}

void tst_Network::cleanup()
{
    m_a = {};
    m_b = {};
}

void tst_Network::startPair(bool waitForHandshake)
{
    NetworkConfig a = baseConfig(u"a"_s, u"10.0.0.1/32"_s);
    a.peers = {u"127.0.0.2:3210"_s};
    Result<Node> nodeA = startNode(a, m_addressA);
    QVERIFY2(nodeA, qPrintable(nodeA ? QString() : nodeA.error().message));
    Result<Node> nodeB = startNode(baseConfig(u"b"_s, u"10.0.0.2/32"_s), m_addressB);
    QVERIFY2(nodeB, qPrintable(nodeB ? QString() : nodeB.error().message));
    m_a = std::move(nodeA).value();
    m_b = std::move(nodeB).value();
    m_a.socket->connectTo(m_b.socket);
    m_b.socket->connectTo(m_a.socket);
    if (waitForHandshake) {
        QTRY_COMPARE(m_a.network->engine().peerCount(), 1);
        QTRY_COMPARE(m_b.network->engine().peerCount(), 1);
    }
}

void tst_Network::handshakeThroughTheSocket()
{
    startPair(false);
    QCOMPARE(m_a.network->engine().peerCount(), 0);
    QTRY_COMPARE(m_a.network->engine().peerCount(), 1);
    QTRY_COMPARE(m_b.network->engine().peerCount(), 1);
    QVERIFY(m_a.network->engine().hasPeer(m_addressB));
    QVERIFY(m_b.network->engine().hasPeer(m_addressA));
    QVERIFY(!m_a.socket->sent.isEmpty());
    QCOMPARE(m_a.socket->sent.first().to, m_addressB);
}

void tst_Network::datagramInIsWrittenToTheDevice()
{
    startPair();
    // b's claims reach a with the handshake's NodeInfo; a packet for 10.0.0.1 from b's device arrives at a's socket.
    QTRY_VERIFY(!m_b.network->engine().peers().value(0).claims.isEmpty());
    const QByteArray packet
        = ipv4Packet(QHostAddress(u"10.0.0.2"_s), QHostAddress(u"10.0.0.1"_s), QByteArray("datagram in", 11));
    m_b.device->receive({packet});
    QTRY_COMPARE(m_a.device->written.size(), 1);
    QCOMPARE(m_a.device->written.first(), packet);
    QVERIFY(m_a.device->queued.isEmpty()); // flushed at the end of the batch
    QCOMPARE(m_a.network->stats().value(u"deviceWriteErrors"_s).toInteger(), 0);
}

void tst_Network::devicePacketGoesOutAsDatagram()
{
    startPair();
    QTRY_VERIFY(!m_a.network->engine().peers().value(0).claims.isEmpty());
    const qsizetype before = m_a.socket->sent.size();
    const QByteArray payload(100, 'x');
    const QByteArray packet = ipv4Packet(QHostAddress(u"10.0.0.1"_s), QHostAddress(u"10.0.0.2"_s), payload);
    m_a.device->receive({packet, packet});
    QCOMPARE(m_a.socket->sent.size(), before + 2);
    for (qsizetype i = before; i < m_a.socket->sent.size(); ++i) {
        QCOMPARE(m_a.socket->sent[i].to, m_addressB);
        QVERIFY(!m_a.socket->sent[i].data.contains(payload)); // sealed
    }
    QTRY_COMPARE(m_b.device->written.size(), 2);
    QCOMPARE(m_b.device->written.first(), packet);
    // No destination: dropped and counted, nothing sent.
    m_a.device->receive({ipv4Packet(QHostAddress(u"10.0.0.1"_s), QHostAddress(u"10.9.9.9"_s), payload)});
    QCOMPARE(m_a.socket->sent.size(), before + 2);
    QCOMPARE(m_a.network->stats().value(u"droppedPackets"_s).toInteger(), 1);
}

void tst_Network::icmpReportReachesTheEngine()
{
    startPair();
    // b's process dies; its host answers a's next datagram with ICMP port unreachable.
    m_b.socket->close();
    m_a.socket->linkUp = false;
    IcmpError error;
    error.target = m_addressB;
    error.type = 3;
    error.code = 3;
    error.portUnreachable = true;
    const qsizetype before = m_a.socket->sent.size();
    m_a.socket->reportIcmp(error);
    // The engine suspects the peer at once and probes it...
    QCOMPARE(m_a.network->peers().size(), 1);
    QCOMPARE(m_a.network->peers().first().toObject().value(u"suspect"_s).toBool(), true);
    QTRY_VERIFY(m_a.socket->sent.size() > before);
    QCOMPARE(m_a.socket->sent.last().to, m_addressB);
    // ... the probe bounces as well, and the peer is dropped once its grace time is over.
    m_a.socket->reportIcmp(error);
    QTRY_COMPARE(m_a.eventsNamed(u"peer.disconnected"_s).size(), 1);
    const QJsonObject data = m_a.eventsNamed(u"peer.disconnected"_s).first().data;
    QCOMPARE(data.value(u"reason"_s).toString(), u"unreachable"_s);
    QCOMPARE(data.value(u"address"_s).toString(), m_addressB.toString());
    QCOMPARE(data.value(u"network"_s).toString(), u"a"_s);
    QCOMPARE(m_a.network->engine().peerCount(), 0);

    // A report that is neither port nor host unreachable changes nothing.
    startPair();
    IcmpError other = error;
    other.code = 4; // fragmentation needed
    other.portUnreachable = false;
    m_a.socket->reportIcmp(other);
    QCOMPARE(m_a.network->peers().first().toObject().value(u"suspect"_s).toBool(), false);
}

void tst_Network::engineEventsBecomeControlEvents()
{
    startPair();
    QTRY_COMPARE(m_a.eventsNamed(u"peer.connected"_s).size(), 1);
    const QJsonObject peer = m_a.eventsNamed(u"peer.connected"_s).first().data;
    QCOMPARE(peer.value(u"network"_s).toString(), u"a"_s);
    QCOMPARE(peer.value(u"address"_s).toString(), m_addressB.toString());
    QCOMPARE(peer.value(u"nodeId"_s).toString(), nodeIdToHex(m_b.network->engine().nodeId()));
    QVERIFY(peer.contains(u"algorithm"_s));
    QVERIFY(peer.contains(u"connectedSince"_s));
    // States: connecting at the start, connected once the only configured peer is.
    QTRY_VERIFY(!m_a.eventsNamed(u"network.state"_s).isEmpty());
    QStringList states;
    for (const Event &e : m_a.eventsNamed(u"network.state"_s))
        states.append(e.data.value(u"state"_s).toString());
    QCOMPARE(states.first(), u"connecting"_s);
    QTRY_COMPARE(m_a.eventsNamed(u"network.state"_s).last().data.value(u"state"_s).toString(), u"connected"_s);
    // b's claim arrives: a claims.changed with the whole list.
    QTRY_VERIFY(!m_a.eventsNamed(u"claims.changed"_s).isEmpty());
    // The stats event comes once a second.
    QTRY_VERIFY_WITH_TIMEOUT(!m_a.eventsNamed(u"stats"_s).isEmpty(), 3000);
    QCOMPARE(m_a.eventsNamed(u"stats"_s).first().data.value(u"network"_s).toString(), u"a"_s);
}

void tst_Network::statusPeersClaimsAndStats()
{
    startPair();
    QTRY_COMPARE(m_a.network->claims().size(), 2);
    const QJsonObject status = m_a.network->status();
    QCOMPARE(status.value(u"name"_s).toString(), u"a"_s);
    QCOMPARE(status.value(u"device"_s).toString(), u"fake-a"_s);
    QCOMPARE(status.value(u"listen"_s).toString(), m_addressA.toString());
    QCOMPARE(status.value(u"peerCount"_s).toInt(), 1);
    QCOMPARE(status.value(u"configuredPeers"_s).toInt(), 1);
    QCOMPARE(status.value(u"unresolvedPeers"_s).toArray().size(), 0);
    QCOMPARE(status.value(u"claims"_s).toArray(), QJsonArray {u"10.0.0.1/32"_s});
    QCOMPARE(status.value(u"system"_s).toBool(), false);
    QCOMPARE(status.value(u"state"_s).toString(), u"connected"_s);
    QVERIFY(status.value(u"lastFailover"_s).isNull());
    QCOMPARE(m_a.network->deviceName(), u"fake-a"_s);

    QJsonObject remote;
    for (const QJsonValue &v : m_a.network->claims()) {
        if (v.toObject().value(u"range"_s).toString() == u"10.0.0.2/32"_s)
            remote = v.toObject();
    }
    QVERIFY(!remote.isEmpty());
    QCOMPARE(remote.value(u"local"_s).toBool(), false);
    QCOMPARE(remote.value(u"servedBy"_s).toObject().value(u"address"_s).toString(), m_addressB.toString());
    QCOMPARE(remote.value(u"claimants"_s).toArray().size(), 1);
    // Unchanged claims: the same JSON (the cache), times included.
    QCOMPARE(m_a.network->claims(), m_a.network->claims());

    const QJsonObject stats = m_a.network->stats();
    QCOMPARE(stats.value(u"network"_s).toString(), u"a"_s);
    QVERIFY(stats.value(u"handshakes"_s).toInteger() >= 1);
    QVERIFY(stats.value(u"txPackets"_s).toInteger() >= 1);
    QCOMPARE(stats.value(u"sendErrors"_s).toInteger(), 0);
}

void tst_Network::statsFileWrittenAtStart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"stats.yaml"_s);
    NetworkConfig config = baseConfig(u"s"_s, u"10.0.0.1/32"_s);
    config.statsFile = path;
    Result<Node> node = startNode(config, m_addressA);
    QVERIFY(node);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.startsWith("peers:\n"), text.constData());
    QVERIFY(text.contains("forwarding_table:\n  claims:\n"));
    QVERIFY(text.contains("traffic:\n  in: { bytes: 0, packets: 0 }"));
    QVERIFY(text.contains("abuse_limits: { rate_limited: 0"));
    QCOMPARE(file.permissions() & (QFile::ReadOther | QFile::WriteOther), QFile::ReadOther);
}

void tst_Network::unwritableStatsFileStopsTheStart()
{
    NetworkConfig config = baseConfig(u"s"_s, u"10.0.0.1/32"_s);
    config.statsFile = u"/nonexistent-folder/stats.yaml"_s;
    Result<Node> node = startNode(config, m_addressA);
    QVERIFY(!node);
    QCOMPARE(node.error().code, u"bad-config"_s);
    QVERIFY2(node.error().message.startsWith(u"stats-file: cannot write /nonexistent-folder/stats.yaml"_s),
        qPrintable(node.error().message));
}

void tst_Network::readFailureIsReported()
{
    startPair(false);
    QSignalSpy failed(m_a.network.get(), &Network::failed);
    m_a.device->failReading(u"device gone"_s);
    m_a.socket->failReading(u"socket gone"_s);
    QCOMPARE(failed.size(), 2);
    QCOMPARE(failed.at(0).at(0).toString(), u"device gone"_s);
    QCOMPARE(failed.at(1).at(0).toString(), u"socket gone"_s);
}

void tst_Network::closeStopsEverything()
{
    startPair();
    const qsizetype before = m_a.socket->sent.size();
    m_a.network->close();
    QVERIFY(m_a.socket->sent.size() > before); // CLOSE to the peer
    QVERIFY(!m_a.device->isOpen());
    QVERIFY(!m_a.socket->isOpen());
    QCOMPARE(m_a.eventsNamed(u"network.state"_s).last().data.value(u"state"_s).toString(), u"disconnected"_s);
    // b learns it at once.
    QTRY_COMPARE(m_b.eventsNamed(u"peer.disconnected"_s).size(), 1);
    QCOMPARE(m_b.eventsNamed(u"peer.disconnected"_s).first().data.value(u"reason"_s).toString(), u"closed"_s);
    m_a.network->close(); // idempotent
    QCOMPARE(m_a.eventsNamed(u"network.state"_s).last().data.value(u"state"_s).toString(), u"disconnected"_s);
}

QTEST_GUILESS_MAIN(tst_Network)
#include "tst_network.moc"
