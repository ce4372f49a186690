// The seed's high-availability scenarios on the simulated network: two servers claim 10.0.0.1, a client sends
// to it; servers die in different ways and come back.
#include <QTest>

#include "core/node/pausedetector.h"
#include "tests/fakes/node/simnetwork.h"

using namespace Nimbus;
using namespace Nimbus::Test;

namespace
{

const SocketAddress kServerA = endpoint("192.0.2.11:3210");
const SocketAddress kServerB = endpoint("192.0.2.12:3210");
const SocketAddress kClient = endpoint("192.0.2.100:3210");

NodeConfig serverConfig(const char *claim)
{
    NodeConfig config = testConfig();
    config.claims = {range(claim)};
    return config;
}

struct Seed {
    SimNetwork net;
    SimNetwork::Node *a = nullptr;
    SimNetwork::Node *b = nullptr;
    SimNetwork::Node *client = nullptr;

    Seed(const char *claimA, const char *claimB, bool fastFailover = true)
    {
        a = &net.addNode(kServerA, serverConfig(claimA));
        b = &net.addNode(kServerB, serverConfig(claimB));
        a->engine->addConfiguredPeer(QStringLiteral("server-b"), {kServerB}, net.now());
        b->engine->addConfiguredPeer(QStringLiteral("server-a"), {kServerA}, net.now());
        net.advance(200);
        NodeConfig c = serverConfig("10.0.0.100/32");
        c.fastFailover = fastFailover;
        client = &net.addNode(kClient, std::move(c));
        // -c server-a:3210 -c server-b:3210: server-a is connected (and so announced) first.
        client->engine->addConfiguredPeer(QStringLiteral("server-a"), {kServerA}, net.now());
        net.advance(20);
        client->engine->addConfiguredPeer(QStringLiteral("server-b"), {kServerB}, net.now());
        net.advance(2000);
    }

    /// Sends one ping-like packet from the client to 10.0.0.1; returns which server got it (or null).
    SimNetwork::Node *ping()
    {
        const QByteArray packet = ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray::number(net.now()));
        const qsizetype beforeA = a->deviceOut.size();
        const qsizetype beforeB = b->deviceOut.size();
        client->engine->handleDevicePacket(packet, net.now());
        net.advance(5);
        if (a->deviceOut.size() > beforeA && a->deviceOut.last() == packet)
            return a;
        if (b->deviceOut.size() > beforeB && b->deviceOut.last() == packet)
            return b;
        return nullptr;
    }

    /// Pings every \a intervalMs until a ping reaches \a target; returns the time that took (or -1).
    TimeMs pingUntil(SimNetwork::Node *target, TimeMs intervalMs, TimeMs limitMs)
    {
        const TimeMs start = net.now();
        while (net.now() - start < limitMs) {
            if (ping() == target)
                return net.now() - start;
            net.advance(intervalMs - 5);
        }
        return -1;
    }

    QList<RouteChangedEvent> failovers() const
    {
        QList<RouteChangedEvent> result;
        for (const RouteChangedEvent &e : client->eventsOf<RouteChangedEvent>()) {
            if (e.address == ipv4("10.0.0.1") && e.from && e.to)
                result.append(e);
        }
        return result;
    }
};

// The stage an init datagram claims (1 PING, 2 PONG, 3 PENG; 0: none), read from its TLV fields (spec §3.2).
int stageOf(QByteArrayView datagram)
{
    if (datagram.isEmpty() || quint8(datagram[0]) != 0xFF)
        return 0;
    for (qsizetype at = 1 + 8; at + 3 <= datagram.size() && datagram[at] != 0;) {
        const qsizetype length = (qsizetype(quint8(datagram[at + 1])) << 8) | quint8(datagram[at + 2]);
        if (quint8(datagram[at]) == 0x01 && length == 1 && at + 4 <= datagram.size())
            return quint8(datagram[at + 3]);
        at += 3 + length;
    }
    return 0;
}

} // namespace

