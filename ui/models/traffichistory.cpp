#include "ui/models/traffichistory.h"

namespace Nimbus
{

TrafficHistory::TrafficHistory(QObject *parent) : QObject(parent)
{
}

TrafficHistory::~TrafficHistory() = default;

void TrafficHistory::addSample(const QString &network, qint64 timeMs, qint64 rxBytes, qint64 txBytes)
{
    const auto it = m_baselines.find(network);
    const Baseline next {timeMs, rxBytes, txBytes};
    if (it == m_baselines.end()) {
        m_baselines.insert(network, next);
        return;
    }
    const Baseline previous = *it;
    *it = next;
    const qint64 dt = timeMs - previous.timeMs;
    if (dt <= 0 || rxBytes < previous.rx || txBytes < previous.tx)
        return;
    const qint64 second = timeMs / 1000;
    TrafficPoint &bucket = m_buckets[second];
    bucket.second = second;
    bucket.rxRate += static_cast<double>(rxBytes - previous.rx) * 1000.0 / static_cast<double>(dt);
    bucket.txRate += static_cast<double>(txBytes - previous.tx) * 1000.0 / static_cast<double>(dt);
    m_newestSecond = qMax(m_newestSecond, second);
    for (auto b = m_buckets.begin(); b != m_buckets.end();) {
        if (b.key() <= m_newestSecond - kSeconds)
            b = m_buckets.erase(b);
        else
            ++b;
    }
    Q_EMIT changed();
}

void TrafficHistory::removeNetwork(const QString &network)
{
    m_baselines.remove(network);
}

void TrafficHistory::clear()
{
    m_baselines.clear();
    m_buckets.clear();
    m_newestSecond = 0;
    Q_EMIT changed();
}

QList<TrafficPoint> TrafficHistory::points() const
{
    QList<TrafficPoint> out;
    out.reserve(kSeconds);
    for (qint64 s = m_newestSecond - kSeconds + 1; s <= m_newestSecond; ++s) {
        TrafficPoint p = m_buckets.value(s);
        p.second = s;
        out.append(p);
    }
    return out;
}

TrafficPoint TrafficHistory::latest() const
{
    TrafficPoint p = m_buckets.value(m_newestSecond);
    p.second = m_newestSecond;
    return p;
}

} // namespace Nimbus
