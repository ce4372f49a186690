// Network with an in-memory device and socket: two real engines handshake through linked fake sockets.
#include <cstdlib>
#include <memory>

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/crypto/identity.h"
#include "core/protocol/events.h"
#include "helper/clock.h"
#include "helper/engineconfig.h"
#include "helper/hookrunner.h"
#include "helper/network.h"
#include "helper/networkreporter.h"
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

/// Copies \a key from \a actual into \a expected if it is a wall time (Unix ms) from about \a from until now.
bool copyTime(QJsonObject &expected, const QJsonObject &actual, const QString &key, qint64 from)
{
    const QJsonValue value = actual.value(key);
    const qint64 time = value.toInteger(-1);
    if (!value.isDouble() || time < from - 1000 || time > QDateTime::currentMSecsSinceEpoch() + 1000)
        return false;
    expected.insert(key, value);
    return true;
}

QJsonObject nodeJson(const QString &nodeId, const SocketAddress &address)
{
    return QJsonObject {{u"nodeId"_s, nodeId}, {u"address"_s, address.toString()}};
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

/// A NetworkReporter of its own (network "r") over a network's engine, recording what it publishes.
struct RecordingReporter {
    const NetworkConfig config = baseConfig(u"r"_s, u"10.0.0.1/32"_s);
    const NetworkReporter::ConfiguredPeers configured;
    QList<Event> events;
    NetworkReporter reporter;

    RecordingReporter(const MeshNode &engine,
        bool system,
        NetworkReporter::ConfiguredPeers peers = {},
        const QString &hostsFile = u"/etc/hosts"_s)
        : configured(std::move(peers))
        , reporter(
              config,
              system,
              engine,
              configured,
              [this](const QString &name, const QJsonObject &data) {
                  events.append(Event {name, data});
              },
              hostsFile)
    {
    }
    /// The data of the last event \a name published (empty if none).
    QJsonObject take(const QString &name) const
    {
        QJsonObject data;
        for (const Event &e : std::as_const(events)) {
            if (e.name == name)
                data = e.data;
        }
        return data;
    }
};

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
    void lonePacketTakesTheShortestPath();
    void batchIsQueuedAndFlushed();
    void icmpReportReachesTheEngine();
    void engineEventsBecomeControlEvents();
    void statusPeersClaimsAndStats();
    void exactStatusPeerClaimAndStats();
    void exactEventPayloads();
    void namesAndFailoverTimesInPayloads();
    void handshakeAbuseCountersInStats();
    void statsFileWrittenAtStart();
    void unwritableStatsFileStopsTheStart();
    void readFailureIsReported();
    void closeStopsEverything();

private:
    /// Starts a (10.0.0.1, configured peer b) and b (10.0.0.2) and waits for the handshake.
    void startPair(bool waitForHandshake = true);
    /// A node that is not there, at \a at, with b's node id changed in its first byte.
    NodeRef thirdNode(const QString &at) const
    {
        NodeId id = m_b.network->engine().nodeId();
        id[0] = char(id[0] ^ 0x55);
        return NodeRef {address(at), id};
    }

    qint64 m_started = 0; ///< wall time before startPair()
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
    m_started = QDateTime::currentMSecsSinceEpoch();
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
    QVERIFY(m_a.device->queued.isEmpty()); // a lone packet is written at once
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

void tst_Network::lonePacketTakesTheShortestPath()
{
    startPair();
    QTRY_VERIFY(!m_a.network->engine().peers().value(0).claims.isEmpty());
    const QByteArray packet
        = ipv4Packet(QHostAddress(u"10.0.0.1"_s), QHostAddress(u"10.0.0.2"_s), QByteArray("a lone packet"));
    const int sends = m_a.socket->sendCalls;
    const int flushes = m_a.socket->flushCalls;
    const qsizetype sent = m_a.socket->sent.size();
    m_a.device->receive({packet});
    // One packet read from the device: its datagram goes out at once with send(), nothing is queued or flushed.
    QCOMPARE(m_a.socket->sent.size(), sent + 1);
    QCOMPARE(m_a.socket->sendCalls, sends + 1);
    QCOMPARE(m_a.socket->flushCalls, flushes);
    // One datagram received: its packet is written with write(), not queued for a flush.
    const int writes = m_b.device->writeCalls;
    const int deviceFlushes = m_b.device->flushCalls;
    QTRY_COMPARE(m_b.device->written.size(), 1);
    QCOMPARE(m_b.device->written.first(), packet);
    QCOMPARE(m_b.device->writeCalls, writes + 1);
    QCOMPARE(m_b.device->flushCalls, deviceFlushes);
    QVERIFY(m_b.device->queued.isEmpty());
}

void tst_Network::batchIsQueuedAndFlushed()
{
    startPair();
    QTRY_VERIFY(!m_a.network->engine().peers().value(0).claims.isEmpty());
    QList<QByteArray> packets;
    for (int i = 0; i < 3; ++i)
        packets.append(ipv4Packet(
            QHostAddress(u"10.0.0.1"_s), QHostAddress(u"10.0.0.2"_s), QByteArray("batch ").append(char('0' + i))));
    // The link is cut so that b gets the datagrams below as one batch, not one by one from the fake link.
    m_a.socket->linkUp = false;
    const int sends = m_a.socket->sendCalls;
    const int flushes = m_a.socket->flushCalls;
    const qsizetype sent = m_a.socket->sent.size();
    m_a.device->receive(packets);
    // Several packets in one read: their datagrams are queued and go out with one flush (sendmmsg).
    QCOMPARE(m_a.socket->sent.size(), sent + 3);
    QCOMPARE(m_a.socket->sendCalls, sends);
    QCOMPARE(m_a.socket->flushCalls, flushes + 1);
    QList<ReceivedDatagram> datagrams;
    for (qsizetype i = sent; i < m_a.socket->sent.size(); ++i)
        datagrams.append(ReceivedDatagram {m_addressA, m_a.socket->sent.at(i).data});
    const int writes = m_b.device->writeCalls;
    const int deviceFlushes = m_b.device->flushCalls;
    m_b.socket->receive(datagrams);
    // Several datagrams in one read: their packets are queued and written with one flush (TCP segments merged).
    QCOMPARE(m_b.device->written, packets);
    QCOMPARE(m_b.device->writeCalls, writes);
    QCOMPARE(m_b.device->flushCalls, deviceFlushes + 1);
    QVERIFY(m_b.device->queued.isEmpty());
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
    // b served 10.0.0.2/32: the route is lost, with nobody to take over.
    const QJsonObject lost = m_a.eventsNamed(u"route.failover"_s).last().data;
    QJsonObject expectedLost {
        {u"network"_s, u"a"_s},
        {u"range"_s, u"10.0.0.2/32"_s},
        {u"address"_s, u"10.0.0.2"_s},
        {u"from"_s, nodeJson(nodeIdToHex(m_b.network->engine().nodeId()), m_addressB)},
        {u"to"_s, QJsonValue::Null},
        {u"reason"_s, u"unreachable"_s},
        {u"unreachableMs"_s, lost.value(u"unreachableMs"_s)},
        {u"kind"_s, u"lost"_s},
    };
    QVERIFY(lost.value(u"unreachableMs"_s).toInteger(-1) >= 0);
    QVERIFY(copyTime(expectedLost, lost, u"time"_s, m_started));
    // When a's engine decided b was gone, and b's last sign of life before that; no noPathMs while nobody serves.
    QVERIFY(copyTime(expectedLost, lost, u"detectedAt"_s, m_started));
    QVERIFY(copyTime(expectedLost, lost, u"lastSeenAt"_s, m_started));
    QVERIFY(lost.value(u"lastSeenAt"_s).toInteger() <= lost.value(u"detectedAt"_s).toInteger());
    QCOMPARE(lost, expectedLost);
    // A lost route is no failover: status keeps lastFailover null.
    QVERIFY(m_a.network->status().value(u"lastFailover"_s).isNull());

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

void tst_Network::exactStatusPeerClaimAndStats()
{
    // The exact objects (docs/control-protocol.md): a renamed, missing or extra key fails here.
    startPair();
    QTRY_COMPARE(m_a.network->claims().size(), 2);
    const MeshNode &engine = m_a.network->engine();
    const QString idA = nodeIdToHex(engine.nodeId());
    const QString idB = nodeIdToHex(m_b.network->engine().nodeId());
    const PeerInfo info = engine.peers().value(0);
    const QString algorithm = algorithmName(info.algorithm);
    QVERIFY(!algorithm.isEmpty());
    const NodeCounters c = engine.counters();

    QCOMPARE(m_a.network->status(),
        (QJsonObject {
            {u"name"_s, u"a"_s},
            {u"state"_s, u"connected"_s},
            {u"device"_s, u"fake-a"_s},
            {u"ip"_s, u""_s},
            {u"nodeId"_s, idA},
            {u"listen"_s, m_addressA.toString()},
            {u"peerCount"_s, 1},
            {u"configuredPeers"_s, 1},
            {u"unresolvedPeers"_s, QJsonArray {}},
            {u"claims"_s, QJsonArray {u"10.0.0.1/32"_s}},
            {u"algorithm"_s, algorithm},
            {u"system"_s, false},
            {u"lastFailover"_s, QJsonValue::Null},
            {u"rxBytes"_s, qint64(c.rxBytes)},
            {u"txBytes"_s, qint64(c.txBytes)},
        }));

    const QJsonObject peer = m_a.network->peers().first().toObject();
    QJsonObject expectedPeer {
        {u"network"_s, u"a"_s},
        {u"address"_s, m_addressB.toString()},
        {u"nodeId"_s, idB},
        {u"name"_s, peer.value(u"name"_s).toString()}, // the hosts file's name for the address, if any
        {u"nameSource"_s, peer.value(u"nameSource"_s).toString()},
        {u"claims"_s, QJsonArray {u"10.0.0.2/32"_s}},
        {u"algorithm"_s, algorithm},
        {u"rxBytes"_s, qint64(info.rxBytes)},
        {u"txBytes"_s, qint64(info.txBytes)},
        {u"rxPackets"_s, qint64(info.rxPackets)},
        {u"txPackets"_s, qint64(info.txPackets)},
        {u"initiator"_s, info.initiator},
        {u"suspect"_s, false},
    };
    QVERIFY(copyTime(expectedPeer, peer, u"connectedSince"_s, m_started));
    QVERIFY(copyTime(expectedPeer, peer, u"lastSeen"_s, m_started));
    QCOMPARE(peer, expectedPeer);

    QJsonObject remote;
    for (const QJsonValue &v : m_a.network->claims()) {
        if (v.toObject().value(u"range"_s).toString() == u"10.0.0.2/32"_s)
            remote = v.toObject();
    }
    const QJsonObject claimant = remote.value(u"claimants"_s).toArray().first().toObject();
    QJsonObject expectedClaimant = nodeJson(idB, m_addressB);
    QVERIFY(copyTime(expectedClaimant, claimant, u"since"_s, m_started));
    QCOMPARE(remote,
        (QJsonObject {
            {u"network"_s, u"a"_s},
            {u"range"_s, u"10.0.0.2/32"_s},
            {u"servedBy"_s, nodeJson(idB, m_addressB)},
            {u"claimants"_s, QJsonArray {expectedClaimant}},
            {u"local"_s, false},
            {u"used"_s, false},
            {u"serving"_s, false},
        }));

    QCOMPARE(m_a.network->stats(),
        (QJsonObject {
            {u"network"_s, u"a"_s},
            {u"rxBytes"_s, qint64(c.rxBytes)},
            {u"txBytes"_s, qint64(c.txBytes)},
            {u"rxPackets"_s, qint64(c.rxPackets)},
            {u"txPackets"_s, qint64(c.txPackets)},
            {u"invalidPackets"_s, qint64(c.invalidPackets)},
            {u"rateLimited"_s, qint64(c.rateLimited)},
            {u"peerLimitRejected"_s, qint64(c.peerLimitRejected)},
            {u"handshakesEvicted"_s, qint64(c.handshakesEvicted)},
            {u"claimsIgnored"_s, qint64(c.claimsIgnored)},
            {u"duplicateInits"_s, qint64(c.duplicateInits)},
            {u"respondersExpired"_s, qint64(c.respondersExpired)},
            {u"droppedPackets"_s, qint64(c.droppedPackets)},
            {u"handshakes"_s, qint64(c.handshakesCompleted)},
            {u"failovers"_s, qint64(c.routeChanges)},
            {u"probes"_s, qint64(c.probesSent)},
            {u"probesAnswered"_s, qint64(c.probesAnswered)},
            {u"silentPeers"_s, qint64(c.silentPeers)},
            {u"pathRecoveries"_s, qint64(c.pathRecoveries)},
            {u"peersRoamed"_s, qint64(c.peersRoamed)},
            {u"knocks"_s, qint64(c.knocks)},
            {u"sendErrors"_s, 0},
            {u"deviceWriteErrors"_s, 0},
        }));
    QVERIFY(c.handshakesCompleted >= 1);
}

void tst_Network::exactEventPayloads()
{
    // A reporter of its own over a's engine, fed engine events that two fake nodes cannot produce (a failover
    // between two claimants, a roamed peer): every payload exactly as docs/control-protocol.md has it.
    startPair();
    const MeshNode &engine = m_a.network->engine();
    const NodeId idB = m_b.network->engine().nodeId();
    const NodeRef b {m_addressB, idB};
    const NodeRef c = thirdNode(u"127.0.0.3:3210"_s);
    const SocketAddress addressC = c.address;
    const NodeId idC = c.nodeId;
    const QJsonObject bJson = nodeJson(nodeIdToHex(idB), m_addressB);
    const QJsonObject cJson = nodeJson(nodeIdToHex(idC), addressC);

    RecordingReporter recording(engine, true);
    NetworkReporter &reporter = recording.reporter;
    const QList<Event> &events = recording.events;
    const auto take = [&recording](const QString &name) { return recording.take(name); };
    const qint64 started = QDateTime::currentMSecsSinceEpoch();

    RouteChangedEvent route;
    route.range = *Range::parse(u"10.0.0.0/24");
    route.address = QByteArray("\x0a\x00\x00\x07", 4);
    route.from = b;
    route.to = c;
    route.reason = RouteChangeReason::Timeout;
    route.unreachableMs = 1840;
    reporter.onEvent(route);
    const QJsonObject failover = take(u"route.failover"_s);
    QJsonObject expectedFailover {
        {u"network"_s, u"r"_s},
        {u"range"_s, u"10.0.0.0/24"_s},
        {u"address"_s, u"10.0.0.7"_s},
        {u"from"_s, bJson},
        {u"to"_s, cJson},
        {u"reason"_s, u"timeout"_s},
        {u"unreachableMs"_s, 1840},
        {u"kind"_s, u"failover"_s},
    };
    QVERIFY(copyTime(expectedFailover, failover, u"time"_s, started));
    QCOMPARE(failover, expectedFailover);
    // Who serves what is part of the claims list, sent whole after every route change.
    QCOMPARE(take(u"claims.changed"_s), (QJsonObject {{u"network"_s, u"r"_s}, {u"claims"_s, reporter.claims()}}));
    // A failover (both ends known, a failure) is the network's lastFailover.
    const QJsonObject status = reporter.status(u"dev"_s, u"[::]:1"_s).toJson();
    QCOMPARE(status.value(u"lastFailover"_s).toObject(), expectedFailover);
    QCOMPARE(status.value(u"system"_s).toBool(), true);
    QCOMPARE(status.value(u"name"_s).toString(), u"r"_s);
    // A route that comes back to a node that is no failure is not.
    route.reason = RouteChangeReason::MoreSpecific;
    route.kind = RouteChangeKind::Switchback;
    route.from = c;
    route.to = b;
    reporter.onEvent(route);
    QCOMPARE(take(u"route.failover"_s).value(u"reason"_s).toString(), u"more-specific"_s);
    QCOMPARE(reporter.status(u"dev"_s, u"[::]:1"_s).toJson().value(u"lastFailover"_s).toObject(), expectedFailover);

    reporter.onEvent(PeerDisconnectedEvent {b, DisconnectReason::Silent});
    QCOMPARE(take(u"peer.disconnected"_s),
        (QJsonObject {{u"network"_s, u"r"_s},
            {u"address"_s, m_addressB.toString()},
            {u"nodeId"_s, nodeIdToHex(idB)},
            {u"reason"_s, u"silent"_s}}));

    reporter.onEvent(HandshakeFailedEvent {addressC, u"bad signature"_s});
    QCOMPARE(take(u"log"_s),
        (QJsonObject {{u"network"_s, u"r"_s},
            {u"level"_s, u"warning"_s},
            {u"message"_s, u"handshake with 127.0.0.3:3210 failed: bad signature"_s}}));

    reporter.onEvent(PathRecoveredEvent {b, RecoveryCause::PeerRoamed, 730, addressC});
    QJsonObject recovered = take(u"path.recovered"_s);
    QJsonObject expectedRecovered {
        {u"network"_s, u"r"_s},
        {u"peer"_s, bJson},
        {u"cause"_s, u"peer-roamed"_s},
        {u"gapMs"_s, 730},
        {u"previousAddress"_s, addressC.toString()},
    };
    QVERIFY(copyTime(expectedRecovered, recovered, u"time"_s, started));
    QCOMPARE(recovered, expectedRecovered);
    reporter.onEvent(PathRecoveredEvent {b, RecoveryCause::Resumed, 0, std::nullopt});
    recovered = take(u"path.recovered"_s);
    expectedRecovered.insert(u"cause"_s, u"resumed"_s);
    expectedRecovered.insert(u"gapMs"_s, 0);
    expectedRecovered.insert(u"previousAddress"_s, QJsonValue::Null);
    QVERIFY(copyTime(expectedRecovered, recovered, u"time"_s, started));
    QCOMPARE(recovered, expectedRecovered);

    reporter.onEvent(PeerConnectedEvent {b, {}, Algorithm::Plain, true});
    // The same peer as peers() shows it; its wall-clock times are worked out from the monotonic clock at each call,
    // so they may differ by a millisecond between the two (seen under ASan).
    const QJsonObject connected = take(u"peer.connected"_s);
    QJsonObject expectedConnected = reporter.peers().first().toJson();
    for (const QString &key : {u"connectedSince"_s, u"lastSeen"_s}) {
        QVERIFY(std::abs(connected.value(key).toInteger() - expectedConnected.value(key).toInteger()) <= 5);
        expectedConnected.insert(key, connected.value(key));
    }
    QCOMPARE(connected, expectedConnected);

    reporter.localNetworkChanged(u"address added"_s);
    const QJsonObject changed = take(u"network.changed"_s);
    QJsonObject expectedChanged {{u"network"_s, u"r"_s}, {u"what"_s, u"address added"_s}};
    QVERIFY(copyTime(expectedChanged, changed, u"time"_s, started));
    QCOMPARE(changed, expectedChanged);

    reporter.resumed(5000, u"the machine slept for 5000 ms"_s);
    const QJsonObject resumed = take(u"network.resumed"_s);
    QJsonObject expectedResumed {
        {u"network"_s, u"r"_s}, {u"pausedMs"_s, 5000}, {u"what"_s, u"the machine slept for 5000 ms"_s}};
    QVERIFY(copyTime(expectedResumed, resumed, u"time"_s, started));
    QCOMPARE(resumed, expectedResumed);

    reporter.publishStats();
    const NodeCounters &counters = engine.counters();
    QCOMPARE(take(u"stats"_s),
        (QJsonObject {{u"network"_s, u"r"_s},
            {u"rxBytes"_s, qint64(counters.rxBytes)},
            {u"txBytes"_s, qint64(counters.txBytes)},
            {u"rxPackets"_s, qint64(counters.rxPackets)},
            {u"txPackets"_s, qint64(counters.txPackets)}}));

    QCOMPARE(take(u"network.state"_s).keys(), (QStringList {u"network"_s, u"state"_s}));
    reporter.closed();
    QCOMPARE(take(u"network.state"_s), (QJsonObject {{u"network"_s, u"r"_s}, {u"state"_s, u"disconnected"_s}}));
    for (const Event &e : std::as_const(events))
        QVERIFY2(Protocol::eventTypeFromName(e.name).has_value(), qPrintable(e.name));
}

void tst_Network::namesAndFailoverTimesInPayloads()
{
    // A reporter of its own over a's engine, with b configured by name ("server-b:3210" resolved to b's address) and
    // a hosts file that names a third node: peers, claims and route events carry the names; a failover its kind and
    // times (engine times made wall times), a first route "reachable" without them.
    startPair();
    const MeshNode &engine = m_a.network->engine();
    const NodeId idB = m_b.network->engine().nodeId();
    const NodeRef b {m_addressB, idB};
    const NodeRef c = thirdNode(u"192.0.2.13:3210"_s);
    QTemporaryDir dir;
    const QString hostsPath = dir.filePath(u"hosts"_s);
    {
        QFile hosts(hostsPath);
        QVERIFY(hosts.open(QIODevice::WriteOnly));
        hosts.write("127.0.0.1 localhost\n127.0.0.2 loopback-names-nothing\n192.0.2.13 server-c\n");
    }
    RecordingReporter recording(engine, false, {{u"server-b:3210"_s, {m_addressB}}}, hostsPath);
    NetworkReporter &reporter = recording.reporter;
    const auto take = [&recording](const QString &name) { return recording.take(name); };
    QJsonObject bJson = nodeJson(nodeIdToHex(idB), m_addressB);
    bJson.insert(u"name"_s, u"server-b"_s);
    bJson.insert(u"nameSource"_s, u"peer"_s);
    QJsonObject cJson = nodeJson(nodeIdToHex(c.nodeId), c.address);
    cJson.insert(u"name"_s, u"server-c"_s);
    cJson.insert(u"nameSource"_s, u"hosts"_s);

    const QList<Protocol::Peer> peers = reporter.peers();
    QCOMPARE(peers.size(), 1);
    QCOMPARE(peers.first().name, u"server-b"_s);
    QCOMPARE(peers.first().nameSource, u"peer"_s);
    // b's claim, with b by name as its server and claimant.
    const QJsonArray claims = reporter.claims();
    bool found = false;
    for (const QJsonValue &claim : claims) {
        const QJsonObject o = claim.toObject();
        if (o.value(u"range"_s).toString() != u"10.0.0.2/32"_s)
            continue;
        found = true;
        QCOMPARE(o.value(u"servedBy"_s).toObject(), bJson);
        QJsonObject claimant = o.value(u"claimants"_s).toArray().first().toObject();
        claimant.remove(u"since"_s);
        QCOMPARE(claimant, bJson);
    }
    QVERIFY(found);

    const qint64 wallBefore = QDateTime::currentMSecsSinceEpoch();
    const TimeMs now = MonotonicClock::now();
    RouteChangedEvent route;
    route.range = *Range::parse(u"10.0.0.7/32");
    route.address = QByteArray("\x0a\x00\x00\x07", 4);
    route.from = b;
    route.to = c;
    route.reason = RouteChangeReason::Unreachable;
    route.unreachableMs = 1800;
    route.kind = RouteChangeKind::Failover;
    route.detectedAt = now;
    route.lastHeard = now - 1800;
    route.noPathMs = 420;
    reporter.onEvent(route);
    const QJsonObject failover = take(u"route.failover"_s);
    QJsonObject expected {
        {u"network"_s, u"r"_s},
        {u"range"_s, u"10.0.0.7/32"_s},
        {u"address"_s, u"10.0.0.7"_s},
        {u"from"_s, bJson},
        {u"to"_s, cJson},
        {u"reason"_s, u"unreachable"_s},
        {u"unreachableMs"_s, 1800},
        {u"kind"_s, u"failover"_s},
        {u"noPathMs"_s, 420},
    };
    QVERIFY(copyTime(expected, failover, u"time"_s, wallBefore));
    QVERIFY(copyTime(expected, failover, u"detectedAt"_s, wallBefore));
    QVERIFY(copyTime(expected, failover, u"lastSeenAt"_s, wallBefore - 1800));
    QCOMPARE(failover, expected);
    QVERIFY(std::abs(failover.value(u"detectedAt"_s).toInteger() - failover.value(u"lastSeenAt"_s).toInteger() - 1800)
        <= 1);
    QCOMPARE(reporter.status(u"dev"_s, u"[::]:1"_s).toJson().value(u"lastFailover"_s).toObject(), expected);

    // The first route of an address: reachable, no failure times, and not the network's last failover.
    route.from.reset();
    route.reason = RouteChangeReason::NewClaimant;
    route.kind = RouteChangeKind::Reachable;
    route.detectedAt = 0;
    route.lastHeard = 0;
    route.noPathMs = -1;
    route.unreachableMs = 0;
    reporter.onEvent(route);
    QJsonObject reachable = take(u"route.failover"_s);
    QJsonObject expectedReachable {
        {u"network"_s, u"r"_s},
        {u"range"_s, u"10.0.0.7/32"_s},
        {u"address"_s, u"10.0.0.7"_s},
        {u"from"_s, QJsonValue::Null},
        {u"to"_s, cJson},
        {u"reason"_s, u"new-claimant"_s},
        {u"unreachableMs"_s, 0},
        {u"kind"_s, u"reachable"_s},
    };
    QVERIFY(copyTime(expectedReachable, reachable, u"time"_s, wallBefore));
    QCOMPARE(reachable, expectedReachable);
    QCOMPARE(reporter.status(u"dev"_s, u"[::]:1"_s).toJson().value(u"lastFailover"_s).toObject(), expected);
}

void tst_Network::handshakeAbuseCountersInStats()
{
    // a's handshake datagrams again at b: copies of the messages b already answered, counted duplicateInits.
    startPair();
    const QList<FakeDatagramSocket::Sent> sent = m_a.socket->sent;
    for (const FakeDatagramSocket::Sent &datagram : sent)
        m_b.socket->receive({ReceivedDatagram {m_addressA, datagram.data}});
    const quint64 duplicates = m_b.network->engine().counters().duplicateInits;
    QVERIFY(duplicates > 0);
    QCOMPARE(m_b.network->stats().value(u"duplicateInits"_s).toInteger(), qint64(duplicates));
    QCOMPARE(m_b.network->stats().value(u"respondersExpired"_s).toInteger(), 0);

    // a's PING replayed from another address, whose host answers b's PONG with ICMP port unreachable: b gives up
    // that responder state unproven, counted respondersExpired.
    const SocketAddress addressC = address(u"127.0.0.3:3210"_s);
    m_b.socket->receive({ReceivedDatagram {addressC, sent.first().data}});
    IcmpError error;
    error.target = addressC;
    error.type = 3;
    error.code = 3;
    error.portUnreachable = true;
    m_b.socket->reportIcmp(error);
    QTRY_COMPARE(m_b.network->stats().value(u"respondersExpired"_s).toInteger(), 1);
    QCOMPARE(qint64(m_b.network->engine().counters().respondersExpired), 1);
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