class tst_Failover : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(initCrypto()); }
    void longestAnnouncedServerWins();
    void silentServerFailsOverWithinASecond();
    void silentServerWithoutFastFailoverWaitsForPeerTimeout();
    void dataKeepsAServerAliveWhoseKeepalivesAreLost();
    void deadProcessFailsOverFastOnConfirmedIcmp();
    void spoofedIcmpDoesNotMoveTraffic();
    void undecidedSuspicionDoesNotBusyLoop();
    void closeFailsOverAtOnce();
    void primaryBeatsSecondaryAndTrafficReturnsWithoutLoss();
    void balanceSpreadsDestinationsStably();
    // Liveness, roaming and resume (docs/failover.md).
    void oneWayLossFailsOverWithinASecond();
    void oneWayFlowDoesNotFailOver();
    void lossyPathDoesNotFailOver();
    void idlePeersAreNotProbed();
    void roamingClientIsFollowed();
    void localNetworkChangeRenewsAtOnce();
    void resumeGivesPeersAFreshTimeout();
    void formerPeerIsKnockedBack();
    void suspendedClientRecoversOnResume();
    void probeBudgetSpreadsProbes();
    void vpncloudPengAnswersAProbe();
    void claimsReportServingNode();
    void connectIsReachableNotFailover();
    void failoverMeasuresTheTrafficGap();
};

void tst_Failover::longestAnnouncedServerWins()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    for (int i = 0; i < 5; ++i)
        QCOMPARE(seed.ping(), seed.a);
    QCOMPARE(seed.client->engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));
}

void tst_Failover::dataKeepsAServerAliveWhoseKeepalivesAreLost()
{
    // The soak's finding: on a lossy link a few lost NODE_INFO/KEEPALIVE messages dropped a server whose data still
    // arrived. Here every one of them from server-a to the client is lost (they are the short datagrams; the
    // server's answers are 400-byte packets), for three peer timeouts.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    seed.net.dropFilter = [](const SocketAddress &from, const SocketAddress &to, QByteArrayView datagram) {
        return from == kServerA && to == kClient && datagram.size() < 400;
    };
    const QByteArray answer = ipv4Packet("10.0.0.1", "10.0.0.100", QByteArray(400, 'a'));
    const qsizetype answersBefore = seed.client->deviceOut.size();
    for (int i = 0; i < 150; ++i) {
        QCOMPARE(seed.ping(), seed.a);
        seed.a->engine->handleDevicePacket(answer, seed.net.now());
        seed.net.advance(95);
    }
    QCOMPARE(seed.client->deviceOut.size() - answersBefore, qsizetype(150));
    QVERIFY(seed.failovers().isEmpty());
    QCOMPARE(seed.client->engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));

    // When the answers stop as well, the unanswered data starts the probes (the answers of the lost keepalives
    // never mattered): traffic moves to server-b within a second.
    const TimeMs took = seed.pingUntil(seed.b, 100, 10'000);
    QVERIFY2(took >= 200 && took <= 1000, qPrintable(QString::number(took)));
    QCOMPARE(seed.failovers().size(), 1);
    QCOMPARE(int(seed.failovers()[0].reason), int(RouteChangeReason::Silent));
}

