#include <QAccessible>
#include <QImage>
#include <QLabel>
#include <QScrollBar>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/availabilitymodel.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"
#include "ui/widgets/availabilityview.h"
#include "ui/widgets/outagetimeline.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr qint64 kNow = 1'700'000'000'000;

} // namespace

class tst_AvailabilityView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cardPerAddress();
    void outagesDrawnToScale();
    void accessible();
    void filtered();
    void fiftyClaimantsScrollWithoutOverlap();

private:
    std::unique_ptr<Test::Sample::LiveModels> m_live;
    PeerModel *m_peers = nullptr;
    ClaimModel *m_claims = nullptr;
    AvailabilityModel *m_model = nullptr;
    std::unique_ptr<AvailabilityView> m_view;
};

void tst_AvailabilityView::init()
{
    m_live = std::make_unique<Test::Sample::LiveModels>(5, kNow);
    m_peers = &m_live->peers;
    m_claims = &m_live->claims;
    m_model = &m_live->availability;
    m_view = std::make_unique<AvailabilityView>(*m_model);
    m_view->resize(700, 500);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void tst_AvailabilityView::cleanup()
{
    m_view.reset();
    m_live.reset();
}

void tst_AvailabilityView::cardPerAddress()
{
    QCOMPARE(m_view->shownKeys().size(), m_model->entries().size());
    QVERIFY(m_view->card(u"office"_s, u"10.0.0.1/32"_s));
    const QString nodes = m_view->nodesText(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY2(nodes.startsWith(u"Serving: server-b, /32 claim, announced"_s), qPrintable(nodes));
    QVERIFY(nodes.contains(u"suspect: probing, last heard 1.0 s ago"_s));
    QVERIFY(nodes.contains(u"Standby 1: server-a"_s));
    QVERIFY(nodes.contains(u"Standby 2: server-c, /31 claim"_s));
    QCOMPARE(m_view->nodesText(u"lab"_s, u"10.9.0.0/24"_s), u"No live node claims it: traffic to it is dropped."_s);
    // Live: server-a leaves.
    QVERIFY(m_peers->removePeer(u"office"_s, Test::Sample::nodeId(0), Test::Sample::address(0)));
    QVERIFY(m_view->nodesText(u"office"_s, u"10.0.0.1/32"_s).contains(u"server-a, /32 claim, announced"_s));
    QVERIFY(m_view->nodesText(u"office"_s, u"10.0.0.1/32"_s).contains(u"down: not a peer any more"_s));
}

void tst_AvailabilityView::outagesDrawnToScale()
{
    OutageTimeline *strip = m_view->timeline(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY(strip);
    QCOMPARE(strip->outages().size(), 3);
    const QRectF bar = strip->barRect();
    // The loss lasted 61.5 s of the hour: 1.7 % of the bar's width.
    const AvailabilityOutage lost = strip->outages().at(1);
    QVERIFY(qAbs((strip->xFor(lost.end) - strip->xFor(lost.start)) - bar.width() * 61'500.0 / 3'600'000.0) < 0.5);
    QImage image(strip->size(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    strip->render(&image);
    const int y = static_cast<int>(bar.center().y());
    const QColor inLoss = image.pixelColor(static_cast<int>((strip->xFor(lost.start) + strip->xFor(lost.end)) / 2), y);
    QVERIFY2(inLoss.red() > 150 && inLoss.green() < 80, qPrintable(inLoss.name()));
    const QColor served = image.pixelColor(static_cast<int>(strip->xFor(kNow - 600'000)), y);
    QVERIFY2(served.green() > served.red(), qPrintable(served.name()));
}

void tst_AvailabilityView::accessible()
{
    QAccessibleInterface *view = QAccessible::queryAccessibleInterface(m_view.get());
    QVERIFY(view);
    QCOMPARE(view->text(QAccessible::Name), u"Availability"_s);
    QVERIFY(!view->text(QAccessible::Description).isEmpty());
    OutageTimeline *strip = m_view->timeline(u"office"_s, u"10.0.0.1/32"_s);
    QAccessibleInterface *chart = QAccessible::queryAccessibleInterface(strip);
    QVERIFY(chart);
    QCOMPARE(chart->role(), QAccessible::Chart);
    QCOMPARE(chart->text(QAccessible::Name), u"Outages of 10.0.0.1/32 in the last hour"_s);
    const QString description = chart->text(QAccessible::Description);
    QVERIFY2(description.startsWith(u"Outages in the last hour: 3; at "_s), qPrintable(description));
    QVERIFY(description.contains(u"for 2.3 s: failover from server-a to server-b"_s));
    QVERIFY(description.contains(u"for 1 min 1 s: nobody served it after server-b failed, until server-a took over"_s));
    QAccessibleInterface *card = QAccessible::queryAccessibleInterface(m_view->card(u"office"_s, u"10.0.0.1/32"_s));
    QCOMPARE(card->text(QAccessible::Name), u"10.0.0.1/32 on office, served by server-b"_s);
    QVERIFY(strip->focusPolicy() & Qt::TabFocus);
    QCOMPARE(QAccessible::queryAccessibleInterface(m_view->timeline(u"lab"_s, u"10.9.0.0/24"_s))
                 ->text(QAccessible::Description),
        u"Nobody serves it now; no outage of the last hour is known."_s);
}

void tst_AvailabilityView::filtered()
{
    const int all = static_cast<int>(m_view->shownKeys().size());
    m_view->setFilterText(u"server-c"_s);
    QCOMPARE(m_view->shownKeys(), QStringList {u"office\x1f"_s + u"10.0.0.1/32"_s});
    m_view->setFilterText(u"no such node"_s);
    QVERIFY(m_view->shownKeys().isEmpty());
    bool explained = false;
    for (QLabel *label : m_view->findChildren<QLabel *>())
        explained = explained || (label->isVisible() && label->text().contains(u"matches the filter"_s));
    QVERIFY(explained);
    m_view->setFilterText(QString());
    QCOMPARE(m_view->shownKeys().size(), all);
}

void tst_AvailabilityView::fiftyClaimantsScrollWithoutOverlap()
{
    QList<int> claimants;
    for (int i = 0; i < 50; ++i)
        claimants.append(i);
    m_peers->setPeers(Test::Sample::peers(u"office"_s, 50, kNow), u"office"_s);
    m_claims->setNetworkClaims(u"office"_s,
        QJsonArray {Test::Sample::claim(u"office"_s, u"10.0.0.1/32"_s, 7, claimants, true),
            Test::Sample::claim(u"office"_s, u"10.0.0.2/32"_s, 3, {3, 4}, true)});
    QTRY_VERIFY(m_view->verticalScrollBar()->maximum() > 0);
    QWidget *first = m_view->card(u"office"_s, u"10.0.0.1/32"_s);
    QWidget *second = m_view->card(u"office"_s, u"10.0.0.2/32"_s);
    QVERIFY(first && second);
    QTRY_VERIFY(first->height() > 50 * first->fontMetrics().height());
    QVERIFY(!first->geometry().intersects(second->geometry()));
    QVERIFY(m_view->nodesText(u"office"_s, u"10.0.0.1/32"_s).contains(u"Standby 49"_s));
    // Every card fits the width: no horizontal scrolling.
    QCOMPARE(m_view->horizontalScrollBar()->maximum(), 0);
}

} // namespace Nimbus

QTEST_MAIN(Nimbus::tst_AvailabilityView)
#include "tst_availabilityview.moc"
