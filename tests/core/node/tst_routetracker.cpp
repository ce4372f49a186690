// RouteTracker: who serves each claimed address and the reason reported when that changes (first route, failover
// for each way a node can leave, the more specific claim winning, the switch back, ties, withdrawals, balancing,
// roaming), with the gaps (unreachableMs) it measures. The routing itself is the claim table's (longest prefix,
// then the claimant announced first), as MeshNode resolves it.
#include <set>

#include <QTest>

#include "core/node/routetracker.h"

using namespace Nimbus;

namespace
{

SocketAddress address(const char *text)
{
    const std::optional<SocketAddress> parsed = SocketAddress::parse(QString::fromLatin1(text));
    Q_ASSERT(parsed);
    return *parsed;
}

Range range(const char *text)
{
    const std::optional<Range> parsed = Range::parse(QString::fromLatin1(text));
    Q_ASSERT(parsed);
    return *parsed;
}

QByteArray ipv4(const char *text)
{
    const QByteArray withPrefix = QByteArray(text) + "/32";
    return range(withPrefix.constData()).address;
}

const SocketAddress kA = address("192.0.2.11:3210");
const SocketAddress kB = address("192.0.2.12:3210");
const SocketAddress kC = address("192.0.2.13:3210");
const SocketAddress kRoamed = address("198.51.100.5:41000");

NodeId idOf(const SocketAddress &peer)
{
    NodeId id {};
    id.fill(quint8(peer.ipv6Bytes()[15]));
    return id;
}

NodeRef ref(const SocketAddress &peer)
{
    return NodeRef {peer, idOf(peer)};
}

/// A node's view of its peers as MeshNode feeds the tracker: a claim table, the established peers, which of them
/// are routable, and the lookup (best match among routable claimants, optionally overridden to model balancing).
struct Mesh {
    ClaimTable table;
    std::set<SocketAddress> peers;
    std::set<SocketAddress> routable;
    std::map<SocketAddress, NodeId> ids;
    std::optional<SocketAddress> forced; ///< balancing picked this claimant (when it is one of the best)
    /// What MeshNode::firstForwardSince() answers, and what it was last asked.
    std::optional<TimeMs> firstForward;
    std::optional<std::pair<Range, TimeMs>> asked;
    RouteTracker tracker;
    TimeMs expiry = 1'000'000'000;

    explicit Mesh(bool balance = false)
        : tracker(
            table,
            [this](const QByteArray &destination) -> std::optional<NodeRef> {
                const auto best
                    = table.bestMatches(destination, [this](const SocketAddress &a) { return routable.contains(a); });
                if (best.empty())
                    return std::nullopt;
                SocketAddress chosen = best.front()->peer;
                for (const ClaimTable::Entry *entry : best) {
                    if (forced && entry->peer == *forced)
                        chosen = *forced;
                }
                return NodeRef {chosen, ids.at(chosen)};
            },
            [this](const SocketAddress &a) { return peers.contains(a); },
            balance,
            [this](const Range &r, TimeMs since) {
                asked = std::pair(r, since);
                return firstForward;
            })
    {
    }