void tst_Failover::silentServerFailsOverWithinASecond()
{
    // The host vanishes: no ICMP. Unanswered data makes the client probe server-a (docs/failover.md): four
    // unanswered probes, and traffic moves to server-b long before the peer timeout (5 s).
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    seed.net.kill(*seed.a, false);
    const TimeMs took = seed.pingUntil(seed.b, 100, 10'000);
    QVERIFY2(took >= 0, "traffic never reached server-b");
    QVERIFY2(took >= 200 && took <= 1000, qPrintable(QString::number(took)));
    const auto failovers = seed.failovers();
    QCOMPARE(failovers.size(), 1);
    QCOMPARE(failovers[0].from->address, kServerA);
    QCOMPARE(failovers[0].to->address, kServerB);
    QCOMPARE(int(failovers[0].reason), int(RouteChangeReason::Silent));
    QVERIFY(failovers[0].unreachableMs >= 200 && failovers[0].unreachableMs <= 1000);
    QVERIFY(seed.client->engine->counters().probesSent >= 4);
    QCOMPARE(seed.client->engine->counters().silentPeers, 1u);
}

void tst_Failover::silentServerWithoutFastFailoverWaitsForPeerTimeout()
{
    // --no-fast-failover (VpnCloud's behaviour): no probes, only the peer timeout (5 s) can tell.
    Seed seed("10.0.0.1/32", "10.0.0.1/32", false);
    QCOMPARE(seed.ping(), seed.a);
    seed.net.kill(*seed.a, false);
    const TimeMs took = seed.pingUntil(seed.b, 200, 10'000);
    QVERIFY2(took >= 2500 && took <= 6000, qPrintable(QString::number(took)));
    const auto failovers = seed.failovers();
    QCOMPARE(failovers.size(), 1);
    QCOMPARE(int(failovers[0].reason), int(RouteChangeReason::Timeout));
    QVERIFY(failovers[0].unreachableMs >= 3000 && failovers[0].unreachableMs <= 6000);
    QCOMPARE(seed.client->engine->counters().probesSent, 0u);
}

void tst_Failover::deadProcessFailsOverFastOnConfirmedIcmp()
{
    // kill -9: the host still answers with ICMP port unreachable.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    seed.net.kill(*seed.a, true);
    const TimeMs took = seed.pingUntil(seed.b, 100, 10'000);
    QVERIFY2(took >= 0 && took < 1000, qPrintable(QString::number(took)));
    const auto failovers = seed.failovers();
    QCOMPARE(failovers.size(), 1);
    QCOMPARE(int(failovers[0].reason), int(RouteChangeReason::Unreachable));
    QCOMPARE(failovers[0].to->address, kServerB);
    // unreachableMs counts from the old server's last sign of life (a NODE_INFO at most 2 s before the crash).
    QVERIFY(failovers[0].unreachableMs <= 2000 + 300 + 100);
    // Without fast failover the same crash costs the peer timeout.
    Seed slow("10.0.0.1/32", "10.0.0.1/32", false);
    slow.net.kill(*slow.a, true);
    QVERIFY(slow.pingUntil(slow.b, 100, 10'000) >= 2500);
}

void tst_Failover::spoofedIcmpDoesNotMoveTraffic()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    for (int i = 0; i < 20; ++i) {
        seed.net.injectUnreachable(*seed.client, kServerA); // an attacker's forged ICMP errors
        QCOMPARE(seed.ping(), seed.a);
        seed.net.advance(50);
    }
    QCOMPARE(seed.failovers().size(), 0);
    QVERIFY(seed.client->eventsOf<PeerDisconnectedEvent>().isEmpty());
}

void tst_Failover::undecidedSuspicionDoesNotBusyLoop()
{
    // One forged ICMP error, and the probe it triggers gets neither an answer nor an ICMP error of its own: after the
    // grace period the suspicion is undecided until the evidence expires. Meanwhile the engine must not ask to be
    // woken at once again and again (the helper would spin). Found by fuzz_sealed.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    MeshNode &client = *seed.client->engine;
    const TimeMs t0 = seed.net.now() + 1; // after the last message from server-a
    client.handleUnreachable(kServerA, t0);
    const auto suspectA = [&client] {
        const QList<PeerInfo> peers = client.peers();
        return std::any_of(
            peers.begin(), peers.end(), [](const PeerInfo &p) { return p.address == kServerA && p.suspect; });
    };
    QVERIFY(suspectA());
    const TimeMs afterGrace = t0 + client.config().suspectGraceMs + 100;
    client.tick(afterGrace);
    QVERIFY(suspectA());
    QVERIFY2(client.nextDeadline() > afterGrace, qPrintable(QString::number(client.nextDeadline() - afterGrace)));
    // A second ICMP error confirms the suspicion: the verdict is due at once, and the server is dropped.
    client.handleUnreachable(kServerA, afterGrace + 10);
    QVERIFY(client.nextDeadline() <= afterGrace + 10);
    client.tick(afterGrace + 10);
    const QList<PeerInfo> peers = client.peers();
    QVERIFY(std::none_of(peers.begin(), peers.end(), [](const PeerInfo &p) { return p.address == kServerA; }));
}

void tst_Failover::closeFailsOverAtOnce()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    seed.a->engine->close(seed.net.now());
    seed.net.kill(*seed.a, true);
    seed.net.advance(5);
    QCOMPARE(seed.ping(), seed.b);
    const auto failovers = seed.failovers();
    QCOMPARE(failovers.size(), 1);
    QCOMPARE(int(failovers[0].reason), int(RouteChangeReason::Closed));
}

void tst_Failover::primaryBeatsSecondaryAndTrafficReturnsWithoutLoss()
{
    // server-b is announced first, but server-a's /32 is more specific than server-b's /31.
    Seed seed("10.0.0.1/32", "10.0.0.1/31");
    QCOMPARE(seed.ping(), seed.a);
    seed.net.kill(*seed.a, true);
    QVERIFY(seed.pingUntil(seed.b, 100, 10'000) >= 0);
    // The primary restarts (new process, new node id) and reconnects by itself or by the client's retries.
    seed.net.advance(500);
    seed.net.restart(*seed.a, serverConfig("10.0.0.1/32"));
    seed.a->engine->addConfiguredPeer(QStringLiteral("server-b"), {kServerB}, seed.net.now());
    int lost = 0;
    bool back = false;
    for (int i = 0; i < 300; ++i) { // 10 ms apart for 3 s
        SimNetwork::Node *got = seed.ping();
        if (!got)
            ++lost;
        back = back || got == seed.a;
        if (back)
            QCOMPARE(got, seed.a);
        seed.net.advance(5);
    }
    QVERIFY(back);
    QCOMPARE(lost, 0);
    const auto failovers = seed.failovers();
    QVERIFY(failovers.size() >= 2);
    QCOMPARE(int(failovers.last().reason), int(RouteChangeReason::MoreSpecific));
    QCOMPARE(failovers.last().to->address, kServerA);
    QCOMPARE(failovers.last().unreachableMs, 0);
}

void tst_Failover::balanceSpreadsDestinationsStably()
{
    SimNetwork net;
    auto &a = net.addNode(kServerA, serverConfig("10.0.0.0/24"));
    auto &b = net.addNode(kServerB, serverConfig("10.0.0.0/24"));
    NodeConfig c = serverConfig("10.0.1.1/32");
    c.balance = true;
    auto &client = net.addNode(kClient, std::move(c));
    client.engine->addConfiguredPeer(QStringLiteral("a"), {kServerA}, net.now());
    client.engine->addConfiguredPeer(QStringLiteral("b"), {kServerB}, net.now());
    net.advance(2000);
    QHash<QByteArray, SocketAddress> chosen;
    int toA = 0;
    for (int host = 1; host < 200; ++host) {
        const QByteArray dst = ipv4(qPrintable(QStringLiteral("10.0.0.%1").arg(host)));
        const auto target = client.engine->routeFor(dst);
        QVERIFY(target);
        chosen.insert(dst, *target);
        toA += *target == kServerA;
        QCOMPARE(client.engine->routeFor(dst), target); // stable
    }
    QVERIFY2(toA > 50 && toA < 150, qPrintable(QString::number(toA)));
    // When server-b leaves, only its share moves.
    b.engine->close(net.now());
    net.kill(b, true);
    net.advance(10);
    for (auto it = chosen.cbegin(); it != chosen.cend(); ++it) {
        QCOMPARE(client.engine->routeFor(it.key()), std::optional<SocketAddress>(kServerA));
    }
    Q_UNUSED(a);
}

void tst_Failover::claimsReportServingNode()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    const QList<ClaimInfo> claims = seed.client->engine->claims(seed.net.now());
    const auto it = std::find_if(
        claims.begin(), claims.end(), [](const ClaimInfo &c) { return c.range == range("10.0.0.1/32"); });
    QVERIFY(it != claims.end());
    QCOMPARE(it->servedBy->address, kServerA);
    QCOMPARE(it->claimants.size(), 2);
    QVERIFY(it->used);
    QVERIFY(!it->local);
    // Each server knows whether it is the active one for its own claim.
    const auto serving = [&](SimNetwork::Node *server) {
        for (const ClaimInfo &c : server->engine->claims(seed.net.now())) {
            if (c.local && c.range == range("10.0.0.1/32"))
                return c.serving;
        }
        return false;
    };
    QVERIFY(serving(seed.a));
    QVERIFY(!serving(seed.b));
}

void tst_Failover::oneWayLossFailsOverWithinASecond()
{
    // server-a still hears the client but nothing it sends arrives (a broken return path).
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    seed.net.dropFilter = [](const SocketAddress &from, const SocketAddress &to, QByteArrayView) {
        return from == kServerA && to == kClient;
    };
    const TimeMs took = seed.pingUntil(seed.b, 100, 10'000);
    QVERIFY2(took >= 200 && took <= 1000, qPrintable(QString::number(took)));
    QCOMPARE(seed.failovers().size(), 1);
    QCOMPARE(int(seed.failovers()[0].reason), int(RouteChangeReason::Silent));
    QVERIFY(!seed.client->engine->hasPeer(kServerA));
}

void tst_Failover::oneWayFlowDoesNotFailOver()
{
    // A one-way stream (video, logs): server-a's engine is alive but its host never answers the packets. The probes
    // it answers keep it; their number stays small because the hold-off grows after each answered episode.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    const quint64 probesBefore = seed.client->engine->counters().probesSent;
    for (int i = 0; i < 1500; ++i) { // 30 s, a packet every 20 ms
        const QByteArray packet = ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray::number(i));
        seed.client->engine->handleDevicePacket(packet, seed.net.now());
        seed.net.advance(20);
    }
    QVERIFY(seed.failovers().isEmpty());
    QVERIFY(seed.client->eventsOf<PeerDisconnectedEvent>().isEmpty());
    QCOMPARE(seed.client->engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));
    const quint64 probes = seed.client->engine->counters().probesSent - probesBefore;
    QVERIFY2(probes >= 1 && probes <= 20, qPrintable(QString::number(probes)));
    QCOMPARE(seed.client->engine->counters().silentPeers, 0u);
}

void tst_Failover::lossyPathDoesNotFailOver()
{
    // 5 % loss each way (a deterministic sequence) for 60 s of request and answer: no failover, no dropped peer.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    quint32 state = 12345;
    seed.net.dropFilter = [&state](const SocketAddress &, const SocketAddress &, QByteArrayView) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % 100 < 5;
    };
    const QByteArray answer = ipv4Packet("10.0.0.1", "10.0.0.100", QByteArray(64, 'a'));
    for (int i = 0; i < 600; ++i) {
        const QByteArray packet = ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray::number(i));
        const qsizetype before = seed.a->deviceOut.size();
        seed.client->engine->handleDevicePacket(packet, seed.net.now());
        seed.net.advance(5);
        if (seed.a->deviceOut.size() > before)
            seed.a->engine->handleDevicePacket(answer, seed.net.now());
        seed.net.advance(95);
    }
    QVERIFY(seed.failovers().isEmpty());
    QCOMPARE(seed.client->engine->counters().silentPeers, 0u);
    QCOMPARE(seed.client->engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));
}

