#pragma once

#include <optional>

#include <QString>
#include <QStringView>

namespace Nimbus::Protocol
{

/// What a control client may do. Decided by the helper from the kernel's peer credentials, never by the client.
/// Ordered: each role may do everything the previous one may.
enum class Role {
    Observer,
    Operator,
    Admin,
};

inline constexpr Role kAllRoles[] = {Role::Observer, Role::Operator, Role::Admin};

/// `observer`, `operator` or `admin`.
QString roleName(Role role);
/// The role named \a name, or nullopt.
std::optional<Role> roleFromName(QStringView name);

} // namespace Nimbus::Protocol
