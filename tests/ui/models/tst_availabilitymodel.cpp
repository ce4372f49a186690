#include <QSignalSpy>
#include <QTest>

#include "tests/support/sampledata.h"
#include "ui/models/availabilitymodel.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

constexpr qint64 kNow = 1'700'000'000'000;

} // namespace

class tst_AvailabilityModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void sharedAndUsedAddresses();
    void servingThenStandbysInOrder();
    void outagesOfTheLastHour();
    void liveHealth();
    void failedNodeStaysDownWhileItsOutageShows();
    void fiftyClaimants();
    void filterMatchesNamesAndAddresses();

private:
    std::unique_ptr<Test::Sample::LiveModels> m_live;
    PeerModel *m_peers = nullptr;
    ClaimModel *m_claims = nullptr;
    EventModel *m_events = nullptr;
    AvailabilityModel *m_model = nullptr;
};

void tst_AvailabilityModel::init()
{
    m_live = std::make_unique<Test::Sample::LiveModels>(5, kNow);
    m_peers = &m_live->peers;
    m_claims = &m_live->claims;
    m_events = &m_live->events;
    m_model = &m_live->availability;
}

void tst_AvailabilityModel::sharedAndUsedAddresses()
{
    QStringList ranges;
    for (const AvailabilityEntry &e : m_model->entries())
        ranges.append(e.network + u' ' + e.range);
    // Shared (10.0.0.1/32 by three nodes) and used ones (10.9.0.0/24 with nobody serving it, 10.0.1.2/32, 10.0.1.6/32);
    // not 10.1.0.0/16 or the /31, each claimed by one node and unused.
    QVERIFY2(ranges.contains(u"office 10.0.0.1/32"_s), qPrintable(ranges.join(u", "_s)));
    QVERIFY(ranges.contains(u"lab 10.9.0.0/24"_s));
    QVERIFY(ranges.contains(u"office 10.0.1.2/32"_s));
    QVERIFY(ranges.contains(u"office 10.0.1.6/32"_s));
    QVERIFY(!ranges.contains(u"office 10.1.0.0/16"_s));
    QVERIFY(!ranges.contains(u"office 10.0.0.0/31"_s));
    QVERIFY(!ranges.contains(u"office 10.0.1.3/32"_s));
}

void tst_AvailabilityModel::servingThenStandbysInOrder()
{
    const std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY(e);
    QCOMPARE(e->nodes.size(), 3);
    QCOMPARE(e->nodes.at(0).name, u"server-b"_s);
    QVERIFY(e->nodes.at(0).serving);
    // server-b is the peer being probed.
    QCOMPARE(e->nodes.at(0).health, AvailabilityNode::Health::Suspect);
    QCOMPARE(e->nodes.at(1).name, u"server-a"_s);
    QCOMPARE(e->nodes.at(1).prefixLength, 32);
    QCOMPARE(e->nodes.at(1).health, AvailabilityNode::Health::Up);
    QCOMPARE(e->nodes.at(1).lastHeard, kNow - 1000);
    QVERIFY(e->nodes.at(1).since > 0);
    // The /31 stands behind both /32 claimants.
    QCOMPARE(e->nodes.at(2).name, u"server-c"_s);
    QCOMPARE(e->nodes.at(2).range, u"10.0.0.0/31"_s);
    QCOMPARE(e->nodes.at(2).prefixLength, 31);
    QVERIFY(e->nodes.at(1).toolTip.contains(Test::Sample::address(0)));
}

