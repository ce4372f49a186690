#pragma once

#include <optional>

#include <QString>

#include "core/protocol/result.h"

namespace Nimbus
{

/// Gives the socket file this process just bound at \a path the permission bits \a mode and, if set, the group
/// \a gid, without following anything put in its place: the path is opened with O_PATH|O_NOFOLLOW and must be a
/// socket owned by this process's user; the mode is set through the descriptor (/proc/self/fd), the group with
/// fchownat(AT_EMPTY_PATH). What is right already is left alone, so a helper whose own group is the operator group
/// (systemd's Group=nimbus) never calls chown, which nimbus-helper.service's system call filter forbids. A failed
/// group change is the error with code `group` (the socket is then still only the helper's own group's).
[[nodiscard]] Result<Ok> secureSocketFile(const QString &path, quint32 mode, std::optional<quint32> gid);

/// Detaches from the terminal (spec §9.8 step 10, `--daemon`): forks, the parent exits 0, the child starts a new
/// session and points stdin/stdout/stderr at /dev/null unless a log file is used.
[[nodiscard]] Result<Ok> daemonize(bool keepStdout);

/// Overwrites the value of environment variable \a name where it lies (the block /proc/PID/environ shows) and
/// removes it from the environment.
void scrubEnvironmentVariable(const QString &name);

/// PR_SET_DUMPABLE 0: no core file, and no ptrace or /proc/PID/mem for processes of the same user.
[[nodiscard]] Result<Ok> makeNonDumpable();

/// Drops root privileges to \a user / \a group (names), as `--user`/`--group` ask. Supplementary groups are
/// reset. Empty names leave that part unchanged.
[[nodiscard]] Result<Ok> dropPrivileges(const QString &user, const QString &group);

} // namespace Nimbus
