#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// How nimbusctl shows the helper's answers as text. Pure functions of the JSON (times in local time).
namespace Nimbus::CtlFormat
{

/// 1536 -> "1.5 KiB".
QString bytes(qint64 count);
/// Milliseconds since the epoch as "yyyy-MM-dd HH:mm:ss" in local time; "-" for 0.
QString time(qint64 ms);
/// The `status` result: a header line and a table of networks.
QString status(const QJsonObject &status);
/// The `peers` array of `peers.list`.
QString peers(const QJsonArray &peers);
/// The `claims` array of `claims.list`.
QString claims(const QJsonArray &claims);
/// One event (`{"event", "seq"?, "time", "data"}`) as one line without a newline.
QString eventLine(const QJsonObject &event);

} // namespace Nimbus::CtlFormat
