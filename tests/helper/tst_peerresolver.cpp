// PeerResolver: syntax checks, literal addresses, real lookups through the system resolver (localhost from
// /etc/hosts; the reserved .invalid domain never resolves), back-off and refresh timing.
#include <QSignalSpy>
#include <QTest>

#include "helper/peerresolver.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

class tst_PeerResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void literalResolvesAtOnce();
    void localhostResolves();
    void unresolvableNameRetriesWithBackOff();
    void refreshReportsOnlyChanges();
    void destroyedWhileLookingUp();
};

void tst_PeerResolver::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("literal");

    QTest::newRow("v4 with port") << u"192.0.2.1:4000"_s << true << u"192.0.2.1:4000"_s << 4000 << true;
    QTest::newRow("v4 bare") << u"192.0.2.1"_s << true << u"192.0.2.1"_s << 3210 << true;
    QTest::newRow("v6 bracketed") << u"[2001:db8::1]:5000"_s << true << u"[2001:db8::1]:5000"_s << 5000 << true;
    QTest::newRow("name with port") << u"server-a:3211"_s << true << u"server-a"_s << 3211 << false;
    QTest::newRow("bare name") << u"vpn.example.org"_s << true << u"vpn.example.org"_s << 3210 << false;
    QTest::newRow("bad port") << u"server-a:http"_s << false << QString() << 0 << false;
    QTest::newRow("port 0") << u"server-a:0"_s << false << QString() << 0 << false;
    QTest::newRow("port too large") << u"server-a:70000"_s << false << QString() << 0 << false;
    QTest::newRow("no host") << u":3210"_s << false << QString() << 0 << false;
    QTest::newRow("empty") << QString() << false << QString() << 0 << false;
}

void tst_PeerResolver::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const Result<PeerName> name = PeerName::parse(text);
    QCOMPARE(bool(name), valid);
    if (!valid) {
        QCOMPARE(name.error().code, u"bad-peer"_s);
        QVERIFY2(name.error().message.contains(text), qPrintable(name.error().message));
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, literal);
    QCOMPARE(name->text, text);
    QCOMPARE(name->port, quint16(port));
    QCOMPARE(name->literal.has_value(), literal);
    if (!literal)
        QCOMPARE(name->host, host);
}

void tst_PeerResolver::literalResolvesAtOnce()
{
    PeerResolver resolver;
    QSignalSpy resolved(&resolver, &PeerResolver::resolved);
    resolver.add(*PeerName::parse(u"192.0.2.7:4001"_s));
    QCOMPARE(resolved.size(), 1);
    QCOMPARE(resolved.at(0).at(0).toString(), u"192.0.2.7:4001"_s);
    const auto addresses = resolved.at(0).at(1).value<QList<SocketAddress>>();
    QCOMPARE(addresses.size(), 1);
    QCOMPARE(addresses.first().toString(), u"192.0.2.7:4001"_s);
    QCOMPARE(resolver.unresolvedCount(), 0);
    // Adding it again changes nothing and reports nothing.
    resolver.add(*PeerName::parse(u"192.0.2.7:4001"_s));
    QCOMPARE(resolved.size(), 1);
}

void tst_PeerResolver::localhostResolves()
{
    PeerResolver resolver;
    QSignalSpy resolved(&resolver, &PeerResolver::resolved);
    QSignalSpy failed(&resolver, &PeerResolver::failed);
    resolver.add(*PeerName::parse(u"localhost:4002"_s));
    QCOMPARE(resolver.unresolvedCount(), 1);
    QVERIFY(resolved.isEmpty()); // never synchronously: the lookup runs in another thread
    QVERIFY(resolved.wait(10'000));
    QVERIFY(failed.isEmpty());
    const auto addresses = resolver.addresses(u"localhost:4002"_s);
    QVERIFY(!addresses.isEmpty());
    for (const SocketAddress &address : addresses) {
        QCOMPARE(address.port(), quint16(4002));
        QVERIFY2(address.toString().startsWith(u"127."_s) || address.toString() == u"[::1]:4002"_s,
            qPrintable(address.toString()));
    }
    // IPv4 first (VpnCloud connects to the first address that answers).
    if (addresses.size() > 1)
        QVERIFY(addresses.first().isIpv4Mapped());
    QCOMPARE(resolver.unresolvedCount(), 0);
}

void tst_PeerResolver::unresolvableNameRetriesWithBackOff()
{
    // RFC 6761: names under .invalid never resolve.
    PeerResolver resolver(PeerResolver::Timing {50, 150, 60'000});
    QSignalSpy failed(&resolver, &PeerResolver::failed);
    QSignalSpy resolved(&resolver, &PeerResolver::resolved);
    resolver.add(*PeerName::parse(u"nimbus-test.invalid:3210"_s));
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 4, 30'000);
    QVERIFY(resolved.isEmpty());
    QCOMPARE(failed.at(0).at(0).toString(), u"nimbus-test.invalid:3210"_s);
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    // 50, 100, 150 (the cap), 150.
    QCOMPARE(failed.at(0).at(2).toInt(), 50);
    QCOMPARE(failed.at(1).at(2).toInt(), 100);
    QCOMPARE(failed.at(2).at(2).toInt(), 150);
    QCOMPARE(failed.at(3).at(2).toInt(), 150);
    QCOMPARE(resolver.unresolvedCount(), 1);
    QVERIFY(resolver.addresses(u"nimbus-test.invalid:3210"_s).isEmpty());
}

void tst_PeerResolver::refreshReportsOnlyChanges()
{
    PeerResolver resolver(PeerResolver::Timing {50, 150, 100});
    QSignalSpy resolved(&resolver, &PeerResolver::resolved);
    resolver.add(*PeerName::parse(u"localhost:4003"_s));
    QVERIFY(resolved.wait(10'000));
    // Several refreshes (every 100 ms) later, the unchanged answer has not been reported again.
    QTest::qWait(600);
    QCOMPARE(resolved.size(), 1);
}

void tst_PeerResolver::destroyedWhileLookingUp()
{
    auto *resolver = new PeerResolver;
    bool called = false;
    connect(resolver, &PeerResolver::resolved, this, [&called] { called = true; });
    resolver->add(*PeerName::parse(u"localhost:4004"_s));
    delete resolver; // the pending lookup must not reach the deleted object
    QTest::qWait(300);
    QVERIFY(!called);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_PeerResolver)
#include "tst_peerresolver.moc"
