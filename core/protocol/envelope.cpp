#include "core/protocol/envelope.h"

#include <cmath>

#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

QJsonValue redactValue(const QJsonValue &value);

bool isSecretKey(const QString &key)
{
    return key == u"secret"_s || key == u"password"_s || key == u"privateKey"_s || key == u"yaml"_s;
}

QJsonValue redactValue(const QJsonValue &value)
{
    if (value.isObject())
        return redactSecrets(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        const QJsonArray in = value.toArray();
        for (const QJsonValue &item : in)
            out.append(redactValue(item));
        return out;
    }
    return value;
}

/// An integer in [min, max] held by a JSON number, or nullopt.
std::optional<qint64> readInteger(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::trunc(d) || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

} // namespace

QList<FieldError> ErrorInfo::fields() const
{
    QList<FieldError> out;
    for (const QJsonValue &v : json.value(u"fields"_s).toArray()) {
        if (Result<FieldError> field = FieldError::fromJson(v.toObject()))
            out.append(std::move(field).value());
    }
    return out;
}

ErrorInfo ErrorInfo::fromJson(const QJsonObject &error)
{
    ErrorInfo info;
    info.code = error.value(u"code"_s).toString();
    info.message = error.value(u"message"_s).toString();
    info.hint = error.value(u"hint"_s).toString();
    info.json = error;
    return info;
}

QJsonObject makeRequest(qint64 id, const QString &method, const QJsonObject &params)
{
    QJsonObject request {{u"id"_s, id}, {u"method"_s, method}};
    if (!params.isEmpty())
        request.insert(u"params"_s, params);
    return request;
}

QJsonObject makeResult(qint64 id, const QJsonObject &result)
{
    return QJsonObject {{u"id"_s, id}, {u"result"_s, result}};
}

QJsonObject makeError(qint64 id, ErrorCode code, const QString &message, const QString &hint, const QJsonObject &extra)
{
    QJsonObject error = extra;
    error.insert(u"code"_s, errorCodeName(code));
    error.insert(u"message"_s, message);
    if (!hint.isEmpty())
        error.insert(u"hint"_s, hint);
    return QJsonObject {{u"id"_s, id}, {u"error"_s, error}};
}

QJsonObject makeEvent(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data)
{
    return QJsonObject {{u"event"_s, name}, {u"seq"_s, seq}, {u"time"_s, timeMs}, {u"data"_s, data}};
}

qint64 readId(const QJsonObject &message)
{
    return readInteger(message.value(u"id"_s), 1, kMaxRequestId).value_or(0);
}

Result<Request> parseRequest(const QJsonObject &message)
{
    Request request;
    request.id = readId(message);
    if (request.id == 0)
        return protocolError(ErrorCode::BadRequest, u"the request has no valid id (a positive integer)"_s);
    const QJsonValue method = message.value(u"method"_s);
    if (!method.isString() || method.toString().isEmpty())
        return protocolError(ErrorCode::BadRequest, u"the request has no method"_s);
    request.method = method.toString();
    const QJsonValue params = message.value(u"params"_s);
    if (!params.isUndefined() && !params.isNull()) {
        if (!params.isObject())
            return protocolError(ErrorCode::BadRequest, u"params must be an object"_s);
        request.params = params.toObject();
    }
    return request;
}

Result<ServerMessage> parseServerMessage(const QJsonObject &message)
{
    const QJsonValue event = message.value(u"event"_s);
    if (event.isString()) {
        Event e;
        e.name = event.toString();
        const std::optional<qint64> seq = readInteger(message.value(u"seq"_s), 1, kMaxRequestId);
        if (!seq || e.name.isEmpty())
            return Error {u"BAD_MESSAGE"_s, u"event without a name or a valid seq"_s};
        e.seq = *seq;
        e.timeMs = readInteger(message.value(u"time"_s), 0, kMaxRequestId).value_or(0);
        e.data = message.value(u"data"_s).toObject();
        return ServerMessage(e);
    }
    Response response;
    response.id = readId(message);
    const QJsonValue result = message.value(u"result"_s);
    const QJsonValue error = message.value(u"error"_s);
    if (error.isObject()) {
        response.ok = false;
        response.error = ErrorInfo::fromJson(error.toObject());
        if (response.error.code.isEmpty())
            return Error {u"BAD_MESSAGE"_s, u"error without a code"_s};
        return ServerMessage(response);
    }
    if (response.id == 0)
        return Error {u"BAD_MESSAGE"_s, u"neither an event nor a response with a valid id"_s};
    if (!result.isObject())
        return Error {u"BAD_MESSAGE"_s, u"response without a result object or an error object"_s};
    response.ok = true;
    response.result = result.toObject();
    return ServerMessage(response);
}

std::optional<int> negotiateVersion(const QJsonValue &offered)
{
    if (!offered.isArray())
        return std::nullopt;
    std::optional<int> best;
    const QJsonArray versions = offered.toArray();
    for (const QJsonValue &v : versions) {
        const std::optional<qint64> version = readInteger(v, 1, kMaxRequestId);
        // This build speaks exactly version 1; later builds add theirs here.
        if (version && *version == kProtocolVersion && (!best || int(*version) > *best))
            best = int(*version);
    }
    return best;
}

QJsonObject redactSecrets(const QJsonObject &value)
{
    QJsonObject out;
    for (auto it = value.constBegin(); it != value.constEnd(); ++it) {
        if (isSecretKey(it.key()) && !it.value().isNull())
            out.insert(it.key(), u"<redacted>"_s);
        else
            out.insert(it.key(), redactValue(it.value()));
    }
    return out;
}

} // namespace Nimbus::Protocol
