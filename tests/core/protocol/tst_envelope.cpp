#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include "core/protocol/envelope.h"
#include "core/protocol/errorcode.h"

using namespace Qt::Literals::StringLiterals;
using namespace Nimbus;
using namespace Nimbus::Protocol;

namespace
{

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QString controlProtocolDoc()
{
    QFile file(qEnvironmentVariable("NIMBUS_SOURCE_DIR") + u"/docs/control-protocol.md"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class tst_Envelope : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorCodeNamesRoundTrip()
    {
        QStringList names;
        for (const ErrorCode code : kAllErrorCodes) {
            const QString name = errorCodeName(code);
            QVERIFY(!names.contains(name));
            names.append(name);
            QCOMPARE(errorCodeFromName(name), std::optional<ErrorCode>(code));
        }
        QCOMPARE(errorCodeFromName(u"bad_request"), std::nullopt);
        QCOMPARE(errorCodeFromName(u""), std::nullopt);
        QCOMPARE(errorCodeFromName(u"CONNECTION_LOST"), std::nullopt);
    }

    void errorCodesMatchTheDocument()
    {
        const QString doc = controlProtocolDoc();
        QVERIFY2(!doc.isEmpty(), "docs/control-protocol.md not found");
        const qsizetype start = doc.indexOf(u"Error codes (closed list):"_s);
        QVERIFY(start >= 0);
        const qsizetype end = doc.indexOf(u'.', start);
        const QString list = doc.mid(start, end - start);
        QStringList documented;
        QRegularExpressionMatchIterator it = QRegularExpression(u"`([A-Z_]+)`"_s).globalMatch(list);
        while (it.hasNext())
            documented.append(it.next().captured(1));
        QStringList implemented;
        for (const ErrorCode code : kAllErrorCodes)
            implemented.append(errorCodeName(code));
        QCOMPARE(implemented, documented);
    }

    void protocolErrorCarriesTheWireName()
    {
        const Error e = protocolError(ErrorCode::NotFound, u"no such network"_s);
        QCOMPARE(e.code, u"NOT_FOUND"_s);
        QCOMPARE(e.message, u"no such network"_s);
    }

    void makeAndParseRequest()
    {
        const QJsonObject params {{u"network"_s, u"office"_s}};
        const QJsonObject request = makeRequest(7, u"peers.list"_s, params);
        QCOMPARE(request, json(R"({"id":7,"method":"peers.list","params":{"network":"office"}})"));
        const Result<Request> parsed = parseRequest(request);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->id, 7);
        QCOMPARE(parsed->method, u"peers.list"_s);
        QCOMPARE(parsed->params, params);
        // params is optional and left out when empty
        QCOMPARE(makeRequest(1, u"status"_s), json(R"({"id":1,"method":"status"})"));
    }

    void readId_data()
    {
        QTest::addColumn<QJsonObject>("message");
        QTest::addColumn<qint64>("id");
        QTest::newRow("1") << json(R"({"id":1})") << qint64(1);
        QTest::newRow("large") << json(R"({"id":9007199254740992})") << qint64(9007199254740992);
        QTest::newRow("too large") << json(R"({"id":9007199254740994})") << qint64(0);
        QTest::newRow("zero") << json(R"({"id":0})") << qint64(0);
        QTest::newRow("negative") << json(R"({"id":-3})") << qint64(0);
        QTest::newRow("fraction") << json(R"({"id":1.5})") << qint64(0);
        QTest::newRow("string") << json(R"({"id":"1"})") << qint64(0);
        QTest::newRow("null") << json(R"({"id":null})") << qint64(0);
        QTest::newRow("missing") << json(R"({"method":"x"})") << qint64(0);
        QTest::newRow("exponent") << json(R"({"id":1e3})") << qint64(1000);
        QTest::newRow("huge exponent") << json(R"({"id":1e300})") << qint64(0);
    }

    void readId()
    {
        QFETCH(QJsonObject, message);
        QFETCH(qint64, id);
        QCOMPARE(Protocol::readId(message), id);
    }

    void badRequests_data()
    {
        QTest::addColumn<QJsonObject>("message");
        QTest::newRow("no id") << json(R"({"method":"status"})");
        QTest::newRow("no method") << json(R"({"id":1})");
        QTest::newRow("method not a string") << json(R"({"id":1,"method":3})");
        QTest::newRow("empty method") << json(R"({"id":1,"method":""})");
        QTest::newRow("params array") << json(R"({"id":1,"method":"status","params":[]})");
        QTest::newRow("params string") << json(R"({"id":1,"method":"status","params":"x"})");
    }

    void badRequests()
    {
        QFETCH(QJsonObject, message);
        const Result<Request> parsed = parseRequest(message);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, u"BAD_REQUEST"_s);
    }

    void unknownFieldsAreIgnored()
    {
        const Result<Request> parsed = parseRequest(json(R"({"id":2,"method":"status","params":null,"x":1})"));
        QVERIFY(parsed.ok());
        QVERIFY(parsed->params.isEmpty());
    }

