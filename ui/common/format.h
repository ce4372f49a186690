#pragma once

#include <optional>

#include <QString>

#include "core/protocol/types.h"

namespace Nimbus::Format
{

/// A key that sorts addresses numerically: "192.0.2.9:3210" before "192.0.2.10:3210", "10.0.0.0/8" before
/// "10.0.0.0/16", IPv4 before IPv6, hostnames last.
QString addressSortKey(const QString &address);
/// "1.5 MiB" in the user's locale.
QString bytes(qint64 bytes);
/// "1.5 MiB/s".
QString rate(double bytesPerSecond);
/// "850 ms", "1.2 s", "3 min 4 s", "2 h 5 min".
QString duration(qint64 ms);
/// Local wall-clock time of a Unix-epoch millisecond value, "2024-05-01 12:03:04".
QString timestamp(qint64 msSinceEpoch);
/// The first 8 hex digits of a node id (the full id is shown in tooltips).
QString shortNodeId(const QString &nodeId);
/// The name every view shows for a node: the name the helper knows (`helperName`: a configured peer name or the
/// hosts file's), else the user's `label`, else the short node id, else the address; "nobody" when all are empty.
QString nodeName(const QString &helperName, const QString &label, const QString &nodeId, const QString &address);
/// The tooltip of a node shown by name: its full node id and its address, one a line (and the name's origin:
/// `nameSource` "peer", "hosts" or "label").
QString nodeToolTip(const QString &nodeId, const QString &address, const QString &nameSource = QString());
/// A node by its id and address alone (no name known): nodeName() without a name or label.
QString node(const QString &nodeId, const QString &address);
/// A node as the helper sent it (its name when it has one); nullopt (e.g. a failover to nobody) as "nobody".
QString node(const std::optional<Protocol::NodeRef> &node);
/// A peer-disconnect or failover reason code as readable text ("timed out").
QString reason(const QString &reason);
/// A network state code ("connected") as readable text.
QString networkState(const QString &state);
/// Local wall-clock time of day with milliseconds, "18:04:05.120".
QString timeOfDay(qint64 msSinceEpoch);

/// What a route change was: "reachable", "failover", "switchback", "move" or "lost". The helper's `kind`; for an
/// older helper (no kind) worked out from `from`, `to` and the reason.
QString routeChangeKind(const Protocol::FailoverEvent &change);
/// The kind as one word for a column: "Reachable", "Failover", "Switchback", "Move", "Lost".
QString routeChangeKindText(const QString &kind);
/// The route change in a line, with the nodes by name: "Reachable via server-a", "Failover: server-a → server-b",
/// "Switchback to server-a", "Moved to server-b", "Lost: nobody serves 10.0.0.1".
QString routeChange(const QString &kind, const QString &from, const QString &to, const QString &address);
/// How long traffic had no path: noPathMs as a duration, "unknown" when -1.
QString noPath(qint64 noPathMs);
/// A failover's or loss's facts, each labelled: "Detected at 18:04:05.120", "No path for 180 ms" (failover only;
/// "unknown" when the helper could not see it), "Last heard from server-a 2.3 s before detection". `timeMs` stands
/// in for a detection time the helper did not send.
QStringList routeChangeFacts(
    const Protocol::FailoverEvent &change, const QString &kind, const QString &from, qint64 timeMs);

} // namespace Nimbus::Format
