#include "ui/common/logging.h"

namespace Nimbus
{

Q_LOGGING_CATEGORY(lcUi, "nimbus.ui", QtWarningMsg)
Q_LOGGING_CATEGORY(lcTray, "nimbus.ui.tray", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKeychain, "nimbus.ui.keychain", QtWarningMsg)
Q_LOGGING_CATEGORY(lcController, "nimbus.ui.controller", QtWarningMsg)

} // namespace Nimbus
