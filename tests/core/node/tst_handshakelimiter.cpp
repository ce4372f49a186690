#include <QTest>

#include "core/node/handshakelimiter.h"
#include "tests/fakes/node/simnetwork.h"

using namespace Nimbus;
using namespace Nimbus::Test;
using namespace Qt::Literals::StringLiterals;

namespace
{

using Verdict = HandshakeLimiter::Verdict;

HandshakeLimits limits(int sourceBurst, int sourceRate, int maxSources, int workBurst, int workRate)
{
    HandshakeLimits l;
    l.sourceBurst = sourceBurst;
    l.sourceRatePerSec = sourceRate;
    l.maxSources = maxSources;
    l.workBurst = workBurst;
    l.workRatePerSec = workRate;
    return l;
}

/// 10.x.y.z:port for a number, so that tests can make many distinct IPv4 sources.
SocketAddress numbered(int n, quint16 port = 3210)
{
    const quint8 bytes[4] = {10, quint8(n >> 16), quint8(n >> 8), quint8(n)};
    return SocketAddress::fromIpv4Bytes(bytes, port);
}

int admitted(HandshakeLimiter &limiter, const SocketAddress &from, TimeMs now, int tries)
{
    int count = 0;
    for (int i = 0; i < tries; ++i)
        count += limiter.admit(from, now) == Verdict::Admitted ? 1 : 0;
    return count;
}

} // namespace

class tst_HandshakeLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenRate();
    void sourceKey_data();
    void sourceKey();
    void portHoppingDoesNotHelp();
    void sourceTableIsBounded();
    void recentlySeenSourceIsKept();
    void globalBudget();
    void debtIsBounded();
    void returningSourceGoesFirst();
    void clockGoingBackwards();
};

void tst_HandshakeLimiter::burstThenRate()
{
    HandshakeLimiter limiter(limits(16, 2, 100, 1000, 1000));
    const SocketAddress a = endpoint("192.0.2.1:3210");
    TimeMs now = 5000;
    QCOMPARE(admitted(limiter, a, now, 20), 16);
    QCOMPARE(limiter.admit(a, now), Verdict::SourceLimited);
    now += 499;
    QCOMPARE(admitted(limiter, a, now, 5), 0); // 2 per second: the next token after 500 ms
    now += 1;
    QCOMPARE(admitted(limiter, a, now, 5), 1);
    now += 10'000; // the bucket refills to its burst, not beyond
    QCOMPARE(admitted(limiter, a, now, 40), 16);
    // Another source has its own bucket.
    QCOMPARE(admitted(limiter, endpoint("192.0.2.2:3210"), now, 20), 16);
}

void tst_HandshakeLimiter::sourceKey_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::addRow("ipv4 other port") << u"192.0.2.1:3210"_s << u"192.0.2.1:40000"_s << true;
    QTest::addRow("ipv4 other host") << u"192.0.2.1:3210"_s << u"192.0.2.2:3210"_s << false;
    QTest::addRow("ipv4 mapped") << u"192.0.2.1:3210"_s << u"[::ffff:192.0.2.1]:1"_s << true;
    QTest::addRow("ipv6 same /64") << u"[2001:db8:1:2::1]:3210"_s << u"[2001:db8:1:2:ffff:1:2:3]:9"_s << true;
    QTest::addRow("ipv6 other /64") << u"[2001:db8:1:2::1]:3210"_s << u"[2001:db8:1:3::1]:3210"_s << false;
    QTest::addRow("ipv4 vs ipv6") << u"192.0.2.1:3210"_s << u"[2001:db8::c000:201]:3210"_s << false;
}

void tst_HandshakeLimiter::sourceKey()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    const std::optional<SocketAddress> first = SocketAddress::parse(a);
    const std::optional<SocketAddress> second = SocketAddress::parse(b);
    QVERIFY(first && second);
    QCOMPARE(HandshakeLimiter::sourceKey(*first) == HandshakeLimiter::sourceKey(*second), same);
}

void tst_HandshakeLimiter::portHoppingDoesNotHelp()
{
    HandshakeLimiter limiter(limits(8, 1, 100, 1000, 1000));
    int count = 0;
    for (int port = 1000; port < 1100; ++port)
        count += limiter.admit(numbered(7, quint16(port)), 1000) == Verdict::Admitted ? 1 : 0;
    QCOMPARE(count, 8);
    count = 0;
    for (int host = 1; host < 100; ++host) {
        const QString text = u"[2001:db8:0:5::%1]:3210"_s.arg(host, 0, 16);
        count += limiter.admit(*SocketAddress::parse(text), 1000) == Verdict::Admitted ? 1 : 0;
    }
    QCOMPARE(count, 8);
    QCOMPARE(limiter.sourceCount(), 2);
}

void tst_HandshakeLimiter::sourceTableIsBounded()
{
    HandshakeLimiter limiter(limits(4, 1, 100, 1'000'000, 1'000'000));
    for (int n = 0; n < 10'000; ++n) {
        QCOMPARE(limiter.admit(numbered(n), 1000 + n / 100), Verdict::Admitted); // every new source has a burst
        QVERIFY(limiter.sourceCount() <= 100);
    }
    QCOMPARE(limiter.sourceCount(), 100);
}

