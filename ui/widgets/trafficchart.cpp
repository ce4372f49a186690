#include "ui/widgets/trafficchart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include "ui/common/format.h"
#include "ui/models/traffichistory.h"
#include "ui/widgets/chartaccessibility.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

const QColor kRxColor(0x1c, 0x71, 0xd8);
const QColor kTxColor(0x26, 0xa2, 0x69);

/// The smallest of 1, 2, 5, 10, 20, 50, 100, 200, 500 times a power of 1024 that is at least `value`, so the axis
/// label reads "500 KiB/s" rather than "488.3 KiB/s".
double niceCeiling(double value)
{
    double unit = 1024;
    while (value > unit * 1000)
        unit *= 1024;
    for (const double step : {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0}) {
        if (step * unit >= value)
            return step * unit;
    }
    return 1024 * unit;
}

} // namespace

TrafficChart::TrafficChart(const TrafficHistory &history, QWidget *parent) : QWidget(parent), m_history(history)
{
    installChartAccessibility();
    setAccessibleName(tr("Traffic of the last minute"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(&history, &TrafficHistory::changed, this, [this] {
        updateAccessibleText();
        update();
    });
    updateAccessibleText();
}

TrafficChart::~TrafficChart() = default;

QSize TrafficChart::sizeHint() const
{
    return {480, 7 * fontMetrics().height()};
}

QSize TrafficChart::minimumSizeHint() const
{
    return {200, 5 * fontMetrics().height()};
}

void TrafficChart::updateAccessibleText()
{
    const TrafficPoint p = m_history.latest();
    setAccessibleDescription(tr("Receiving %1, sending %2").arg(Format::rate(p.rxRate), Format::rate(p.txRate)));
    setToolTip(accessibleDescription());
}

void TrafficChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();

    const QList<TrafficPoint> points = m_history.points();
    double peak = 0;
    for (const TrafficPoint &p : points)
        peak = qMax(peak, qMax(p.rxRate, p.txRate));
    const double top = niceCeiling(peak);

    const QString topLabel = tr("%1/s").arg(QLocale().formattedDataSize(static_cast<qint64>(top), 0));
    const int labelWidth = fm.horizontalAdvance(topLabel) + 6;
    const QRectF plot(labelWidth, line * 1.4, width() - labelWidth - 4, height() - line * 1.4 - line - 4);
    painter.fillRect(rect(), pal.color(QPalette::Base));

    // Legend with the current rates.
    const TrafficPoint latest = m_history.latest();
    int x = labelWidth;
    const auto legend = [&](const QColor &color, const QString &text) {
        painter.fillRect(QRectF(x, line * 0.35, line * 0.7, line * 0.7), color);
        x += static_cast<int>(line * 0.9);
        painter.setPen(pal.color(QPalette::Text));
        painter.drawText(QPointF(x, line), text);
        x += fm.horizontalAdvance(text) + line;
    };
    legend(kRxColor, tr("Received %1").arg(Format::rate(latest.rxRate)));
    legend(kTxColor, tr("Sent %1").arg(Format::rate(latest.txRate)));

    // Grid and axis labels.
    QColor grid = pal.color(QPalette::Text);
    grid.setAlphaF(0.15);
    painter.setPen(QPen(grid, 1));
    for (int i = 0; i <= 2; ++i) {
        const double y = plot.top() + plot.height() * i / 2.0;
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }
    painter.setPen(pal.color(QPalette::PlaceholderText));
    painter.drawText(QRectF(0, plot.top() - line / 2.0, labelWidth - 4, line), Qt::AlignRight, topLabel);
    painter.drawText(QRectF(0, plot.bottom() - line / 2.0, labelWidth - 4, line), Qt::AlignRight, u"0"_s);
    painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), line), Qt::AlignLeft, tr("60 s ago"));
    painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), line), Qt::AlignRight, tr("now"));

    if (points.size() < 2)
        return;
    const auto pathOf = [&](bool rx) {
        QPainterPath path;
        for (qsizetype i = 0; i < points.size(); ++i) {
            const double value = rx ? points.at(i).rxRate : points.at(i).txRate;
            const QPointF pt(
                plot.left() + plot.width() * static_cast<double>(i) / static_cast<double>(points.size() - 1),
                plot.bottom() - plot.height() * qBound(0.0, value / top, 1.0));
            if (i == 0)
                path.moveTo(pt);
            else
                path.lineTo(pt);
        }
        return path;
    };
    painter.setPen(QPen(kRxColor, 2));
    painter.drawPath(pathOf(true));
    painter.setPen(QPen(kTxColor, 2, Qt::DashLine));
    painter.drawPath(pathOf(false));
}

} // namespace Nimbus
