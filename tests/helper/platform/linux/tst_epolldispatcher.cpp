// The helper's epoll event dispatcher, installed for this test's main thread as nimbus-helper installs it: timers,
// socket notifiers, posted events, wake-ups from other threads, nested loops, and the Qt classes the helper drives
// through it (QProcess for hooks, QLocalServer for the control socket).
#include <memory>
#include <thread>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "helper/platform/linux/epolldispatcher.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::EpollEventDispatcher;

namespace
{

// A connected pair of local datagram sockets, closed on destruction.
struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    void send() const { QCOMPARE(::write(fds[1], "x", 1), 1); }
    int drain() const
    {
        char buffer[16];
        int count = 0;
        while (::read(fds[0], buffer, sizeof buffer) > 0)
            ++count;
        return count;
    }
};

EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// Runs the event loop for \a ms milliseconds.
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

class tst_EpollDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void installedForTheMainThread();
    void singleShotAndRepeatingTimers();
    void zeroTimerDoesNotStarveDescriptors();
    void timerStoppedByAnEarlierOne();
    void timerRestartedByAnEarlierOneWaits();
    void remainingTimeAndRegisteredTimers();
    void timerWithNestedLoopDoesNotRecurse();
    void readNotifierFollowsEnabled();
    void writeNotifier();
    void notifierDeletedByAnotherOfTheSamePass();
    void regularFileIsAlwaysReady();
    void excludedNotifiersDoNotFire();
    void wakeUpFromAnotherThread();
    void quitEndsABlockedLoop();
    void processRunsToTheEnd();
    void localSocketRoundTrip();
    void readWatchIsCalledDirectly();
    void readWatchBesideAWriteNotifier();
    void readWatchDeletedFromItsHandler();
    void readWatchElsewhereUsesANotifier();
};

void tst_EpollDispatcher::installedForTheMainThread()
{
    QVERIFY(dispatcher());
    QVERIFY(dispatcher()->isValid());
}

void tst_EpollDispatcher::singleShotAndRepeatingTimers()
{
    QElapsedTimer clock;
    clock.start();
    bool fired = false;
    QTimer::singleShot(30, this, [&fired] { fired = true; });
    QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
    QVERIFY2(clock.elapsed() >= 29, qPrintable(QString::number(clock.elapsed())));

    QTimer repeating;
    repeating.setTimerType(Qt::PreciseTimer);
    int count = 0;
    connect(&repeating, &QTimer::timeout, this, [&count] { ++count; });
    clock.restart();
    repeating.start(10);
    QTRY_VERIFY_WITH_TIMEOUT(count >= 5, 5000);
    QVERIFY2(clock.elapsed() >= 49, qPrintable(QString::number(clock.elapsed()))); // never early
    repeating.stop();
    const int stoppedAt = count;
    spin(40);
    QCOMPARE(count, stoppedAt);
}

void tst_EpollDispatcher::zeroTimerDoesNotStarveDescriptors()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int reads = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] { reads += pair.drain(); });
    QTimer busy;
    int ticks = 0;
    connect(&busy, &QTimer::timeout, this, [&ticks] { ++ticks; });
    busy.start(0);
    int later = 0;
    QTimer::singleShot(20, this, [&later] { ++later; });
    pair.send();
    QTRY_VERIFY_WITH_TIMEOUT(reads == 1 && later == 1, 5000);
    QVERIFY(ticks > 1);
}

void tst_EpollDispatcher::timerStoppedByAnEarlierOne()
{
    QTimer first;
    QTimer second;
    first.setSingleShot(true);
    second.setSingleShot(true);
    int secondFired = 0;
    connect(&first, &QTimer::timeout, &second, &QTimer::stop);
    connect(&second, &QTimer::timeout, this, [&secondFired] { ++secondFired; });
    first.start(5);
    second.start(6);
    QThread::msleep(20); // both due in the same pass, the first first
    QSignalSpy firstSpy(&first, &QTimer::timeout);
    spin(30);
    QCOMPARE(firstSpy.count(), 1);
    QCOMPARE(secondFired, 0);
}

void tst_EpollDispatcher::timerRestartedByAnEarlierOneWaits()
{
    // The first restarts the second, due in the same pass; Qt may give the new timer the freed id, and the
    // restarted timer must then wait its full interval, not fire in this pass.
    QTimer first;
    QTimer second;
    first.setSingleShot(true);
    second.setSingleShot(true);
    QElapsedTimer clock;
    qint64 secondFiredAt = -1;
    connect(&first, &QTimer::timeout, this, [&] {
        clock.start();
        second.start(200);
    });
    connect(&second, &QTimer::timeout, this, [&] { secondFiredAt = clock.elapsed(); });
    first.start(5);
    second.start(6);
    QThread::msleep(20);
    QTRY_VERIFY_WITH_TIMEOUT(secondFiredAt >= 0, 5000);
    QVERIFY2(secondFiredAt >= 199, qPrintable(QString::number(secondFiredAt)));
}

