#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include "tests/fakes/node/simnetwork.h"

using namespace Nimbus;
using namespace Nimbus::Test;
using namespace Qt::Literals::StringLiterals;

namespace
{

const SocketAddress kAddrA = endpoint("192.0.2.1:3210");
const SocketAddress kAddrB = endpoint("192.0.2.2:3210");
const SocketAddress kAddrC = endpoint("192.0.2.3:3210");

NodeConfig configWith(const char *ip)
{
    NodeConfig config = testConfig();
    config.claims = {range(QByteArray(QByteArray(ip) + "/32").constData())};
    return config;
}

bool connected(const SimNetwork::Node &node, const SocketAddress &peer)
{
    const QList<PeerInfo> peers = node.engine->peers();
    return std::any_of(peers.begin(), peers.end(), [&](const PeerInfo &p) { return p.address == peer; });
}

bool deliver(SimNetwork &net, SimNetwork::Node &from, SimNetwork::Node &to, const char *srcIp, const char *dstIp)
{
    const QByteArray packet = ipv4Packet(srcIp, dstIp, "through the flood");
    const qsizetype before = to.deviceOut.size();
    from.engine->handleDevicePacket(packet, net.now());
    net.advance(5);
    return to.deviceOut.size() == before + 1 && to.deviceOut.last() == packet;
}

/// A valid signed PING of the test network, as an attacker who captured one would replay it.
QByteArray capturedPing()
{
    const NodeConfig config = testConfig();
    const QList<QByteArray> trusted {config.identity.publicKey()};
    const NodeId id {1, 2, 3};
    NodeInfo info;
    info.nodeId = id;
    const Handshake::Context context {config.identity, trusted, config.algorithms, id};
    return Handshake::initiate(context, info, 0)->lastMessage();
}

/// 198.18.x.y:port (benchmarking range, no node lives there) for a number.
SocketAddress spoofed(int n, quint16 port)
{
    const quint8 bytes[4] = {198, quint8(18 + ((n >> 16) & 1)), quint8(n >> 8), quint8(n)};
    return SocketAddress::fromIpv4Bytes(bytes, port);
}

/// What one node sent to one address: datagrams, bytes, and distinct datagrams (a responder restart makes a new
/// PONG; a retransmission repeats the last one byte for byte).
struct SentTo {
    int datagrams = 0;
    qint64 bytes = 0;
    QSet<QByteArray> distinct;
};

/// Counts everything \a from sends to \a to (nothing is dropped).
void countSends(SimNetwork &net, const SocketAddress &from, const SocketAddress &to, SentTo &sent)
{
    net.dropFilter = [&net, from, to, &sent](const SocketAddress &f, const SocketAddress &t, QByteArrayView d) {
        Q_UNUSED(net);
        if (f == from && t == to) {
            ++sent.datagrams;
            sent.bytes += d.size();
            sent.distinct.insert(d.toByteArray());
        }
        return false;
    };
}

bool hasEvent(const SimNetwork::Node &node, const QString &text)
{
    const QList<HandshakeFailedEvent> failed = node.eventsOf<HandshakeFailedEvent>();
    return std::any_of(
        failed.begin(), failed.end(), [&](const HandshakeFailedEvent &e) { return e.reason.contains(text); });
}

} // namespace

class tst_AbuseLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(initCrypto()); }
    void pingFloodFromOneAddressIsLimited();
    void legitPeerConnectsDuringFlood_data();
    void legitPeerConnectsDuringFlood();
    void ownAttemptsSurviveFullPendingTable();
    void establishedPeerIsNeverLimited();
    void peerTableIsBounded();
    void replayedPingFromOneAddressIsCheap();
    void alternatingPingsRestartAtMostOncePerSecond();
    void spoofedPeerAddressDoesNotDisturbSession();
    void unprovenResponderSendsAFewPongs();
    void icmpErrorDropsUnprovenResponder();
    void lostPengIsRecovered();
    void claimTableIsBounded();
};

