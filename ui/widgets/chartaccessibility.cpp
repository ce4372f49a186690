#include "ui/widgets/chartaccessibility.h"

#include <QAccessibleWidget>
#include <QWidget>

namespace Nimbus
{

namespace
{

QAccessibleInterface *chartFactory(const QString &className, QObject *object)
{
    if (className != u"Nimbus::TrafficChart" && className != u"Nimbus::OutageTimeline")
        return nullptr;
    auto *widget = qobject_cast<QWidget *>(object);
    return widget ? new QAccessibleWidget(widget, QAccessible::Chart) : nullptr;
}

} // namespace

void installChartAccessibility()
{
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    QAccessible::installFactory(chartFactory);
}

} // namespace Nimbus
