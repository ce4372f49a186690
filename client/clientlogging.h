#pragma once

#include <QLoggingCategory>

namespace Nimbus
{
Q_DECLARE_LOGGING_CATEGORY(lcClient)
} // namespace Nimbus
