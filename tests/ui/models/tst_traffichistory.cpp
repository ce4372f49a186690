#include <QSignalSpy>
#include <QTest>

#include "ui/models/traffichistory.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_TrafficHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ratesFromCumulativeCounters();
    void sumsNetworks();
    void counterResetIsIgnored();
    void keepsSixtySeconds();
};

void tst_TrafficHistory::ratesFromCumulativeCounters()
{
    TrafficHistory h;
    QSignalSpy changed(&h, &TrafficHistory::changed);
    h.addSample(u"office"_s, 100'000, 1000, 500);
    QCOMPARE(changed.count(), 0);
    h.addSample(u"office"_s, 101'000, 3000, 1500);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(h.latest().rxRate, 2000.0);
    QCOMPARE(h.latest().txRate, 1000.0);
    const QList<TrafficPoint> points = h.points();
    QCOMPARE(points.size(), TrafficHistory::kSeconds);
    QCOMPARE(points.last().second, 101);
    QCOMPARE(points.last().rxRate, 2000.0);
    QCOMPARE(points.first().rxRate, 0.0);
}

void tst_TrafficHistory::sumsNetworks()
{
    TrafficHistory h;
    h.addSample(u"a"_s, 10'000, 0, 0);
    h.addSample(u"b"_s, 10'000, 0, 0);
    h.addSample(u"a"_s, 11'000, 100, 0);
    h.addSample(u"b"_s, 11'000, 300, 0);
    QCOMPARE(h.latest().rxRate, 400.0);
}

void tst_TrafficHistory::counterResetIsIgnored()
{
    TrafficHistory h;
    h.addSample(u"a"_s, 10'000, 5000, 5000);
    h.addSample(u"a"_s, 11'000, 10, 10);
    QCOMPARE(h.latest().rxRate, 0.0);
    h.addSample(u"a"_s, 12'000, 1010, 10);
    QCOMPARE(h.latest().rxRate, 1000.0);
    h.addSample(u"a"_s, 12'000, 5000, 10);
    QCOMPARE(h.latest().rxRate, 1000.0);
}

void tst_TrafficHistory::keepsSixtySeconds()
{
    TrafficHistory h;
    for (int s = 0; s <= 200; ++s)
        h.addSample(u"a"_s, s * 1000LL, s * 100LL, 0);
    const QList<TrafficPoint> points = h.points();
    QCOMPARE(points.size(), 60);
    QCOMPARE(points.first().second, 141);
    for (const TrafficPoint &p : points)
        QCOMPARE(p.rxRate, 100.0);
    h.clear();
    QCOMPARE(h.latest().rxRate, 0.0);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_TrafficHistory)
#include "tst_traffichistory.moc"