void tst_AvailabilityModel::outagesOfTheLastHour()
{
    const std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY(e);
    QCOMPARE(e->outages.size(), 3);
    // A failover: from server-a's last sign of life to the switch.
    QCOMPARE(e->outages.at(0).kind, u"failover"_s);
    QCOMPARE(e->outages.at(0).start, kNow - 1'802'300);
    QCOMPARE(e->outages.at(0).end, kNow - 1'800'000);
    QCOMPARE(e->outages.at(0).from, u"server-a"_s);
    QCOMPARE(e->outages.at(0).to, u"server-b"_s);
    // A loss: until the next route.
    QCOMPARE(e->outages.at(1).kind, u"lost"_s);
    QCOMPARE(e->outages.at(1).start, kNow - 1'201'500);
    QCOMPARE(e->outages.at(1).end, kNow - 1'140'000);
    QCOMPARE(e->outages.at(1).to, u"server-a"_s);
    QCOMPARE(e->outages.at(2).start, kNow - 121'300);

    // Two hours later they are out of the window.
    m_model->setClock([] { return kNow + 2 * AvailabilityModel::kWindowMs; });
    QVERIFY(m_model->entry(u"office"_s, u"10.0.0.1/32"_s)->outages.isEmpty());
}

void tst_AvailabilityModel::liveHealth()
{
    QSignalSpy changed(m_model, &AvailabilityModel::changed);
    // server-a leaves: it still claims the address (the claims are not updated yet) but is down.
    QVERIFY(m_peers->removePeer(u"office"_s, Test::Sample::nodeId(0), Test::Sample::address(0)));
    QVERIFY(changed.count() >= 1);
    std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QCOMPARE(e->nodes.at(1).health, AvailabilityNode::Health::Down);
    // A loss now: an outage that is still going on.
    m_events->addHelperEvent(u"route.failover"_s,
        kNow,
        Test::Sample::routeChange(u"office"_s, u"10.0.0.1/32"_s, 1, -1, u"lost"_s, kNow - 100, kNow - 2000, -1));
    e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QCOMPARE(e->outages.constLast().kind, u"lost"_s);
    QCOMPARE(e->outages.constLast().end, 0);
    // The claims change: the address is gone from view once nobody shares or uses it.
    m_claims->setNetworkClaims(u"office"_s, QJsonArray {});
    QVERIFY(!m_model->entry(u"office"_s, u"10.0.0.1/32"_s));
}

void tst_AvailabilityModel::failedNodeStaysDownWhileItsOutageShows()
{
    // 10.1.0.0/16 has one claimant and no traffic: not shown. A failover to it from a node that is gone (its claims
    // went with it) makes it an address with an outage in the last hour: shown, with the failed node down.
    QVERIFY(!m_model->entry(u"office"_s, u"10.1.0.0/16"_s));
    m_events->addHelperEvent(u"route.failover"_s,
        kNow - 60'000,
        Test::Sample::routeChange(
            u"office"_s, u"10.1.0.0/16"_s, 7, 2, u"failover"_s, kNow - 60'000, kNow - 61'200, 800));
    const std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.1.0.0/16"_s);
    QVERIFY(e);
    QCOMPARE(e->nodes.size(), 2);
    QVERIFY(e->nodes.at(0).serving);
    QCOMPARE(e->nodes.at(0).nodeId, Test::Sample::nodeId(2));
    QCOMPARE(e->nodes.at(1).nodeId, Test::Sample::nodeId(7));
    QCOMPARE(e->nodes.at(1).health, AvailabilityNode::Health::Down);
    QCOMPARE(e->nodes.at(1).lastHeard, kNow - 61'200);
    QCOMPARE(e->outages.size(), 1);
    // Once the outage is out of the window, so is the address.
    m_model->setClock([] { return kNow + 2 * AvailabilityModel::kWindowMs; });
    QVERIFY(!m_model->entry(u"office"_s, u"10.1.0.0/16"_s));
}

void tst_AvailabilityModel::fiftyClaimants()
{
    QList<int> claimants;
    for (int i = 0; i < 50; ++i)
        claimants.append(i);
    m_peers->setPeers(Test::Sample::peers(u"office"_s, 50, kNow), u"office"_s);
    m_claims->setNetworkClaims(
        u"office"_s, QJsonArray {Test::Sample::claim(u"office"_s, u"10.0.0.1/32"_s, 7, claimants, true)});
    const std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY(e);
    QCOMPARE(e->nodes.size(), 50);
    QCOMPARE(e->nodes.at(0).nodeId, Test::Sample::nodeId(7));
    QCOMPARE(e->nodes.at(1).nodeId, Test::Sample::nodeId(0));
    QCOMPARE(e->nodes.at(8).nodeId, Test::Sample::nodeId(8));
    QCOMPARE(e->nodes.at(49).nodeId, Test::Sample::nodeId(49));
}

void tst_AvailabilityModel::filterMatchesNamesAndAddresses()
{
    const std::optional<AvailabilityEntry> e = m_model->entry(u"office"_s, u"10.0.0.1/32"_s);
    QVERIFY(e->matches(QString()));
    QVERIFY(e->matches(u"SERVER-C"_s));
    QVERIFY(e->matches(Test::Sample::address(0)));
    QVERIFY(e->matches(u"10.0.0.1"_s));
    QVERIFY(!e->matches(u"nothing-like-it"_s));
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_AvailabilityModel)
#include "tst_availabilitymodel.moc"
