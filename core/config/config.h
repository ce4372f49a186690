/// The VpnCloud 2.x compatible network configuration (spec §9) plus the Nimbus extras.
#pragma once

#include <optional>

#include <QDebug>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "core/crypto/aead.h"
#include "core/protocol/result.h"
#include "core/wire/packetaddress.h"

namespace Nimbus
{

/// `mode` (spec §7.1).
enum class NodeMode {
    Normal,
    Router,
    Switch,
    Hub,
};

/// Every setting of one network, with VpnCloud 2.x defaults (spec §9.2). Unset optional values are std::nullopt;
/// lists are empty by default. Values are kept as written (claims, keys, addresses as text) but every parser of
/// this module validates them, so a NetworkConfig returned by a parser holds only well-formed values.
/// Secrets: `password`, `privateKey` and `beaconPassword`; no function of this module prints them.
struct NetworkConfig {
    /// Default of device.name (`%d` = first free number).
    static constexpr QLatin1StringView kDefaultDeviceName {"vpncloud%d"};
    /// Default of device.path.
    static constexpr QLatin1StringView kDefaultDevicePath {"/dev/net/tun"};
    /// Default of listen.
    static constexpr QLatin1StringView kDefaultListen {"3210"};
    /// statsd.prefix used when none is set (applied at use).
    static constexpr QLatin1StringView kDefaultStatsdPrefix {"vpncloud"};

    // Nimbus extras (not part of VpnCloud's file format)
    QString name; ///< network name (profile name); empty in network mode unless main sets it
    bool balance = false; ///< spread traffic over equal claimants
    bool fastFailover = true; ///< ICMP-confirmed fast failover
    QString controlSocket; ///< control socket path; empty = the helper's default

    // device.*
    DeviceType deviceType = DeviceType::Tun;
    QString deviceName = kDefaultDeviceName;
    QString devicePath = kDefaultDevicePath;
    bool fixRpFilter = false;

    std::optional<QString> ip; ///< `A.B.C.D[/len]`
    QStringList advertiseAddresses; ///< `IP` or `IP:PORT`
    std::optional<QString> ifup;
    std::optional<QString> ifdown;

    // crypto.*
    std::optional<QString> password; ///< secret
    std::optional<QString> privateKey; ///< secret, base62 seed; takes precedence over the password
    std::optional<QString> publicKey; ///< base62; consistency check only
    QStringList trustedKeys; ///< base62; empty = own key only
    QList<Algorithm> algorithms; ///< empty = aes128, aes256, chacha20; order as advertised

    QString listen = kDefaultListen; ///< spec §9.7
    QStringList peers; ///< `host[:port]`
    quint32 peerTimeout = 300; ///< seconds
    std::optional<quint32> keepalive; ///< seconds; unset = derived (spec §6.6)

    // beacon.*
    std::optional<QString> beaconStore;
    std::optional<QString> beaconLoad;
    quint32 beaconInterval = 3600;
    std::optional<QString> beaconPassword; ///< secret (obfuscation key)

    NodeMode mode = NodeMode::Normal;
    quint32 switchTimeout = 300; ///< seconds
    QStringList claims; ///< `ADDRESS/PREFIX`, each accepted by Range::parse
    bool autoClaim = true;
    bool portForwarding = true;
    std::optional<QString> pidFile;
    std::optional<QString> statsFile;
    std::optional<QString> statsdServer; ///< `host:port`
    std::optional<QString> statsdPrefix;
    std::optional<QString> user;
    std::optional<QString> group;
    std::optional<QString> hook; ///< script for every event
    QMap<QString, QString> hooks; ///< event -> script; overrides `hook`

    friend bool operator==(const NetworkConfig &, const NetworkConfig &) = default;
};

/// `tun` / `tap`.
QString deviceTypeName(DeviceType type);
/// Case-insensitive `tun` / `tap`.
std::optional<DeviceType> parseDeviceType(QStringView text);
/// `normal`, `router`, `switch`, `hub`.
QString nodeModeName(NodeMode mode);
/// Case-insensitive `normal`, `router`, `switch`, `hub`.
std::optional<NodeMode> parseNodeMode(QStringView text);
/// The lowercase config name of an algorithm: `plain`, `aes128`, `aes256`, `chacha20`.
QString algorithmConfigName(Algorithm algorithm);
/// The algorithm names of spec §9.2 (case-insensitive). With \a cliOnly, only `plain`, `aes128`, `aes256` and
/// `chacha20` are accepted (as by VpnCloud's `--algorithm`).
std::optional<Algorithm> parseAlgorithmConfigName(QStringView name, bool cliOnly = false);
/// The hook events of spec §9.9 (`peer_connecting`, ..., `vpn_shutdown`).
QStringList hookEventNames();

/// A multi-line, human-readable description of every setting for logs and `--verbose`. Secrets are shown as
/// `(set)`, never their value.
QString describeConfig(const NetworkConfig &config);
/// Streams describeConfig(); secrets are never printed.
QDebug operator<<(QDebug debug, const NetworkConfig &config);

/// The checks that must pass before a network can run: a password or a private key is set, and a configured
/// public key matches the private key. Errors (code "bad-config") are one line naming the setting.
/// Requires initCrypto() to have succeeded.
Result<Ok> validateForRun(const NetworkConfig &config);

} // namespace Nimbus
