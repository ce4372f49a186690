// PeerTable: the established peers of a MeshNode and their two indexes (address -> peer, node id -> count),
// which must agree with the owned peers after every insertion, replacement, removal and move.
#include <map>
#include <memory>

#include <QTest>

#include "core/node/peer.h"
#include "core/node/peertable.h"
#include "core/node/randomsource.h"

using namespace Nimbus;

namespace
{

SocketAddress address(const char *text)
{
    const std::optional<SocketAddress> parsed = SocketAddress::parse(QString::fromLatin1(text));
    Q_ASSERT(parsed);
    return *parsed;
}

NodeId nodeId(quint8 value)
{
    NodeId id {};
    id.fill(value);
    return id;
}

std::unique_ptr<Peer> makePeer(const SocketAddress &at, const NodeId &id)
{
    auto peer = std::make_unique<Peer>();
    peer->address = at;
    peer->nodeId = id;
    return peer;
}

/// The addresses of the table's peers in iteration order.
QList<SocketAddress> addressesOf(const PeerTable &table)
{
    QList<SocketAddress> result;
    for (const auto &[key, peer] : table)
        result.append(key);
    return result;
}

const SocketAddress kA = address("192.0.2.1:3210");
const SocketAddress kB = address("192.0.2.2:3210");
const SocketAddress kC = address("192.0.2.3:3210");
const SocketAddress kD = address("198.51.100.7:40000");

} // namespace

class tst_PeerTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyTable();
    void insertIndexesAddressAndNodeId();
    void iteratesInAddressOrder();
    void insertAtSameAddressReplaces();
    void replacementWithSameNodeIdKeepsCount();
    void sameNodeAtTwoAddresses();
    void extractRemovesFromEveryIndex();
    void extractUnknownChangesNothing();
    void moveRekeysTheSamePeer();
    void moveOntoOccupiedAddressReplaces();
    void moveOntoSameNodeAtOtherAddress();
    void moveEdgeCases();
    void randomOperationsMatchReferenceModel();
};

