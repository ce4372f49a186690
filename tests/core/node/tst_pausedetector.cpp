// PauseDetector: a suspend (the monotonic clock stands still, the boot-time clock jumps) and a stopped process (both
// jump) are told apart from normal ticks, with made-up clock readings.
#include <QTest>

#include "core/node/pausedetector.h"

using namespace Nimbus;

class tst_PauseDetector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstLookOnlyRecords();
    void normalTicksAreNoPause();
    void suspendIsSeenFromTheBootClock();
    void stoppedProcessIsSeenFromTheMonotonicClock();
    void thresholdIsExclusive();
};

void tst_PauseDetector::firstLookOnlyRecords()
{
    PauseDetector detector;
    QVERIFY(!detector.check(1'000'000, 5'000'000));
    // The readings of the first look are the reference: a jump right after it is seen.
    const auto pause = detector.check(1'000'100, 5'060'100);
    QVERIFY(pause);
    QVERIFY(pause->suspended);
    QCOMPARE(pause->pausedMs, TimeMs(60'000));
}

void tst_PauseDetector::normalTicksAreNoPause()
{
    PauseDetector detector;
    TimeMs mono = 1'000'000;
    TimeMs boot = 7'000'000;
    QVERIFY(!detector.check(mono, boot));
    for (int i = 0; i < 100; ++i) {
        // A timer that fires every second, sometimes late by up to 1.5 s; the clocks drift apart by a few ms.
        const TimeMs step = 1000 + (i % 4 == 0 ? 1500 : 0);
        mono += step;
        boot += step + (i % 3);
        QVERIFY2(!detector.check(mono, boot), qPrintable(QString::number(i)));
    }
}

void tst_PauseDetector::suspendIsSeenFromTheBootClock()
{
    // A real suspend: CLOCK_MONOTONIC stands still, CLOCK_BOOTTIME runs on for an hour.
    PauseDetector detector;
    QVERIFY(!detector.check(2'000'000, 9'000'000));
    const auto pause = detector.check(2'000'400, 9'000'400 + 3'600'000);
    QVERIFY(pause);
    QVERIFY(pause->suspended);
    QCOMPARE(pause->pausedMs, TimeMs(3'600'000));
    // Afterwards the new readings are the reference again.
    QVERIFY(!detector.check(2'001'400, 12'601'400));
}

void tst_PauseDetector::stoppedProcessIsSeenFromTheMonotonicClock()
{
    // SIGSTOP for 12 s: both clocks ran on.
    PauseDetector detector;
    QVERIFY(!detector.check(1'000'000, 1'000'000));
    const auto pause = detector.check(1'012'000, 1'012'000);
    QVERIFY(pause);
    QVERIFY(!pause->suspended);
    QCOMPARE(pause->pausedMs, TimeMs(12'000));
}

void tst_PauseDetector::thresholdIsExclusive()
{
    PauseDetector detector(2500);
    QVERIFY(!detector.check(0, 0));
    QVERIFY(!detector.check(2500, 2500)); // exactly the threshold: normal
    QVERIFY(detector.check(5001, 5001)); // 2501 ms
    QVERIFY(!detector.check(5002, 5002 + 2500)); // a 2.5 s sleep: normal
    QVERIFY(detector.check(5003, 5003 + 2500 + 2501)); // 2.501 s of sleep
}

QTEST_APPLESS_MAIN(tst_PauseDetector)
#include "tst_pausedetector.moc"