    /// A peer finished its handshake (MeshNode::establish()): routable at once unless \a usable is false.
    QList<RouteChangedEvent> connect(
        const SocketAddress &peer, const QList<Range> &claims, TimeMs now, bool usable = true)
    {
        const QList<Range> previous = table.claimsOf(peer);
        peers.insert(peer);
        if (!ids.contains(peer))
            ids[peer] = idOf(peer);
        if (usable)
            routable.insert(peer);
        table.update(peer, claims, expiry);
        return tracker.update(now, RouteChangeReason::NewClaimant, &peer, previous);
    }
    /// The peer became routable (its session finished on both sides; MeshNode::deliver()/tick()).
    QList<RouteChangedEvent> becomeRoutable(const SocketAddress &peer, TimeMs now)
    {
        routable.insert(peer);
        return tracker.update(now, RouteChangeReason::NewClaimant, &peer);
    }
    /// A NodeInfo with new claims (MeshNode::processNodeInfo()).
    QList<RouteChangedEvent> announce(const SocketAddress &peer, const QList<Range> &claims, TimeMs now)
    {
        const QList<Range> previous = table.claimsOf(peer);
        if (!table.update(peer, claims, expiry))
            return {};
        return tracker.update(now, std::nullopt, &peer, previous);
    }
    /// The peer left (MeshNode::removePeer()).
    QList<RouteChangedEvent> leave(const SocketAddress &peer,
        RouteChangeReason reason,
        TimeMs lastSeen,
        TimeMs now,
        std::optional<TimeMs> lastHeard = std::nullopt)
    {
        const QList<Range> previous = table.claimsOf(peer);
        table.removePeer(peer);
        peers.erase(peer);
        routable.erase(peer);
        return tracker.peerLeft(peer, lastSeen, reason, now, previous, lastHeard);
    }
};

/// Fails the calling test unless \a event is exactly the expected change.
void verifyEvent(const RouteChangedEvent &event,
    const char *destination,
    const char *winning,
    std::optional<NodeRef> from,
    std::optional<NodeRef> to,
    RouteChangeReason reason,
    qint64 unreachableMs)
{
    QCOMPARE(event.address, ipv4(destination));
    QCOMPARE(event.range, range(winning));
    QCOMPARE(event.from, from);
    QCOMPARE(event.to, to);
    QVERIFY2(event.reason == reason, qPrintable(toString(event.reason) + QStringLiteral(" != ") + toString(reason)));
    QCOMPARE(event.unreachableMs, unreachableMs);
}

/// Fails the calling test unless \a event has the kind and the failure times expected.
void verifyKind(const RouteChangedEvent &event,
    RouteChangeKind kind,
    TimeMs detectedAt = 0,
    TimeMs lastHeard = 0,
    qint64 noPathMs = -1)
{
    QVERIFY2(event.kind == kind, qPrintable(toString(event.kind) + QStringLiteral(" != ") + toString(kind)));
    QCOMPARE(event.detectedAt, detectedAt);
    QCOMPARE(event.lastHeard, lastHeard);
    QCOMPARE(event.noPathMs, noPathMs);
}

} // namespace

class tst_RouteTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRouteIsNewClaimant();
    void servingNodeLeft_data();
    void servingNodeLeft();
    void lastClaimantLeftThenNewOne();
    void standbyLeavingChangesNothing();
    void moreSpecificClaimWins();
    void switchBackToReturningPrimary();
    void tieKeepsClaimantOnlineLongest();
    void preferredClaimantBecomesUsable();
    void balanceBetweenEqualClaimants();
    void claimWithdrawnMovesTraffic();
    void lastClaimWithdrawn();
    void hintWhenOldNodeGoneWithoutNotice();
    void roamedNodeKeepsItsRoutes();
    void changedPeerOnlyTouchesItsAddresses();
    void lostRouteForgottenAfterAnHour();
    void connectIsReachableThenMove();
    void failoverTimings();
    void failoverWithoutTrafficHasNoPathGap();
    void switchbackKeyedByAddress();
    void lostThenReachableThenSwitchback();
    void movesAreNotFailovers();
};

void tst_RouteTracker::firstRouteIsNewClaimant()
{
    Mesh mesh;
    QCOMPARE(mesh.tracker.size(), 0);
    const QList<RouteChangedEvent> events = mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kA), RouteChangeReason::NewClaimant, 0);
    const std::optional<RouteTracker::Route> route = mesh.tracker.route(ipv4("10.0.0.1"));
    QVERIFY(route);
    QCOMPARE(route->servedBy, std::optional<NodeRef>(ref(kA)));
    QCOMPARE(route->lostAt, TimeMs(0));
    // The same claims again change nothing.
    QVERIFY(mesh.announce(kA, {range("10.0.0.1/32")}, 2000).isEmpty());
    QVERIFY(mesh.tracker.update(3000).isEmpty());
}

void tst_RouteTracker::servingNodeLeft_data()
{
    QTest::addColumn<RouteChangeReason>("reason");
    QTest::addRow("timeout") << RouteChangeReason::Timeout;
    QTest::addRow("closed") << RouteChangeReason::Closed;
    QTest::addRow("unreachable") << RouteChangeReason::Unreachable;
    QTest::addRow("silent") << RouteChangeReason::Silent;
}