void tst_AbuseLimits::pingFloodFromOneAddressIsLimited()
{
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    int pongs = 0;
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView) {
        pongs += from == kAddrA && to.address() == QHostAddress(u"192.0.2.66"_s) ? 1 : 0;
        return false;
    };
    const QByteArray ping = capturedPing();
    const NodeCounters before = a.engine->counters();
    // 1000 replays from one address, every one from another port; and, from another address, garbage that looks
    // like init messages.
    for (int i = 0; i < 1000; ++i) {
        net.inject(endpoint("192.0.2.67:3210"), kAddrA, QByteArray("\xff") + QByteArray(100, char(i)));
        const quint8 bytes[4] = {192, 0, 2, 66};
        net.inject(SocketAddress::fromIpv4Bytes(bytes, quint16(10000 + i)), kAddrA, ping);
    }
    net.advance(5);
    const NodeCounters &after = a.engine->counters();
    const quint64 limited = after.rateLimited - before.rateLimited;
    QVERIFY2(limited >= 2000 - 2 * 16, qPrintable(QString::number(limited)));
    QVERIFY(after.invalidPackets - before.invalidPackets >= limited); // limited datagrams count as invalid too
    QVERIFY(a.engine->pendingHandshakeCount() <= 8); // unfinished responders per source
    QVERIFY(after.handshakesEvicted > before.handshakesEvicted);
    QVERIFY2(pongs <= 16, qPrintable(QString::number(pongs)));
    QCOMPARE(a.engine->limitedSourceCount(), 2);
    // Retransmissions go on only for the few states kept, and the source gets 2 more tries a second.
    pongs = 0;
    net.advance(2000);
    QVERIFY2(pongs <= 2 * 8 + 2, qPrintable(QString::number(pongs)));
}

void tst_AbuseLimits::legitPeerConnectsDuringFlood_data()
{
    QTest::addColumn<int>("sources"); // 0: a fresh spoofed source for every PING
    QTest::addColumn<int>("perMs");
    QTest::addRow("64 sources, 3000 PINGs/s") << 64 << 3;
    QTest::addRow("fresh source per PING, 2000 PINGs/s") << 0 << 2;
}

void tst_AbuseLimits::legitPeerConnectsDuringFlood()
{
    QFETCH(int, sources);
    QFETCH(int, perMs);
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    auto &c = net.addNode(kAddrC, configWith("10.0.0.3"));
    c.engine->addConfiguredPeer(u"a"_s, {kAddrA}, net.now());
    net.advance(1500);
    QVERIFY(connected(a, kAddrC));

    const QByteArray ping = capturedPing();
    QRandomGenerator random(7);
    SimNetwork::Node *b = nullptr;
    int flooded = 0;
    std::optional<TimeMs> bConnectedAfter;
    const TimeMs start = net.now();
    for (int ms = 0; ms < 10'000; ++ms) {
        for (int i = 0; i < perMs; ++i) {
            const int n = sources ? int(random.bounded(sources)) : flooded;
            net.inject(spoofed(n, quint16(1024 + random.bounded(60000))), kAddrA, ping);
            ++flooded;
        }
        net.advance(1);
        if (ms == 2000) { // a new node joins in the middle of the flood
            b = &net.addNode(kAddrB, configWith("10.0.0.2"));
            b->engine->addConfiguredPeer(u"a"_s, {kAddrA}, net.now());
        }
        if (b && !bConnectedAfter && connected(a, kAddrB) && connected(*b, kAddrA))
            bConnectedAfter = net.now() - start - 2000;
        if (ms % 1000 == 500) {
            // The established peer's traffic is not affected, and the tables stay bounded.
            QVERIFY(deliver(net, a, c, "10.0.0.1", "10.0.0.3"));
            QVERIFY(deliver(net, c, a, "10.0.0.3", "10.0.0.1"));
            QVERIFY(a.engine->pendingHandshakeCount() <= 128); // unproven responders
            QVERIFY(a.engine->limitedSourceCount() <= 4096);
        }
    }
    QVERIFY2(bConnectedAfter, "the new node did not get through the flood");
    qInfo("new node connected %lld ms after it started; %d PINGs flooded; counters: rateLimited %llu, evicted %llu",
        qint64(*bConnectedAfter),
        flooded,
        a.engine->counters().rateLimited,
        a.engine->counters().handshakesEvicted);
    QVERIFY(*bConnectedAfter <= 5000);
    QVERIFY(deliver(net, a, *b, "10.0.0.1", "10.0.0.2"));
    QVERIFY(deliver(net, *b, a, "10.0.0.2", "10.0.0.1"));
    QVERIFY(a.engine->counters().rateLimited > quint64(flooded) / 2);
    QVERIFY(a.engine->counters().handshakesEvicted > 0);
    QVERIFY(connected(a, kAddrC));
}