void tst_PeerTable::emptyTable()
{
    PeerTable table;
    QVERIFY(table.empty());
    QCOMPARE(table.size(), 0);
    QVERIFY(!table.find(kA));
    QVERIFY(!table.contains(kA));
    QVERIFY(!table.containsNodeId(nodeId(1)));
    QCOMPARE(table.countOfNodeId(nodeId(1)), 0);
    QVERIFY(!table.extract(kA));
    QVERIFY(!table.move(kA, kB));
    QVERIFY(table.begin() == table.end());
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::insertIndexesAddressAndNodeId()
{
    PeerTable table;
    auto owned = makePeer(kA, nodeId(1));
    Peer *peer = owned.get();
    QVERIFY(!table.insert(std::move(owned)));
    QCOMPARE(table.size(), 1);
    QVERIFY(!table.empty());
    QCOMPARE(table.find(kA), peer);
    QCOMPARE(std::as_const(table).find(kA), peer);
    QVERIFY(table.contains(kA));
    QVERIFY(!table.contains(kB));
    QVERIFY(table.containsNodeId(nodeId(1)));
    QVERIFY(!table.containsNodeId(nodeId(2)));
    QCOMPARE(table.countOfNodeId(nodeId(1)), 1);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::iteratesInAddressOrder()
{
    PeerTable table;
    table.insert(makePeer(kD, nodeId(4)));
    table.insert(makePeer(kB, nodeId(2)));
    table.insert(makePeer(kC, nodeId(3)));
    table.insert(makePeer(kA, nodeId(1)));
    QCOMPARE(addressesOf(table), (QList<SocketAddress> {kA, kB, kC, kD}));
    for (const auto &[key, peer] : table)
        QCOMPARE(peer->address, key);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::insertAtSameAddressReplaces()
{
    PeerTable table;
    auto first = makePeer(kA, nodeId(1));
    Peer *firstRaw = first.get();
    table.insert(std::move(first));
    auto second = makePeer(kA, nodeId(2));
    Peer *secondRaw = second.get();
    const std::unique_ptr<Peer> replaced = table.insert(std::move(second));
    QCOMPARE(replaced.get(), firstRaw);
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.find(kA), secondRaw);
    // The replaced peer's node id leaves the index; the new one is in it.
    QVERIFY(!table.containsNodeId(nodeId(1)));
    QCOMPARE(table.countOfNodeId(nodeId(2)), 1);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::replacementWithSameNodeIdKeepsCount()
{
    // A renewed session of the same node at the same address (MeshNode::establish()).
    PeerTable table;
    table.insert(makePeer(kA, nodeId(1)));
    QVERIFY(table.insert(makePeer(kA, nodeId(1))));
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.countOfNodeId(nodeId(1)), 1);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::sameNodeAtTwoAddresses()
{
    PeerTable table;
    table.insert(makePeer(kA, nodeId(7)));
    table.insert(makePeer(kB, nodeId(7)));
    QCOMPARE(table.size(), 2);
    QCOMPARE(table.countOfNodeId(nodeId(7)), 2);
    QVERIFY(table.extract(kA));
    // One of its addresses is still established: the node id stays known.
    QVERIFY(table.containsNodeId(nodeId(7)));
    QCOMPARE(table.countOfNodeId(nodeId(7)), 1);
    QVERIFY(table.isConsistent());
    QVERIFY(table.extract(kB));
    QVERIFY(!table.containsNodeId(nodeId(7)));
    QCOMPARE(table.countOfNodeId(nodeId(7)), 0);
    QVERIFY(table.empty());
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::extractRemovesFromEveryIndex()
{
    PeerTable table;
    auto owned = makePeer(kB, nodeId(2));
    Peer *raw = owned.get();
    table.insert(makePeer(kA, nodeId(1)));
    table.insert(std::move(owned));
    table.insert(makePeer(kC, nodeId(3)));
    const std::unique_ptr<Peer> extracted = table.extract(kB);
    QCOMPARE(extracted.get(), raw);
    QCOMPARE(extracted->address, kB); // the extracted peer is intact
    QCOMPARE(extracted->nodeId, nodeId(2));
    QCOMPARE(table.size(), 2);
    QVERIFY(!table.find(kB));
    QVERIFY(!table.contains(kB));
    QVERIFY(!table.containsNodeId(nodeId(2)));
    QCOMPARE(addressesOf(table), (QList<SocketAddress> {kA, kC}));
    QVERIFY(table.isConsistent());
    // A second extract finds nothing.
    QVERIFY(!table.extract(kB));
    QCOMPARE(table.size(), 2);
}

void tst_PeerTable::extractUnknownChangesNothing()
{
    PeerTable table;
    table.insert(makePeer(kA, nodeId(1)));
    QVERIFY(!table.extract(kB));
    QCOMPARE(table.size(), 1);
    QVERIFY(table.containsNodeId(nodeId(1)));
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::moveRekeysTheSamePeer()
{
    PeerTable table;
    auto owned = makePeer(kA, nodeId(1));
    Peer *raw = owned.get();
    owned->rxPackets = 42;
    table.insert(std::move(owned));
    table.insert(makePeer(kC, nodeId(3)));
    QVERIFY(!table.move(kA, kD)); // nothing was at kD
    // The same object, now under its new address, with its state.
    QCOMPARE(table.find(kD), raw);
    QCOMPARE(raw->address, kD);
    QCOMPARE(raw->rxPackets, quint64(42));
    QVERIFY(!table.find(kA));
    QVERIFY(!table.contains(kA));
    QCOMPARE(table.size(), 2);
    QCOMPARE(table.countOfNodeId(nodeId(1)), 1);
    // The iteration order follows the new address.
    QCOMPARE(addressesOf(table), (QList<SocketAddress> {kC, kD}));
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::moveOntoOccupiedAddressReplaces()
{
    PeerTable table;
    auto moving = makePeer(kA, nodeId(1));
    Peer *movingRaw = moving.get();
    auto stale = makePeer(kB, nodeId(2));
    Peer *staleRaw = stale.get();
    table.insert(std::move(moving));
    table.insert(std::move(stale));
    const std::unique_ptr<Peer> replaced = table.move(kA, kB);
    QCOMPARE(replaced.get(), staleRaw);
    QCOMPARE(replaced->address, kB);
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.find(kB), movingRaw);
    QCOMPARE(movingRaw->address, kB);
    QVERIFY(!table.contains(kA));
    QVERIFY(!table.containsNodeId(nodeId(2)));
    QCOMPARE(table.countOfNodeId(nodeId(1)), 1);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::moveOntoSameNodeAtOtherAddress()
{
    // The node was established at two addresses; one moves onto the other: one peer is left, counted once.
    PeerTable table;
    table.insert(makePeer(kA, nodeId(5)));
    table.insert(makePeer(kB, nodeId(5)));
    QVERIFY(table.move(kA, kB));
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.countOfNodeId(nodeId(5)), 1);
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::moveEdgeCases()
{
    PeerTable table;
    auto owned = makePeer(kA, nodeId(1));
    Peer *raw = owned.get();
    table.insert(std::move(owned));
    table.insert(makePeer(kB, nodeId(2)));
    // From an address without a peer: nothing happens, not even to the peer at the target.
    QVERIFY(!table.move(kC, kB));
    QCOMPARE(table.size(), 2);
    QVERIFY(table.contains(kB));
    QVERIFY(table.containsNodeId(nodeId(2)));
    // Onto itself: nothing happens.
    QVERIFY(!table.move(kA, kA));
    QCOMPARE(table.find(kA), raw);
    QCOMPARE(raw->address, kA);
    QCOMPARE(table.size(), 2);
    QVERIFY(table.isConsistent());
    // Away and back again.
    QVERIFY(!table.move(kA, kD));
    QVERIFY(!table.move(kD, kA));
    QCOMPARE(table.find(kA), raw);
    QCOMPARE(raw->address, kA);
    QCOMPARE(addressesOf(table), (QList<SocketAddress> {kA, kB}));
    QVERIFY(table.isConsistent());
}

void tst_PeerTable::randomOperationsMatchReferenceModel()
{
    // Inserts, replacements, removals and moves over a small address and node id space, so that every collision
    // happens often; after each step the table must equal a plain map and its indexes must agree.
    QList<SocketAddress> addresses;
    for (int i = 0; i < 6; ++i)
        addresses.append(SocketAddress(QHostAddress(QStringLiteral("10.1.0.%1").arg(i + 1)), quint16(3210 + i % 2)));
    SeededRandomSource random(20261207);
    PeerTable table;
    std::map<SocketAddress, NodeId> model;
    for (int step = 0; step < 2000; ++step) {
        const SocketAddress &a = addresses[qsizetype(random.bounded(quint32(addresses.size())))];
        const SocketAddress &b = addresses[qsizetype(random.bounded(quint32(addresses.size())))];
        const NodeId id = nodeId(quint8(1 + random.bounded(4)));
        switch (random.bounded(3)) {
        case 0: {
            const std::unique_ptr<Peer> old = table.insert(makePeer(a, id));
            QCOMPARE(bool(old), model.contains(a));
            if (old)
                QCOMPARE(old->nodeId, model[a]);
            model[a] = id;
            break;
        }
        case 1: {
            const std::unique_ptr<Peer> removed = table.extract(a);
            QCOMPARE(bool(removed), model.contains(a));
            if (removed) {
                QCOMPARE(removed->address, a);
                QCOMPARE(removed->nodeId, model[a]);
            }
            model.erase(a);
            break;
        }
        case 2: {
            const bool moves = a != b && model.contains(a);
            const bool replaces = moves && model.contains(b);
            const std::unique_ptr<Peer> replaced = table.move(a, b);
            QCOMPARE(bool(replaced), replaces);
            if (replaced)
                QCOMPARE(replaced->nodeId, model[b]);
            if (moves) {
                model[b] = model[a];
                model.erase(a);
            }
            break;
        }
        }
        QVERIFY2(table.isConsistent(), qPrintable(QStringLiteral("step %1").arg(step)));
        QCOMPARE(table.size(), int(model.size()));
        std::map<NodeId, int> counts;
        auto it = model.begin();
        for (const auto &[key, peer] : table) {
            QCOMPARE(key, it->first);
            QCOMPARE(peer->nodeId, it->second);
            QCOMPARE(table.find(key), peer.get());
            ++counts[it->second];
            ++it;
        }
        for (quint8 v = 1; v <= 4; ++v) {
            QCOMPARE(table.countOfNodeId(nodeId(v)), counts[nodeId(v)]);
            QCOMPARE(table.containsNodeId(nodeId(v)), counts[nodeId(v)] > 0);
        }
    }
}

QTEST_APPLESS_MAIN(tst_PeerTable)
#include "tst_peertable.moc"
