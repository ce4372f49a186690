#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

QString defaultSocketPath()
{
    return u"/run/nimbus/control.sock"_s;
}

QString operatorGroup()
{
    return u"nimbus"_s;
}

} // namespace Nimbus::Protocol
