#include <memory>

#include <signal.h>

#include <QSignalSpy>
#include <QTest>

#include "helper/platform/linux/unixsignals.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::UnixSignal;
using Nimbus::UnixSignals;

namespace
{

// The current disposition of \a number.
void (*currentHandler(int number))(int)
{
    struct sigaction action {
    };
    ::sigaction(number, nullptr, &action);
    return action.sa_handler;
}

} // namespace

class tst_LinuxUnixSignals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversSignal_data();
    void deliversSignal();
    void severalSignalsInARow();
    void onlyOneWatcher();
    void restoresPreviousHandlers();
    void names();
};

void tst_LinuxUnixSignals::deliversSignal_data()
{
    QTest::addColumn<int>("number");
    QTest::addColumn<UnixSignal>("expected");

    QTest::addRow("SIGHUP") << int(SIGHUP) << UnixSignal::Hangup;
    QTest::addRow("SIGINT") << int(SIGINT) << UnixSignal::Interrupt;
    QTest::addRow("SIGTERM") << int(SIGTERM) << UnixSignal::Terminate;
}

void tst_LinuxUnixSignals::deliversSignal()
{
    QFETCH(int, number);
    QFETCH(UnixSignal, expected);
    UnixSignals watcher;
    QVERIFY(watcher.watch().ok());
    QVERIFY(watcher.isWatching());
    QSignalSpy spy(&watcher, &UnixSignals::received);
    QCOMPARE(::raise(number), 0);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).value<UnixSignal>(), expected);
}

void tst_LinuxUnixSignals::severalSignalsInARow()
{
    UnixSignals watcher;
    QVERIFY(watcher.watch({UnixSignal::Hangup, UnixSignal::Terminate}).ok());
    QSignalSpy spy(&watcher, &UnixSignals::received);
    QCOMPARE(::raise(SIGHUP), 0);
    QCOMPARE(::raise(SIGTERM), 0);
    QTRY_COMPARE(spy.size(), 2);
    QCOMPARE(spy.at(0).at(0).value<UnixSignal>(), UnixSignal::Hangup);
    QCOMPARE(spy.at(1).at(0).value<UnixSignal>(), UnixSignal::Terminate);
}

void tst_LinuxUnixSignals::onlyOneWatcher()
{
    auto first = std::make_unique<UnixSignals>();
    QVERIFY(first->watch().ok());
    UnixSignals second;
    const auto refused = second.watch();
    QVERIFY(!refused.ok());
    QVERIFY(!refused.error().message.isEmpty());
    QVERIFY(!second.isWatching());
    first.reset();
    QVERIFY(second.watch().ok());
    QSignalSpy spy(&second, &UnixSignals::received);
    QCOMPARE(::raise(SIGHUP), 0);
    QVERIFY(spy.wait(5000));
}

void tst_LinuxUnixSignals::restoresPreviousHandlers()
{
    struct sigaction ignore {
    };
    ignore.sa_handler = SIG_IGN;
    struct sigaction saved {
    };
    QCOMPARE(::sigaction(SIGHUP, &ignore, &saved), 0);
    const auto defaultInt = currentHandler(SIGINT);
    {
        UnixSignals watcher;
        QVERIFY(watcher.watch().ok());
        QVERIFY(currentHandler(SIGHUP) != SIG_IGN);
        watcher.stop();
        QVERIFY(!watcher.isWatching());
        QVERIFY(currentHandler(SIGHUP) == SIG_IGN);
        QVERIFY(currentHandler(SIGINT) == defaultInt);
        QVERIFY(watcher.watch({UnixSignal::Hangup}).ok());
        QVERIFY(currentHandler(SIGHUP) != SIG_IGN);
        QVERIFY(currentHandler(SIGINT) == defaultInt);
    }
    QVERIFY(currentHandler(SIGHUP) == SIG_IGN);
    QCOMPARE(::sigaction(SIGHUP, &saved, nullptr), 0);
}

void tst_LinuxUnixSignals::names()
{
    QCOMPARE(UnixSignals::name(UnixSignal::Hangup), u"SIGHUP"_s);
    QCOMPARE(UnixSignals::name(UnixSignal::Interrupt), u"SIGINT"_s);
    QCOMPARE(UnixSignals::name(UnixSignal::Terminate), u"SIGTERM"_s);
}

QTEST_GUILESS_MAIN(tst_LinuxUnixSignals)
#include "tst_linuxunixsignals.moc"
