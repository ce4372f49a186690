#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/claimmodel.h"
#include "ui/models/nodenames.h"
#include "ui/profiles/nodelabels.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_ClaimModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshot();
    void servedByAndOthers();
    void unreachableRange();
    void networkReplaceKeepsOtherNetworks();
    void failoverChangesOneRow();
    void sortsRangesNumerically();
    void manyClaims();
    void namesFromHelperAndLabels();
};

void tst_ClaimModel::snapshot()
{
    ClaimModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QJsonObject snap = Test::Sample::snapshot(10, 0);
    model.setClaims(snap.value(u"claims"_s).toArray());
    QCOMPARE(model.rowCount(), snap.value(u"claims"_s).toArray().size());
    for (int c = 0; c < ClaimModel::ColumnCount; ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
}

void tst_ClaimModel::servedByAndOthers()
{
    ClaimModel model;
    model.setClaims({Test::Sample::claim(u"office"_s, u"10.0.0.1/32"_s, 1, {1, 0}, true)});
    QCOMPARE(model.index(0, ClaimModel::Range).data().toString(), u"10.0.0.1/32"_s);
    // Without a name the short node id; the tooltip has the full id and the address.
    QCOMPARE(model.index(0, ClaimModel::ServedBy).data().toString(), Test::Sample::nodeId(1).left(8));
    QVERIFY(model.index(0, ClaimModel::ServedBy).data(Qt::ToolTipRole).toString().contains(Test::Sample::address(1)));
    QVERIFY(model.index(0, ClaimModel::ServedBy).data(Qt::ToolTipRole).toString().contains(Test::Sample::nodeId(1)));
    const QString others = model.index(0, ClaimModel::OtherClaimants).data().toString();
    QVERIFY(others.contains(Test::Sample::nodeId(0).left(8)));
    QVERIFY(!others.contains(Test::Sample::nodeId(1).left(8)));
    QVERIFY(
        model.index(0, ClaimModel::OtherClaimants).data(Qt::ToolTipRole).toString().contains(Test::Sample::address(0)));
    QCOMPARE(model.index(0, ClaimModel::Used).data().toString(), u"Yes"_s);
    QCOMPARE(model.index(0, ClaimModel::Network).data().toString(), u"office"_s);
}

void tst_ClaimModel::unreachableRange()
{
    ClaimModel model;
    model.setClaims({Test::Sample::claim(u"lab"_s, u"10.9.0.0/24"_s, -1, {}, true)});
    QVERIFY(model.index(0, ClaimModel::ServedBy).data(ClaimModel::UnreachableRole).toBool());
    QVERIFY(model.index(0, ClaimModel::ServedBy).data(Qt::ForegroundRole).isValid());
    QVERIFY(model.index(0, ClaimModel::ServedBy).data().toString().contains(u"unreachable"_s));
}

void tst_ClaimModel::networkReplaceKeepsOtherNetworks()
{
    ClaimModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClaims({Test::Sample::claim(u"office"_s, u"10.0.0.1/32"_s, 1, {1, 0}, true),
        Test::Sample::claim(u"lab"_s, u"10.9.0.0/24"_s, 3, {3}, false)});
    // claims.changed for "office" carries claims without their network key.
    QJsonObject c = Test::Sample::claim(QString(), u"10.0.0.2/32"_s, 2, {2}, false);
    c.remove(u"network"_s);
    model.setNetworkClaims(u"office"_s, {c});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(u"lab\x1f"_s + u"10.9.0.0/24"_s), 0);
    QCOMPARE(model.index(1, ClaimModel::Network).data().toString(), u"office"_s);
    model.removeNetwork(u"lab"_s);
    QCOMPARE(model.rowCount(), 1);
}

void tst_ClaimModel::failoverChangesOneRow()
{
    ClaimModel model;
    QJsonArray claims;
    for (int i = 0; i < 50; ++i)
        claims.append(Test::Sample::claim(u"office"_s, u"10.0.1."_s + QString::number(i) + u"/32"_s, i, {i}, false));
    model.setNetworkClaims(u"office"_s, claims);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    claims[10] = Test::Sample::claim(u"office"_s, u"10.0.1.10/32"_s, 11, {11}, false);
    model.setNetworkClaims(u"office"_s, claims);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 10);
    QCOMPARE(inserted.count(), 0);
}

void tst_ClaimModel::sortsRangesNumerically()
{
    ClaimModel model;
    model.setClaims({Test::Sample::claim(u"o"_s, u"10.0.0.10/32"_s, 0, {0}, false),
        Test::Sample::claim(u"o"_s, u"10.0.0.9/32"_s, 0, {0}, false),
        Test::Sample::claim(u"o"_s, u"fd00::1/128"_s, 0, {0}, false),
        Test::Sample::claim(u"o"_s, u"9.0.0.0/8"_s, 0, {0}, false)});
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ClaimModel::SortRole);
    proxy.sort(ClaimModel::Range);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"9.0.0.0/8"_s);
    QCOMPARE(proxy.index(1, 0).data().toString(), u"10.0.0.9/32"_s);
    QCOMPARE(proxy.index(2, 0).data().toString(), u"10.0.0.10/32"_s);
    QCOMPARE(proxy.index(3, 0).data().toString(), u"fd00::1/128"_s);
}

void tst_ClaimModel::manyClaims()
{
    ClaimModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QJsonArray claims;
    for (int i = 0; i < 600; ++i)
        claims.append(Test::Sample::claim(u"office"_s,
            u"10.2."_s + QString::number(i / 250) + u'.' + QString::number(i % 250) + u"/32"_s,
            i,
            {i, i + 1},
            i % 2 == 0));
    model.setClaims(claims);
    QCOMPARE(model.rowCount(), 600);
    claims.removeAt(0);
    model.setClaims(claims);
    QCOMPARE(model.rowCount(), 599);
}

void tst_ClaimModel::namesFromHelperAndLabels()
{
    Test::Sample::LabelledNames labelled;
    NodeNames &names = labelled.names;
    ClaimModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setNodeNames(&names);
    // The helper names the serving node; the standby has no name yet.
    QJsonObject claim = Test::Sample::claim(u"office"_s, u"10.0.0.1/32"_s, 1, {1, 0}, true);
    claim.insert(u"servedBy"_s, Test::Sample::namedNode(1));
    model.setClaims({claim});
    QCOMPARE(model.index(0, ClaimModel::ServedBy).data().toString(), u"server-b"_s);
    QVERIFY(model.index(0, ClaimModel::OtherClaimants).data().toString().contains(Test::Sample::nodeId(0).left(8)));

    // The user names the standby: every row shows it at once.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    names.setLabel(u"office"_s, Test::Sample::nodeId(0), Test::Sample::address(0), u"Backup"_s);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(model.index(0, ClaimModel::OtherClaimants).data().toString(), u"Backup"_s);
    QVERIFY(model.index(0, ClaimModel::OtherClaimants).data(Qt::ToolTipRole).toString().contains(u"Named by you"_s));
    // A label never hides the helper's name.
    names.setLabel(u"office"_s, Test::Sample::nodeId(1), Test::Sample::address(1), u"Mine"_s);
    QCOMPARE(model.index(0, ClaimModel::ServedBy).data().toString(), u"server-b"_s);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_ClaimModel)
#include "tst_claimmodel.moc"
