#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include "ui/connection/controlclientadapter.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

/// A minimal helper: answers hello and a few methods over the real framing.
class FakeHelper : public QObject
{
public:
    explicit FakeHelper(const QString &path)
    {
        m_server.setSocketOptions(QLocalServer::UserAccessOption);
        QVERIFY(m_server.listen(path));
        connect(&m_server, &QLocalServer::newConnection, this, [this] {
            m_socket = m_server.nextPendingConnection();
            connect(m_socket, &QLocalSocket::readyRead, this, [this] { read(); });
        });
    }

    void send(const QJsonObject &message)
    {
        const QByteArray body = QJsonDocument(message).toJson(QJsonDocument::Compact);
        QByteArray frame(4, '\0');
        qToBigEndian<quint32>(static_cast<quint32>(body.size()), frame.data());
        m_socket->write(frame + body);
        m_socket->flush();
    }

    void closeClient() { m_socket->disconnectFromServer(); }
    QStringList methods;
    bool answerConnect = true;

private:
    void read()
    {
        m_buffer += m_socket->readAll();
        while (m_buffer.size() >= 4) {
            const quint32 size = qFromBigEndian<quint32>(m_buffer.constData());
            if (m_buffer.size() < 4 + static_cast<qsizetype>(size))
                return;
            const QJsonObject request = QJsonDocument::fromJson(m_buffer.mid(4, size)).object();
            m_buffer.remove(0, 4 + size);
            handle(request);
        }
    }

    void handle(const QJsonObject &request)
    {
        const QString method = request.value(u"method"_s).toString();
        const int id = request.value(u"id"_s).toInt();
        methods.append(method);
        if (method == u"hello") {
            send({{u"id"_s, id},
                {u"result"_s,
                    QJsonObject {{u"version"_s, 1},
                        {u"helper"_s, u"0.1.0"_s},
                        {u"role"_s, u"operator"_s},
                        {u"mode"_s, u"service"_s},
                        {u"uid"_s, 0},
                        {u"capabilities"_s, QJsonArray {u"status"_s, u"keys.generate"_s}}}}});
        } else if (method == u"events.subscribe") {
            send({{u"id"_s, id}, {u"result"_s, QJsonObject {{u"snapshot"_s, QJsonObject {}}, {u"seq"_s, 0}}}});
        } else if (method == u"networks.connect") {
            if (!answerConnect)
                return;
            send({{u"id"_s, id},
                {u"error"_s,
                    QJsonObject {{u"code"_s, u"INVALID_PROFILE"_s},
                        {u"message"_s, u"bad ip"_s},
                        {u"hint"_s, u"use A.B.C.D/N"_s},
                        {u"fields"_s, QJsonArray {QJsonObject {{u"field"_s, u"ip"_s}, {u"message"_s, u"bad"_s}}}}}}});
        }
    }

    QLocalServer m_server;
    QLocalSocket *m_socket = nullptr;
    QByteArray m_buffer;
};

} // namespace

class tst_ControlClientAdapter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helperNotRunning();
    void talksToTheHelper();
};

void tst_ControlClientAdapter::initTestCase()
{
    // The fake helper runs as this user; let the client trust it.
    qputenv("NIMBUS_ALLOW_USER_HELPER", "1");
}

void tst_ControlClientAdapter::helperNotRunning()
{
    QTemporaryDir dir;
    ControlClientAdapter client(dir.filePath(u"missing.sock"_s));
    QCOMPARE(client.socketPath(), dir.filePath(u"missing.sock"_s));
    client.start();
    QTRY_COMPARE(client.link(), ControlClient::State::NotRunning);
    QVERIFY(!client.linkDetail().isEmpty());
    bool answered = false;
    QObject context;
    client.request(Protocol::Method::Status, {}, &context, [&](const ControlClientReply &reply) {
        answered = true;
        QVERIFY(!reply.ok);
        QCOMPARE(reply.error.code, ControlClientReply::connectionLost());
    });
    QTRY_VERIFY(answered);
}

void tst_ControlClientAdapter::talksToTheHelper()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"control.sock"_s);
    FakeHelper helper(path);
    ControlClientAdapter client(path);
    QSignalSpy links(&client, &ControlClientInterface::linkChanged);
    client.start();
    QTRY_COMPARE(client.link(), ControlClient::State::Ready);
    QVERIFY(links.count() >= 1);
    QCOMPARE(links.constLast().at(0).value<ControlClient::State>(), ControlClient::State::Ready);
    QCOMPARE(client.role(), u"operator"_s);
    QVERIFY(client.capabilities().contains(u"keys.generate"_s));

    QObject context;
    std::optional<ControlClientReply> subscribed;
    client.request(
        Protocol::Method::EventsSubscribe, {}, &context, [&](const ControlClientReply &r) { subscribed = r; });
    QTRY_VERIFY(subscribed.has_value());
    QVERIFY(subscribed->ok);
    QVERIFY(subscribed->result.contains(u"snapshot"_s));

    std::optional<ControlClientReply> connected;
    client.request(Protocol::Method::NetworksConnect,
        {{u"profile"_s, QJsonObject {{u"name"_s, u"x"_s}}}},
        &context,
        [&](const ControlClientReply &r) { connected = r; });
    QTRY_VERIFY(connected.has_value());
    QVERIFY(!connected->ok);
    QCOMPARE(connected->error.code, u"INVALID_PROFILE"_s);
    QCOMPARE(connected->error.message, u"bad ip"_s);
    QCOMPARE(connected->error.hint, u"use A.B.C.D/N"_s);
    QCOMPARE(connected->error.fields().size(), 1);

    QSignalSpy events(&client, &ControlClientInterface::eventReceived);
    helper.send({{u"event"_s, u"network.state"_s},
        {u"seq"_s, 1},
        {u"time"_s, 1'700'000'000'000.0},
        {u"data"_s, QJsonObject {{u"network"_s, u"x"_s}, {u"state"_s, u"connected"_s}}}});
    QVERIFY(events.wait(5000));
    QCOMPARE(events.at(0).at(0).toString(), u"network.state"_s);
    QCOMPARE(events.at(0).at(1).toLongLong(), 1);
    QCOMPARE(events.at(0).at(2).toLongLong(), 1'700'000'000'000);
    QCOMPARE(events.at(0).at(3).toJsonObject().value(u"state"_s).toString(), u"connected"_s);

    // The helper goes away with a request unanswered: the request fails, the link says so.
    helper.answerConnect = false;
    std::optional<ControlClientReply> lost;
    client.request(Protocol::Method::NetworksConnect, {}, &context, [&](const ControlClientReply &r) { lost = r; });
    QTRY_COMPARE(helper.methods.count(u"networks.connect"_s), 2);
    helper.closeClient();
    QTRY_VERIFY(lost.has_value());
    QCOMPARE(lost->error.code, ControlClientReply::connectionLost());
    QTRY_VERIFY(client.link() != ControlClient::State::Ready);
}

} // namespace Nimbus

QTEST_GUILESS_MAIN(Nimbus::tst_ControlClientAdapter)
#include "tst_controlclientadapter.moc"
