/// This host's IPv4 addresses and routes, for the address policy (core/config/addresspolicy.h).
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

#include "core/config/addresspolicy.h"
#include "core/protocol/result.h"

namespace Nimbus::HostAddresses
{

/// The routes of a /proc/net/route table (the kernel's main routing table, IPv4): one entry per line with its
/// destination, prefix length (from the mask) and device. The header line and malformed lines are skipped.
QList<HostRoute> parseRouteTable(QByteArrayView table);

/// Every IPv4 address of every device of this host's network namespace (getifaddrs, with its prefix length) and
/// every route of /proc/net/route. Fails if either cannot be read.
Result<QList<HostRoute>> read();

} // namespace Nimbus::HostAddresses
