#pragma once

#include <QList>
#include <QWidget>

#include "ui/models/availabilitymodel.h"

namespace Nimbus
{

/// A strip of the last hour of one address, painted to scale: served time in green, every outage in red (a failover
/// from the old node's last sign of life to the switch, a loss until the next route), ticks every 15 minutes. Its
/// accessible description lists the outages in words.
class OutageTimeline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutageTimeline)

public:
    explicit OutageTimeline(QWidget *parent = nullptr);
    ~OutageTimeline() override;

    /// The outages of `range` and the end of the window (Unix epoch ms); `servedNow` false: nobody serves it now (the
    /// strip is not painted as served).
    void setOutages(
        const QString &range, const QList<AvailabilityOutage> &outages, qint64 nowMs, bool servedNow = true);
    QList<AvailabilityOutage> outages() const;
    /// The x of `timeMs` in the strip's bar (for tests: outages are drawn to scale).
    double xFor(qint64 timeMs) const;
    QRectF barRect() const;
    /// The outages in words (the accessible description).
    QString describe() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_range;
    QList<AvailabilityOutage> m_outages;
    qint64 m_now = 0;
    bool m_servedNow = true;
};

} // namespace Nimbus