void tst_Failover::idlePeersAreNotProbed()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    seed.net.advance(60'000);
    QCOMPARE(seed.client->engine->counters().probesSent, 0u);
    QCOMPARE(seed.a->engine->counters().probesSent, 0u);
    QVERIFY(seed.client->eventsOf<PeerDisconnectedEvent>().isEmpty());
}

void tst_Failover::roamingClientIsFollowed()
{
    // The client's address changes under a live session (a NAT rebinds; the engine is not told). Its next sealed
    // packet from the new address moves the peer on the server, which answers there at once.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    const SocketAddress moved = endpoint("198.51.100.7:40000");
    seed.net.move(*seed.client, moved);
    QCOMPARE(seed.ping(), seed.a);
    QVERIFY(seed.a->engine->hasPeer(moved));
    QVERIFY(!seed.a->engine->hasPeer(kClient));
    const auto recovered = seed.a->eventsOf<PathRecoveredEvent>();
    QCOMPARE(recovered.size(), 1);
    QCOMPARE(int(recovered[0].cause), int(RecoveryCause::PeerRoamed));
    QCOMPARE(recovered[0].previousAddress, std::optional<SocketAddress>(kClient));
    QCOMPARE(seed.a->engine->counters().peersRoamed, 1u);
    // The server's answer reaches the client at its new address.
    const QByteArray answer = ipv4Packet("10.0.0.1", "10.0.0.100", QByteArray("pong"));
    const qsizetype before = seed.client->deviceOut.size();
    seed.a->engine->handleDevicePacket(answer, seed.net.now());
    seed.net.advance(5);
    QCOMPARE(seed.client->deviceOut.size(), before + 1);
    // The client's claim is served at the new address.
    QCOMPARE(seed.a->engine->routeFor(ipv4("10.0.0.100")), std::optional<SocketAddress>(moved));
    QVERIFY(seed.failovers().isEmpty());
}

