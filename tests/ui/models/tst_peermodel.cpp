#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"
#include "ui/profiles/nodelabels.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_PeerModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotOfHundredsOfPeers();
    void updatesOnlyChangedRows();
    void removesVanishedPeers();
    void scopeByNetwork();
    void upsertAndRemoveFromEvents();
    void removeFallsBackToAddress();
    void sortsNumerically();
    void rejectsGarbage();
    void headersAndRoles();
    void namesInOrderAndAcrossRestarts();
};

void tst_PeerModel::snapshotOfHundredsOfPeers()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setPeers(Test::Sample::peers(u"office"_s, 500, 1'700'000'000'000));
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.columnCount(), int(PeerModel::ColumnCount));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.peerCount(u"office"_s), 500);
    const QModelIndex first = model.index(0, PeerModel::Address);
    QCOMPARE(first.data().toString(), Test::Sample::address(0));
    QCOMPARE(model.index(0, PeerModel::NodeId).data(Qt::ToolTipRole).toString(),
        u"Node id: %1\nAddress: %2"_s.arg(Test::Sample::nodeId(0), Test::Sample::address(0)));
    QCOMPARE(model.index(0, PeerModel::NodeId).data().toString(), Test::Sample::nodeId(0).left(8));
    QCOMPARE(model.index(0, PeerModel::Crypto).data().toString(), u"CHACHA20"_s);
    QVERIFY(model.index(0, PeerModel::Claims).data().toString().contains(u"10.0.0.1/32"_s));
}

void tst_PeerModel::updatesOnlyChangedRows()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QJsonArray peers = Test::Sample::peers(u"office"_s, 300, 1'700'000'000'000);
    model.setPeers(peers);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    model.setPeers(peers);
    QCOMPARE(changed.count(), 0);

    QJsonObject p = peers.at(42).toObject();
    p.insert(u"rxBytes"_s, 999999.0);
    peers[42] = p;
    model.setPeers(peers);
    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 42);
    QCOMPARE(bottomRight.row(), 42);
    QCOMPARE(topLeft.column(), 0);
    QCOMPARE(bottomRight.column(), PeerModel::ColumnCount - 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(model.index(42, PeerModel::Received).data(PeerModel::SortRole).toLongLong(), 999999);
}

void tst_PeerModel::removesVanishedPeers()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QJsonArray peers = Test::Sample::peers(u"office"_s, 10, 1'700'000'000'000);
    model.setPeers(peers);
    QJsonArray fewer;
    for (int i = 0; i < 10; ++i) {
        if (i != 3 && i != 4 && i != 8)
            fewer.append(peers.at(i));
    }
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setPeers(fewer);
    QCOMPARE(model.rowCount(), 7);
    // Two contiguous runs: rows 8 and 3-4.
    QCOMPARE(removed.count(), 2);
    for (int r = 0; r < model.rowCount(); ++r)
        QVERIFY(model.index(r, PeerModel::Address).data().toString() != Test::Sample::address(3));
    QCOMPARE(model.rowOf(PeerRow::keyFor(u"office"_s, Test::Sample::nodeId(9), QString())), 6);
}

void tst_PeerModel::scopeByNetwork()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QJsonArray all = Test::Sample::peers(u"office"_s, 5, 0);
    for (const QJsonValue &p : Test::Sample::peers(u"lab"_s, 3, 0))
        all.append(p);
    model.setPeers(all);
    QCOMPARE(model.rowCount(), 8);
    model.setPeers(Test::Sample::peers(u"lab"_s, 1, 0), u"lab"_s);
    QCOMPARE(model.peerCount(u"office"_s), 5);
    QCOMPARE(model.peerCount(u"lab"_s), 1);
    model.removeNetwork(u"office"_s);
    QCOMPARE(model.rowCount(), 1);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_PeerModel::upsertAndRemoveFromEvents()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.upsertPeer(Test::Sample::peer(u"office"_s, 1, 0));
    model.upsertPeer(Test::Sample::peer(u"office"_s, 2, 0));
    QCOMPARE(inserted.count(), 2);
    QJsonObject again = Test::Sample::peer(u"office"_s, 1, 0);
    again.insert(u"algorithm"_s, u"AES128"_s);
    model.upsertPeer(again);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, PeerModel::Crypto).data().toString(), u"AES128"_s);
    QVERIFY(model.removePeer(u"office"_s, Test::Sample::nodeId(1), Test::Sample::address(1)));
    QVERIFY(!model.removePeer(u"office"_s, Test::Sample::nodeId(1), Test::Sample::address(1)));
    QCOMPARE(model.rowCount(), 1);
}

void tst_PeerModel::removeFallsBackToAddress()
{
    PeerModel model;
    model.upsertPeer(Test::Sample::peer(u"office"_s, 5, 0));
    QVERIFY(model.removePeer(u"office"_s, QString(), Test::Sample::address(5)));
    QCOMPARE(model.rowCount(), 0);
}

