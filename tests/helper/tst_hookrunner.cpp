// Hook scripts (helper/hookrunner): which script an event runs, its environment, ifup/ifdown awaited, the grace
// time at shutdown.
#include <memory>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/config/config.h"
#include "helper/hookrunner.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

namespace
{

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_HookRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scriptForEvent();
    void environment();
    void ifupIsAwaited();
    void backgroundHookDoesNotBlock();
    void failingHookIsForgotten();
    void shutdownGrace();
    void shutdownWaitsForHooks();
};

void tst_HookRunner::scriptForEvent()
{
    NetworkConfig config;
    config.hook = u"generic"_s;
    config.hooks = {{u"peer_connected"_s, u"specific"_s}};
    config.ifup = u"up"_s;
    HookRunner hooks(config);
    QCOMPARE(hooks.scriptFor(u"peer_connected"_s), u"specific"_s);
    QCOMPARE(hooks.scriptFor(u"vpn_started"_s), u"generic"_s);
    QCOMPARE(hooks.scriptFor(u"ifup"_s), u"up"_s);
    QCOMPARE(hooks.scriptFor(u"ifdown"_s), QString()); // ifup/ifdown never fall back to `hook`

    HookRunner none(NetworkConfig {});
    QCOMPARE(none.scriptFor(u"vpn_started"_s), QString());
    none.run(u"vpn_started"_s);
    QCOMPARE(none.runningCount(), 0);
}

void tst_HookRunner::environment()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(u"env"_s);
    NetworkConfig config;
    config.hook = u"echo \"$IFNAME|$EVENT|$PEER|$NODE_ID\" > '%1'"_s.arg(out);
    HookRunner hooks(config);
    hooks.setDeviceName(u"nimbus7"_s);
    hooks.run(u"peer_connected"_s, {{u"PEER"_s, u"192.0.2.1:3210"_s}, {u"NODE_ID"_s, u"abcd"_s}});
    QCOMPARE(hooks.runningCount(), 1);
    QTRY_COMPARE(hooks.runningCount(), 0);
    QCOMPARE(readFile(out), QByteArray("nimbus7|peer_connected|192.0.2.1:3210|abcd\n"));
}

void tst_HookRunner::ifupIsAwaited()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(u"up"_s);
    NetworkConfig config;
    config.ifup = u"sleep 0.2; echo \"$IFNAME|${EVENT-unset}\" > '%1'"_s.arg(out);
    HookRunner hooks(config);
    hooks.setDeviceName(u"tun9"_s);
    hooks.run(u"ifup"_s);
    // Done when run() returns: no EVENT for ifup/ifdown.
    QCOMPARE(readFile(out), QByteArray("tun9|unset\n"));
}

void tst_HookRunner::backgroundHookDoesNotBlock()
{
    NetworkConfig config;
    config.hook = u"sleep 1"_s;
    HookRunner hooks(config);
    QElapsedTimer timer;
    timer.start();
    hooks.run(u"vpn_started"_s);
    QVERIFY2(timer.elapsed() < 900, "run() waited for a background hook");
    QCOMPARE(hooks.runningCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(hooks.runningCount(), 0, 5000);
}

void tst_HookRunner::failingHookIsForgotten()
{
    NetworkConfig config;
    config.hook = u"exit 3"_s;
    HookRunner hooks(config);
    QTest::ignoreMessage(QtWarningMsg, "Hook vpn_started exited with status 3");
    hooks.run(u"vpn_started"_s);
    QTRY_COMPARE(hooks.runningCount(), 0);
}

void tst_HookRunner::shutdownGrace()
{
    QCOMPARE(HookRunner::kShutdownGraceMs, 2000);
    NetworkConfig config;
    config.hook = u"sleep 30"_s;
    auto hooks = std::make_unique<HookRunner>(config, 300);
    hooks->run(u"vpn_shutdown"_s);
    QCOMPARE(hooks->runningCount(), 1);
    QTest::ignoreMessage(QtWarningMsg, "Hook still running 300 ms after shutdown: stopping it");
    QElapsedTimer timer;
    timer.start();
    hooks.reset();
    QVERIFY2(timer.elapsed() >= 250 && timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void tst_HookRunner::shutdownWaitsForHooks()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(u"done"_s);
    NetworkConfig config;
    config.hook = u"sleep 0.2; echo done > '%1'"_s.arg(out);
    auto hooks = std::make_unique<HookRunner>(config);
    hooks->run(u"vpn_shutdown"_s);
    hooks.reset(); // within the grace time: the hook finishes
    QCOMPARE(readFile(out), QByteArray("done\n"));
}

QTEST_GUILESS_MAIN(tst_HookRunner)
#include "tst_hookrunner.moc"
