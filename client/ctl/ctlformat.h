#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/protocol/result.h"
#include "core/protocol/types.h"

// How nimbusctl shows the helper's answers as text. Pure functions of the protocol's value types (times in local
// time, sizes in the system locale).
namespace Nimbus::CtlFormat
{

/// A byte count as the GUI shows it (QLocale::formattedDataSize, one decimal): 1536 -> "1.5 KiB", 100 -> "100 bytes".
QString bytes(qint64 count);
/// Milliseconds since the epoch as "yyyy-MM-dd HH:mm:ss" in local time; "-" for 0.
QString time(qint64 ms);
/// The `status` result: a header line and a table of networks.
QString status(const Protocol::HelperStatus &status);
/// The peers of `peers.list`.
QString peers(const QList<Protocol::Peer> &peers);
/// The claims of `claims.list`.
QString claims(const QList<Protocol::Claim> &claims);
/// The networks of `stats`: a table of counters per network.
QString stats(const QList<Protocol::Stats> &stats);
/// One event as one line without a newline: its time, `#seq` when given, its name and its data, read with the
/// payload type of \a event (events.h). Fails (BAD_REQUEST, "data.field: problem") if the data does not match that
/// type. An event this build does not know is shown with its data as compact JSON.
Result<QString> eventLine(const QString &event, std::optional<qint64> seq, qint64 time, const QJsonObject &data);

} // namespace Nimbus::CtlFormat
