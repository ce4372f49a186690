#include "ui/widgets/userprompter.h"

namespace Nimbus
{

UserPrompter::~UserPrompter() = default;

} // namespace Nimbus
