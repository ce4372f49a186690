#include "client/clientlogging.h"

namespace Nimbus
{
Q_LOGGING_CATEGORY(lcClient, "nimbus.ui.client", QtWarningMsg)
} // namespace Nimbus