void tst_Failover::localNetworkChangeRenewsAtOnce()
{
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QCOMPARE(seed.ping(), seed.a);
    const int connectedBefore = seed.client->eventsOf<PeerConnectedEvent>().size();
    seed.client->engine->localNetworkChanged(seed.net.now());
    QVERIFY(seed.client->engine->counters().probesSent >= 2); // every peer, at once
    seed.net.advance(20);
    // Both sessions were renewed from here; the next data from the server reports the recovery as "roamed".
    QCOMPARE(seed.client->eventsOf<PeerConnectedEvent>().size(), connectedBefore + 2);
    QCOMPARE(seed.ping(), seed.a);
    const QByteArray answer = ipv4Packet("10.0.0.1", "10.0.0.100", QByteArray("pong"));
    seed.a->engine->handleDevicePacket(answer, seed.net.now());
    seed.net.advance(5);
    const auto recovered = seed.client->eventsOf<PathRecoveredEvent>();
    QVERIFY(!recovered.isEmpty());
    QCOMPARE(int(recovered.last().cause), int(RecoveryCause::Roamed));
    QVERIFY(seed.failovers().isEmpty());
}

void tst_Failover::resumeGivesPeersAFreshTimeout()
{
    // The sim's clock cannot stop for one node, so a sleep is played as silence: nothing from the servers reaches
    // the client for 2.5 s, then resumed(). From then on the peers have a full timeout (5 s): they survive another
    // 3 s of silence, 5.5 s in all, where the timeout alone would have dropped them.
    Seed seed("10.0.0.1/32", "10.0.0.1/32", false); // no probes: only the resume handling acts
    seed.net.dropFilter = [](const SocketAddress &, const SocketAddress &to, QByteArrayView) { return to == kClient; };
    seed.net.advance(2500);
    seed.client->engine->resumed(seed.net.now(), 2500);
    seed.net.advance(3000);
    QVERIFY(seed.client->engine->hasPeer(kServerA));
    QVERIFY(seed.client->engine->hasPeer(kServerB));
    QVERIFY(seed.client->eventsOf<PeerDisconnectedEvent>().isEmpty());
    seed.net.dropFilter = nullptr;
    QCOMPARE(seed.ping(), seed.a);
}

