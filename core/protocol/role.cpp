#include "core/protocol/role.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

QString roleName(Role role)
{
    switch (role) {
    case Role::Observer:
        return u"observer"_s;
    case Role::Operator:
        return u"operator"_s;
    case Role::Admin:
        return u"admin"_s;
    }
    return u"observer"_s;
}

std::optional<Role> roleFromName(QStringView name)
{
    for (const Role role : kAllRoles) {
        if (name == roleName(role))
            return role;
    }
    return std::nullopt;
}

} // namespace Nimbus::Protocol
