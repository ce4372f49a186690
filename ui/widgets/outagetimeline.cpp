#include "ui/widgets/outagetimeline.h"

#include <QPainter>

#include "ui/common/format.h"
#include "ui/widgets/chartaccessibility.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

const QColor kServed(0x26, 0xa2, 0x69);
const QColor kOutage(0xc0, 0x1c, 0x28);

} // namespace

OutageTimeline::OutageTimeline(QWidget *parent) : QWidget(parent)
{
    installChartAccessibility();
    setFocusPolicy(Qt::TabFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

OutageTimeline::~OutageTimeline() = default;

void OutageTimeline::setOutages(
    const QString &range, const QList<AvailabilityOutage> &outages, qint64 nowMs, bool servedNow)
{
    m_range = range;
    m_outages = outages;
    m_now = nowMs;
    m_servedNow = servedNow;
    setAccessibleName(tr("Outages of %1 in the last hour").arg(range));
    setAccessibleDescription(describe());
    setToolTip(accessibleDescription());
    update();
}

QList<AvailabilityOutage> OutageTimeline::outages() const
{
    return m_outages;
}

QString OutageTimeline::describe() const
{
    if (!m_servedNow && (m_outages.isEmpty() || m_outages.constLast().end != 0))
        return tr("Nobody serves it now; no outage of the last hour is known.");
    if (m_outages.isEmpty())
        return tr("No outage in the last hour.");
    QStringList parts;
    for (const AvailabilityOutage &o : m_outages) {
        const qint64 end = o.end > 0 ? o.end : m_now;
        const QString length = Format::duration(end - o.start);
        if (o.kind == u"lost" && o.end == 0) {
            parts.append(tr("from %1, still down (%2 so far): nobody serves it since %3 failed")
                             .arg(Format::timeOfDay(o.start), length, o.from));
        } else if (o.kind == u"lost") {
            parts.append(tr("at %1 for %2: nobody served it after %3 failed, until %4 took over")
                             .arg(Format::timeOfDay(o.start), length, o.from, o.to));
        } else {
            parts.append(
                tr("at %1 for %2: failover from %3 to %4").arg(Format::timeOfDay(o.start), length, o.from, o.to));
        }
    }
    return tr("Outages in the last hour: %1; %2.").arg(m_outages.size()).arg(parts.join(u"; "_s));
}

QSize OutageTimeline::sizeHint() const
{
    return {480, 3 * fontMetrics().height()};
}

QSize OutageTimeline::minimumSizeHint() const
{
    return {160, 3 * fontMetrics().height()};
}

QRectF OutageTimeline::barRect() const
{
    const int line = fontMetrics().height();
    return QRectF(2, 2, width() - 4, line * 1.2);
}

double OutageTimeline::xFor(qint64 timeMs) const
{
    const QRectF bar = barRect();
    const double t = static_cast<double>(timeMs - (m_now - AvailabilityModel::kWindowMs))
        / static_cast<double>(AvailabilityModel::kWindowMs);
    return bar.left() + bar.width() * qBound(0.0, t, 1.0);
}

void OutageTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette pal = palette();
    const QRectF bar = barRect();
    QColor served = kServed;
    served.setAlphaF(0.35);
    // Nobody serving now and no outage known: the hour is unknown, not served.
    const bool unknown = !m_servedNow && (m_outages.isEmpty() || m_outages.constLast().end != 0);
    painter.fillRect(bar, unknown ? pal.color(QPalette::Midlight) : served);
    for (const AvailabilityOutage &o : m_outages) {
        const double left = xFor(o.start);
        const double right = xFor(o.end > 0 ? o.end : m_now);
        // At least two pixels, so a short failover stays visible; still to scale otherwise.
        painter.fillRect(QRectF(left, bar.top(), qMax(2.0, right - left), bar.height()), kOutage);
    }
    painter.setPen(QPen(pal.color(QPalette::Mid), 1));
    painter.drawRect(bar);

    // Ticks every 15 minutes, labelled with how long ago.
    painter.setPen(pal.color(QPalette::PlaceholderText));
    const QFontMetrics fm = fontMetrics();
    for (int quarter = 0; quarter <= 4; ++quarter) {
        const double x = bar.left() + bar.width() * quarter / 4.0;
        painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3));
        const QString label = quarter == 4 ? tr("now") : tr("−%1 min").arg((4 - quarter) * 15);
        const int w = fm.horizontalAdvance(label);
        const double lx = quarter == 0 ? x : (quarter == 4 ? x - w : x - w / 2.0);
        painter.drawText(QPointF(lx, bar.bottom() + 3 + fm.ascent()), label);
    }
    if (hasFocus()) {
        painter.setPen(QPen(pal.color(QPalette::Highlight), 2));
        painter.drawRect(rect().adjusted(1, 1, -1, -1));
    }
}

} // namespace Nimbus
