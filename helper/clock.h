#pragma once

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// The helper's monotonic clock for the engine (milliseconds, arbitrary epoch) and its mapping to wall time.
class MonotonicClock
{
public:
    static TimeMs now();
    /// Converts an engine time to milliseconds since the Unix epoch (for the control protocol).
    static qint64 toWallMs(TimeMs monotonic);
};

} // namespace Nimbus
