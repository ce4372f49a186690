// PeerLiveness on fake time: when a silent path is probed, when it is given up, and how the learned round trip
// and the hold-off after answered episodes shape that (docs/failover.md, "Silent paths").
#include <algorithm>
#include <limits>
#include <vector>

#include <QTest>

#include "core/node/liveness.h"

using namespace Nimbus;

using Action = PeerLiveness::Action;

namespace Nimbus
{

// Readable QCOMPARE failures (found by argument-dependent lookup).
char *toString(PeerLiveness::Action action)
{
    switch (action) {
    case PeerLiveness::Action::None:
        return qstrdup("None");
    case PeerLiveness::Action::Probe:
        return qstrdup("Probe");
    case PeerLiveness::Action::Dead:
        return qstrdup("Dead");
    }
    return qstrdup("?");
}

char *toString(ProbeCause cause)
{
    switch (cause) {
    case ProbeCause::Silent:
        return qstrdup("Silent");
    case ProbeCause::Roamed:
        return qstrdup("Roamed");
    case ProbeCause::Resumed:
        return qstrdup("Resumed");
    }
    return qstrdup("?");
}

} // namespace Nimbus

class tst_Liveness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idle();
    void answeredSendDoesNotProbe();
    void silentPathProbesThenDead_data();
    void silentPathProbesThenDead();
    void answerEndsEpisodeKarn();
    void holdoffAfterAnsweredEpisodes();
    void forcedEpisodes_data();
    void forcedEpisodes();
    void rttScalesTimers();
    void inheritCarriesRttAndHoldoff();
};

namespace
{

/// Fake clock origin: far from 0, which the implementation uses as "unset".
constexpr TimeMs kStart = 1'000'000;
constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

/// The random values the jitter is checked with (0xffffffff % 51 == 0: it gives the shortest interval).
const quint32 kRandoms[] = {0u, 1u, 25u, 50u, 12345678u, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};

/// What happened in one episode driven to its verdict.
struct Episode {
    std::vector<TimeMs> probes;
    TimeMs deadAt = 0;
};

/// Drives \a liveness by polling at each deadline() (and checking that one millisecond earlier there is nothing to
/// do) until it gives a Dead verdict. Fails the calling test on anything unexpected.
void runToVerdict(PeerLiveness &liveness, const LivenessConfig &config, quint32 random, Episode &episode)
{
    const int sentBefore = liveness.probesSent();
    for (int step = 0; step < 100; ++step) {
        const TimeMs at = liveness.deadline(config);
        QVERIFY(at != kNever);
        QCOMPARE(liveness.poll(config, at - 1, random), Action::None);
        QCOMPARE(liveness.deadline(config), at);
        const Action action = liveness.poll(config, at, random);
        if (action == Action::Dead) {
            episode.deadAt = at;
            return;
        }
        QCOMPARE(action, Action::Probe);
        episode.probes.push_back(at);
        QVERIFY(liveness.probing());
        QCOMPARE(liveness.probesSent(), sentBefore + int(episode.probes.size()));
    }
    QFAIL("no verdict after 100 polls");
}

/// Starts a Silent episode (onSent at \a sentAt, polls at its deadline) and answers its first probe after \a rttMs.
/// Returns the time of the answer (the episode's end).
TimeMs answeredSilentEpisode(PeerLiveness &liveness, const LivenessConfig &config, TimeMs sentAt, TimeMs rttMs)
{
    liveness.onSent(sentAt);
    const TimeMs probeAt = liveness.deadline(config);
    if (liveness.poll(config, probeAt - 1, 0) != Action::None || liveness.poll(config, probeAt, 0) != Action::Probe)
        return -1;
    if (!liveness.onReceived(config, probeAt + rttMs))
        return -1;
    return probeAt + rttMs;
}

} // namespace

