#pragma once

#include <optional>

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// Tells from two clocks whether this machine slept or this process was stopped since the last look: the monotonic
/// clock stands still during a suspend while the boot-time clock runs on; a stopped process sees both jump. Fed
/// with readings (no clock of its own), so tests can make either clock do anything.
class PauseDetector
{
public:
    struct Pause {
        TimeMs pausedMs = 0;
        bool suspended = false; ///< true: the machine slept; false: the process was stopped (or starved)
    };

    /// \a thresholdMs: the longest gap between two looks that is still normal (the caller looks at least once a
    /// second; anything beyond the threshold is a pause).
    explicit PauseDetector(TimeMs thresholdMs = 2500) : m_thresholdMs(thresholdMs) { }

    /// The clocks now (milliseconds). The first call only records them.
    std::optional<Pause> check(TimeMs monotonicMs, TimeMs boottimeMs)
    {
        const bool first = !m_started;
        const TimeMs monotonicGap = monotonicMs - m_monotonic;
        const TimeMs slept = (boottimeMs - m_boottime) - monotonicGap;
        m_started = true;
        m_monotonic = monotonicMs;
        m_boottime = boottimeMs;
        if (first)
            return std::nullopt;
        if (slept > m_thresholdMs)
            return Pause {slept, true};
        if (monotonicGap > m_thresholdMs)
            return Pause {monotonicGap, false};
        return std::nullopt;
    }

private:
    TimeMs m_thresholdMs;
    bool m_started = false;
    TimeMs m_monotonic = 0;
    TimeMs m_boottime = 0;
};

} // namespace Nimbus
