/// The `nimbus-helper` command line: VpnCloud 2.x flags (spec §9.3) plus the Nimbus extras, merged with a
/// config file by the precedence rules of spec §9.1. No I/O: arguments and environment are passed in.
#pragma once

#include <optional>

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/protocol/result.h"

namespace Nimbus
{

/// What the command line asks for.
enum class CliAction {
    RunNetwork, ///< run one network (VpnCloud drop-in mode)
    RunService, ///< `--service`: start with no network and wait for control clients
    GenKey, ///< `genkey` / `gen-key`: print a key pair
    Version, ///< `--version`
    Help, ///< `-h` / `--help`
};

/// The settings given on the command line (and by PASSWORD / PRIVATE_KEY / NIMBUS_PASSWORD). Unset = not given.
/// Boolean flags can only switch their setting in their own direction (spec §9.1).
struct ConfigOverrides {
    std::optional<DeviceType> deviceType;
    std::optional<QString> deviceName;
    std::optional<QString> devicePath;
    bool fixRpFilter = false; ///< `--fix-rp-filter`
    std::optional<QString> ip;
    QStringList advertiseAddresses;
    std::optional<QString> ifup;
    std::optional<QString> ifdown;
    std::optional<QString> password; ///< secret
    std::optional<QString> privateKey; ///< secret
    std::optional<QString> publicKey;
    QStringList trustedKeys;
    QList<Algorithm> algorithms;
    std::optional<QString> listen;
    QStringList peers;
    std::optional<quint32> peerTimeout;
    std::optional<quint32> keepalive;
    std::optional<QString> beaconStore;
    std::optional<QString> beaconLoad;
    std::optional<quint32> beaconInterval;
    std::optional<QString> beaconPassword; ///< secret
    std::optional<NodeMode> mode;
    std::optional<quint32> switchTimeout;
    QStringList claims;
    bool noAutoClaim = false; ///< `--no-auto-claim`
    bool noPortForwarding = false; ///< `--no-port-forwarding`
    std::optional<QString> pidFile;
    std::optional<QString> statsFile;
    std::optional<QString> statsdServer;
    std::optional<QString> statsdPrefix;
    std::optional<QString> user;
    std::optional<QString> group;
    std::optional<QString> hook; ///< `--hook SCRIPT`
    QMap<QString, QString> hooks; ///< `--hook EVENT:SCRIPT`
    bool balance = false; ///< `--balance`
    bool noFastFailover = false; ///< `--no-fast-failover`
    std::optional<QString> controlSocket;

    friend bool operator==(const ConfigOverrides &, const ConfigOverrides &) = default;
};

/// The parsed command line.
struct CommandLine {
    CliAction action = CliAction::RunNetwork;
    std::optional<QString> configFile; ///< `--config FILE`; main reads it and passes the text to parseYamlConfig()
    /// `--password-file FILE`; main reads the file (first line, trailing newline removed) and stores the
    /// password in `overrides.password` (or `genkeyPassword` for genkey) before calling mergeConfig().
    std::optional<QString> passwordFile;
    std::optional<QString> logFile; ///< `--log-file FILE`
    bool daemon = false; ///< `--daemon`
    bool verbose = false; ///< `-v`
    bool quiet = false; ///< `-q`
    /// `--allow-range CIDR` (repeatable, comma lists): IPv4 ranges non-admin clients may use as a network's device
    /// address besides the private ones (core/config/addresspolicy.h).
    QStringList allowRanges;
    ConfigOverrides overrides;
    /// genkey only: `-p/--password` or $NIMBUS_PASSWORD / $PASSWORD; unset = random key.
    std::optional<QString> genkeyPassword;
};

/// Parses \a args (as QCoreApplication::arguments(): the first element is the program name and is skipped).
/// \a env holds the environment variables (PASSWORD, PRIVATE_KEY, NIMBUS_PASSWORD are read from it).
/// Accepts `--flag value`, `--flag=value`, `-x value`, `-xvalue` and `-x=value`; list options may be repeated
/// and take comma-separated values; `--` ends the options. `-h`/`--help` and `--version` stop parsing.
/// Errors (code "bad-usage") are one line naming the flag, e.g. `unknown option "--pasword"`. The app prints
/// them and exits with status 2.
Result<CommandLine> parseCommandLine(const QStringList &args, const QHash<QString, QString> &env);

/// Applies \a cli on top of \a fromFile (spec §9.1): scalars given on the command line replace the file's,
/// the lists peers, claims, advertise-addresses and trusted-keys are concatenated (file entries first),
/// algorithms are replaced by a non-empty command-line list, hooks are merged per event, boolean flags only
/// switch their own direction. Errors (code "bad-usage") are one line, e.g. when `--statsd-prefix` is given
/// without any statsd server.
Result<NetworkConfig> mergeConfig(const NetworkConfig &fromFile, const CommandLine &cli);

/// The complete `--help` text: every flag with its meaning and default, the Nimbus extras, the environment
/// variables and the exit codes (0 ok, 1 runtime failure, 2 bad usage or configuration).
QString helpText();

} // namespace Nimbus
