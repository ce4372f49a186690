#pragma once

#include <QHash>
#include <QList>
#include <QObject>

namespace Nimbus
{

/// Bytes per second in one second of the history.
struct TrafficPoint {
    qint64 second = 0;
    double rxRate = 0;
    double txRate = 0;
};

/// The traffic of the last minute, summed over all networks, from the helper's cumulative `stats` events.
class TrafficHistory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficHistory)

public:
    static constexpr int kSeconds = 60;

    explicit TrafficHistory(QObject *parent = nullptr);
    ~TrafficHistory() override;

    /// A cumulative counter sample of `network` at `timeMs` (Unix epoch ms). The first sample of a network,
    /// and one whose counters went backwards (the network restarted), only set the baseline.
    void addSample(const QString &network, qint64 timeMs, qint64 rxBytes, qint64 txBytes);
    void removeNetwork(const QString &network);
    void clear();

    /// kSeconds points ending at the newest second seen (zeros where nothing was measured), oldest first.
    QList<TrafficPoint> points() const;
    /// The rates of the newest second.
    TrafficPoint latest() const;

Q_SIGNALS:
    void changed();

private:
    struct Baseline {
        qint64 timeMs = 0;
        qint64 rx = 0;
        qint64 tx = 0;
    };

    QHash<QString, Baseline> m_baselines;
    QHash<qint64, TrafficPoint> m_buckets;
    qint64 m_newestSecond = 0;
};

} // namespace Nimbus