void tst_RouteTracker::servingNodeLeft()
{
    // Two servers claim 10.0.0.1/32; the one announced first serves. When it leaves, traffic moves to the other,
    // with the reason it left and the gap since its last sign of life.
    QFETCH(RouteChangeReason, reason);
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QVERIFY(mesh.connect(kB, {range("10.0.0.1/32")}, 1100).isEmpty());
    const QList<RouteChangedEvent> events = mesh.leave(kA, reason, 9400, 10'000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), reason, 600);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->lostAt, TimeMs(0));
}

void tst_RouteTracker::lastClaimantLeftThenNewOne()
{
    // Nobody left: the route is lost (no gap yet), counted from the node's last sign of life; the claimant that
    // comes next is a NewClaimant whose event carries the whole gap.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Timeout, 4000, 9000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), std::nullopt, RouteChangeReason::Timeout, 0);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->lostAt, TimeMs(4000));
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->servedBy, std::optional<NodeRef>());

    events = mesh.connect(kB, {range("10.0.0.1/32")}, 12'500);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kB), RouteChangeReason::NewClaimant, 8500);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->lostAt, TimeMs(0));
}

void tst_RouteTracker::standbyLeavingChangesNothing()
{
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    QVERIFY(mesh.leave(kB, RouteChangeReason::Closed, 5000, 5000).isEmpty());
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->servedBy, std::optional<NodeRef>(ref(kA)));
}

void tst_RouteTracker::moreSpecificClaimWins()
{
    // The secondary claims the /31 around 10.0.0.1 and serves it; the primary's /32 beats it.
    Mesh mesh;
    QList<RouteChangedEvent> events = mesh.connect(kB, {range("10.0.0.1/31")}, 1000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/31", std::nullopt, ref(kB), RouteChangeReason::NewClaimant, 0);
    events = mesh.connect(kA, {range("10.0.0.1/32")}, 2000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kB), ref(kA), RouteChangeReason::MoreSpecific, 0);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->range, range("10.0.0.1/32"));
}

void tst_RouteTracker::switchBackToReturningPrimary()
{
    // The README's primary/secondary pair: primary 10.0.0.1/32, secondary 10.0.0.0/31. Each claim is tracked at
    // its own address: 10.0.0.1 fails over to the secondary's /31 and back; 10.0.0.0 stays with the secondary.
    Mesh mesh;
    QList<RouteChangedEvent> events = mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kA), RouteChangeReason::NewClaimant, 0);
    events = mesh.connect(kB, {range("10.0.0.0/31")}, 1100);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.0", "10.0.0.0/31", std::nullopt, ref(kB), RouteChangeReason::NewClaimant, 0);

    events = mesh.leave(kA, RouteChangeReason::Unreachable, 5000, 5300);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.0/31", ref(kA), ref(kB), RouteChangeReason::Unreachable, 300);

    // The primary comes back (a new process: same address, new session).
    events = mesh.connect(kA, {range("10.0.0.1/32")}, 8000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kB), ref(kA), RouteChangeReason::MoreSpecific, 0);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.0"))->servedBy, std::optional<NodeRef>(ref(kB)));
    QCOMPARE(mesh.tracker.size(), 2);
}

void tst_RouteTracker::tieKeepsClaimantOnlineLongest()
{
    // Equal claims: the one announced first keeps the traffic, however often the others announce theirs, and when
    // it leaves, the next oldest takes over.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QVERIFY(mesh.connect(kB, {range("10.0.0.1/32")}, 2000).isEmpty());
    QVERIFY(mesh.connect(kC, {range("10.0.0.1/32")}, 3000).isEmpty());
    QVERIFY(mesh.announce(kC, {range("10.0.0.1/32")}, 4000).isEmpty());
    QVERIFY(mesh.tracker.update(4500).isEmpty());
    const QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Closed, 5000, 5000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Closed, 0);
}