void tst_PeerModel::sortsNumerically()
{
    PeerModel model;
    model.setPeers(Test::Sample::peers(u"office"_s, 200, 1'700'000'000'000));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(PeerModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(PeerModel::Received, Qt::DescendingOrder);
    qint64 previous = std::numeric_limits<qint64>::max();
    for (int r = 0; r < proxy.rowCount(); ++r) {
        const qint64 value = proxy.index(r, PeerModel::Received).data(PeerModel::SortRole).toLongLong();
        QVERIFY2(value <= previous, qPrintable(u"row %1 out of order"_s.arg(r)));
        previous = value;
    }
    proxy.sort(PeerModel::Address, Qt::AscendingOrder);
    QCOMPARE(proxy.index(8, PeerModel::Address).data().toString(), u"192.0.2.9:3210"_s);
    QCOMPARE(proxy.index(9, PeerModel::Address).data().toString(), u"192.0.2.10:3210"_s);
    proxy.sort(PeerModel::Received, Qt::DescendingOrder);
    // Live update keeps the order.
    QJsonObject p = Test::Sample::peer(u"office"_s, 7, 1'700'000'000'000);
    p.insert(u"rxBytes"_s, 1e15);
    model.upsertPeer(p);
    QCOMPARE(proxy.index(0, PeerModel::Address).data().toString(), Test::Sample::address(7));
}

void tst_PeerModel::rejectsGarbage()
{
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPeers(QJsonArray {1, u"x"_s, QJsonObject {}, QJsonObject {{u"claims"_s, 5}}});
    QCOMPARE(model.rowCount(), 0);
    model.upsertPeer(QJsonObject {{u"rxBytes"_s, u"lots"_s}});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.data(model.index(5, 0)).isValid());
}

void tst_PeerModel::headersAndRoles()
{
    PeerModel model;
    for (int c = 0; c < PeerModel::ColumnCount; ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    model.upsertPeer(Test::Sample::peer(u"office"_s, 0, 1'700'000'000'000));
    QCOMPARE(model.index(0, 0).data(PeerModel::NetworkRole).toString(), u"office"_s);
    QVERIFY(!model.index(0, PeerModel::ConnectedSince).data().toString().isEmpty());
    QVERIFY(model.index(0, PeerModel::Received).data().toString().contains(u"B"_s));
}

void tst_PeerModel::namesInOrderAndAcrossRestarts()
{
    Test::Sample::LabelledNames labelled;
    NodeLabels &labels = labelled.labels;
    NodeNames &names = labelled.names;
    PeerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNodeNames(&names);
    QJsonObject named = Test::Sample::peer(u"office"_s, 0, 1'700'000'000'000);
    named.insert(u"name"_s, u"server-a"_s);
    named.insert(u"nameSource"_s, u"peer"_s);
    model.upsertPeer(named);
    model.upsertPeer(Test::Sample::peer(u"office"_s, 5, 1'700'000'000'000));
    const QModelIndex a = model.index(0, PeerModel::NodeId);
    const QModelIndex five = model.index(1, PeerModel::NodeId);
    // 1. the helper's name, 3. the short node id.
    QCOMPARE(a.data().toString(), u"server-a"_s);
    QVERIFY(a.data(Qt::ToolTipRole).toString().contains(Test::Sample::address(0)));
    QVERIFY(a.data(Qt::ToolTipRole).toString().contains(Test::Sample::nodeId(0)));
    QCOMPARE(five.data().toString(), Test::Sample::nodeId(5).left(8));
    // 2. the user's label.
    names.setLabel(u"office"_s, Test::Sample::nodeId(5), Test::Sample::address(5), u"Lab box"_s);
    QCOMPARE(five.data().toString(), u"Lab box"_s);
    QCOMPARE(labels.labels(u"office"_s).size(), 1);

    // The node restarts: a new random id at the same address keeps its label.
    QVERIFY(model.removePeer(u"office"_s, Test::Sample::nodeId(5), Test::Sample::address(5)));
    QJsonObject restarted = Test::Sample::peer(u"office"_s, 5, 1'700'000'000'000);
    restarted.insert(u"nodeId"_s, Test::Sample::nodeId(77));
    model.upsertPeer(restarted);
    QCOMPARE(
        model.index(model.rowOf(PeerRow::keyFor(u"office"_s, Test::Sample::nodeId(77), QString())), PeerModel::NodeId)
            .data()
            .toString(),
        u"Lab box"_s);
    // ... and so does a restart at a new address, found by its claims (10.0.1.7/32 is node 5's alone).
    QJsonObject moved = restarted;
    moved.insert(u"nodeId"_s, Test::Sample::nodeId(78));
    moved.insert(u"address"_s, u"198.51.100.9:3210"_s);
    model.upsertPeer(moved);
    QCOMPARE(
        model.index(model.rowOf(PeerRow::keyFor(u"office"_s, Test::Sample::nodeId(78), QString())), PeerModel::NodeId)
            .data()
            .toString(),
        u"Lab box"_s);
    // Another profile's node at that address is somebody else.
    QCOMPARE(
        names.text(u"lab"_s, Test::Sample::nodeId(79), Test::Sample::address(5)), Test::Sample::nodeId(79).left(8));
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_PeerModel)
#include "tst_peermodel.moc"