void tst_AbuseLimits::ownAttemptsSurviveFullPendingTable()
{
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    // Our own attempts to addresses where nobody answers fill half the table...
    for (int i = 0; i < 128; ++i)
        a.engine->connectTo(spoofed(10'000 + i, 3210), net.now());
    // ...and a flood of replayed PINGs the rest: unproven responders are capped at 128.
    const QByteArray ping = capturedPing();
    for (int i = 0; i < 400; ++i) {
        net.inject(spoofed(i, 3210), kAddrA, ping);
        net.advance(10);
    }
    QCOMPARE(a.engine->pendingHandshakeCount(), 256);
    QVERIFY(a.engine->counters().handshakesEvicted >= 400 - 128);
    // A further own attempt takes the place of an unproven responder and completes.
    auto &b = net.addNode(kAddrB, configWith("10.0.0.2"));
    a.engine->connectTo(kAddrB, net.now());
    QCOMPARE(a.engine->pendingHandshakeCount(), 256);
    net.advance(50);
    QVERIFY(connected(a, kAddrB));
    QVERIFY(connected(b, kAddrA));
    // Our own attempts were never evicted for the flood: they are all still retransmitting.
    int retransmitted = 0;
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView) {
        retransmitted += from == kAddrA && to.address().toString().startsWith(u"198.18.39."_s) ? 1 : 0;
        return false;
    };
    net.advance(1000);
    QCOMPARE(retransmitted, 128);
}

void tst_AbuseLimits::establishedPeerIsNeverLimited()
{
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    auto &b = net.addNode(kAddrB, configWith("10.0.0.2"));
    b.engine->connectTo(kAddrA, net.now());
    net.advance(100);
    QVERIFY(connected(a, kAddrB));
    // The peer restarts again and again (each time a new session from the same address) far faster than the
    // per-source limit would allow strangers, and duplicates its init messages.
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView d) {
        if (from == kAddrB && to == kAddrA && !d.isEmpty() && quint8(d[0]) == 0xFF) {
            for (int i = 0; i < 5; ++i)
                net.inject(from, to, d.toByteArray());
        }
        return false;
    };
    for (int i = 0; i < 40; ++i) {
        const NodeId old = b.engine->nodeId();
        net.kill(b, false);
        net.restart(b, configWith("10.0.0.2"));
        b.engine->connectTo(kAddrA, net.now());
        net.advance(20);
        QVERIFY(connected(a, kAddrB));
        QVERIFY(a.engine->peers().value(0).nodeId != old);
    }
    QVERIFY(deliver(net, a, b, "10.0.0.1", "10.0.0.2"));
    QCOMPARE(a.engine->counters().rateLimited, 0ull);
}

void tst_AbuseLimits::peerTableIsBounded()
{
    SimNetwork net;
    NodeConfig config = configWith("10.0.0.1");
    config.maxPeers = 3;
    auto &a = net.addNode(kAddrA, std::move(config));
    QList<SimNetwork::Node *> others;
    for (int i = 0; i < 6; ++i) {
        const QByteArray ip = QByteArray("10.0.0." + QByteArray::number(10 + i));
        auto &node = net.addNode(endpoint(QByteArray("192.0.2." + QByteArray::number(10 + i) + ":3210").constData()),
            configWith(ip.constData()));
        node.engine->connectTo(kAddrA, net.now());
        others.append(&node);
        net.advance(20);
    }
    net.advance(3000);
    QCOMPARE(a.engine->peers().size(), 3);
    QVERIFY(a.engine->counters().peerLimitRejected > 0);
    QVERIFY(hasEvent(a, u"peer table full"_s));
    const QList<HandshakeFailedEvent> failed = a.eventsOf<HandshakeFailedEvent>();
    QVERIFY2(failed.size() <= 2, "the refusal is reported now and then, not for every PING");
    // Our own attempts stop at the limit as well.
    a.engine->connectTo(endpoint("192.0.2.99:3210"), net.now());
    QCOMPARE(a.engine->pendingHandshakeCount(), 0);
    // A peer that leaves makes room for one that is still knocking.
    const SocketAddress gone = a.engine->peers().first().address;
    for (SimNetwork::Node *node : std::as_const(others)) {
        if (node->address == gone)
            node->engine->close(net.now());
    }
    net.advance(3000);
    QCOMPARE(a.engine->peers().size(), 3);
    QVERIFY(!connected(a, gone));
}