    void makeResultAndError()
    {
        QCOMPARE(makeResult(3, QJsonObject {{u"a"_s, 1}}), json(R"({"id":3,"result":{"a":1}})"));
        QCOMPARE(makeResult(3), json(R"({"id":3,"result":{}})"));
        QCOMPARE(makeError(4, ErrorCode::PermissionDenied, u"no"_s, u"join group nimbus"_s),
            json(R"({"id":4,"error":{"code":"PERMISSION_DENIED","message":"no","hint":"join group nimbus"}})"));
        QCOMPARE(makeError(0, ErrorCode::BadRequest, u"bad"_s),
            json(R"({"id":0,"error":{"code":"BAD_REQUEST","message":"bad"}})"));
        const QJsonObject extra {
            {u"fields"_s, QJsonArray {QJsonObject {{u"field"_s, u"ip"_s}, {u"message"_s, u"bad"_s}}}}};
        const QJsonObject withFields = makeError(5, ErrorCode::InvalidProfile, u"invalid"_s, {}, extra);
        QCOMPARE(withFields.value(u"error"_s).toObject().value(u"fields"_s).toArray().size(), 1);
    }

    void parseResponses()
    {
        Result<ServerMessage> m = parseServerMessage(json(R"({"id":3,"result":{"a":1},"extra":true})"));
        QVERIFY(m.ok());
        QVERIFY(std::holds_alternative<Response>(m.value()));
        Response r = std::get<Response>(m.value());
        QCOMPARE(r.id, 3);
        QVERIFY(r.ok);
        QCOMPARE(r.result, json(R"({"a":1})"));

        m = parseServerMessage(
            makeError(9, ErrorCode::InvalidProfile, u"bad"_s, u"fix it"_s, json(R"({"fields":[]})")));
        QVERIFY(m.ok());
        r = std::get<Response>(m.value());
        QCOMPARE(r.id, 9);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, u"INVALID_PROFILE"_s);
        QCOMPARE(r.error.message, u"bad"_s);
        QCOMPARE(r.error.hint, u"fix it"_s);
        QVERIFY(r.error.json.value(u"fields"_s).isArray());

        // An error for an unreadable request carries id 0.
        m = parseServerMessage(makeError(0, ErrorCode::BadRequest, u"bad json"_s));
        QVERIFY(m.ok());
        QCOMPARE(std::get<Response>(m.value()).id, 0);
    }

    void parseEvents()
    {
        const Result<ServerMessage> m
            = parseServerMessage(makeEvent(u"peer.connected"_s, 5, 1700000000000, json(R"({"network":"office"})")));
        QVERIFY(m.ok());
        QVERIFY(std::holds_alternative<Event>(m.value()));
        const Event e = std::get<Event>(m.value());
        QCOMPARE(e.name, u"peer.connected"_s);
        QCOMPARE(e.seq, 5);
        QCOMPARE(e.timeMs, 1700000000000);
        QCOMPARE(e.data.value(u"network"_s).toString(), u"office"_s);
    }

    void badServerMessages_data()
    {
        QTest::addColumn<QJsonObject>("message");
        QTest::newRow("empty") << QJsonObject {};
        QTest::newRow("result without id") << json(R"({"result":{}})");
        QTest::newRow("result not object") << json(R"({"id":1,"result":3})");
        QTest::newRow("error without code") << json(R"({"id":1,"error":{"message":"x"}})");
        QTest::newRow("event without seq") << json(R"({"event":"log"})");
        QTest::newRow("event seq 0") << json(R"({"event":"log","seq":0})");
        QTest::newRow("event empty name") << json(R"({"event":"","seq":1})");
    }

    void badServerMessages()
    {
        QFETCH(QJsonObject, message);
        const Result<ServerMessage> m = parseServerMessage(message);
        QVERIFY(!m.ok());
        QCOMPARE(m.error().code, u"BAD_MESSAGE"_s);
    }

    void negotiateVersion_data()
    {
        QTest::addColumn<QJsonValue>("offered");
        QTest::addColumn<int>("expected"); // 0 = none
        QTest::newRow("1") << QJsonValue(QJsonArray {1}) << 1;
        QTest::newRow("1 and 2") << QJsonValue(QJsonArray {1, 2}) << 1;
        QTest::newRow("2 and 1") << QJsonValue(QJsonArray {2, 1}) << 1;
        QTest::newRow("only 2") << QJsonValue(QJsonArray {2}) << 0;
        QTest::newRow("empty") << QJsonValue(QJsonArray {}) << 0;
        QTest::newRow("strings") << QJsonValue(QJsonArray {u"1"_s}) << 0;
        QTest::newRow("not an array") << QJsonValue(1) << 0;
        QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << 0;
        QTest::newRow("fraction") << QJsonValue(QJsonArray {1.5}) << 0;
    }

    void negotiateVersion()
    {
        QFETCH(QJsonValue, offered);
        QFETCH(int, expected);
        const std::optional<int> v = Protocol::negotiateVersion(offered);
        if (expected == 0)
            QVERIFY(!v.has_value());
        else
            QCOMPARE(v, std::optional<int>(expected));
    }

    void redactSecrets()
    {
        const QJsonObject params = json(R"({"profile":{"name":"office","password":"p1"},
            "secret":{"password":"hunter2"},
            "list":[{"privateKey":"k"},{"yaml":"password: x"}],
            "keep":"visible"})");
        const QJsonObject redacted = Protocol::redactSecrets(params);
        const QByteArray text = QJsonDocument(redacted).toJson(QJsonDocument::Compact);
        QVERIFY(!text.contains("hunter2"));
        QVERIFY(!text.contains("p1"));
        QVERIFY(!text.contains("password: x"));
        QVERIFY(!text.contains("\"k\""));
        QVERIFY(text.contains("visible"));
        QVERIFY(text.contains("office"));
        QCOMPARE(redacted.value(u"secret"_s).toString(), u"<redacted>"_s);
    }
};

QTEST_GUILESS_MAIN(tst_Envelope)
#include "tst_envelope.moc"
