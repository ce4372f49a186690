#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "core/protocol/types.h"
#include "helper/control/controlserver.h"
#include "tests/fakes/helper/fakecontrolbackend.h"
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

/// A FakeControlBackend whose answers can be replaced by malformed ones (what a broken or hostile helper sends).
class MalformedBackend : public FakeControlBackend
{
public:
    QJsonObject status() const override { return statusAnswer ? *statusAnswer : FakeControlBackend::status(); }
    Result<QJsonArray> peers(const QString &network) const override
    {
        return listAnswer ? Result<QJsonArray>(*listAnswer) : FakeControlBackend::peers(network);
    }
    Result<QJsonArray> claims(const QString &network) const override
    {
        return listAnswer ? Result<QJsonArray>(*listAnswer) : FakeControlBackend::claims(network);
    }
    Result<QJsonArray> stats(const QString &network) const override
    {
        return listAnswer ? Result<QJsonArray>(*listAnswer) : FakeControlBackend::stats(network);
    }
    Result<QJsonObject> importProfile(const QString &yaml, const ControlCaller &caller) override
    {
        return importAnswer ? Result<QJsonObject>(*importAnswer) : FakeControlBackend::importProfile(yaml, caller);
    }

    std::optional<QJsonObject> statusAnswer;
    /// The list of peers.list, claims.list and stats.
    std::optional<QJsonArray> listAnswer;
    std::optional<QJsonObject> importAnswer;
};

/// Nodes as the helper names them (docs/control-protocol.md, "Node names"): two by configured peer name, one
/// without a name.
const QJsonObject kServerA {{u"nodeId"_s, u"054ded1a00000000000000000000000a"_s},
    {u"address"_s, u"192.0.2.11:3210"_s},
    {u"name"_s, u"server-a"_s},
    {u"nameSource"_s, u"peer"_s}};
const QJsonObject kServerB {{u"nodeId"_s, u"749e0d4200000000000000000000000b"_s},
    {u"address"_s, u"192.0.2.12:3210"_s},
    {u"name"_s, u"server-b"_s},
    {u"nameSource"_s, u"peer"_s}};
