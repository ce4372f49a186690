// The engine's randomness seam (NodeConfig::random): the node id, the subset of peers a NodeInfo announces and
// the jitter of the probes all come from it, so fixing it makes a node's behaviour reproducible.
#include <memory>
#include <tuple>

#include <QTest>

#include "core/node/meshnode.h"
#include "core/node/randomsource.h"
#include "tests/fakes/node/simnetwork.h"

using namespace Nimbus;
using namespace Nimbus::Test;

namespace
{

/// Always 0: bounded() is always 0, so the peer-list subset is fully predictable.
class ZeroRandomSource final : public RandomSource
{
public:
    quint32 generate() override
    {
        ++calls;
        return 0;
    }
    int calls = 0;
};

class NullHost final : public NodeHost
{
public:
    void sendDatagram(const SocketAddress &, QByteArrayView) override { }
    void writeToDevice(QByteArrayView) override { }
    void onEvent(const NodeEvent &) override { }
};

NodeConfig seededConfig(quint64 seed)
{
    NodeConfig config = testConfig();
    config.random = std::make_shared<SeededRandomSource>(seed);
    return config;
}

SocketAddress peerAddress(int i)
{
    return SocketAddress(QHostAddress(QStringLiteral("192.0.2.%1").arg(i)), 3210);
}

const SocketAddress kHub = endpoint("198.51.100.1:3210");

/// A hub with \a count peers, each of which connects to the hub only (maxPeers 1 keeps the mesh from forming).
/// With \a seed, every node draws from its own SeededRandomSource(seed + index).
struct Star {
    SimNetwork net;
    SimNetwork::Node *hub = nullptr;
    QList<SimNetwork::Node *> peers;

    Star(int count, NodeConfig hubConfig, std::optional<quint64> seed)
    {
        hub = &net.addNode(kHub, std::move(hubConfig));
        for (int i = 1; i <= count; ++i) {
            NodeConfig config = seed ? seededConfig(*seed + quint64(i)) : testConfig();
            config.maxPeers = 1;
            SimNetwork::Node &node = net.addNode(peerAddress(i), std::move(config));
            node.engine->connectTo(kHub, net.now());
            peers.append(&node);
            net.advance(10);
        }
        net.advance(500);
    }
};

} // namespace

class tst_RandomSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seededSourceIsReproducible();
    void defaultBoundedAndFill();
    void systemSource();
    void nodeIdComesFromTheSource();
    void peerListSubsetComesFromTheSource();
    void fixedSourceFixesTheWholeRun();
};

void tst_RandomSource::seededSourceIsReproducible()
{
    SeededRandomSource a(42);
    SeededRandomSource b(42);
    SeededRandomSource other(43);
    bool differs = false;
    for (int i = 0; i < 100; ++i) {
        const quint32 value = a.generate();
        QCOMPARE(b.generate(), value);
        differs = differs || other.generate() != value;
    }
    QVERIFY(differs);
    // Seed 0 is usable: not stuck at zero.
    SeededRandomSource zero(0);
    QVERIFY(zero.generate() != 0 || zero.generate() != 0);
}

void tst_RandomSource::defaultBoundedAndFill()
{
    ZeroRandomSource zero;
    QCOMPARE(zero.bounded(1), 0u);
    QCOMPARE(zero.bounded(1000), 0u);
    SeededRandomSource random(7);
    for (quint32 bound : {1u, 2u, 3u, 20u, 1000u, 0xFFFFFFFFu}) {
        for (int i = 0; i < 200; ++i)
            QVERIFY(random.bounded(bound) < bound);
    }
    // fill() takes generate()'s values in order, four bytes each, the last one cut short.
    SeededRandomSource a(9);
    SeededRandomSource b(9);
    QByteArray bytes(7, '\0');
    a.fill(bytes.data(), bytes.size());
    const quint32 first = b.generate();
    const quint32 second = b.generate();
    QCOMPARE(QByteArray(bytes.constData(), 4), QByteArray(reinterpret_cast<const char *>(&first), 4));
    QCOMPARE(QByteArray(bytes.constData() + 4, 3), QByteArray(reinterpret_cast<const char *>(&second), 3));
}

void tst_RandomSource::systemSource()
{
    SystemRandomSource random;
    for (int i = 0; i < 200; ++i)
        QVERIFY(random.bounded(20) < 20u);
    QByteArray a(16, '\0');
    QByteArray b(16, '\0');
    random.fill(a.data(), a.size());
    random.fill(b.data(), b.size());
    QVERIFY(a != b); // 2^-128
}

