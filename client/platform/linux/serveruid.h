#pragma once

#include <optional>

#include <QString>
#include <QtGlobal>

// The few OS facts the control client needs; OS headers stay in the .cpp.
namespace Nimbus::ClientPlatform
{

/// The uid of the process that listens behind the connected Unix socket \a fd (SO_PEERCRED), or nullopt.
std::optional<quint32> serverUid(qintptr fd);
/// The uid of the user \a name, or nullopt if there is no such user.
std::optional<quint32> userId(const QString &name);
/// The real uid of this process.
quint32 currentUid();

} // namespace Nimbus::ClientPlatform
