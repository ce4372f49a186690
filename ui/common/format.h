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
/// A node as "a1b2c3d4 (192.0.2.1:3210)"; just the address or the short id when the other is empty; "nobody"
/// when both are.
QString node(const QString &nodeId, const QString &address);
/// As above; nullopt (e.g. a failover to nobody) as "nobody".
QString node(const std::optional<Protocol::NodeRef> &node);
/// A peer-disconnect or failover reason code as readable text ("timed out").
QString reason(const QString &reason);
/// A network state code ("connected") as readable text.
QString networkState(const QString &state);

} // namespace Nimbus::Format