void tst_RouteTracker::preferredClaimantBecomesUsable()
{
    // A claimant that wins by the rules (announced first) but is not yet routable (our initiator session waits
    // for the responder) leaves the traffic with the other one until it becomes usable: then Preferred.
    Mesh mesh;
    QVERIFY(mesh.connect(kA, {range("10.0.0.1/32")}, 1000, false).isEmpty());
    QList<RouteChangedEvent> events = mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kB), RouteChangeReason::NewClaimant, 0);
    events = mesh.becomeRoutable(kA, 1500);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kB), ref(kA), RouteChangeReason::Preferred, 0);
}

void tst_RouteTracker::balanceBetweenEqualClaimants()
{
    // With balancing, a move between two claimants that both stay is reported as Balance.
    Mesh mesh(true);
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    mesh.forced = kB;
    const QList<RouteChangedEvent> events = mesh.tracker.update(2000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Balance, 0);
}

void tst_RouteTracker::claimWithdrawnMovesTraffic()
{
    // The serving node stays connected but stops claiming the address.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32"), range("10.0.0.9/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    const QList<RouteChangedEvent> events = mesh.announce(kA, {range("10.0.0.9/32")}, 2000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::ClaimWithdrawn, 0);
}

void tst_RouteTracker::lastClaimWithdrawn()
{
    // The only claimant withdraws: nobody serves the address from now on.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QList<RouteChangedEvent> events = mesh.announce(kA, {}, 2000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), std::nullopt, RouteChangeReason::ClaimWithdrawn, 0);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->lostAt, TimeMs(2000));
    // Claimed again 700 ms later: the gap is counted from the withdrawal.
    events = mesh.announce(kA, {range("10.0.0.1/32")}, 2700);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kA), RouteChangeReason::NewClaimant, 700);
}

void tst_RouteTracker::hintWhenOldNodeGoneWithoutNotice()
{
    // The serving node is gone, but not through peerLeft() (its claims expired in housekeeping): the caller's hint
    // is the reason; without one, ClaimWithdrawn.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32"), range("10.0.0.2/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32"), range("10.0.0.2/32")}, 1100);
    mesh.table.removePeer(kA);
    mesh.peers.erase(kA);
    mesh.routable.erase(kA);
    QList<RouteChangedEvent> events = mesh.tracker.update(5000, RouteChangeReason::Timeout);
    QCOMPARE(events.size(), 2);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Timeout, 0);
    verifyEvent(events[1], "10.0.0.2", "10.0.0.2/32", ref(kA), ref(kB), RouteChangeReason::Timeout, 0);

    Mesh other;
    other.connect(kA, {range("10.0.0.1/32")}, 1000);
    other.connect(kB, {range("10.0.0.1/32")}, 1100);
    other.table.removePeer(kA);
    other.peers.erase(kA);
    other.routable.erase(kA);
    events = other.tracker.update(5000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::ClaimWithdrawn, 0);
}

void tst_RouteTracker::roamedNodeKeepsItsRoutes()
{
    // The serving node's session moved to a new address: each route it served follows it, nothing is lost, and
    // routes of other nodes are not touched.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32"), range("10.0.0.2/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.3/32")}, 1100);
    const NodeId id = idOf(kA);
    const QList<RouteChangedEvent> events = mesh.tracker.peerRoamed(kA, kRoamed, id);
    QCOMPARE(events.size(), 2);
    const NodeRef moved {kRoamed, id};
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), moved, RouteChangeReason::Roamed, 0);
    verifyEvent(events[1], "10.0.0.2", "10.0.0.2/32", ref(kA), moved, RouteChangeReason::Roamed, 0);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.3"))->servedBy, std::optional<NodeRef>(ref(kB)));

    // Once the node's own tables follow (MeshNode moves the peer and renames its claims), nothing more changes.
    mesh.table.renamePeer(kA, kRoamed);
    mesh.peers.erase(kA);
    mesh.routable.erase(kA);
    mesh.peers.insert(kRoamed);
    mesh.routable.insert(kRoamed);
    mesh.ids[kRoamed] = id;
    QVERIFY(mesh.tracker.update(2000).isEmpty());
    QVERIFY(mesh.tracker.peerRoamed(kA, kRoamed, id).isEmpty()); // nothing is served at the old address any more
}