void tst_AbuseLimits::claimTableIsBounded()
{
    SimNetwork net;
    NodeConfig config = configWith("10.0.0.1");
    config.maxClaimsPerPeer = 4;
    config.maxClaims = 6;
    auto &a = net.addNode(kAddrA, std::move(config));
    NodeConfig greedy = configWith("10.0.1.1");
    for (int i = 2; i <= 10; ++i)
        greedy.claims.append(range(QByteArray("10.0.1." + QByteArray::number(i) + "/32").constData()));
    auto &b = net.addNode(kAddrB, std::move(greedy));
    b.engine->connectTo(kAddrA, net.now());
    net.advance(100);
    QVERIFY(connected(a, kAddrB));
    QCOMPARE(a.engine->claimCount(), 4); // the first four, in the order announced
    QVERIFY(a.engine->routeFor(ipv4("10.0.1.4")));
    QVERIFY(!a.engine->routeFor(ipv4("10.0.1.5")));
    QVERIFY(a.engine->counters().claimsIgnored >= 6);

    NodeConfig modest = configWith("10.0.2.1");
    modest.claims.append(range("10.0.2.2/32"));
    modest.claims.append(range("10.0.2.3/32"));
    auto &c = net.addNode(kAddrC, std::move(modest));
    c.engine->connectTo(kAddrA, net.now());
    net.advance(100);
    QVERIFY(connected(a, kAddrC));
    QCOMPARE(a.engine->claimCount(), 6); // the table is full after two of C's three
    QVERIFY(a.engine->routeFor(ipv4("10.0.2.2")));
    QVERIFY(!a.engine->routeFor(ipv4("10.0.2.3")));
    // NodeInfo refreshes keep the table at its bound.
    const quint64 ignored = a.engine->counters().claimsIgnored;
    net.advance(5000);
    QCOMPARE(a.engine->claimCount(), 6);
    QVERIFY(a.engine->counters().claimsIgnored > ignored);
}