const QJsonObject kAnonymous {
    {u"nodeId"_s, u"a55bbcf500000000000000000000000c"_s}, {u"address"_s, u"192.0.2.13:3210"_s}};

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
        env.insert(u"LC_ALL"_s, u"C"_s); // sizes are formatted in the system locale
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

    /// Serves \a backend on m_path.
    bool serve(std::unique_ptr<FakeControlBackend> backend)
    {
        m_server.reset();
        m_backend = std::move(backend);
        m_server = std::make_unique<ControlServer>(*m_backend);
        m_server->setIdentityResolver([this](qintptr) {
            return std::optional<ControlCaller>(ControlCaller {m_role, m_role == Role::Admin ? 0u : 1000u, 1000, 9});
        });
        return m_server->listen(m_path).ok();
    }

    /// Serves a MalformedBackend instead of the plain fake; returns it for scripting (null if it cannot listen).
    MalformedBackend *useMalformedBackend()
    {
        auto backend = std::make_unique<MalformedBackend>();
        MalformedBackend *raw = backend.get();
        return serve(std::move(backend)) ? raw : nullptr;
    }

    /// Checks that \a r is nimbusctl's answer to a malformed message from the helper: exit 4, nothing on stdout,
    /// one error naming \a what.
    static void checkMalformed(const Run &r, const QString &what)
    {
        QCOMPARE(r.exitCode, 4);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        QVERIFY2(r.err.startsWith(u"nimbusctl: protocol error: malformed "_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(what), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 1);
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
        QVERIFY(serve(std::make_unique<FakeControlBackend>()));
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
        QTest::newRow("network with peers") << QStringList {u"peers"_s, u"--network"_s, u"office"_s};
        QTest::newRow("network without name") << QStringList {u"stats"_s, u"--network"_s, u""_s};
        QTest::newRow("stats with argument") << QStringList {u"stats"_s, u"office"_s};
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
        QVERIFY(r.out.contains(u"  stats [--network NAME]  "_s));
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
            QCOMPARE(line.indexOf(u"aaaaaaaa "_s), columnOf(r.out, u"NAME"_s)); // no name: the short node id
            QCOMPARE(line.indexOf(u"192.0.2.1:3210"_s), columnOf(r.out, u"ADDRESS"_s));
            QCOMPARE(line.indexOf(u"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"_s), columnOf(r.out, u"NODE ID"_s));
            QCOMPARE(line.indexOf(u"2023-11-14 22:13:20"_s), columnOf(r.out, u"CONNECTED SINCE"_s));
            QCOMPARE(line.indexOf(u"CHACHA20"_s), columnOf(r.out, u"ALGORITHM"_s));
            QCOMPARE(line.indexOf(u"100 bytes"_s), columnOf(r.out, u"RX"_s));
            QVERIFY(line.endsWith(u"200 bytes"_s));
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
        // A node without a name: its short node id.
        QCOMPARE(lines[1].indexOf(u"aaaaaaaa "_s), columnOf(r.out, u"SERVED BY"_s));
        QVERIFY(lines[1].endsWith(u"used"_s));
        const Run json = run({u"claims"_s, u"--json"_s});
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value(u"claims"_s).toArray(),
            m_backend->claims({}).value());
    }

    void statsTables()
    {
        m_backend->addNetwork(u"lab"_s);
        const Run r = run({u"stats"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.endsWith(u'\n'));
        // One table per network, a blank line between them.
        const QStringList tables = r.out.chopped(1).split(u"\n\n"_s);
        QCOMPARE(tables.size(), 2);
        const QList<std::pair<QString, qint64>> counters = Protocol::Stats {}.counters();
        for (int i = 0; i < 2; ++i) {
            const QStringList lines = tables[i].split(u'\n');
            QCOMPARE(lines.value(0), i == 0 ? u"network lab"_s : u"network office"_s);
            const QString table = lines.mid(1).join(u'\n');
            QVERIFY2(lines.value(1).startsWith(u"COUNTER  "_s), qPrintable(lines.value(1)));
            const qsizetype valueColumn = columnOf(table, u"VALUE"_s);
            QVERIFY(valueColumn > 0);
            QCOMPARE(lines.size(), 2 + counters.size());
            for (qsizetype row = 0; row < counters.size(); ++row) {
                const QString &line = lines[2 + row];
                const QString &name = counters[row].first;
                QVERIFY2(line.startsWith(name + u' '), qPrintable(line));
                // The fake's canned counters: rxBytes 1, txBytes 2, the rest absent (0).
                const QString value = name == u"rxBytes"_s ? u"1 bytes"_s
                    : name == u"txBytes"_s                 ? u"2 bytes"_s
                                                           : u"0"_s;
                QCOMPARE(line.mid(valueColumn), value);
                QCOMPARE(line.left(valueColumn).trimmed(), name);
            }
        }
    }

    void statsOfOneNetwork()
    {
        m_backend->addNetwork(u"lab"_s);
        const Run r = run({u"stats"_s, u"--network"_s, u"office"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"network office\nCOUNTER  "_s));
        QVERIFY(!r.out.contains(u"lab"_s));
        QVERIFY(r.out.contains(u"\nrxBytes "_s));

        const Run unknown = run({u"stats"_s, u"--network"_s, u"nope"_s});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(u"NOT_FOUND"_s), qPrintable(unknown.err));
        QVERIFY(unknown.out.isEmpty());
    }

    void statsWithoutNetworks()
    {
        m_backend->networks.clear();
        const Run r = run({u"stats"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"no network is connected\n"_s);
    }

    void statsJson()
    {
        m_backend->addNetwork(u"lab"_s);
        const Run r = run({u"--json"_s, u"stats"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), (QJsonObject {{u"networks"_s, m_backend->stats({}).value()}}));

        const Run one = run({u"stats"_s, u"--network"_s, u"lab"_s, u"--json"_s});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(one.out.toUtf8()).object(),
            (QJsonObject {{u"networks"_s, m_backend->stats(u"lab"_s).value()}}));
    }

    void malformedAnswers_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QJsonObject>("status");
        QTest::addColumn<QJsonArray>("list");
        QTest::addColumn<QString>("error");
        const QJsonObject noName {{u"helper"_s, u"0.1.0"_s},
            {u"mode"_s, u"service"_s},
            {u"networks"_s, QJsonArray {QJsonObject {{u"state"_s, u"connected"_s}}}}};
        const QJsonObject badNetworks {{u"helper"_s, u"0.1.0"_s}, {u"networks"_s, u"office"_s}};
        for (const bool json : {false, true}) {
            const QStringList prefix = json ? QStringList {u"--json"_s} : QStringList {};
            const char *suffix = json ? " --json" : "";
            QTest::addRow("status%s", suffix)
                << prefix + QStringList {u"status"_s} << noName << QJsonArray {}
                << u"malformed answer to status from the helper: networks[0].name: missing"_s;
            QTest::addRow("status networks not a list%s", suffix)
                << prefix + QStringList {u"status"_s} << badNetworks << QJsonArray {} << u"networks: "_s;
            QTest::addRow("peers%s", suffix)
                << prefix + QStringList {u"peers"_s} << QJsonObject {}
                << QJsonArray {QJsonObject {{u"network"_s, u"office"_s}}}
                << u"malformed answer to peers.list from the helper: peers[0].address: missing"_s;
            QTest::addRow("peers not objects%s", suffix)
                << prefix + QStringList {u"peers"_s} << QJsonObject {} << QJsonArray {1, 2} << u"peers[0]: "_s;
            QTest::addRow("claims%s", suffix)
                << prefix + QStringList {u"claims"_s} << QJsonObject {}
                << QJsonArray {QJsonObject {{u"network"_s, u"office"_s}, {u"range"_s, 32}}}
                << u"malformed answer to claims.list from the helper: claims[0].range: "_s;
            QTest::addRow("stats%s", suffix)
                << prefix + QStringList {u"stats"_s} << QJsonObject {} << QJsonArray {QJsonObject {{u"rxBytes"_s, 1}}}
                << u"malformed answer to stats from the helper: networks[0].network: missing"_s;
            QTest::addRow("stats counter%s", suffix)
                << prefix + QStringList {u"stats"_s} << QJsonObject {}
                << QJsonArray {QJsonObject {{u"network"_s, u"office"_s}, {u"txBytes"_s, u"many"_s}}}
                << u"networks[0].txBytes: "_s;
        }
        QTest::addRow("disconnect") << QStringList {u"disconnect"_s} << noName << QJsonArray {}
                                    << u"malformed answer to status from the helper: networks[0].name: missing"_s;
    }

    void malformedAnswers()
    {
        QFETCH(QStringList, args);
        QFETCH(QJsonObject, status);
        QFETCH(QJsonArray, list);
        QFETCH(QString, error);
        MalformedBackend *backend = useMalformedBackend();
        QVERIFY(backend);
        if (!status.isEmpty())
            backend->statusAnswer = status;
        if (!list.isEmpty())
            backend->listAnswer = list;
        checkMalformed(run(args), error);
        QCOMPARE(backend->networks.keys(), QStringList {u"office"_s}); // disconnect did not go ahead
    }

    void malformedImportAnswer_data()
    {
        QTest::addColumn<QJsonObject>("answer");
        QTest::addColumn<QString>("error");
        QTest::addRow("no profile") << QJsonObject {{u"warnings"_s, QJsonArray {}}}
                                    << u"malformed answer to profiles.import from the helper: profile: missing"_s;
        QTest::addRow("profile without name") << QJsonObject {{u"profile"_s, QJsonObject {{u"ip"_s, u"10.0.0.5/24"_s}}},
            {u"secret"_s, QJsonObject {{u"password"_s, u"pw"_s}}}}
                                              << u"profile.name: missing"_s;
        QTest::addRow("secret not an object") << QJsonObject {{u"profile"_s, QJsonObject {{u"name"_s, u"lab"_s}}},
            {u"secret"_s, u"pw"_s}} << u"secret: "_s;
        QTest::addRow("warnings not strings") << QJsonObject {{u"profile"_s, QJsonObject {{u"name"_s, u"lab"_s}}},
            {u"warnings"_s, QJsonArray {1}}} << u"warnings"_s;
    }

    void malformedImportAnswer()
    {
        QFETCH(QJsonObject, answer);
        QFETCH(QString, error);
        MalformedBackend *backend = useMalformedBackend();
        QVERIFY(backend);
        backend->importAnswer = answer;
        const QString profile = writeFile(u"p.yaml"_s, "name: lab\npassword: pw\n");
        checkMalformed(run({u"connect"_s, profile}), error);
        QCOMPARE(backend->connectCalls, 0);
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

    void recentEventsOfEveryType()
    {
        // The data as the helper sends it (helper/networkreporter.cpp); each line as nimbusctl always showed it.
        const QJsonObject node {
            {u"nodeId"_s, u"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"_s}, {u"address"_s, u"192.0.2.1:3210"_s}};
        const QJsonObject other {
            {u"nodeId"_s, u"ccccccccccccccccdddddddddddddddd"_s}, {u"address"_s, u"192.0.2.2:3210"_s}};
        const QList<std::pair<QString, QJsonObject>> events {
            {u"network.state"_s, {{u"network"_s, u"office"_s}, {u"state"_s, u"error"_s}, {u"error"_s, u"no device"_s}}},
            {u"peer.connected"_s, m_backend->peers(u"office"_s).value().first().toObject()},
            {u"peer.disconnected"_s,
                {{u"network"_s, u"office"_s},
                    {u"address"_s, u"192.0.2.1:3210"_s},
                    {u"nodeId"_s, node.value(u"nodeId"_s)},
                    {u"reason"_s, u"silent"_s}}},
            {u"claims.changed"_s, {{u"network"_s, u"office"_s}, {u"claims"_s, m_backend->claims({}).value()}}},
            {u"route.failover"_s,
                {{u"network"_s, u"office"_s},
                    {u"range"_s, u"10.0.0.1/32"_s},
                    {u"address"_s, u"10.0.0.1"_s},
                    {u"from"_s, node},
                    {u"to"_s, other},
                    {u"reason"_s, u"unreachable"_s},
                    {u"unreachableMs"_s, 367},
                    {u"time"_s, qint64(1700000002000)}}},
            {u"route.failover"_s,
                {{u"network"_s, u"office"_s},
                    {u"range"_s, u"10.0.0.1/32"_s},
                    {u"from"_s, node},
                    {u"to"_s, QJsonValue::Null},
                    {u"reason"_s, u"timeout"_s},
                    {u"unreachableMs"_s, 0}}},
            {u"path.recovered"_s,
                {{u"network"_s, u"office"_s},
                    {u"peer"_s, node},
                    {u"cause"_s, u"roamed"_s},
                    {u"gapMs"_s, 250},
                    {u"previousAddress"_s, u"192.0.2.9:3210"_s},
                    {u"time"_s, qint64(1700000003000)}}},
            {u"path.recovered"_s,
                {{u"network"_s, u"office"_s},
                    {u"peer"_s, node},
                    {u"cause"_s, u"rebound"_s},
                    {u"gapMs"_s, 10},
                    {u"previousAddress"_s, QJsonValue::Null},
                    {u"time"_s, qint64(1700000003000)}}},
            {u"network.changed"_s,
                {{u"network"_s, u"office"_s}, {u"what"_s, u"addresses"_s}, {u"time"_s, qint64(1700000004000)}}},
            {u"network.resumed"_s,
                {{u"network"_s, u"office"_s},
                    {u"pausedMs"_s, 60000},
                    {u"what"_s, u"sleep"_s},
                    {u"time"_s, qint64(1700000005000)}}},
            {u"stats"_s,
                {{u"network"_s, u"office"_s},
                    {u"rxBytes"_s, 1},
                    {u"txBytes"_s, 2},
                    {u"rxPackets"_s, 3},
                    {u"txPackets"_s, 4}}},
            {u"log"_s,
                {{u"network"_s, u"office"_s},
                    {u"level"_s, u"warning"_s},
                    {u"message"_s, u"handshake with 192.0.2.3:3210 failed: no common algorithms"_s}}},
            {u"resync"_s, {}},
            {u"future.event"_s, {{u"network"_s, u"office"_s}, {u"answer"_s, 42}}},
        };
        for (const auto &[name, data] : events) {
            m_backend->recent.append(
                QJsonObject {{u"event"_s, name}, {u"time"_s, qint64(1700000000000)}, {u"data"_s, data}});
        }
        const Run r = run({u"events"_s});
        QCOMPARE(r.exitCode, 0);
        const QString t = u"2023-11-14 22:13:20  "_s;
        const QStringList expected {
            t + u"network.state  office  error=no device  state=error"_s,
            t
                + u"peer.connected  office  address=192.0.2.1:3210  algorithm=CHACHA20  claims=[\"10.0.0.1/32\"]  "
                  "connectedSince=1700000000000  initiator=yes  lastSeen=1700000001000  "
                  "nodeId=aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb  rxBytes=100  rxPackets=1  suspect=no  txBytes=200  txPackets=2"_s,
            t + u"peer.disconnected  office  address=192.0.2.1:3210  nodeId=aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb  reason=silent"_s,
            t + u"claims.changed  office  claims="_s
                + QString::fromUtf8(QJsonDocument(m_backend->claims({}).value()).toJson(QJsonDocument::Compact)),
            t + u"route.failover  office  10.0.0.1/32  aaaaaaaa -> cccccccc  unreachable  367 ms"_s,
            t + u"route.failover  office  10.0.0.1/32  aaaaaaaa -> -  timeout  0 ms"_s,
            t + u"path.recovered  office  cause=roamed  gapMs=250  peer="_s
                + QString::fromUtf8(QJsonDocument(node).toJson(QJsonDocument::Compact))
                + u"  previousAddress=192.0.2.9:3210  time=1700000003000"_s,
            t + u"path.recovered  office  cause=rebound  gapMs=10  peer="_s
                + QString::fromUtf8(QJsonDocument(node).toJson(QJsonDocument::Compact))
                + u"  previousAddress=-  time=1700000003000"_s,
            t + u"network.changed  office  time=1700000004000  what=addresses"_s,
            t + u"network.resumed  office  pausedMs=60000  time=1700000005000  what=sleep"_s,
            t + u"stats  office  rxBytes=1  rxPackets=3  txBytes=2  txPackets=4"_s,
            t + u"log  office  level=warning  message=handshake with 192.0.2.3:3210 failed: no common algorithms"_s,
            t + u"resync"_s,
            t + u"future.event  {\"answer\":42,\"network\":\"office\"}"_s,
        };
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), expected.size());
        for (qsizetype i = 0; i < lines.size(); ++i)
            QCOMPARE(lines[i], expected[i]);

        // --json: what the helper sent, one object per line.
        const Run json = run({u"--json"_s, u"events"_s});
        QCOMPARE(json.exitCode, 0);
        const QStringList jsonLines = json.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(jsonLines.size(), m_backend->recent.size());
        for (qsizetype i = 0; i < jsonLines.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson(jsonLines[i].toUtf8()).object(), m_backend->recent[i].toObject());
    }

    void namesInPeersAndClaims()
    {
        // A named node is shown by its name in peers and claims; --json passes the helper's answer through, node ids
        // and addresses untouched.
        MalformedBackend *backend = useMalformedBackend();
        QVERIFY(backend);
        const QJsonObject peer {{u"network"_s, u"office"_s},
            {u"address"_s, u"192.0.2.11:3210"_s},
            {u"nodeId"_s, u"054ded1a00000000000000000000000a"_s},
            {u"name"_s, u"server-a"_s},
            {u"nameSource"_s, u"peer"_s},
            {u"claims"_s, QJsonArray {u"10.0.0.1/32"_s}}};
        backend->listAnswer = QJsonArray {peer};
        Run r = run({u"peers"_s});
        QCOMPARE(r.exitCode, 0);
        QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[1].indexOf(u"server-a "_s), columnOf(r.out, u"NAME"_s));
        QCOMPARE(lines[1].indexOf(u"054ded1a00000000000000000000000a"_s), columnOf(r.out, u"NODE ID"_s));
        r = run({u"--json"_s, u"peers"_s});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"peers"_s).toArray(), QJsonArray {peer});

        const QJsonObject a = kServerA;
        QJsonObject b = kServerB;
        b.insert(u"name"_s, u"server-b.lan"_s);
        b.insert(u"nameSource"_s, u"hosts"_s);
        const QJsonObject anonymous = kAnonymous;
        const auto claimant = [](QJsonObject node) {
            node.insert(u"since"_s, qint64(1700000000000));
            return node;
        };
        const QJsonObject claim {{u"network"_s, u"office"_s},
            {u"range"_s, u"10.0.0.1/32"_s},
            {u"servedBy"_s, a},
            {u"claimants"_s, QJsonArray {claimant(a), claimant(b), claimant(anonymous)}}};
        backend->listAnswer = QJsonArray {claim};
        r = run({u"claims"_s});
        QCOMPARE(r.exitCode, 0);
        lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[1].indexOf(u"server-a "_s), columnOf(r.out, u"SERVED BY"_s));
        QCOMPARE(lines[1].indexOf(u"server-a,server-b.lan,a55bbcf5 "_s), columnOf(r.out, u"CLAIMANTS"_s));
        r = run({u"--json"_s, u"claims"_s});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"claims"_s).toArray(), QJsonArray {claim});
    }

    void routeEventsByKind()
    {
        // Each kind of route change as one line, by name (else the short node id); a failover with when it was
        // detected (local time), how long traffic had no path and when the old node was last heard from.
        const QJsonObject a = kServerA;
        const QJsonObject b = kServerB;
        const QJsonObject anonymous = kAnonymous;
        const qint64 detected = 1700000010250;
        const auto change
            = [](const QString &kind, const QJsonValue &from, const QJsonValue &to, const QString &reason) {
                  return QJsonObject {{u"network"_s, u"office"_s},
                      {u"range"_s, u"10.0.0.1/32"_s},
                      {u"address"_s, u"10.0.0.1"_s},
                      {u"from"_s, from},
                      {u"to"_s, to},
                      {u"reason"_s, reason},
                      {u"unreachableMs"_s, 0},
                      {u"kind"_s, kind}};
              };
        QJsonObject failover = change(u"failover"_s, a, b, u"unreachable"_s);
        failover.insert(u"unreachableMs"_s, 1800);
        failover.insert(u"detectedAt"_s, detected);
        failover.insert(u"lastSeenAt"_s, detected - 1800);
        failover.insert(u"noPathMs"_s, 420);
        QJsonObject quiet = change(u"failover"_s, b, anonymous, u"timeout"_s); // no traffic: no noPathMs
        quiet.insert(u"detectedAt"_s, detected);
        quiet.insert(u"lastSeenAt"_s, detected - 12'500);
        QJsonObject lost = change(u"lost"_s, b, QJsonValue::Null, u"closed"_s);
        lost.insert(u"detectedAt"_s, detected);
        lost.insert(u"lastSeenAt"_s, detected);
        QJsonObject again = change(u"reachable"_s, QJsonValue::Null, a, u"new-claimant"_s);
        again.insert(u"unreachableMs"_s, 2500);
        const QList<QJsonObject> data {
            change(u"reachable"_s, QJsonValue::Null, a, u"new-claimant"_s),
            change(u"move"_s, a, b, u"preferred"_s),
            failover,
            quiet,
            change(u"switchback"_s, anonymous, b, u"more-specific"_s),
            lost,
            again,
        };
        for (const QJsonObject &d : data) {
            m_backend->recent.append(
                QJsonObject {{u"event"_s, u"route.failover"_s}, {u"time"_s, qint64(1700000000000)}, {u"data"_s, d}});
        }
        const Run r = run({u"events"_s});
        QCOMPARE(r.exitCode, 0);
        const QString t = u"2023-11-14 22:13:20  route.failover  office  10.0.0.1/32  "_s;
        const QString at = QDateTime::fromMSecsSinceEpoch(detected).toString(u"HH:mm:ss.zzz"_s);
        const QStringList expected {
            t + u"reachable via server-a"_s,
            t + u"move server-a → server-b (preferred)"_s,
            t + u"failover server-a → server-b (unreachable): detected "_s + at
                + u", no path 0.42 s, last heard 1.80 s before"_s,
            t + u"failover server-b → a55bbcf5 (timeout): detected "_s + at
                + u", no path unknown, last heard 12.5 s before"_s,
            t + u"switchback a55bbcf5 → server-b (more-specific)"_s,
            t + u"lost server-b (closed), nobody serves it: detected "_s + at + u", last heard 0.00 s before"_s,
            t + u"reachable via server-a, after 2.50 s without a server"_s,
        };
        QCOMPARE(r.out.split(u'\n', Qt::SkipEmptyParts), expected);
        // --json: the events as the helper sent them.
        const Run json = run({u"--json"_s, u"events"_s});
        const QStringList jsonLines = json.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(jsonLines.size(), data.size());
        for (qsizetype i = 0; i < jsonLines.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson(jsonLines[i].toUtf8()).object(), m_backend->recent[i].toObject());
    }

    void malformedRecentEvent_data()
    {
        QTest::addColumn<QJsonValue>("event");
        QTest::addColumn<QString>("error");
        QTest::addRow("failover without range")
            << QJsonValue(QJsonObject {{u"event"_s, u"route.failover"_s},
                   {u"time"_s, qint64(1700000000000)},
                   {u"data"_s, QJsonObject {{u"network"_s, u"office"_s}, {u"reason"_s, u"timeout"_s}}}})
            << u"malformed answer to events.subscribe from the helper: snapshot.events[1].data.range: missing"_s;
        QTest::addRow("peer without address") << QJsonValue(
            QJsonObject {{u"event"_s, u"peer.connected"_s}, {u"data"_s, QJsonObject {{u"network"_s, u"office"_s}}}})
                                              << u"snapshot.events[1].data.address: missing"_s;
        QTest::addRow("data not an object")
            << QJsonValue(QJsonObject {{u"event"_s, u"log"_s}, {u"data"_s, u"text"_s}}) << u"events[1].data: "_s;
        QTest::addRow("not an object") << QJsonValue(u"network.state"_s) << u"events[1]: "_s;
        QTest::addRow("no name") << QJsonValue(QJsonObject {{u"data"_s, QJsonObject {}}}) << u"events[1].event: "_s;
    }

    void malformedRecentEvent()
    {
        QFETCH(QJsonValue, event);
        QFETCH(QString, error);
        m_backend->recent.append(QJsonObject {{u"event"_s, u"log"_s},
            {u"time"_s, qint64(1700000000000)},
            {u"data"_s, QJsonObject {{u"message"_s, u"fine"_s}}}});
        m_backend->recent.append(event);
        checkMalformed(run({u"events"_s}), error);
        checkMalformed(run({u"events"_s, u"--json"_s}), error);
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

    void followEventsEndsOnAMalformedEvent()
    {
        QProcess process;
        startCtl(process, {u"--socket"_s, m_path, u"events"_s, u"--follow"_s}, environment());
        QVERIFY(process.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_server->sessions().isEmpty() && m_server->sessions().first()->isSubscribed(), 20000);
        QSignalSpy finished(&process, &QProcess::finished);
        m_server->publishEvent(u"peer.connected"_s, QJsonObject {{u"network"_s, u"office"_s}});
        QVERIFY(finished.wait(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 4);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(err,
            u"nimbusctl: protocol error: malformed event peer.connected from the helper: data.address: missing\n"_s);
        QVERIFY(process.readAllStandardOutput().isEmpty());
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
