#include "core/protocol/constants.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

QString defaultSocketPath()
{
    return u"/run/nimbus/control.sock"_s;
}

QString clientSocketPath(const QString &fromEnvironment)
{
    return fromEnvironment.isEmpty() ? defaultSocketPath() : fromEnvironment;
}

QString networkSocketPath(const QString &name)
{
    return u"/run/nimbus/%1.sock"_s.arg(name);
}

QString operatorGroup()
{
    return u"nimbus"_s;
}

} // namespace Nimbus::Protocol