void tst_EpollDispatcher::remainingTimeAndRegisteredTimers()
{
    QTimer timer;
    timer.start(1000);
    const int left = timer.remainingTime();
    QVERIFY2(left > 900 && left <= 1000, qPrintable(QString::number(left)));
    const auto timers = dispatcher()->registeredTimers(&timer);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().timerId, timer.timerId());
    QCOMPARE(timers.first().interval, 1000);
    timer.stop();
    QVERIFY(dispatcher()->registeredTimers(&timer).isEmpty());
    QCOMPARE(dispatcher()->remainingTime(12345678), -1);
}

void tst_EpollDispatcher::timerWithNestedLoopDoesNotRecurse()
{
    QTimer outer;
    outer.setInterval(1);
    int depth = 0;
    int maxDepth = 0;
    int runs = 0;
    int inner = 0;
    QTimer innerTimer;
    connect(&innerTimer, &QTimer::timeout, this, [&inner] { ++inner; });
    connect(&outer, &QTimer::timeout, this, [&] {
        ++depth;
        maxDepth = std::max(maxDepth, depth);
        ++runs;
        if (runs == 1) {
            innerTimer.start(2);
            spin(40); // the outer timer is due many times over while this runs
            innerTimer.stop();
            outer.stop();
        }
        --depth;
    });
    outer.start();
    QTRY_VERIFY_WITH_TIMEOUT(!outer.isActive(), 5000);
    QCOMPARE(maxDepth, 1);
    QVERIFY(inner >= 3); // the nested loop ran the other timers
}

void tst_EpollDispatcher::readNotifierFollowsEnabled()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    const int watched = dispatcher()->watchedDescriptorCount();
    pair.send();
    QVERIFY(spy.wait(5000));
    QCOMPARE(pair.drain(), 1);

    notifier.setEnabled(false);
    QCOMPARE(dispatcher()->watchedDescriptorCount(), watched - 1);
    spy.clear();
    pair.send();
    spin(30);
    QCOMPARE(spy.count(), 0);

    notifier.setEnabled(true);
    QVERIFY(spy.wait(5000));
    QCOMPARE(pair.drain(), 1);
}

void tst_EpollDispatcher::writeNotifier()
{
    SocketPair pair;
    QSocketNotifier reader(pair.fds[1], QSocketNotifier::Read);
    QSocketNotifier writer(pair.fds[1], QSocketNotifier::Write);
    QSignalSpy readSpy(&reader, &QSocketNotifier::activated);
    QSignalSpy writeSpy(&writer, &QSocketNotifier::activated);
    QVERIFY(writeSpy.wait(5000)); // a socket with room is writable
    writer.setEnabled(false);
    QCOMPARE(readSpy.count(), 0); // the same descriptor's read side waits for data
    QCOMPARE(::write(pair.fds[0], "y", 1), 1);
    QVERIFY(readSpy.wait(5000));
}

void tst_EpollDispatcher::notifierDeletedByAnotherOfTheSamePass()
{
    SocketPair a;
    SocketPair b;
    auto *first = new QSocketNotifier(a.fds[0], QSocketNotifier::Read);
    auto *second = new QSocketNotifier(b.fds[0], QSocketNotifier::Read);
    int activations = 0;
    // Whichever runs first deletes the other, which was ready in the same pass and must not be activated.
    connect(first, &QSocketNotifier::activated, this, [&] {
        ++activations;
        delete second;
        second = nullptr;
        a.drain();
    });
    connect(second, &QSocketNotifier::activated, this, [&] {
        ++activations;
        delete first;
        first = nullptr;
        b.drain();
    });
    a.send();
    b.send();
    spin(30);
    QCOMPARE(activations, 1);
    delete first;
    delete second;
}

void tst_EpollDispatcher::regularFileIsAlwaysReady()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    QVERIFY(spy.wait(5000)); // epoll refuses regular files; poll() calls them ready, and so do we
    notifier.setEnabled(false);
    spy.clear();
    spin(20);
    QCOMPARE(spy.count(), 0);
}

void tst_EpollDispatcher::excludedNotifiersDoNotFire()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    pair.send();
    QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
    QCOMPARE(spy.count(), 0);
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);
    pair.drain();
}

void tst_EpollDispatcher::wakeUpFromAnotherThread()
{
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    bool delivered = false;
    std::thread poster([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        QMetaObject::invokeMethod(
            &loop,
            [&] {
                delivered = true;
                loop.quit();
            },
            Qt::QueuedConnection);
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit); // only if the wake-up is lost
    loop.exec();
    poster.join();
    QVERIFY(delivered);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void tst_EpollDispatcher::quitEndsABlockedLoop()
{
    QEventLoop loop;
    QTimer::singleShot(10, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, [&loop] { loop.exit(1); }); // only if quit is lost
    QCOMPARE(loop.exec(), 0);
}

void tst_EpollDispatcher::processRunsToTheEnd()
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(u"/bin/sh"_s, {u"-c"_s, u"echo hello; exit 3"_s});
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitCode(), 3);
    QCOMPARE(process.readAllStandardOutput(), "hello\n");
}

