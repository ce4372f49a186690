#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "ui/profiles/nodelabels.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_NodeLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void byAddressThenIdThenClaims();
    void sharedClaimsAreAmbiguous();
    void keptPerProfileAcrossRestarts();
    void emptyLabelRemoves();
    void renameProfile();

private:
    QTemporaryDir m_dir;
};

void tst_NodeLabels::byAddressThenIdThenClaims()
{
    QSettings settings(m_dir.filePath(u"a.ini"_s), QSettings::IniFormat);
    NodeLabels labels(settings);
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {u"10.0.0.5/32"_s, u"10.1.0.0/16"_s}, u"gateway"_s);
    QCOMPARE(labels.labelFor(u"office"_s, u"zz"_s, u"192.0.2.11:3210"_s, {}), u"gateway"_s);
    QCOMPARE(labels.labelFor(u"office"_s, u"aa"_s, u"203.0.113.1:3210"_s, {}), u"gateway"_s);
    // A restart at a new address with a new id: the claims, in any order, find it.
    QCOMPARE(labels.labelFor(u"office"_s, u"bb"_s, u"203.0.113.1:3210"_s, {u"10.1.0.0/16"_s, u"10.0.0.5/32"_s}),
        u"gateway"_s);
    QCOMPARE(labels.labelFor(u"office"_s, u"bb"_s, u"203.0.113.1:3210"_s, {u"10.1.0.0/16"_s}), QString());
    QCOMPARE(labels.labelFor(u"lab"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}), QString());
}

void tst_NodeLabels::sharedClaimsAreAmbiguous()
{
    QSettings settings(m_dir.filePath(u"b.ini"_s), QSettings::IniFormat);
    NodeLabels labels(settings);
    // Two servers of an HA pair claim the same address: claims alone cannot tell them apart.
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {u"10.0.0.1/32"_s}, u"left"_s);
    labels.setLabel(u"office"_s, u"bb"_s, u"192.0.2.12:3210"_s, {u"10.0.0.1/32"_s}, u"right"_s);
    QCOMPARE(labels.labelFor(u"office"_s, u"cc"_s, u"192.0.2.99:3210"_s, {u"10.0.0.1/32"_s}), QString());
    QCOMPARE(labels.labelFor(u"office"_s, u"cc"_s, u"192.0.2.12:3210"_s, {u"10.0.0.1/32"_s}), u"right"_s);
}

void tst_NodeLabels::keptPerProfileAcrossRestarts()
{
    const QString file = m_dir.filePath(u"c.ini"_s);
    {
        QSettings settings(file, QSettings::IniFormat);
        NodeLabels labels(settings);
        QSignalSpy changed(&labels, &NodeLabels::changed);
        labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {u"10.0.0.1/32"_s}, u"  server   A "_s);
        labels.setLabel(u"lab"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}, u"lab node"_s);
        QCOMPARE(changed.count(), 2);
    }
    QSettings settings(file, QSettings::IniFormat);
    NodeLabels labels(settings);
    QCOMPARE(labels.labels().size(), 2);
    QCOMPARE(labels.labelFor(u"office"_s, QString(), u"192.0.2.11:3210"_s, {}), u"server A"_s);
    QCOMPARE(labels.labelFor(u"lab"_s, QString(), u"192.0.2.11:3210"_s, {}), u"lab node"_s);
}

void tst_NodeLabels::emptyLabelRemoves()
{
    QSettings settings(m_dir.filePath(u"d.ini"_s), QSettings::IniFormat);
    NodeLabels labels(settings);
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}, u"x"_s);
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}, u"y"_s);
    QCOMPARE(labels.labels().size(), 1);
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}, u"  "_s);
    QVERIFY(labels.labels().isEmpty());
}

void tst_NodeLabels::renameProfile()
{
    QSettings settings(m_dir.filePath(u"e.ini"_s), QSettings::IniFormat);
    NodeLabels labels(settings);
    labels.setLabel(u"office"_s, u"aa"_s, u"192.0.2.11:3210"_s, {}, u"x"_s);
    labels.renameProfile(u"office"_s, u"work"_s);
    QCOMPARE(labels.labelFor(u"work"_s, QString(), u"192.0.2.11:3210"_s, {}), u"x"_s);
    labels.renameProfile(u"work"_s, QString());
    QVERIFY(labels.labels().isEmpty());
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_NodeLabels)
#include "tst_nodelabels.moc"
