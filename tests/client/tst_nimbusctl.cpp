#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "helper/control/controlserver.h"
#include "tests/support/controlsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Test;
using Protocol::Role;

namespace
{

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/// The column where \a header starts in the first line of \a table.
qsizetype columnOf(const QString &table, const QString &header)
{
    return table.section(u'\n', 0, 0).indexOf(header);
}

} // namespace

/// Runs the real nimbusctl executable against a ControlServer with a fake backend.
class tst_NimbusCtl : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FakeControlBackend> m_backend;
    std::unique_ptr<ControlServer> m_server;
    Role m_role = Role::Operator;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"NIMBUS_ALLOW_USER_HELPER"_s, u"1"_s);
        env.insert(u"TZ"_s, u"UTC"_s);
        env.remove(u"NIMBUS_PASSWORD"_s);
        env.remove(u"NIMBUS_SOCKET"_s);
        return env;
    }

    void startCtl(QProcess &process, const QStringList &args, const QProcessEnvironment &env)
    {
        process.setProgram(QStringLiteral(NIMBUSCTL_PATH));
        process.setArguments(args);
        process.setProcessEnvironment(env);
        process.start();
    }

    /// Runs nimbusctl with \a args (and `--socket` to our server unless \a withSocket is false) while the event
    /// loop serves it.
    Run run(const QStringList &args, bool withSocket = true, const QProcessEnvironment &extra = {})
    {
        QProcess process;
        QProcessEnvironment env = environment();
        for (const QString &key : extra.keys())
            env.insert(key, extra.value(key));
        startCtl(process, withSocket ? QStringList {u"--socket"_s, m_path} + args : args, env);
        QSignalSpy finished(&process, &QProcess::finished);
        if (!process.waitForStarted(10000))
            return {};
        if (process.state() != QProcess::NotRunning && !finished.wait(30000))
            process.kill();
        Run r;
        r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        r.out = QString::fromUtf8(process.readAllStandardOutput());
        r.err = QString::fromUtf8(process.readAllStandardError());
        return r;
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"control.sock"_s);
        QVERIFY(QFileInfo::exists(QStringLiteral(NIMBUSCTL_PATH)));
    }

    void init()
    {
        m_role = Role::Operator;
        m_backend = std::make_unique<FakeControlBackend>();
        m_server = std::make_unique<ControlServer>(*m_backend);
        m_server->setIdentityResolver([this](qintptr) {
            return std::optional<ControlCaller>(ControlCaller {m_role, m_role == Role::Admin ? 0u : 1000u, 1000, 9});
        });
        QVERIFY(m_server->listen(m_path).ok());
    }

    void cleanup()
    {
        m_server.reset();
        m_backend.reset();
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList {};
        QTest::newRow("unknown command") << QStringList {u"frobnicate"_s};
        QTest::newRow("unknown option") << QStringList {u"--bogus"_s, u"status"_s};
        QTest::newRow("extra argument") << QStringList {u"status"_s, u"extra"_s};
        QTest::newRow("connect without file") << QStringList {u"connect"_s};
        QTest::newRow("follow with status") << QStringList {u"status"_s, u"--follow"_s};
        QTest::newRow("name with status") << QStringList {u"status"_s, u"--name"_s, u"x"_s};
        QTest::newRow("socket without path") << QStringList {u"status"_s, u"--socket"_s};
        QTest::newRow("missing profile file") << QStringList {u"connect"_s, u"/nonexistent/profile.yaml"_s};
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        const Run r = run(args, false);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"nimbusctl: "_s), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(m_backend->connectCalls, 0);
    }

    void help()
    {
        const Run r = run({u"--help"_s}, false);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"Exit codes:"_s));
        for (const QString &code : {u"  0  "_s, u"  1  "_s, u"  2  "_s, u"  3  "_s, u"  4  "_s})
            QVERIFY2(r.out.contains(code), qPrintable(code));
    }

    void missingSocket()
    {
        const Run r = run({u"--socket"_s, m_dir.filePath(u"nope.sock"_s), u"status"_s}, false);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"not running"_s), qPrintable(r.err));
    }

    void socketFromEnvironment()
    {
        QProcessEnvironment extra;
        extra.insert(u"NIMBUS_SOCKET"_s, m_path);
        QCOMPARE(run({u"status"_s}, false, extra).exitCode, 0);
    }

    void statusTable()
    {
        const Run r = run({u"status"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out,
            u"helper 0.1.0, service mode\n"
            "NETWORK  STATE      DEVICE   ADDRESS        PEERS  CLAIMS         RX       TX\n"
            "office   connected  nimbus0  10.0.0.100/24  2/2    10.0.0.100/32  1.5 KiB  2.0 MiB\n"_s);
    }

    void statusJson()
    {
        const Run r = run({u"--json"_s, u"status"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), m_backend->status());
    }

    void peersTable()
    {
        m_backend->addNetwork(u"lab"_s);
        const Run r = run({u"peers"_s});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(u"NETWORK"_s));
        for (const QString &line : lines.mid(1)) {
            QCOMPARE(line.indexOf(u"192.0.2.1:3210"_s), columnOf(r.out, u"ADDRESS"_s));
            QCOMPARE(line.indexOf(u"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"_s), columnOf(r.out, u"NODE ID"_s));
            QCOMPARE(line.indexOf(u"2023-11-14 22:13:20"_s), columnOf(r.out, u"CONNECTED SINCE"_s));
            QCOMPARE(line.indexOf(u"CHACHA20"_s), columnOf(r.out, u"ALGORITHM"_s));
            QCOMPARE(line.indexOf(u"100 B"_s), columnOf(r.out, u"RX"_s));
            QVERIFY(line.endsWith(u"200 B"_s));
        }
        QVERIFY(lines[1].startsWith(u"lab "_s));
        QVERIFY(lines[2].startsWith(u"office "_s));

        const Run one = run({u"peers"_s, u"office"_s});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(one.out.count(u'\n'), 2);
    }

    void claimsTable()
    {
        const Run r = run({u"claims"_s});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[1].indexOf(u"10.0.0.1/32"_s), columnOf(r.out, u"RANGE"_s));
        QCOMPARE(lines[1].indexOf(u"192.0.2.1:3210"_s), columnOf(r.out, u"SERVED BY"_s));
        QVERIFY(lines[1].endsWith(u"used"_s));
        const Run json = run({u"claims"_s, u"--json"_s});
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(u"claims"_s).toArray(),
            m_backend->claims({}).value());
    }

    void helperErrorIsExit1()
    {
        const Run r = run({u"peers"_s, u"nope"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"NOT_FOUND"_s), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        const Run json = run({u"--json"_s, u"peers"_s, u"nope"_s});
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8())
                     .object()
                     .value(u"error"_s)
                     .toObject()
                     .value(u"code"_s)
                     .toString(),
            u"NOT_FOUND"_s);
    }

    void observerCannotConnect()
    {
        m_role = Role::Observer;
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\npassword: pw\n");
        const Run r = run({u"connect"_s, profile});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"PERMISSION_DENIED"_s));
        QVERIFY(r.err.contains(u"hint: add your user to group nimbus"_s));
        QCOMPARE(m_backend->connectCalls, 0);
    }

    void connectWithPasswordFromTheProfile()
    {
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\nip: 10.0.0.5/24\npassword: from-yaml\n");
        const Run r = run({u"connect"_s, profile});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"connected lab\n"_s);
        QVERIFY(r.err.contains(u"warning: a warning"_s));
        QCOMPARE(m_backend->lastSecret, (QJsonObject {{u"password"_s, u"from-yaml"_s}}));
        QCOMPARE(m_backend->lastProfile.value(u"ip"_s).toString(), u"10.0.0.5/24"_s);
    }

    void connectWithPasswordFileAndName()
    {
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\npassword: from-yaml\n");
        const QString password = writeFile(u"pw.txt"_s, "from-file\n");
        const Run r = run({u"connect"_s, profile, u"--name"_s, u"other"_s, u"--password-file"_s, password});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"connected other\n"_s);
        QCOMPARE(m_backend->lastSecret, (QJsonObject {{u"password"_s, u"from-file"_s}}));
        QCOMPARE(m_backend->lastProfile.value(u"name"_s).toString(), u"other"_s);
    }

    void connectWithPasswordFromEnvironment()
    {
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\n");
        QProcessEnvironment extra;
        extra.insert(u"NIMBUS_PASSWORD"_s, u"from-env"_s);
        const Run r = run({u"connect"_s, profile}, true, extra);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(m_backend->lastSecret, (QJsonObject {{u"password"_s, u"from-env"_s}}));
    }

    void connectWithoutPassword()
    {
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\n");
        const Run r = run({u"connect"_s, profile});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"no password"_s));
        QCOMPARE(m_backend->connectCalls, 0);
    }

    void connectWithInvalidProfile()
    {
        const QString profile = writeFile(u"p.yaml"_s, "bogus: 1\n");
        const Run r = run({u"connect"_s, profile});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"INVALID_PROFILE"_s));
    }

    void disconnect()
    {
        const Run r = run({u"disconnect"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"disconnected office\n"_s);
        QVERIFY(m_backend->networks.isEmpty());
        QCOMPARE(run({u"disconnect"_s}).exitCode, 1); // nothing left
        QCOMPARE(run({u"disconnect"_s, u"nope"_s}).exitCode, 1);
    }

    void disconnectNeedsANameWhenSeveral()
    {
        m_backend->addNetwork(u"lab"_s);
        const Run r = run({u"disconnect"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"lab, office"_s));
        QCOMPARE(m_backend->networks.size(), 2);
        QCOMPARE(run({u"disconnect"_s, u"lab"_s}).exitCode, 0);
        QCOMPARE(m_backend->networks.keys(), QStringList {u"office"_s});
    }

    void shutdown()
    {
        QCOMPARE(run({u"shutdown"_s}).exitCode, 1);
        QCOMPARE(m_backend->shutdownCalls, 0);
        m_role = Role::Admin;
        const Run r = run({u"shutdown"_s});
        QCOMPARE(r.exitCode, 0);
        QTRY_COMPARE(m_backend->shutdownCalls, 1);
    }

    void recentEvents()
    {
        m_backend->recent.append(QJsonObject {{u"event"_s, u"network.state"_s},
            {u"time"_s, qint64(1700000000000)},
            {u"data"_s, QJsonObject {{u"network"_s, u"office"_s}, {u"state"_s, u"connected"_s}}}});
        m_backend->recent.append(QJsonObject {{u"event"_s, u"log"_s},
            {u"time"_s, qint64(1700000001000)},
            {u"data"_s, QJsonObject {{u"message"_s, u"two\nlines"_s}}}});
        const Run r = run({u"events"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out,
            u"2023-11-14 22:13:20  network.state  office  state=connected\n"
            "2023-11-14 22:13:21  log  message=two?lines\n"_s);
    }

    void followEvents_data()
    {
        QTest::addColumn<bool>("json");
        QTest::newRow("text") << false;
        QTest::newRow("json") << true;
    }

    void followEvents()
    {
        QFETCH(bool, json);
        QProcess process;
        QStringList args {u"--socket"_s, m_path, u"events"_s, u"--follow"_s};
        if (json)
            args.append(u"--json"_s);
        startCtl(process, args, environment());
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_server->sessions().isEmpty() && m_server->sessions().first()->isSubscribed(), 20000);
        for (int i = 0; i < 3; ++i)
            m_server->publishEvent(u"peer.connected"_s,
                QJsonObject {{u"network"_s, u"office"_s}, {u"address"_s, u"192.0.2.%1:3210"_s.arg(i)}});
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT((out += QString::fromUtf8(process.readAllStandardOutput())).count(u'\n') >= 3, 20000);
        const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 3; ++i) {
            if (json) {
                const QJsonObject e = QJsonDocument::fromJson(lines[i].toUtf8()).object();
                QCOMPARE(e.value(u"seq"_s).toInteger(), i + 1);
                QCOMPARE(e.value(u"event"_s).toString(), u"peer.connected"_s);
            } else {
                QVERIFY2(
                    lines[i].contains(u"  #%1  peer.connected  office  address=192.0.2.%2:3210"_s.arg(i + 1).arg(i)),
                    qPrintable(lines[i]));
            }
        }
        // It runs until interrupted.
        QCOMPARE(process.state(), QProcess::Running);
        QSignalSpy finished(&process, &QProcess::finished);
        process.terminate();
        QVERIFY(finished.wait(10000));
    }

    void followEventsEndsWhenTheHelperGoes()
    {
        QProcess process;
        startCtl(process, {u"--socket"_s, m_path, u"events"_s, u"--follow"_s}, environment());
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_server->sessions().isEmpty() && m_server->sessions().first()->isSubscribed(), 20000);
        QSignalSpy finished(&process, &QProcess::finished);
        m_server->close();
        QVERIFY(finished.wait(20000));
        QCOMPARE(process.exitCode(), 3);
    }

    void protocolErrorIsExit4()
    {
        m_server->close();
        QLocalServer raw;
        QVERIFY(raw.listen(m_path));
        connect(&raw, &QLocalServer::newConnection, this, [&raw] {
            QLocalSocket *s = raw.nextPendingConnection();
            connect(s, &QLocalSocket::readyRead, s, [s] {
                s->readAll();
                s->write(QByteArray(4, '\0'));
            });
        });
        const Run r = run({u"status"_s});
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.err.contains(u"protocol error"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(tst_NimbusCtl)
#include "tst_nimbusctl.moc"
