#include <unistd.h>

#include <QLocalServer>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include "client/controlclient.h"
#include "core/protocol/envelope.h"
#include "core/protocol/methodtable.h"
#include "helper/control/controlserver.h"
#include "tests/fakes/helper/fakecontrolbackend.h"
#include "tests/support/controlsupport.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Test;
using Protocol::Role;
using State = ControlClient::State;

class tst_ControlClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FakeControlBackend> m_backend;
    std::unique_ptr<ControlServer> m_server;
    Role m_role = Role::Operator;

    std::unique_ptr<ControlClient> makeClient()
    {
        auto c = std::make_unique<ControlClient>();
        c->setSocketPath(m_path);
        c->setTrustedServerUids({0, quint32(::getuid())});
        c->setClientName(u"tst_controlclient"_s);
        return c;
    }

    static bool waitForState(ControlClient &c, State state)
    {
        if (c.state() == state)
            return true;
        QSignalSpy spy(&c, &ControlClient::stateChanged);
        for (int i = 0; i < 100 && c.state() != state; ++i)
            spy.wait(100);
        return c.state() == state;
    }

    /// Sends a request and waits for its reply.
    static ControlClientReply call(ControlClient &c, Protocol::Method method, const QJsonObject &params = {})
    {
        std::optional<ControlClientReply> reply;
        c.request(method, params, &c, [&reply](const ControlClientReply &r) { reply = r; });
        for (int i = 0; i < 500 && !reply; ++i)
            QTest::qWait(10);
        return reply.value_or(ControlClientReply {});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"control.sock"_s);
    }

    void init()
    {
        m_role = Role::Operator;
        m_backend = std::make_unique<FakeControlBackend>();
        m_server = std::make_unique<ControlServer>(*m_backend);
        m_server->setIdentityResolver([this](qintptr) {
            return std::optional<ControlCaller>(ControlCaller {m_role, 1000, 1000, 7});
        });
        QVERIFY(m_server->listen(m_path).ok());
    }

    void cleanup()
    {
        m_server.reset();
        m_backend.reset();
    }

    void defaultTrust()
    {
        qunsetenv("NIMBUS_ALLOW_USER_HELPER");
        ControlClient plain;
        QVERIFY(plain.trustedServerUids().contains(0));
        if (::getuid() != 0)
            QVERIFY(!plain.trustedServerUids().contains(quint32(::getuid())));
        qputenv("NIMBUS_ALLOW_USER_HELPER", "1");
        ControlClient allowing;
        QVERIFY(allowing.trustedServerUids().contains(quint32(::getuid())));
        qunsetenv("NIMBUS_ALLOW_USER_HELPER");
    }

    void socketPathFromEnvironment()
    {
        qunsetenv("NIMBUS_SOCKET");
        QCOMPARE(ControlClient::socketPathFromEnvironment(), u"/run/nimbus/control.sock"_s);
        qputenv("NIMBUS_SOCKET", "/tmp/x.sock");
        QCOMPARE(ControlClient::socketPathFromEnvironment(), u"/tmp/x.sock"_s);
        qunsetenv("NIMBUS_SOCKET");
    }

    void helloMakesReady()
    {
        auto c = makeClient();
        QSignalSpy ready(c.get(), &ControlClient::ready);
        c->connectToHelper();
        QCOMPARE(c->state(), State::Connecting);
        QVERIFY(waitForState(*c, State::Ready));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(c->role(), u"operator"_s);
        QCOMPARE(c->capabilities(), Protocol::allowedMethods(Role::Operator));
        QCOMPARE(c->helperMode(), u"service"_s);
        QVERIFY(!c->helperVersion().isEmpty());
    }

    void resultsAndErrors()
    {
        auto c = makeClient();
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Ready));
        const ControlClientReply status = call(*c, Protocol::Method::Status);
        QVERIFY(status.ok);
        QCOMPARE(status.result, m_backend->status());
        const ControlClientReply missing
            = call(*c, Protocol::Method::PeersList, QJsonObject {{u"network"_s, u"nope"_s}});
        QVERIFY(!missing.ok);
        QCOMPARE(missing.error.code, u"NOT_FOUND"_s);
        QVERIFY(missing.error.message.contains(u"nope"_s));
        const ControlClientReply denied = call(*c, Protocol::Method::HelperShutdown);
        QCOMPARE(denied.error.code, u"PERMISSION_DENIED"_s);
        QVERIFY(!denied.error.hint.isEmpty());
    }

    void requestsWhileConnectingWaitForHello()
    {
        auto c = makeClient();
        c->connectToHelper();
        QList<int> order;
        c->request(Protocol::Method::Status, {}, c.get(), [&order](const ControlClientReply &r) {
            order.append(r.ok ? 1 : -1);
        });
        c->request(Protocol::Method::Stats, {}, c.get(), [&order](const ControlClientReply &r) {
            order.append(r.ok ? 2 : -2);
        });
        QTRY_COMPARE(order, (QList<int> {1, 2}));
    }

    void requestsWhenIdleFail()
    {
        auto c = makeClient();
        std::optional<ControlClientReply> reply;
        QCOMPARE(
            c->request(Protocol::Method::Status, {}, c.get(), [&reply](const ControlClientReply &r) { reply = r; }), 0);
        QVERIFY(!reply); // queued, not synchronous
        QTRY_VERIFY(reply.has_value());
        QCOMPARE(reply->error.code, ControlClientReply::connectionLost());
    }

    void handlerSkippedWhenContextIsGone()
    {
        auto c = makeClient();
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Ready));
        bool called = false;
        auto *context = new QObject;
        c->request(Protocol::Method::Status, {}, context, [&called](const ControlClientReply &) { called = true; });
        delete context;
        // A later request's answer proves the first one's has arrived too.
        QVERIFY(call(*c, Protocol::Method::Status).ok);
        QVERIFY(!called);
    }

    void events()
    {
        auto c = makeClient();
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Ready));
        QSignalSpy spy(c.get(), &ControlClient::eventReceived);
        const ControlClientReply sub = call(*c, Protocol::Method::EventsSubscribe);
        QVERIFY(sub.ok);
        m_server->publishEvent(
            u"network.state"_s, QJsonObject {{u"network"_s, u"office"_s}, {u"state"_s, u"degraded"_s}});
        m_server->publishEvent(u"log"_s, {});
        QTRY_COMPARE(spy.size(), 2);
        QCOMPARE(spy.at(0).at(0).toString(), u"network.state"_s);
        QCOMPARE(spy.at(0).at(1).toLongLong(), 1);
        QCOMPARE(spy.at(0).at(3).toJsonObject().value(u"state"_s).toString(), u"degraded"_s);
        QCOMPARE(spy.at(1).at(1).toLongLong(), 2);
    }

    void notRunning()
    {
        auto c = makeClient();
        c->setSocketPath(m_dir.filePath(u"missing.sock"_s));
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::NotRunning));
        QVERIFY2(c->errorString().contains(u"not running"_s), qPrintable(c->errorString()));
    }

    void permissionDenied()
    {
        if (::getuid() == 0)
            QSKIP("root may open any socket");
        QVERIFY(QFile::setPermissions(m_path, QFileDevice::ReadOwner));
        auto c = makeClient();
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::PermissionDenied));
        QVERIFY(c->errorString().contains(u"group nimbus"_s));
    }

    void untrustedServerGetsNothing()
    {
        QList<ControlSession *> sessions;
        connect(m_server.get(), &ControlServer::sessionOpened, this, [&sessions](ControlSession *s) {
            sessions.append(s);
        });
        bool helloSeen = false;
        connect(m_server.get(), &ControlServer::sessionOpened, this, [&helloSeen](ControlSession *s) {
            connect(s, &ControlSession::closed, s, [s, &helloSeen] { helloSeen = helloSeen || s->helloDone(); });
        });
        auto c = makeClient();
        c->setTrustedServerUids({4000000});
        std::optional<ControlClientReply> reply;
        c->connectToHelper();
        c->request(Protocol::Method::NetworksConnect,
            QJsonObject {{u"profile"_s, QJsonObject {{u"name"_s, u"lab"_s}}},
                {u"secret"_s, QJsonObject {{u"password"_s, u"pw"_s}}}},
            c.get(),
            [&reply](const ControlClientReply &r) { reply = r; });
        QVERIFY(waitForState(*c, State::Untrusted));
        QVERIFY2(c->errorString().contains(u"NIMBUS_ALLOW_USER_HELPER"_s), qPrintable(c->errorString()));
        QTRY_VERIFY(reply.has_value());
        QCOMPARE(reply->error.code, ControlClientReply::connectionLost());
        QTRY_VERIFY(m_server->sessions().isEmpty());
        QVERIFY(!helloSeen);
        QCOMPARE(m_backend->connectCalls, 0);
    }

    void lostConnectionFailsPendingAndReconnects()
    {
        auto c = makeClient();
        c->setAutoReconnect(true);
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Ready));
        std::optional<ControlClientReply> reply;
        // Close the server before it can answer.
        c->request(Protocol::Method::Status, {}, c.get(), [&reply](const ControlClientReply &r) { reply = r; });
        m_server->close();
        QVERIFY(waitForState(*c, State::NotRunning));
        QVERIFY(c->reconnectPending());
        QTRY_VERIFY(reply.has_value());
        QCOMPARE(reply->error.code, ControlClientReply::connectionLost());
        // The helper comes back; the client finds it by itself.
        QVERIFY(m_server->listen(m_path).ok());
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), State::Ready, 10000);
        QVERIFY(call(*c, Protocol::Method::Status).ok);
    }

    void incompatibleHelper_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QByteArray zero(4, '\0');
        QTest::newRow("zero-length frame") << zero;
        QTest::newRow("unsupported version") << Protocol::encodeFrame(
            Protocol::makeError(1, Protocol::ErrorCode::UnsupportedVersion, u"speaks 2 only"_s));
        QTest::newRow("not json") << QByteArray(QByteArray("\0\0\0\x03", 4) + QByteArray("abc"));
        QTest::newRow("neither response nor event") << Protocol::encodeFrame(QJsonObject {{u"what"_s, 1}});
    }

    void incompatibleHelper()
    {
        QFETCH(QByteArray, answer);
        m_server->close();
        QLocalServer raw;
        QVERIFY(raw.listen(m_path));
        connect(&raw, &QLocalServer::newConnection, this, [&raw, answer] {
            QLocalSocket *s = raw.nextPendingConnection();
            connect(s, &QLocalSocket::readyRead, s, [s, answer] {
                s->readAll();
                s->write(answer);
            });
        });
        auto c = makeClient();
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Incompatible));
        QVERIFY(!c->errorString().isEmpty());
    }

    void disconnectFromHelper()
    {
        auto c = makeClient();
        c->setAutoReconnect(true);
        c->connectToHelper();
        QVERIFY(waitForState(*c, State::Ready));
        c->disconnectFromHelper();
        QCOMPARE(c->state(), State::Idle);
        QTRY_VERIFY(m_server->sessions().isEmpty());
        // No reconnect after an explicit disconnect.
        QVERIFY(!c->reconnectPending());
        QCOMPARE(c->state(), State::Idle);
    }
};

QTEST_GUILESS_MAIN(tst_ControlClient)
#include "tst_controlclient.moc"
