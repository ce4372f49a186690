#include <QRandomGenerator>
#include <QTest>

#include "core/node/claimtable.h"
#include "tests/fakes/node/simnetwork.h"

using namespace Nimbus;
using namespace Nimbus::Test;

class tst_ClaimTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longestPrefixWins();
    void equalPrefixOldestFirst();
    void updateKeepsPositionAndRemovesDropped();
    void expiry();
    void perPeerIndexFollowsEveryChange();
    void matchesReferenceModel_data();
    void matchesReferenceModel();
};

static const auto kAll = [](const SocketAddress &) { return true; };

namespace
{

/// The claim table as a plain scan over all entries (the implementation before the per-peer index): the
/// reference the indexed table must agree with.
struct ReferenceTable {
    std::vector<ClaimTable::Entry> entries;

    bool update(const SocketAddress &peer, const QList<Range> &claims, TimeMs expiry)
    {
        bool changed = false;
        QList<Range> remaining = claims;
        for (auto it = entries.begin(); it != entries.end();) {
            if (!(it->peer == peer)) {
                ++it;
                continue;
            }
            if (const qsizetype index = remaining.indexOf(it->range); index >= 0) {
                it->expiry = expiry;
                remaining.removeAt(index);
                ++it;
            } else {
                it = entries.erase(it);
                changed = true;
            }
        }
        for (const Range &range : std::as_const(remaining)) {
            if (std::none_of(entries.begin(), entries.end(), [&](const auto &e) {
                    return e.peer == peer && e.range == range;
                })) {
                entries.push_back({peer, range, expiry});
                changed = true;
            }
        }
        return changed;
    }
    bool removePeer(const SocketAddress &peer)
    {
        return std::erase_if(entries, [&](const auto &e) { return e.peer == peer; }) > 0;
    }
    bool expire(TimeMs now, const std::function<TimeMs(const SocketAddress &)> &peerExpiry)
    {
        return std::erase_if(entries, [&](const auto &e) { return e.expiry < now && peerExpiry(e.peer) < now; }) > 0;
    }
};

/// Fails the calling test unless \a table holds exactly \a expected's entries, in order, and every per-peer
/// query (claimsOf, countOf, forEachOf) agrees with a scan over entries().
void verifySame(
    const ClaimTable &table, const std::vector<ClaimTable::Entry> &expected, const QList<SocketAddress> &peers)
{
    QCOMPARE(table.entries().size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        QCOMPARE(table.entries()[i].peer, expected[i].peer);
        QCOMPARE(table.entries()[i].range, expected[i].range);
        QCOMPARE(table.entries()[i].expiry, expected[i].expiry);
    }
    for (const SocketAddress &peer : peers) {
        QList<Range> scanned;
        for (const ClaimTable::Entry &entry : expected) {
            if (entry.peer == peer)
                scanned.append(entry.range);
        }
        QCOMPARE(table.claimsOf(peer), scanned);
        QCOMPARE(table.countOf(peer), scanned.size());
        QList<Range> visited;
        table.forEachOf(peer, [&](const ClaimTable::Entry &entry) {
            QCOMPARE(entry.peer, peer);
            visited.append(entry.range);
        });
        QCOMPARE(visited, scanned);
    }
}

} // namespace

void tst_ClaimTable::longestPrefixWins()
{
    ClaimTable table;
    const SocketAddress a = endpoint("192.0.2.1:3210");
    const SocketAddress b = endpoint("192.0.2.2:3210");
    QVERIFY(table.update(a, {range("10.0.0.0/24")}, 100));
    QVERIFY(table.update(b, {range("10.0.0.1/32")}, 100));
    auto best = table.bestMatches(ipv4("10.0.0.1"), kAll);
    QCOMPARE(best.size(), size_t(1));
    QCOMPARE(best.front()->peer, b);
    best = table.bestMatches(ipv4("10.0.0.7"), kAll);
    QCOMPARE(best.front()->peer, a);
    QVERIFY(table.bestMatches(ipv4("10.0.1.1"), kAll).empty());
    // Ineligible peers are skipped: the /24 serves when the /32's peer is not routable.
    best = table.bestMatches(ipv4("10.0.0.1"), [&](const SocketAddress &p) { return p == a; });
    QCOMPARE(best.front()->peer, a);
}

void tst_ClaimTable::equalPrefixOldestFirst()
{
    ClaimTable table;
    const SocketAddress a = endpoint("192.0.2.1:3210");
    const SocketAddress b = endpoint("192.0.2.2:3210");
    table.update(b, {range("10.0.0.1/32")}, 100);
    table.update(a, {range("10.0.0.1/32")}, 100);
    auto best = table.bestMatches(ipv4("10.0.0.1"), kAll);
    QCOMPARE(best.size(), size_t(2));
    QCOMPARE(best[0]->peer, b);
    // Refreshing keeps b first; b reconnecting (remove + add) moves it to the back.
    QVERIFY(!table.update(b, {range("10.0.0.1/32")}, 200));
    QCOMPARE(table.bestMatches(ipv4("10.0.0.1"), kAll)[0]->peer, b);
    QVERIFY(table.removePeer(b));
    table.update(b, {range("10.0.0.1/32")}, 200);
    QCOMPARE(table.bestMatches(ipv4("10.0.0.1"), kAll)[0]->peer, a);
}

void tst_ClaimTable::updateKeepsPositionAndRemovesDropped()
{
    ClaimTable table;
    const SocketAddress a = endpoint("192.0.2.1:3210");
    table.update(a, {range("10.0.0.1/32"), range("10.0.1.0/24")}, 100);
    QVERIFY(table.update(a, {range("10.0.1.0/24"), range("10.0.2.0/24")}, 100));
    QCOMPARE(table.claimsOf(a), (QList<Range> {range("10.0.1.0/24"), range("10.0.2.0/24")}));
    QVERIFY(table.update(a, {}, 100));
    QVERIFY(table.isEmpty());
}