void tst_EpollDispatcher::localSocketRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QLocalServer server;
    QVERIFY(server.listen(dir.filePath(u"socket"_s)));
    QLocalSocket client;
    client.connectToServer(server.fullServerName());
    QVERIFY(server.waitForNewConnection(5000) || server.hasPendingConnections());
    std::unique_ptr<QLocalSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QSignalSpy serverRead(accepted.get(), &QLocalSocket::readyRead);
    client.write(QByteArray(100000, 'a')); // more than one write: the write notifier carries the rest
    QByteArray received;
    connect(accepted.get(), &QLocalSocket::readyRead, this, [&] { received += accepted->readAll(); });
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 100000, 5000);
    QSignalSpy clientRead(&client, &QLocalSocket::readyRead);
    accepted->write("pong");
    QVERIFY(clientRead.wait(5000));
    QCOMPARE(client.readAll(), "pong");
}

void tst_EpollDispatcher::readWatchIsCalledDirectly()
{
    SocketPair pair;
    int calls = 0;
    int reads = 0;
    Nimbus::ReadWatch watch(pair.fds[0], [&] {
        ++calls;
        reads += pair.drain();
    });
    QVERIFY(watch.isDirect());
    QVERIFY(!watch.isEnabled()); // starts disabled, as nothing is registered yet
    const int watched = dispatcher()->watchedDescriptorCount();
    pair.send();
    spin(20);
    QCOMPARE(calls, 0);

    watch.setEnabled(true);
    QCOMPARE(dispatcher()->watchedDescriptorCount(), watched + 1);
    QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 5000);
    pair.send();
    pair.send();
    QTRY_COMPARE_WITH_TIMEOUT(reads, 3, 5000);

    watch.setEnabled(false);
    QCOMPARE(dispatcher()->watchedDescriptorCount(), watched);
    const int callsBefore = calls;
    pair.send();
    spin(20);
    QCOMPARE(calls, callsBefore);
}

void tst_EpollDispatcher::readWatchBesideAWriteNotifier()
{
    SocketPair pair;
    int reads = 0;
    Nimbus::ReadWatch watch(pair.fds[1], [&] {
        char buffer[4];
        while (::read(pair.fds[1], buffer, sizeof buffer) > 0)
            ++reads;
    });
    watch.setEnabled(true);
    QSocketNotifier writer(pair.fds[1], QSocketNotifier::Write);
    QSignalSpy writable(&writer, &QSocketNotifier::activated);
    QVERIFY(writable.wait(5000));
    QCOMPARE(reads, 0); // writable is not readable
    writer.setEnabled(false);
    QCOMPARE(::write(pair.fds[0], "z", 1), 1);
    QTRY_COMPARE_WITH_TIMEOUT(reads, 1, 5000);
    watch.setEnabled(false); // and the write notifier's removal left the read side alone, and the other way round
    writer.setEnabled(true);
    writable.clear();
    QVERIFY(writable.wait(5000));
}

void tst_EpollDispatcher::readWatchDeletedFromItsHandler()
{
    SocketPair a;
    SocketPair b;
    QPointer<Nimbus::ReadWatch> first;
    QPointer<Nimbus::ReadWatch> second;
    int calls = 0;
    // Each disables and deletes both (as TunDevice::close() does from its own handler): one call in all.
    const auto closeBoth = [&] {
        ++calls;
        for (Nimbus::ReadWatch *watch : {first.data(), second.data()}) {
            if (watch) {
                watch->setEnabled(false);
                watch->deleteLater();
            }
        }
    };
    first = new Nimbus::ReadWatch(a.fds[0], closeBoth);
    second = new Nimbus::ReadWatch(b.fds[0], closeBoth);
    first->setEnabled(true);
    second->setEnabled(true);
    a.send();
    b.send();
    QTRY_VERIFY_WITH_TIMEOUT(!first && !second, 5000);
    QCOMPARE(calls, 1);
}

void tst_EpollDispatcher::readWatchElsewhereUsesANotifier()
{
    // Another thread runs Qt's own dispatcher: the watch falls back to a QSocketNotifier there.
    SocketPair pair;
    QThread thread;
    QObject context;
    context.moveToThread(&thread);
    thread.start();
    std::atomic<int> reads = 0;
    bool direct = true;
    Nimbus::ReadWatch *watch = nullptr;
    QMetaObject::invokeMethod(
        &context,
        [&] {
            watch = new Nimbus::ReadWatch(pair.fds[0], [&] { reads += pair.drain(); });
            direct = watch->isDirect();
            watch->setEnabled(true);
        },
        Qt::BlockingQueuedConnection);
    QVERIFY(!direct);
    pair.send();
    QTRY_COMPARE_WITH_TIMEOUT(reads.load(), 1, 5000);
    QMetaObject::invokeMethod(
        thread.eventDispatcher(), [&] { delete watch; }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
}

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