void tst_AbuseLimits::replayedPingFromOneAddressIsCheap()
{
    // One captured PING replayed from one fixed address at 2000/s for 10 s: a duplicate costs a compare, the
    // responder answers a few times and gives up, and starts again at most about once a second.
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    const SocketAddress attacker = endpoint("192.0.2.66:4000");
    SentTo sent;
    countSends(net, kAddrA, attacker, sent);
    const QByteArray ping = capturedPing();
    const NodeCounters before = a.engine->counters();
    const int seconds = 10;
    for (int ms = 0; ms < seconds * 1000; ++ms) {
        net.inject(attacker, kAddrA, ping);
        net.inject(attacker, kAddrA, ping);
        net.advance(1);
    }
    net.advance(10'000);
    const NodeCounters &after = a.engine->counters();
    const int starts = int(a.eventsOf<PeerConnectingEvent>().size());
    qInfo("%d replays: %d responder starts, %d PONGs (%lld bytes), duplicates %llu, rateLimited %llu, invalid %llu",
        2 * seconds * 1000,
        starts,
        sent.datagrams,
        sent.bytes,
        after.duplicateInits - before.duplicateInits,
        after.rateLimited - before.rateLimited,
        after.invalidPackets - before.invalidPackets);
    QVERIFY2(starts <= seconds + 1, qPrintable(QString::number(starts)));
    QVERIFY2(sent.datagrams <= starts * Handshake::kMaxResponderSends, qPrintable(QString::number(sent.datagrams)));
    QVERIFY(after.duplicateInits - before.duplicateInits >= quint64(2 * seconds * 1000 - 2 * starts));
    QVERIFY(after.invalidPackets - before.invalidPackets >= quint64(2 * seconds * 1000 - 2 * starts - sent.datagrams));
    QVERIFY(after.respondersExpired - before.respondersExpired >= quint64(starts - 1));
    QCOMPARE(a.engine->pendingHandshakeCount(), 0);
}

void tst_AbuseLimits::alternatingPingsRestartAtMostOncePerSecond()
{
    // Two captured PINGs (two salted ids) alternated from one address: every switch would restart the responder
    // handshake at full cost. Restarts are bounded per address; the rest is dropped before the signature check.
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    const SocketAddress attacker = endpoint("192.0.2.66:4000");
    SentTo sent;
    countSends(net, kAddrA, attacker, sent);
    const QByteArray pings[2] = {capturedPing(), capturedPing()};
    QVERIFY(pings[0] != pings[1]);
    const NodeCounters before = a.engine->counters();
    const int seconds = 10;
    for (int ms = 0; ms < seconds * 1000; ++ms) {
        net.inject(attacker, kAddrA, pings[0]);
        net.inject(attacker, kAddrA, pings[1]);
        net.advance(1);
    }
    const NodeCounters &after = a.engine->counters();
    qInfo("%d PINGs: %lld distinct PONGs (responder starts and restarts), %d PONGs, rateLimited %llu",
        2 * seconds * 1000,
        qint64(sent.distinct.size()),
        sent.datagrams,
        after.rateLimited - before.rateLimited);
    QVERIFY2(sent.distinct.size() <= seconds + 1, qPrintable(QString::number(sent.distinct.size())));
    QVERIFY2(sent.datagrams <= Handshake::kMaxResponderSends * int(sent.distinct.size()),
        qPrintable(QString::number(sent.datagrams)));
    QVERIFY(after.rateLimited + after.duplicateInits - before.rateLimited - before.duplicateInits
        >= quint64(2 * seconds * 1000 - 4 * sent.distinct.size()));
}

void tst_AbuseLimits::spoofedPeerAddressDoesNotDisturbSession()
{
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    auto &b = net.addNode(kAddrB, configWith("10.0.0.2"));
    // Capture B's PINGs to A (its connection attempt, and a later probe's) for the replays.
    QList<QByteArray> captured;
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView d) {
        if (from == kAddrB && to == kAddrA && d.size() > 12 && quint8(d[0]) == 0xFF && quint8(d[12]) == 1)
            captured.append(d.toByteArray());
        return false;
    };
    b.engine->connectTo(kAddrA, net.now());
    net.advance(100);
    QVERIFY(connected(a, kAddrB));
    b.engine->localNetworkChanged(net.now()); // B renews its session with a probe: another PING
    net.advance(500);
    QVERIFY2(captured.size() >= 2, qPrintable(QString::number(captured.size())));
    captured.append(capturedPing()); // and a PING of another node of the network
    const TimeMs since = a.engine->peer(kAddrB)->connectedSince;
    const NodeId bId = b.engine->nodeId();

    SentTo sent;
    countSends(net, kAddrA, kAddrB, sent);
    const NodeCounters before = a.engine->counters();
    const int seconds = 8;
    for (int ms = 0; ms < seconds * 1000; ++ms) {
        net.inject(kAddrB, kAddrA, captured[ms % captured.size()]);
        net.inject(kAddrB, kAddrA, captured[0]);
        net.advance(1);
        if (ms % 500 == 250) {
            QVERIFY(deliver(net, a, b, "10.0.0.1", "10.0.0.2"));
            QVERIFY(deliver(net, b, a, "10.0.0.2", "10.0.0.1"));
        }
    }
    const NodeCounters &after = a.engine->counters();
    const std::optional<PeerInfo> peer = a.engine->peer(kAddrB);
    QVERIFY(peer);
    QCOMPARE(peer->nodeId, bId);
    QCOMPARE(peer->connectedSince, since);
    QVERIFY(connected(b, kAddrA));
    // Besides the session's own traffic, the replays made A start at most one responder handshake a second.
    int pongs = 0;
    for (const QByteArray &d : std::as_const(sent.distinct))
        pongs += quint8(d[0]) == 0xFF ? 1 : 0;
    qInfo("%d replays from the peer's address: %d distinct PONGs, duplicates %llu, rateLimited %llu",
        2 * seconds * 1000,
        pongs,
        after.duplicateInits - before.duplicateInits,
        after.rateLimited - before.rateLimited);
    QVERIFY2(pongs <= seconds + 2, qPrintable(QString::number(pongs)));
    QVERIFY(after.rateLimited + after.duplicateInits - before.rateLimited - before.duplicateInits
        >= quint64(2 * seconds * 1000 - 4 * pongs));
    QVERIFY(after.rateLimited > before.rateLimited);

    // The peer restarts (new process, new PING) while the replays go on: accepted within a retry or two. (A's PONGs
    // for the replays reach the new process too and make its attempt fail; as a configured peer it tries again.)
    net.kill(b, false);
    net.restart(b, configWith("10.0.0.2"));
    b.engine->addConfiguredPeer(u"a"_s, {kAddrA}, net.now());
    std::optional<TimeMs> acceptedAfter;
    for (int ms = 0; ms < 5000 && !acceptedAfter; ++ms) {
        net.inject(kAddrB, kAddrA, captured[ms % captured.size()]);
        net.advance(1);
        if (a.engine->peer(kAddrB) && a.engine->peer(kAddrB)->nodeId == b.engine->nodeId() && connected(b, kAddrA))
            acceptedAfter = ms;
    }
    QVERIFY2(acceptedAfter, "the restarted peer was not accepted");
    qInfo("restarted peer accepted after %lld ms", qint64(*acceptedAfter));
    QVERIFY(*acceptedAfter <= 3100);
    QVERIFY(deliver(net, a, b, "10.0.0.1", "10.0.0.2"));
    QVERIFY(deliver(net, b, a, "10.0.0.2", "10.0.0.1"));
}

