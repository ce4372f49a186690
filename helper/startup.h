#pragma once

#include <optional>

#include <QHash>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/protocol/result.h"

namespace Nimbus
{

class ControlServer;
struct CommandLine;

/// The steps of nimbus-helper's start that are not wiring: loading and checking the configuration, the control
/// socket's path, and what follows a network's start in network mode (spec §9.8 step 10). Every error is one line
/// for stderr; the caller picks the exit status the function's comment names.
namespace Startup
{

/// Exit statuses of nimbus-helper (as VpnCloud's): a failure at run time, and a bad command line or configuration.
constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

/// The process environment as a hash (for parseCommandLine()).
QHash<QString, QString> systemEnvironment();

/// The environment variables that may carry a network's secret: NIMBUS_PASSWORD, PASSWORD, PRIVATE_KEY.
QStringList secretEnvironmentVariables();
/// Once the command line has been read: overwrites the values of the secret variables where they lie (so that
/// /proc/PID/environ no longer shows them) and removes them, so hooks do not inherit them; and makes the process
/// non-dumpable (no core file, no ptrace or /proc/PID/mem by the same user), since it holds keys in memory. The
/// units also set LimitCORE=0; setrlimit() itself is not called, nimbus-helper.service's filter forbids it.
void protectSecrets();

/// Reads `--config` (YAML), applies the command line on top, reads `--password-file` (trailing newlines
/// removed). In network mode also validateForRun() and names the network after the config file (or "default").
/// Errors: kExitUsage.
[[nodiscard]] Result<NetworkConfig> loadNetworkConfig(const CommandLine &cli, bool service);

/// The control socket: --control-socket, or the config's, or /run/nimbus/control.sock in service mode, or
/// /run/nimbus/<config name>.sock in network mode (so several networks can run side by side).
QString controlSocketPath(const CommandLine &cli, const NetworkConfig &config, bool service);

/// Creates the socket's folder and listens. In service mode a failure is an error (kExitRuntime); in network
/// mode it is logged and the helper runs without a control socket.
[[nodiscard]] Result<Ok> listenControlSocket(ControlServer &server, const QString &path, bool service);

/// Network mode, before the network starts: warns about beacon settings, and refuses a stats file whose folder
/// does not exist or is not writable (kExitUsage), as VpnCloud does, before the device exists.
[[nodiscard]] Result<Ok> checkBeforeStart(const NetworkConfig &config);

/// What network mode does once the device and the socket exist (spec §9.8 step 10).
struct AfterStart {
    bool daemon = false;
    bool keepStdout = false; ///< a log file is set: stdout stays open when daemonizing
    std::optional<QString> pidFile;
    QString user;
    QString group;

    static AfterStart from(const CommandLine &cli, const NetworkConfig &config);
};

/// Daemonizes (--daemon), writes the pid file, drops privileges to user/group. Errors: kExitRuntime.
[[nodiscard]] Result<Ok> afterStart(const AfterStart &steps);

} // namespace Startup

} // namespace Nimbus
