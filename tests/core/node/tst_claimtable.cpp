#include <QTest>

#include "core/node/claimtable.h"
#include "tests/fakes/simnetwork.h"

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
};

static const auto kAll = [](const SocketAddress &) { return true; };

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

QTEST_APPLESS_MAIN(tst_ClaimTable)
#include "tst_claimtable.moc"
