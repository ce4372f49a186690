#include "helper/clock.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace Nimbus
{

namespace
{
const QElapsedTimer &processClock()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock;
}
} // namespace

TimeMs MonotonicClock::now()
{
    // An offset keeps engine times positive and far from 0, which the engine uses as "never".
    return processClock().elapsed() + 1'000'000;
}

qint64 MonotonicClock::toWallMs(TimeMs monotonic)
{
    return QDateTime::currentMSecsSinceEpoch() - (now() - monotonic);
}

} // namespace Nimbus
