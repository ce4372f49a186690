#pragma once

#include <optional>
#include <variant>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "core/protocol/errorcode.h"
#include "core/protocol/result.h"
#include "core/protocol/types.h"

namespace Nimbus::Protocol
{

/// A request from a client: `{"id": N, "method": "...", "params": {...}}`.
struct Request {
    qint64 id = 0;
    QString method;
    QJsonObject params;
};

/// The `error` object of a response. `code` is kept as sent (normally one of ErrorCode's names).
struct ErrorInfo {
    QString code;
    QString message;
    QString hint;
    /// The whole `error` object, for extra fields such as `fields` of INVALID_PROFILE.
    QJsonObject json;

    /// The code as one of the closed list, or nullopt (a client-side code such as CONNECTION_LOST, or a code
    /// from a newer helper).
    std::optional<ErrorCode> knownCode() const { return errorCodeFromName(code); }
    /// INVALID_PROFILE's `fields`, each read as a FieldError (entries that are not are left out).
    QList<FieldError> fields() const;

    /// Reads an `error` object; missing members stay empty.
    static ErrorInfo fromJson(const QJsonObject &error);
};

/// A response from the helper: either a result or an error.
struct Response {
    qint64 id = 0;
    bool ok = false;
    QJsonObject result;
    ErrorInfo error;
};

/// An event from the helper: `{"event": "...", "seq": N, "time": MS, "data": {...}}`.
struct Event {
    QString name;
    qint64 seq = 0;
    qint64 timeMs = 0;
    QJsonObject data;
};

/// What a client can receive.
using ServerMessage = std::variant<Response, Event>;

/// The largest request id (ids travel as JSON numbers, exact up to 2^53).
inline constexpr qint64 kMaxRequestId = (qint64(1) << 53);

/// `{"id": id, "method": method, "params": params}` (params left out when empty).
QJsonObject makeRequest(qint64 id, const QString &method, const QJsonObject &params = {});
/// `{"id": id, "result": result}`.
QJsonObject makeResult(qint64 id, const QJsonObject &result = {});
/// `{"id": id, "error": {"code": ..., "message": ..., "hint": ...}}`; members of \a extra (such as `fields`) are
/// added to the error object; hint is left out when empty.
QJsonObject makeError(
    qint64 id, ErrorCode code, const QString &message, const QString &hint = {}, const QJsonObject &extra = {});
/// `{"event": name, "seq": seq, "time": timeMs, "data": data}`.
QJsonObject makeEvent(const QString &name, qint64 seq, qint64 timeMs, const QJsonObject &data = {});

/// The `id` of \a message if it is an integer in 1..kMaxRequestId, else 0.
qint64 readId(const QJsonObject &message);
/// Parses a request. Errors (code BAD_REQUEST): no valid id, no string method, params present but not an object.
Result<Request> parseRequest(const QJsonObject &message);
/// Parses what a helper sends: a response (has `id` and `result` or `error`) or an event (has `event`).
/// Error (code BAD_MESSAGE) for anything else.
Result<ServerMessage> parseServerMessage(const QJsonObject &message);

/// The highest version in \a offered (the `versions` array of `hello`) that this build speaks, or nullopt.
std::optional<int> negotiateVersion(const QJsonValue &offered);

/// A copy of \a value fit for logs: the values of every `secret`, `password`, `privateKey` and `yaml` member, at
/// any depth, are replaced by "<redacted>".
QJsonObject redactSecrets(const QJsonObject &value);

} // namespace Nimbus::Protocol
