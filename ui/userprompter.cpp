#include "ui/userprompter.h"

namespace Nimbus
{

UserPrompter::~UserPrompter() = default;

} // namespace Nimbus
