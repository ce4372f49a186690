#pragma once

#include "core/protocol/types.h"

namespace Nimbus
{

/// The helper's view of one network is the protocol's NetworkStatus (its lastFailover carries the failover's time).
using Protocol::NetworkStatus;

} // namespace Nimbus
