#include "helper/control/controllogging.h"

namespace Nimbus
{
Q_LOGGING_CATEGORY(lcControl, "nimbus.helper.control", QtInfoMsg)
} // namespace Nimbus