void tst_Failover::formerPeerIsKnockedBack()
{
    // The server dropped the client (its timeout passed while the client's packets were lost); the client still
    // believes in the session. Its next packet opens with the former session's key: the server starts a handshake
    // towards it (a knock) and the session is back within a round trip, long before the client's own timeout.
    SimNetwork net;
    SimNetwork::Node &server = net.addNode(kServerA, serverConfig("10.0.0.1/32"));
    SimNetwork::Node &client = net.addNode(kClient, serverConfig("10.0.0.100/32"));
    client.engine->addConfiguredPeer(QStringLiteral("server"), {kServerA}, net.now());
    net.advance(1000);
    QVERIFY(server.engine->hasPeer(kClient));
    net.dropFilter = [](const SocketAddress &from, const SocketAddress &, QByteArrayView) { return from == kClient; };
    net.advance(6000);
    QVERIFY(!server.engine->hasPeer(kClient));
    QVERIFY(client.engine->hasPeer(kServerA));
    net.dropFilter = nullptr;
    const qsizetype before = server.deviceOut.size();
    client.engine->handleDevicePacket(ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray("knock")), net.now());
    net.advance(20);
    QCOMPARE(server.engine->counters().knocks, 1u);
    QVERIFY(server.engine->hasPeer(kClient));
    client.engine->handleDevicePacket(ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray("again")), net.now());
    net.advance(5);
    QCOMPARE(server.deviceOut.size(), before + 1); // the knocking packet itself is lost, the next one arrives
}

