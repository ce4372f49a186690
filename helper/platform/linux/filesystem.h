#pragma once

#include <QString>

#include "core/protocol/result.h"

namespace Nimbus
{

/// Sets the group of \a path (chown with uid unchanged), e.g. of the control socket to group `nimbus`.
[[nodiscard]] Result<Ok> setPathGroup(const QString &path, quint32 gid);

/// Detaches from the terminal (spec §9.8 step 10, `--daemon`): forks, the parent exits 0, the child starts a new
/// session and points stdin/stdout/stderr at /dev/null unless a log file is used.
[[nodiscard]] Result<Ok> daemonize(bool keepStdout);

/// Drops root privileges to \a user / \a group (names), as `--user`/`--group` ask. Supplementary groups are
/// reset. Empty names leave that part unchanged.
[[nodiscard]] Result<Ok> dropPrivileges(const QString &user, const QString &group);

} // namespace Nimbus