void tst_Liveness::idle()
{
    const LivenessConfig config;
    PeerLiveness liveness;
    QCOMPARE(liveness.deadline(config), kNever);
    for (const quint32 random : kRandoms) {
        for (const TimeMs now : {TimeMs(1), kStart, kStart + 200, kStart + 10'000, kStart + 3'600'000}) {
            QCOMPARE(liveness.poll(config, now, random), Action::None);
            QCOMPARE(liveness.deadline(config), kNever);
        }
    }
    QVERIFY(!liveness.probing());
    QCOMPARE(liveness.probesSent(), 0);
    QCOMPARE(liveness.silentSince(), TimeMs(0));
    QCOMPARE(liveness.rttMs(), TimeMs(0));
    QCOMPARE(liveness.cause(), ProbeCause::Silent);
    // Receiving alone (the peer talks, we do not) arms nothing either.
    QVERIFY(!liveness.onReceived(config, kStart + 5));
    QCOMPARE(liveness.deadline(config), kNever);
    QCOMPARE(liveness.poll(config, kStart + 100'000, 0), Action::None);
}

void tst_Liveness::answeredSendDoesNotProbe()
{
    const LivenessConfig config;
    PeerLiveness liveness;
    QVERIFY(liveness.onSent(kStart));
    QCOMPARE(liveness.silentSince(), kStart);
    QCOMPARE(liveness.deadline(config), kStart + config.silenceMs);
    // Only the first unanswered send arms the timer; later ones do not push it back.
    QVERIFY(!liveness.onSent(kStart + 50));
    QCOMPARE(liveness.silentSince(), kStart);
    QCOMPARE(liveness.deadline(config), kStart + config.silenceMs);
    QCOMPARE(liveness.poll(config, kStart + 100, 0), Action::None);

    QVERIFY(!liveness.onReceived(config, kStart + config.silenceMs - 1)); // no episode was running
    QCOMPARE(liveness.silentSince(), TimeMs(0));
    QCOMPARE(liveness.deadline(config), kNever);
    for (const TimeMs now : {kStart + config.silenceMs, kStart + 1000, kStart + 60'000})
        QCOMPARE(liveness.poll(config, now, 0), Action::None);
    QVERIFY(!liveness.probing());
    QCOMPARE(liveness.probesSent(), 0);
    QCOMPARE(liveness.rttMs(), TimeMs(0));

    // The next send arms it again, from that send.
    QVERIFY(liveness.onSent(kStart + 70'000));
    QCOMPARE(liveness.deadline(config), kStart + 70'000 + config.silenceMs);
}

void tst_Liveness::silentPathProbesThenDead_data()
{
    QTest::addColumn<quint32>("random");
    for (const quint32 random : kRandoms)
        QTest::addRow("random=0x%x", random) << random;
}

void tst_Liveness::silentPathProbesThenDead()
{
    QFETCH(quint32, random);
    const LivenessConfig config;
    PeerLiveness liveness;
    QVERIFY(liveness.onSent(kStart));

    // Silent but not for long enough yet.
    for (const TimeMs now : {kStart, kStart + 1, kStart + config.silenceMs - 1})
        QCOMPARE(liveness.poll(config, now, random), Action::None);
    QVERIFY(!liveness.probing());
    QCOMPARE(liveness.probesSent(), 0);

    Episode episode;
    runToVerdict(liveness, config, random, episode);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(int(episode.probes.size()), config.probes);
    QCOMPARE(episode.probes.front(), kStart + config.silenceMs);
    // ±25 % jitter around the interval; this implementation gives base - 25 + random % 51 for a base of 100.
    const TimeMs expectedInterval = config.probeIntervalMs - 25 + TimeMs(random % 51);
    for (size_t i = 1; i < episode.probes.size(); ++i) {
        const TimeMs gap = episode.probes[i] - episode.probes[i - 1];
        QVERIFY2(gap >= config.probeIntervalMs * 3 / 4 && gap <= config.probeIntervalMs * 5 / 4,
            qPrintable(QStringLiteral("probe interval %1 ms").arg(gap)));
        QCOMPARE(gap, expectedInterval);
    }
    QCOMPARE(episode.deadAt, episode.probes.back() + config.verdictWaitMs);
    QVERIFY(liveness.probing());
    QCOMPARE(liveness.probesSent(), config.probes);
    QCOMPARE(liveness.cause(), ProbeCause::Silent);
    QCOMPARE(liveness.silentSince(), kStart);
    QCOMPARE(liveness.rttMs(), TimeMs(0));

    // The documented "about 0.65 s": 200 + 3 x 75..125 + 150 = 575..725 ms.
    const TimeMs total = episode.deadAt - kStart;
    QVERIFY2(total >= 575 && total <= 725, qPrintable(QStringLiteral("dead after %1 ms").arg(total)));
    QVERIFY(total < 1000);
    if (random == 0)
        QCOMPARE(total, TimeMs(575));
}

void tst_Liveness::answerEndsEpisodeKarn()
{
    const LivenessConfig config;
    PeerLiveness liveness;

    // Two probes, then the answer: the episode ends, but which probe was answered is ambiguous: no RTT sample.
    liveness.onSent(kStart);
    QCOMPARE(liveness.poll(config, kStart + 200, 0), Action::Probe);
    QCOMPARE(liveness.deadline(config), kStart + 275);
    QCOMPARE(liveness.poll(config, kStart + 275, 0), Action::Probe);
    QCOMPARE(liveness.probesSent(), 2);
    QVERIFY(liveness.onReceived(config, kStart + 300));
    QVERIFY(!liveness.probing());
    QCOMPARE(liveness.probesSent(), 0);
    QCOMPARE(liveness.silentSince(), TimeMs(0));
    QCOMPARE(liveness.rttMs(), TimeMs(0));
    QCOMPARE(liveness.deadline(config), kNever);
    QVERIFY(!liveness.onReceived(config, kStart + 301)); // the episode is over already
    // No verdict comes any more.
    QCOMPARE(liveness.poll(config, kStart + 5000, 0), Action::None);

    // A single probe answered after 40 ms: the first sample is taken as is.
    TimeMs t = kStart + 20'000; // well past any hold-off
    const TimeMs end = answeredSilentEpisode(liveness, config, t, 40);
    QCOMPARE(end, t + 200 + 40);
    QCOMPARE(liveness.rttMs(), TimeMs(40));
    QVERIFY(!liveness.probing());

    // Three probes before the answer: the RTT stays.
    t = kStart + 40'000;
    liveness.onSent(t);
    QCOMPARE(liveness.poll(config, t + 200, 7), Action::Probe);
    QCOMPARE(liveness.poll(config, liveness.deadline(config), 7), Action::Probe);
    QCOMPARE(liveness.poll(config, liveness.deadline(config), 7), Action::Probe);
    QCOMPARE(liveness.probesSent(), 3);
    QVERIFY(liveness.probing());
    QVERIFY(liveness.onReceived(config, liveness.deadline(config) - 1));
    QVERIFY(!liveness.probing());
    QCOMPARE(liveness.rttMs(), TimeMs(40));

    // Another single-probe episode is smoothed in: (7 x 40 + 120) / 8 = 50.
    t = kStart + 60'000;
    QCOMPARE(answeredSilentEpisode(liveness, config, t, 120), t + 200 + 120);
    QCOMPARE(liveness.rttMs(), TimeMs(50));
}

void tst_Liveness::holdoffAfterAnsweredEpisodes()
{
    const LivenessConfig config;
    PeerLiveness liveness;

    // A one-way flow: we keep sending, the peer answers only probes (after 10 ms).
    TimeMs end = answeredSilentEpisode(liveness, config, kStart, 10);
    QCOMPARE(end, kStart + 210);
    TimeMs expectedHoldoff = config.minHoldoffMs;
    const std::vector<TimeMs> holdoffs {500, 1000, 2000, 4000, 4000, 4000};
    for (const TimeMs holdoff : holdoffs) {
        QCOMPARE(expectedHoldoff, holdoff);
        // The data goes on right after the answer: silence alone would probe at end + 1 + 200.
        QVERIFY(liveness.onSent(end + 1));
        QCOMPARE(liveness.deadline(config), end + holdoff);
        QCOMPARE(liveness.poll(config, end + 1 + config.silenceMs, 0), Action::None);
        QCOMPARE(liveness.poll(config, end + holdoff - 1, 0), Action::None);
        QVERIFY(!liveness.probing());
        QCOMPARE(liveness.poll(config, end + holdoff, 0), Action::Probe);
        QCOMPARE(liveness.cause(), ProbeCause::Silent);
        QVERIFY(liveness.onReceived(config, end + holdoff + 10));
        end += holdoff + 10;
        expectedHoldoff = std::min(2 * expectedHoldoff, config.maxHoldoffMs);
    }

    // A quiet spell of exactly 10 s (episode end to episode end) keeps the hold-off at its maximum...
    TimeMs t = end + 10'000 - 210;
    QCOMPARE(answeredSilentEpisode(liveness, config, t, 10), end + 10'000);
    end += 10'000;
    liveness.onSent(end + 1);
    QCOMPARE(liveness.deadline(config), end + config.maxHoldoffMs);

    // ... one of more than 10 s starts it over.
    liveness.onReceived(config, end + 2); // the peer talked: the pending send is answered
    t = end + 11'000;
    end = answeredSilentEpisode(liveness, config, t, 10);
    QCOMPARE(end, t + 210);
    liveness.onSent(end + 1);
    QCOMPARE(liveness.deadline(config), end + config.minHoldoffMs);
    QCOMPARE(liveness.poll(config, end + config.minHoldoffMs - 1, 0), Action::None);
    QCOMPARE(liveness.poll(config, end + config.minHoldoffMs, 0), Action::Probe);
    QVERIFY(liveness.onReceived(config, end + config.minHoldoffMs + 10));
    end += config.minHoldoffMs + 10;
    liveness.onSent(end + 1);
    QCOMPARE(liveness.deadline(config), end + 2 * config.minHoldoffMs);

    // Once started, an unanswered episode runs to its verdict on the usual schedule.
    QCOMPARE(liveness.poll(config, end + 2 * config.minHoldoffMs, 0), Action::Probe);
    Episode episode;
    runToVerdict(liveness, config, 0, episode);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(int(episode.probes.size()), config.probes - 1);
    QCOMPARE(episode.deadAt, end + 2 * config.minHoldoffMs + 3 * 75 + config.verdictWaitMs);
}

void tst_Liveness::forcedEpisodes_data()
{
    QTest::addColumn<ProbeCause>("cause");
    QTest::newRow("Roamed") << ProbeCause::Roamed;
    QTest::newRow("Resumed") << ProbeCause::Resumed;
}

void tst_Liveness::forcedEpisodes()
{
    QFETCH(ProbeCause, cause);
    const LivenessConfig config;

    {
        // Nothing sent at all: probing starts at once.
        PeerLiveness liveness;
        liveness.startEpisode(cause, kStart);
        QVERIFY(liveness.probing());
        QCOMPARE(liveness.cause(), cause);
        QCOMPARE(liveness.probesSent(), 0);
        QCOMPARE(liveness.silentSince(), kStart);
        QCOMPARE(liveness.deadline(config), kStart);
        QCOMPARE(liveness.poll(config, kStart, 0), Action::Probe);
        QCOMPARE(liveness.probesSent(), 1);
        Episode episode;
        runToVerdict(liveness, config, 0, episode);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(int(episode.probes.size()), config.probes - 1);
        QCOMPARE(episode.deadAt, kStart + 3 * 75 + config.verdictWaitMs);
        QCOMPARE(liveness.cause(), cause);
    }
    {
        // A forced start while an episode has probed starts it over: the probes before a local change or a pause
        // say nothing about the path now. The silence still counts from the first unanswered send.
        PeerLiveness liveness;
        liveness.onSent(kStart);
        QCOMPARE(liveness.poll(config, kStart + 200, 0), Action::Probe);
        QCOMPARE(liveness.poll(config, kStart + 275, 0), Action::Probe);
        liveness.startEpisode(cause, kStart + 300);
        QCOMPARE(liveness.cause(), cause);
        QCOMPARE(liveness.probesSent(), 0);
        QCOMPARE(liveness.silentSince(), kStart);
        QCOMPARE(liveness.deadline(config), kStart + 300);
        QCOMPARE(liveness.poll(config, kStart + 300, 0), Action::Probe);
        QCOMPARE(liveness.probesSent(), 1);
        // All probes sent, then a minute asleep: resuming probes again instead of giving a verdict.
        PeerLiveness slept;
        slept.onSent(kStart);
        for (int sent = 0; sent < config.probes;) {
            if (slept.poll(config, slept.deadline(config), 0) == Action::Probe)
                ++sent;
        }
        slept.startEpisode(cause, kStart + 60'000);
        QCOMPARE(slept.cause(), cause);
        QCOMPARE(slept.poll(config, kStart + 60'000, 0), Action::Probe);

        // Likewise before a forced episode's first probe: the earlier start stays.
        PeerLiveness other;
        other.startEpisode(cause, kStart);
        other.startEpisode(cause == ProbeCause::Roamed ? ProbeCause::Resumed : ProbeCause::Roamed, kStart + 5);
        QCOMPARE(other.cause(), cause);
        QCOMPARE(other.silentSince(), kStart);
        QCOMPARE(other.deadline(config), kStart);
    }
    {
        // The hold-off after an answered Silent episode does not hold a forced one back.
        PeerLiveness liveness;
        const TimeMs end = answeredSilentEpisode(liveness, config, kStart, 10);
        QCOMPARE(end, kStart + 210);
        liveness.onSent(end + 1);
        QCOMPARE(liveness.deadline(config), end + config.minHoldoffMs);
        liveness.startEpisode(cause, end + 50);
        QCOMPARE(liveness.silentSince(), end + 1); // the unanswered send is older than the episode
        QCOMPARE(liveness.deadline(config), end + 50);
        QCOMPARE(liveness.poll(config, end + 50, 0), Action::Probe);
        QCOMPARE(liveness.cause(), cause);
        // Answered after 30 ms with a single probe: an RTT sample, smoothed into the first one (10 ms).
        QVERIFY(liveness.onReceived(config, end + 80));
        QVERIFY(!liveness.probing());
        QCOMPARE(liveness.rttMs(), TimeMs((7 * 10 + 30) / 8));
        // An answered forced episode neither lengthens the hold-off nor starts a new one.
        liveness.onSent(end + 81);
        QCOMPARE(liveness.deadline(config), end + config.minHoldoffMs);
    }
    {
        // An answered forced episode alone sets no hold-off: silence probes after silenceMs as usual.
        PeerLiveness liveness;
        liveness.startEpisode(cause, kStart);
        QCOMPARE(liveness.poll(config, kStart, 0), Action::Probe);
        QVERIFY(liveness.onReceived(config, kStart + 20));
        QCOMPARE(liveness.rttMs(), TimeMs(20));
        liveness.onSent(kStart + 21);
        QCOMPARE(liveness.deadline(config), kStart + 21 + config.silenceMs);
        QCOMPARE(liveness.poll(config, kStart + 21 + config.silenceMs, 0), Action::Probe);
        QCOMPARE(liveness.cause(), ProbeCause::Silent);
    }
}

void tst_Liveness::rttScalesTimers()
{
    const LivenessConfig config;
    PeerLiveness liveness;
    // Learn 200 ms from a forced single-probe episode (no hold-off follows it).
    liveness.startEpisode(ProbeCause::Roamed, kStart);
    QCOMPARE(liveness.poll(config, kStart, 0), Action::Probe);
    QVERIFY(liveness.onReceived(config, kStart + 200));
    QCOMPARE(liveness.rttMs(), TimeMs(200));

    // Silence threshold: max(200, 4 x 200) = 800.
    const TimeMs t = kStart + 1000;
    QVERIFY(liveness.onSent(t));
    QCOMPARE(liveness.deadline(config), t + 800);
    QCOMPARE(liveness.poll(config, t + config.silenceMs, 0), Action::None);
    QCOMPARE(liveness.poll(config, t + 799, 0), Action::None);
    QVERIFY(!liveness.probing());

    // Interval: max(100, 2 x 200) = 400, jittered to 300..500; verdict wait: max(150, 3 x 200) = 600.
    Episode episode;
    runToVerdict(liveness, config, 0xffffffffu, episode);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(int(episode.probes.size()), config.probes);
    QCOMPARE(episode.probes.front(), t + 800);
    for (size_t i = 1; i < episode.probes.size(); ++i) {
        const TimeMs gap = episode.probes[i] - episode.probes[i - 1];
        QVERIFY2(gap >= 300 && gap <= 500, qPrintable(QStringLiteral("probe interval %1 ms").arg(gap)));
        QCOMPARE(gap, TimeMs(300 + 0xffffffffu % 201));
    }
    QCOMPARE(episode.deadAt, episode.probes.back() + 600);

    // The jitter range for other random values.
    for (const quint32 random : kRandoms) {
        PeerLiveness other;
        other.inherit(liveness);
        other.startEpisode(ProbeCause::Resumed, kStart);
        QCOMPARE(other.poll(config, kStart, random), Action::Probe);
        const TimeMs gap = other.deadline(config) - kStart;
        QVERIFY2(gap >= 300 && gap <= 500, qPrintable(QStringLiteral("probe interval %1 ms").arg(gap)));
    }
}

void tst_Liveness::inheritCarriesRttAndHoldoff()
{
    const LivenessConfig config;
    PeerLiveness previous;
    // Two single-probe Silent episodes answered after 200 ms: RTT 200, hold-off 500 then 1000.
    const TimeMs end1 = answeredSilentEpisode(previous, config, kStart, 200);
    QCOMPARE(end1, kStart + 200 + 200);
    const TimeMs end2 = answeredSilentEpisode(previous, config, end1 + 1, 200);
    QCOMPARE(end2, end1 + 1 + 800 + 200); // the silence threshold is 4 x 200 now, beyond the 500 ms hold-off
    QCOMPARE(previous.rttMs(), TimeMs(200));
    // The old session was in an episode when it was renewed: that one is not carried over.
    previous.startEpisode(ProbeCause::Roamed, end2 + 10);
    QVERIFY(previous.probing());

    PeerLiveness renewed;
    renewed.inherit(previous);
    QCOMPARE(renewed.rttMs(), TimeMs(200));
    QVERIFY(!renewed.probing());
    QCOMPARE(renewed.probesSent(), 0);
    QCOMPARE(renewed.silentSince(), TimeMs(0));
    QCOMPARE(renewed.deadline(config), kNever);

    // The 1000 ms hold-off runs on (later than the scaled silence threshold: end2 + 20 + 800)...
    QVERIFY(renewed.onSent(end2 + 20));
    QCOMPARE(renewed.deadline(config), end2 + 2 * config.minHoldoffMs);
    QCOMPARE(renewed.poll(config, end2 + 20 + 800, 0), Action::None);
    QCOMPARE(renewed.poll(config, end2 + 2 * config.minHoldoffMs - 1, 0), Action::None);
    QCOMPARE(renewed.poll(config, end2 + 2 * config.minHoldoffMs, 0), Action::Probe);
    // ... and doubles on the next answered episode, as it would have in the old session.
    const TimeMs end3 = end2 + 2 * config.minHoldoffMs + 200;
    QVERIFY(renewed.onReceived(config, end3));
    QCOMPARE(renewed.rttMs(), TimeMs(200));
    renewed.onSent(end3 + 1);
    QCOMPARE(renewed.deadline(config), end3 + 4 * config.minHoldoffMs);

    // A fresh session without inherit() knows neither.
    PeerLiveness fresh;
    fresh.onSent(end2 + 20);
    QCOMPARE(fresh.rttMs(), TimeMs(0));
    QCOMPARE(fresh.deadline(config), end2 + 20 + config.silenceMs);
}

QTEST_APPLESS_MAIN(tst_Liveness)
#include "tst_liveness.moc"
