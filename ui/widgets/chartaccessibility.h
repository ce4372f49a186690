#pragma once

namespace Nimbus
{

/// Makes screen readers see the painted charts (TrafficChart, OutageTimeline) as charts (QAccessible::Chart) with
/// their accessible name and description. Idempotent; the charts call it when created.
void installChartAccessibility();

} // namespace Nimbus