void tst_ClaimTable::expiry()
{
    ClaimTable table;
    table.update(endpoint("192.0.2.1:3210"), {range("10.0.0.1/32")}, 100);
    QVERIFY(!table.expire(100));
    QVERIFY(table.expire(101));
    QVERIFY(table.isEmpty());
}

void tst_ClaimTable::perPeerIndexFollowsEveryChange()
{
    ClaimTable table;
    const SocketAddress a = endpoint("192.0.2.1:3210");
    const SocketAddress b = endpoint("192.0.2.2:3210");
    const SocketAddress c = endpoint("192.0.2.3:3210");
    const QList<SocketAddress> peers {a, b, c};
    table.update(a, {range("10.0.0.1/32"), range("10.0.1.0/24")}, 100);
    table.update(b, {range("10.0.0.2/32")}, 200);
    table.update(c, {range("10.0.0.3/32"), range("10.0.0.1/32")}, 300);
    table.update(b, {range("10.0.0.2/32"), range("10.0.2.0/24")}, 200);
    verifySame(table,
        {{a, range("10.0.0.1/32"), 100},
            {a, range("10.0.1.0/24"), 100},
            {b, range("10.0.0.2/32"), 200},
            {c, range("10.0.0.3/32"), 300},
            {c, range("10.0.0.1/32"), 300},
            {b, range("10.0.2.0/24"), 200}},
        peers);
    // Dropping a's first claim shifts every later entry: the index must follow.
    QVERIFY(table.update(a, {range("10.0.1.0/24")}, 150));
    verifySame(table,
        {{a, range("10.0.1.0/24"), 150},
            {b, range("10.0.0.2/32"), 200},
            {c, range("10.0.0.3/32"), 300},
            {c, range("10.0.0.1/32"), 300},
            {b, range("10.0.2.0/24"), 200}},
        peers);
    // A refresh with the same claims (every NodeInfo) changes only the expiry; a repeated range counts once.
    QVERIFY(!table.update(c, {range("10.0.0.1/32"), range("10.0.0.3/32"), range("10.0.0.3/32")}, 400));
    QCOMPARE(table.countOf(c), 2);
    QVERIFY(table.removePeer(b));
    QVERIFY(!table.removePeer(b));
    verifySame(
        table, {{a, range("10.0.1.0/24"), 150}, {c, range("10.0.0.3/32"), 400}, {c, range("10.0.0.1/32"), 400}}, peers);
    // b is back: its claims go to the end; a's expire (its peer expiry is over), c's live on with their peer.
    table.update(b, {range("10.0.0.2/32")}, 500);
    QVERIFY(table.expire(300, [&](const SocketAddress &peer) { return peer == c ? TimeMs(1000) : TimeMs(0); }));
    verifySame(
        table, {{c, range("10.0.0.3/32"), 400}, {c, range("10.0.0.1/32"), 400}, {b, range("10.0.0.2/32"), 500}}, peers);
    QCOMPARE(table.bestMatches(ipv4("10.0.0.1"), kAll).front()->peer, c);
    QVERIFY(table.update(c, {}, 500));
    QCOMPARE(table.countOf(c), 0);
    QVERIFY(table.claimsOf(c).isEmpty());
    verifySame(table, {{b, range("10.0.0.2/32"), 500}}, peers);
}

void tst_ClaimTable::matchesReferenceModel_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 2u, 3u, 42u, 1234u})
        QTest::addRow("seed %u", seed) << seed;
}

void tst_ClaimTable::matchesReferenceModel()
{
    // Random updates, removals and expiries on a few peers and ranges: the indexed table behaves exactly like the
    // plain scan (same entries in the same order, same return values).
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    QList<SocketAddress> peers;
    for (int i = 1; i <= 5; ++i)
        peers.append(endpoint(qPrintable(QStringLiteral("192.0.2.%1:3210").arg(i))));
    QList<Range> ranges;
    for (int i = 1; i <= 6; ++i)
        ranges.append(range(qPrintable(QStringLiteral("10.0.0.%1/32").arg(i))));
    ranges.append(range("10.0.0.0/24"));
    ClaimTable table;
    ReferenceTable reference;
    QHash<SocketAddress, TimeMs> peerExpiry;
    const auto expiryOf = [&](const SocketAddress &peer) { return peerExpiry.value(peer, 0); };
    TimeMs now = 0;
    for (int step = 0; step < 400; ++step) {
        const SocketAddress peer = peers[random.bounded(int(peers.size()))];
        now += random.bounded(20);
        const int operation = random.bounded(10);
        if (operation < 7) {
            QList<Range> claims;
            const int count = random.bounded(5);
            for (int i = 0; i < count; ++i)
                claims.append(ranges[random.bounded(int(ranges.size()))]);
            const TimeMs expiry = now + random.bounded(100);
            QCOMPARE(table.update(peer, claims, expiry), reference.update(peer, claims, expiry));
        } else if (operation < 9) {
            QCOMPARE(table.removePeer(peer), reference.removePeer(peer));
        } else {
            peerExpiry[peer] = now + random.bounded(100) - 50;
            QCOMPARE(table.expire(now, expiryOf), reference.expire(now, expiryOf));
        }
        verifySame(table, reference.entries, peers);
        if (QTest::currentTestFailed())
            return;
    }
}

QTEST_APPLESS_MAIN(tst_ClaimTable)
#include "tst_claimtable.moc"