void tst_Failover::suspendedClientRecoversOnResume()
{
    // A laptop suspended for a minute: its monotonic clock stands still, so its engine believes its session fresh,
    // while the server (timeout 5 s) dropped it. The sim's clock runs for everyone, so the suspended client is
    // played by cutting it off and giving it a 300 s timeout (it sends no data, so it probes nothing). What wakes
    // it is the PauseDetector seeing CLOCK_BOOTTIME jump while CLOCK_MONOTONIC did not.
    SimNetwork net;
    SimNetwork::Node &server = net.addNode(kServerA, serverConfig("10.0.0.1/32"));
    NodeConfig clientConfig = serverConfig("10.0.0.100/32");
    clientConfig.peerTimeoutSecs = 300;
    SimNetwork::Node &client = net.addNode(kClient, std::move(clientConfig));
    client.engine->addConfiguredPeer(QStringLiteral("server"), {kServerA}, net.now());
    net.advance(1000);
    QVERIFY(server.engine->hasPeer(kClient));
    PauseDetector detector;
    const TimeMs monotonicAtSuspend = 5'000'000;
    const TimeMs boottimeAtSuspend = 9'000'000;
    QVERIFY(!detector.check(monotonicAtSuspend, boottimeAtSuspend));
    net.dropFilter = [](const SocketAddress &from, const SocketAddress &to, QByteArrayView) {
        return from == kClient || to == kClient;
    };
    net.advance(60'000);
    QVERIFY(!server.engine->hasPeer(kClient));
    QVERIFY(client.engine->hasPeer(kServerA)); // it slept: it does not know
    net.dropFilter = nullptr;
    // Wake-up: the first look after the resume.
    const auto pause = detector.check(monotonicAtSuspend + 20, boottimeAtSuspend + 60'020);
    QVERIFY(pause);
    QVERIFY(pause->suspended);
    QCOMPARE(pause->pausedMs, TimeMs(60'000));
    const quint64 probesBefore = client.engine->counters().probesSent;
    client.engine->resumed(net.now(), pause->pausedMs);
    QVERIFY(client.engine->counters().probesSent > probesBefore);
    net.advance(20);
    QVERIFY(server.engine->hasPeer(kClient));
    const qsizetype before = server.deviceOut.size();
    client.engine->handleDevicePacket(ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray("awake")), net.now());
    net.advance(5);
    QCOMPARE(server.deviceOut.size(), before + 1);
}

void tst_Failover::probeBudgetSpreadsProbes()
{
    // With a budget of 2 probes per second, a network change with two peers sends both probes at once (the bucket
    // starts full), and a second change 100 ms later has to wait for new tokens instead of probing at once.
    SimNetwork net;
    SimNetwork::Node &a = net.addNode(kServerA, serverConfig("10.0.0.1/32"));
    SimNetwork::Node &b = net.addNode(kServerB, serverConfig("10.0.0.2/32"));
    NodeConfig clientConfig = serverConfig("10.0.0.100/32");
    clientConfig.maxProbesPerSecond = 2;
    SimNetwork::Node &client = net.addNode(kClient, std::move(clientConfig));
    client.engine->addConfiguredPeer(QStringLiteral("a"), {kServerA}, net.now());
    client.engine->addConfiguredPeer(QStringLiteral("b"), {kServerB}, net.now());
    net.advance(2000);
    QVERIFY(client.engine->hasPeer(kServerA) && client.engine->hasPeer(kServerB));
    Q_UNUSED(a);
    Q_UNUSED(b);
    client.engine->localNetworkChanged(net.now());
    QCOMPARE(client.engine->counters().probesSent, 2u);
    net.advance(100);
    client.engine->localNetworkChanged(net.now());
    QVERIFY(client.engine->counters().probesSent < 4u);
    QVERIFY(client.engine->counters().probesDeferred > 0u);
    net.advance(1500);
    // A deferred probe went out once a token came back (the other peer may have ended its episode by itself: any
    // authenticated message from it, a NODE_INFO, proves the path).
    QVERIFY(client.engine->counters().probesSent >= 3u);
    QVERIFY(client.engine->hasPeer(kServerA) && client.engine->hasPeer(kServerB));
}

void tst_Failover::vpncloudPengAnswersAProbe()
{
    // A VpnCloud node that initiated the session answers a PING from its peer with the PENG that completed it, as
    // long as it keeps that handshake (spec §3.10). For a Nimbus client probing it, that copy is proof of life: the
    // session stays (it was dropped as a duplicate, and the client forgot a live VpnCloud peer: vpncloud_tap).
    SimNetwork net;
    SimNetwork::Node &server = net.addNode(kServerA, serverConfig("10.0.0.1/32"));
    SimNetwork::Node &client = net.addNode(kClient, serverConfig("10.0.0.100/32"));
    QByteArray peng;
    bool likeVpnCloud = false;
    int pingsAnswered = 0;
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView datagram) {
        if (from == kServerA && to == kClient && stageOf(datagram) == 3 && peng.isEmpty())
            peng = datagram.toByteArray();
        if (!likeVpnCloud)
            return false;
        if (from == kClient && to == kServerA && stageOf(datagram) == 1) {
            net.inject(kServerA, kClient, peng);
            ++pingsAnswered;
            return true;
        }
        return from == kServerA; // the server's host sends nothing else back (a one-way flow)
    };
    server.engine->addConfiguredPeer(QStringLiteral("client"), {kClient}, net.now());
    net.advance(2000);
    QVERIFY(!peng.isEmpty());
    QCOMPARE(client.engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));

    likeVpnCloud = true;
    const quint64 answeredBefore = client.engine->counters().probesAnswered;
    for (int i = 0; i < 150; ++i) { // 3 s of data to the server, nothing back but the PENG copies
        client.engine->handleDevicePacket(ipv4Packet("10.0.0.100", "10.0.0.1", QByteArray::number(i)), net.now());
        net.advance(20);
    }
    QVERIFY(pingsAnswered > 0);
    QVERIFY(client.engine->counters().probesAnswered > answeredBefore);
    QVERIFY(client.eventsOf<PeerDisconnectedEvent>().isEmpty());
    QCOMPARE(client.engine->routeFor(ipv4("10.0.0.1")), std::optional<SocketAddress>(kServerA));
}

void tst_Failover::connectIsReachableNotFailover()
{
    // Connecting to both servers (the demo profile) reports 10.0.0.1 "reachable" once, and at most a "move" when the
    // server preferred by the rules becomes usable a moment later; never a failover, nothing before it failed.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    QList<RouteChangedEvent> routes;
    for (const RouteChangedEvent &e : seed.client->eventsOf<RouteChangedEvent>()) {
        if (e.address == ipv4("10.0.0.1"))
            routes.append(e);
    }
    QVERIFY(!routes.isEmpty());
    QVERIFY(routes.size() <= 2);
    QCOMPARE(toString(routes[0].kind), QStringLiteral("reachable"));
    QVERIFY(!routes[0].from);
    for (qsizetype i = 1; i < routes.size(); ++i)
        QCOMPARE(toString(routes[i].kind), QStringLiteral("move"));
    for (const RouteChangedEvent &e : std::as_const(routes)) {
        QCOMPARE(e.detectedAt, TimeMs(0));
        QCOMPARE(e.noPathMs, qint64(-1));
    }
}

void tst_Failover::failoverMeasuresTheTrafficGap()
{
    // Two-way traffic every 100 ms, then kill -9 of the serving server: the failover's noPathMs runs from the
    // first packet the client forwarded after the server's last sign of life (its last answer) to the switch;
    // lastHeard is that answer, detectedAt the switch. unreachableMs, counted from the same answer, is longer.
    Seed seed("10.0.0.1/32", "10.0.0.1/32");
    SimNetwork::Node *serving = seed.ping();
    QVERIFY(serving);
    SimNetwork::Node *standby = serving == seed.a ? seed.b : seed.a;
    const QByteArray answer = ipv4Packet("10.0.0.1", "10.0.0.100", QByteArray("pong"));
    TimeMs lastAnswer = 0;
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(seed.ping(), serving);
        serving->engine->handleDevicePacket(answer, seed.net.now());
        seed.net.advance(5);
        lastAnswer = seed.net.now();
        seed.net.advance(90);
    }
    seed.net.kill(*serving, true);
    seed.net.advance(40);
    TimeMs firstLost = 0;
    for (int i = 0; i < 100; ++i) {
        const TimeMs sentAt = seed.net.now();
        SimNetwork::Node *got = seed.ping();
        if (got == standby)
            break;
        QVERIFY(!got);
        if (!firstLost)
            firstLost = sentAt;
        seed.net.advance(95);
    }
    QVERIFY(firstLost);
    const QList<RouteChangedEvent> failovers = seed.failovers();
    QCOMPARE(failovers.size(), 1);
    const RouteChangedEvent &f = failovers[0];
    QCOMPARE(toString(f.kind), QStringLiteral("failover"));
    QVERIFY(f.detectedAt > firstLost);
    QCOMPARE(f.noPathMs, f.detectedAt - firstLost);
    QVERIFY2(f.lastHeard <= lastAnswer && f.lastHeard > lastAnswer - 10,
        qPrintable(QStringLiteral("%1 vs %2").arg(f.lastHeard).arg(lastAnswer)));
    QCOMPARE(f.unreachableMs, f.detectedAt - f.lastHeard);
    QVERIFY(f.noPathMs < f.unreachableMs);
    QVERIFY2(f.noPathMs < 1000, qPrintable(QString::number(f.noPathMs)));
}

QTEST_APPLESS_MAIN(tst_Failover)
#include "tst_failover.moc"