void tst_HandshakeLimiter::recentlySeenSourceIsKept()
{
    HandshakeLimiter limiter(limits(4, 0, 10, 1'000'000, 1'000'000));
    const SocketAddress busy = endpoint("192.0.2.1:3210");
    const SocketAddress quiet = endpoint("192.0.2.2:3210");
    QCOMPARE(admitted(limiter, quiet, 1000, 10), 4);
    QCOMPARE(admitted(limiter, busy, 1000, 10), 4);
    for (int n = 0; n < 50; ++n) {
        QCOMPARE(limiter.admit(busy, 1000), Verdict::SourceLimited); // seen all the time: never forgotten
        QCOMPARE(limiter.admit(numbered(n), 1000), Verdict::Admitted);
    }
    // The quiet source was the least recently seen and got forgotten: it starts over with a full bucket.
    QCOMPARE(admitted(limiter, quiet, 1000, 10), 4);
}

void tst_HandshakeLimiter::globalBudget()
{
    HandshakeLimiter limiter(limits(16, 2, 1000, 10, 100));
    TimeMs now = 1000;
    int count = 0;
    for (int n = 0; n < 50; ++n) {
        if (limiter.admit(numbered(n), now) == Verdict::Admitted) {
            ++count;
            limiter.charge(1, now);
        }
    }
    QCOMPARE(count, 10);
    QCOMPARE(limiter.admit(numbered(1000), now), Verdict::BudgetExhausted);
    now += 10; // 100 units per second: one more after 10 ms
    QCOMPARE(limiter.admit(numbered(1001), now), Verdict::Admitted);
    limiter.charge(1, now);
    QCOMPARE(limiter.admit(numbered(1002), now), Verdict::BudgetExhausted);
    // Over a longer flood from fresh sources, the admitted work stays at the budget's rate.
    count = 0;
    for (int ms = 0; ms < 2000; ++ms) {
        ++now;
        for (int i = 0; i < 5; ++i) {
            if (limiter.admit(numbered(2000 + ms * 5 + i), now) == Verdict::Admitted) {
                ++count;
                limiter.charge(1, now);
            }
        }
    }
    QVERIFY2(count >= 195 && count <= 215, qPrintable(QString::number(count)));
}

void tst_HandshakeLimiter::debtIsBounded()
{
    HandshakeLimiter limiter(limits(16, 2, 1000, 10, 10));
    limiter.charge(1'000'000, 1000);
    // The debt is at most one burst (10 units): 11 units of refill later there is budget again.
    QCOMPARE(limiter.admit(numbered(1), 1000 + 1099), Verdict::BudgetExhausted);
    QCOMPARE(limiter.admit(numbered(2), 1000 + 1100), Verdict::Admitted);
}

void tst_HandshakeLimiter::returningSourceGoesFirst()
{
    HandshakeLimiter limiter(limits(16, 2, 1000, 10, 10));
    TimeMs now = 1000;
    limiter.charge(10, now); // budget used up
    const SocketAddress peer = endpoint("192.0.2.1:3210");
    QCOMPARE(limiter.admit(peer, now), Verdict::BudgetExhausted);
    QCOMPARE(limiter.admit(numbered(1), now), Verdict::BudgetExhausted);
    now += 1000; // the peer retransmits a second later, while fresh sources still find no budget
    limiter.charge(10, now);
    QCOMPARE(limiter.admit(numbered(2), now), Verdict::BudgetExhausted);
    QCOMPARE(limiter.admit(peer, now), Verdict::Admitted);
    limiter.charge(3, now);
    // Admitted once, it is an ordinary source again.
    QCOMPARE(limiter.admit(peer, now), Verdict::BudgetExhausted);
    // A source that keeps sending does not count as coming back, however often it is turned away.
    const SocketAddress flooder = endpoint("192.0.2.9:3210");
    for (int i = 0; i < 30; ++i) {
        now += 100;
        limiter.charge(10, now);
        QCOMPARE(limiter.admit(flooder, now), Verdict::BudgetExhausted);
    }
    // Coming back long after being turned away does not count.
    now += 10'000;
    limiter.charge(1000, now);
    QCOMPARE(limiter.admit(peer, now), Verdict::BudgetExhausted);
    now += 6000;
    limiter.charge(1000, now);
    QCOMPARE(limiter.admit(peer, now), Verdict::BudgetExhausted);
}

void tst_HandshakeLimiter::clockGoingBackwards()
{
    HandshakeLimiter limiter(limits(2, 1, 10, 10, 10));
    const SocketAddress a = endpoint("192.0.2.1:3210");
    QCOMPARE(admitted(limiter, a, 100'000, 5), 2);
    QCOMPARE(admitted(limiter, a, 50'000, 5), 0); // no refill from a clock that went back
    QCOMPARE(admitted(limiter, a, 51'000, 5), 1);
}

QTEST_APPLESS_MAIN(tst_HandshakeLimiter)
#include "tst_handshakelimiter.moc"