void tst_AbuseLimits::unprovenResponderSendsAFewPongs()
{
    // One PING spoofed from a victim's address: the responder answers it, retransmits a few times and gives up
    // (it used to retransmit every second for 240 s, about 340 times the PING's size).
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    const SocketAddress victim = endpoint("192.0.2.77:3210");
    SentTo sent;
    countSends(net, kAddrA, victim, sent);
    const QByteArray ping = capturedPing();
    net.inject(victim, kAddrA, ping);
    net.advance(300'000);
    qInfo("one PING of %lld bytes: %d PONGs, %lld bytes (%.1f times)",
        qint64(ping.size()),
        sent.datagrams,
        sent.bytes,
        double(sent.bytes) / double(ping.size()));
    QVERIFY(sent.datagrams >= 1);
    QVERIFY2(sent.datagrams <= Handshake::kMaxResponderSends, qPrintable(QString::number(sent.datagrams)));
    QVERIFY2(sent.bytes <= 8 * ping.size(), qPrintable(QString::number(sent.bytes)));
    QCOMPARE(a.engine->pendingHandshakeCount(), 0);
    QCOMPARE(a.engine->counters().respondersExpired, 1ull);
    QVERIFY(a.eventsOf<HandshakeFailedEvent>().isEmpty()); // given up quietly: a spoofed PING is no news

    // Retransmissions of the same PING (a real initiator whose PONGs are lost) are answered within the same bound
    // per responder state.
    sent = {};
    for (int i = 0; i < 20; ++i) {
        net.inject(victim, kAddrA, ping);
        net.advance(200);
    }
    net.advance(10'000);
    QVERIFY2(sent.datagrams <= 2 * Handshake::kMaxResponderSends, qPrintable(QString::number(sent.datagrams)));
}

void tst_AbuseLimits::icmpErrorDropsUnprovenResponder()
{
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    const SocketAddress victim = endpoint("192.0.2.77:3210");
    SentTo sent;
    countSends(net, kAddrA, victim, sent);
    net.inject(victim, kAddrA, capturedPing());
    net.advance(10);
    QCOMPARE(sent.datagrams, 1);
    QCOMPARE(a.engine->pendingHandshakeCount(), 1);
    net.injectUnreachable(a, victim); // the victim's host: port unreachable for our PONG
    net.advance(10);
    QCOMPARE(a.engine->pendingHandshakeCount(), 0);
    QCOMPARE(a.engine->counters().respondersExpired, 1ull);
    net.advance(10'000);
    QCOMPARE(sent.datagrams, 1);
}

void tst_AbuseLimits::lostPengIsRecovered()
{
    // The bounded retransmissions still carry a handshake whose first PENGs are lost: each PONG retransmission
    // makes the initiator send its PENG again.
    SimNetwork net;
    auto &a = net.addNode(kAddrA, configWith("10.0.0.1"));
    auto &b = net.addNode(kAddrB, configWith("10.0.0.2"));
    int pengsLost = 0;
    net.dropFilter = [&](const SocketAddress &from, const SocketAddress &to, QByteArrayView d) {
        const bool peng = from == kAddrB && to == kAddrA && d.size() > 12 && quint8(d[0]) == 0xFF && quint8(d[12]) == 3;
        if (peng && pengsLost < Handshake::kMaxResponderSends - 1) {
            ++pengsLost;
            return true;
        }
        return false;
    };
    b.engine->connectTo(kAddrA, net.now());
    net.advance(5000);
    QCOMPARE(pengsLost, Handshake::kMaxResponderSends - 1);
    QVERIFY(connected(a, kAddrB));
    QVERIFY(connected(b, kAddrA));
    QVERIFY(deliver(net, a, b, "10.0.0.1", "10.0.0.2"));
}

QTEST_GUILESS_MAIN(tst_AbuseLimits)
#include "tst_abuselimits.moc"
