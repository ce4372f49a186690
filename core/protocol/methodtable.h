#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include "core/protocol/role.h"

namespace Nimbus::Protocol
{

/// The methods of protocol version 1.
enum class Method {
    Hello,
    Status,
    PeersList,
    ClaimsList,
    EventsSubscribe,
    Stats,
    ProfilesValidate,
    ProfilesImport,
    ProfilesExport,
    NetworksConnect,
    NetworksDisconnect,
    KeysGenerate,
    HelperShutdown,
};

/// Every method, in the order of the table in docs/control-protocol.md.
QList<Method> allMethods();
/// The wire name, e.g. `peers.list`.
QString methodName(Method method);
/// The method named \a name (exact, case-sensitive), or nullopt for an unknown method.
std::optional<Method> methodFromName(QStringView name);

/// The one method x role table: whether \a role may call \a method.
bool isAllowed(Method method, Role role);
/// As above by wire name; false for unknown methods.
bool isAllowed(QStringView method, Role role);
/// The wire names of the methods \a role may call, in table order (the `capabilities` of `hello`).
QStringList allowedMethods(Role role);

/// The keys of a Profile that make the helper run a command or open a path chosen by the client
/// (hooks, `ifup`/`ifdown`, file paths, `user`/`group`): only an admin may send them with a non-empty value.
/// Returns the offending keys present in \a profile, sorted; empty if none.
QStringList privilegedProfileKeys(const QJsonObject &profile);

} // namespace Nimbus::Protocol