void tst_RouteTracker::changedPeerOnlyTouchesItsAddresses()
{
    // An update for one peer re-evaluates only addresses its claims (old or new) match and those it serves.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    mesh.routable.erase(kA); // A stops being usable without the tracker being told
    QVERIFY(mesh.connect(kC, {range("10.0.0.7/32")}, 2000).size() == 1); // only C's own new route
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->servedBy, std::optional<NodeRef>(ref(kA)));
    // An update for B (a claimant of 10.0.0.1) re-evaluates it.
    const QList<RouteChangedEvent> events = mesh.tracker.update(2500, std::nullopt, &kB);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Preferred, 0);
}

void tst_RouteTracker::lostRouteForgottenAfterAnHour()
{
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.leave(kA, RouteChangeReason::Closed, 2000, 2000);
    QCOMPARE(mesh.tracker.size(), 1);
    // Exactly an hour after the loss it is still known...
    QVERIFY(mesh.tracker.update(2000 + 3600'000).isEmpty());
    QVERIFY(mesh.tracker.route(ipv4("10.0.0.1")));
    // ...and forgotten after that, without an event.
    QVERIFY(mesh.tracker.update(2001 + 3600'000).isEmpty());
    QVERIFY(!mesh.tracker.route(ipv4("10.0.0.1")));
    QCOMPARE(mesh.tracker.size(), 0);
    // A claimant that appears later starts a new route without a gap.
    const QList<RouteChangedEvent> events = mesh.connect(kB, {range("10.0.0.1/32")}, 4000'000);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", std::nullopt, ref(kB), RouteChangeReason::NewClaimant, 0);
}

void tst_RouteTracker::connectIsReachableThenMove()
{
    // The demo's connect: both servers claim 10.0.0.1/32; the one that wins by the rules (announced first) finishes
    // its session second. The first route is "reachable", the switch to the preferred one a "move": nothing failed.
    Mesh mesh;
    QVERIFY(mesh.connect(kA, {range("10.0.0.1/32")}, 1000, false).isEmpty());
    QList<RouteChangedEvent> events = mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Reachable);
    events = mesh.becomeRoutable(kA, 1150);
    QCOMPARE(events.size(), 1);
    QVERIFY(events[0].reason == RouteChangeReason::Preferred);
    verifyKind(events[0], RouteChangeKind::Move);
    QVERIFY(!mesh.asked); // no failover, no gap asked for
}

void tst_RouteTracker::failoverTimings()
{
    // A failover carries when it was detected (now), the old node's last sign of life, and the gap from the first
    // packet forwarded after that sign of life (asked of the node for the old route's range) until the switch.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    mesh.firstForward = 9550;
    // A silent peer: the gap of unreachableMs starts at the first data it left unanswered (9500), its last sign of
    // life was earlier (8200).
    const QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Silent, 9500, 10'000, 8200);
    QCOMPARE(events.size(), 1);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Silent, 500);
    verifyKind(events[0], RouteChangeKind::Failover, 10'000, 8200, 450);
    QVERIFY(mesh.asked);
    QCOMPARE(mesh.asked->first, range("10.0.0.1/32"));
    QCOMPARE(mesh.asked->second, TimeMs(9500));
}

void tst_RouteTracker::failoverWithoutTrafficHasNoPathGap()
{
    // Nothing was forwarded to the address after the old node's last sign of life: noPathMs stays -1 (unknown);
    // lastHeard defaults to lastSeen. The last claimant leaving is "lost", with no gap either.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32"), range("10.0.0.2/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.1/32")}, 1100);
    const QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Timeout, 4000, 9000);
    QCOMPARE(events.size(), 2);
    verifyEvent(events[0], "10.0.0.1", "10.0.0.1/32", ref(kA), ref(kB), RouteChangeReason::Timeout, 5000);
    verifyKind(events[0], RouteChangeKind::Failover, 9000, 4000, -1);
    verifyEvent(events[1], "10.0.0.2", "10.0.0.2/32", ref(kA), std::nullopt, RouteChangeReason::Timeout, 0);
    verifyKind(events[1], RouteChangeKind::Lost, 9000, 4000, -1);
}

void tst_RouteTracker::switchbackKeyedByAddress()
{
    // The primary fails over to the secondary and comes back as a new process (same address, new node id): a
    // switchback. A later more specific claim from a third node is a move.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    mesh.connect(kB, {range("10.0.0.0/31")}, 1100);
    QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Unreachable, 5000, 5300);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Failover, 5300, 5000, -1);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->failedFrom, std::optional<SocketAddress>(kA));
    NodeId restarted {};
    restarted.fill(0x77);
    mesh.ids[kA] = restarted;
    events = mesh.connect(kA, {range("10.0.0.1/32")}, 8000);
    QCOMPARE(events.size(), 1);
    verifyEvent(
        events[0], "10.0.0.1", "10.0.0.1/32", ref(kB), NodeRef {kA, restarted}, RouteChangeReason::MoreSpecific, 0);
    verifyKind(events[0], RouteChangeKind::Switchback);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->failedFrom, std::nullopt);

    // Once switched back, a further change towards another preferred node is a plain move.
    mesh.leave(kA, RouteChangeReason::Closed, 9000, 9000);
    QCOMPARE(mesh.tracker.route(ipv4("10.0.0.1"))->servedBy, std::optional<NodeRef>(ref(kB)));
    events = mesh.connect(kC, {range("10.0.0.1/32")}, 9500);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Move);
}