void tst_RandomSource::nodeIdComesFromTheSource()
{
    NullHost host;
    // The same source gives the same node id; another seed another one.
    const MeshNode a(seededConfig(1234), host, 0);
    const MeshNode b(seededConfig(1234), host, 0);
    const MeshNode c(seededConfig(1235), host, 0);
    QCOMPARE(a.nodeId(), b.nodeId());
    QVERIFY(a.nodeId() != c.nodeId());
    NodeId expected {};
    SeededRandomSource(1234).fill(expected.data(), qsizetype(expected.size()));
    QCOMPARE(a.nodeId(), expected);

    // Without a source the id is random per node.
    const MeshNode d(testConfig(), host, 0);
    const MeshNode e(testConfig(), host, 0);
    QVERIFY(d.nodeId() != e.nodeId());

    // A configured node id wins over the source, which is not consumed for it.
    auto zero = std::make_shared<ZeroRandomSource>();
    NodeConfig config = testConfig();
    config.nodeId = expected;
    config.random = zero;
    const MeshNode f(std::move(config), host, 0);
    QCOMPARE(f.nodeId(), expected);
    QCOMPARE(zero->calls, 0);
}

void tst_RandomSource::peerListSubsetComesFromTheSource()
{
    // 25 peers, 20 announced. Reservoir sampling in address order with every draw 0: the first 20 are taken, then
    // each further peer replaces the first slot, so the last peer ends up in front of peers 2..20.
    auto zero = std::make_shared<ZeroRandomSource>();
    NodeConfig hubConfig = testConfig();
    hubConfig.nodeId = NodeId {0x48, 0x55, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    hubConfig.random = zero;
    Star star(25, std::move(hubConfig), std::nullopt);
    QCOMPARE(star.hub->engine->peerCount(), 25);
    const int before = zero->calls;
    const NodeInfo info = star.hub->engine->currentNodeInfo();
    QCOMPARE(zero->calls - before, 5); // one draw per peer beyond the 20th
    QList<NodeId> expected {star.peers[24]->engine->nodeId()};
    for (int i = 1; i < 20; ++i)
        expected.append(star.peers[i]->engine->nodeId());
    QList<NodeId> announced;
    for (const PeerListEntry &entry : info.peers)
        announced.append(entry.nodeId.value_or(NodeId {}));
    QCOMPARE(announced, expected);
    // And again: the same draws give the same subset.
    QCOMPARE(star.hub->engine->currentNodeInfo().peers.size(), 20);
    QCOMPARE(star.hub->engine->currentNodeInfo().peers.first().nodeId, std::optional<NodeId>(expected.first()));
}

void tst_RandomSource::fixedSourceFixesTheWholeRun()
{
    // Two runs with the same sources: the same node ids, the same announced subset, and (with a server gone
    // silent, so the hub probes it with jittered intervals) the same datagrams at the same times.
    using Sent = std::tuple<TimeMs, SocketAddress, SocketAddress, qsizetype>;
    const auto run = [](QList<Sent> &sent, QList<NodeId> &ids, QList<PeerListEntry> &subset, bool &routed) {
        Star star(22, seededConfig(1), 100);
        star.net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView datagram) {
            sent.append({star.net.now(), from, to, datagram.size()});
            return false;
        };
        for (SimNetwork::Node *peer : std::as_const(star.peers))
            ids.append(peer->engine->nodeId());
        subset = star.hub->engine->currentNodeInfo().peers;
        // The hub sends to a peer that has gone silent: probes with jittered intervals, then the verdict.
        star.peers[3]->engine->addOwnClaim(range("10.9.9.9/32"));
        star.net.advance(2500);
        routed = star.hub->engine->routeFor(ipv4("10.9.9.9")) == std::optional<SocketAddress>(peerAddress(4));
        star.net.kill(*star.peers[3], false);
        for (int i = 0; i < 20; ++i) {
            star.hub->engine->handleDevicePacket(ipv4Packet("10.0.0.100", "10.9.9.9"), star.net.now());
            star.net.advance(50);
        }
        star.net.advance(2000);
        return star.hub->engine->counters();
    };
    QList<Sent> sentA;
    QList<Sent> sentB;
    QList<NodeId> idsA;
    QList<NodeId> idsB;
    QList<PeerListEntry> subsetA;
    QList<PeerListEntry> subsetB;
    bool routedA = false;
    bool routedB = false;
    const NodeCounters a = run(sentA, idsA, subsetA, routedA);
    const NodeCounters b = run(sentB, idsB, subsetB, routedB);
    QVERIFY(routedA);
    QVERIFY(routedB);
    QCOMPARE(idsA, idsB);
    QCOMPARE(subsetA.size(), 20);
    QCOMPARE(subsetB.size(), 20);
    for (qsizetype i = 0; i < subsetA.size(); ++i)
        QCOMPARE(subsetA[i].nodeId, subsetB[i].nodeId);
    QVERIFY(a.probesSent > 0);
    QCOMPARE(a.silentPeers, 1u);
    QCOMPARE(a.probesSent, b.probesSent);
    QCOMPARE(a.silentPeers, b.silentPeers);
    QCOMPARE(sentA.size(), sentB.size());
    QVERIFY(sentA == sentB);
}

QTEST_APPLESS_MAIN(tst_RandomSource)
#include "tst_randomsource.moc"