void tst_RouteTracker::lostThenReachableThenSwitchback()
{
    // The only server fails: lost. A standby appears: reachable (nobody served it before). The failed server
    // returns and wins by the more specific claim: a switchback.
    Mesh mesh;
    mesh.connect(kA, {range("10.0.0.1/32")}, 1000);
    QList<RouteChangedEvent> events = mesh.leave(kA, RouteChangeReason::Timeout, 3000, 4000);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Lost, 4000, 3000, -1);
    events = mesh.connect(kB, {range("10.0.0.0/31")}, 5000);
    QCOMPARE(events.size(), 2); // 10.0.0.1 (lost before) and 10.0.0.0 (new)
    for (const RouteChangedEvent &event : events)
        verifyKind(event, RouteChangeKind::Reachable);
    events = mesh.connect(kA, {range("10.0.0.1/32")}, 6000);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Switchback);

    // Lost, and the same server comes back alone: reachable again, and nothing left to switch back to.
    Mesh single;
    single.connect(kA, {range("10.0.0.1/32")}, 1000);
    single.leave(kA, RouteChangeReason::Closed, 2000, 2000);
    events = single.connect(kA, {range("10.0.0.1/32")}, 3000);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Reachable);
    QCOMPARE(single.tracker.route(ipv4("10.0.0.1"))->failedFrom, std::nullopt);
}

void tst_RouteTracker::movesAreNotFailovers()
{
    // Balancing and roaming lose nothing: moves. A withdrawn claim forces a switch: a failover, with no last sign
    // of life (the node is alive) and no gap (nothing waits for it).
    Mesh balanced(true);
    balanced.connect(kA, {range("10.0.0.1/32")}, 1000);
    balanced.connect(kB, {range("10.0.0.1/32")}, 1100);
    balanced.forced = kB;
    QList<RouteChangedEvent> events = balanced.tracker.update(2000);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Move);

    events = balanced.tracker.peerRoamed(kB, kRoamed, idOf(kB));
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Move);

    Mesh withdrawn;
    withdrawn.connect(kA, {range("10.0.0.1/32"), range("10.0.0.9/32")}, 1000);
    withdrawn.connect(kB, {range("10.0.0.1/32")}, 1100);
    withdrawn.firstForward = 1900;
    events = withdrawn.announce(kA, {range("10.0.0.9/32")}, 2000);
    QCOMPARE(events.size(), 1);
    verifyKind(events[0], RouteChangeKind::Failover, 2000, 0, -1);
    QVERIFY(!withdrawn.asked);
}

QTEST_APPLESS_MAIN(tst_RouteTracker)
#include "tst_routetracker.moc"
