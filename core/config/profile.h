/// Bridging between NetworkConfig and the control protocol's Profile JSON (docs/control-protocol.md), and the
/// import of VpnCloud YAML files into a profile (profiles.validate / profiles.import).
#pragma once

#include <optional>

#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/config/config.h"
#include "core/protocol/profile.h"
#include "core/protocol/result.h"

namespace Nimbus
{

/// One problem of a profile: the JSON field name ("ip", "claims", "peerTimeout", ...) and what is wrong. The
/// control protocol's type, so a validation result goes on the wire as it is.
using FieldError = Protocol::FieldError;

/// The result of importing a VpnCloud YAML file: a valid Profile, the file's secret if it had one, and what was
/// dropped or will not work (one line each). The control protocol's type, so it goes on the wire as it is.
using ImportResult = Protocol::ImportResult;

/// The protocol Profile (Protocol::Profile, the one profile data type) of \a config: deviceName is "" for the
/// default name, ip and publicKey are "" when unset, devicePath is set only when not the default. Secrets, hooks,
/// beacons, statsd and controlSocket are not part of a profile.
Protocol::Profile profileFromConfig(const NetworkConfig &config);

/// The NetworkConfig of a protocol Profile; fails like profileFromJson() (the values are checked here, the
/// types already were).
Result<NetworkConfig> configFromProfile(const Protocol::Profile &profile);

/// The Profile object of \a config (profileFromConfig() as JSON): camelCase keys, every VpnCloud-default key always
/// present, plus the admin-only keys (devicePath, ifup, ifdown, statsFile, pidFile, user, group) when set. deviceName
/// is "" for the default name, ip and publicKey are "" when unset, keepalive is null when derived. Secrets, hooks,
/// beacons, statsd and controlSocket are not part of a profile.
QJsonObject profileToJson(const NetworkConfig &config);

/// The NetworkConfig of a Profile. Missing keys take the VpnCloud defaults; unknown keys are ignored.
/// Fails (code "invalid-profile", message "field: problem" of the first problem) if validateProfile() reports
/// anything.
Result<NetworkConfig> profileFromJson(const QJsonObject &profile);

/// Every problem of \a profile, one entry per field (the first problem of that field). Empty = valid.
/// `name` is required; secrets (`password`, `privateKey`) are refused because they travel separately.
QList<FieldError> validateProfile(const QJsonObject &profile);

/// Converts a VpnCloud YAML config into a Profile named \a name ("imported" if empty), the secret it holds and
/// warnings for everything a profile cannot carry (beacons, statsd, hooks), for keys that start with a zero
/// byte (VpnCloud cannot use them), for settings that need an admin to connect, and for peer timeouts below
/// 120 s without keepalive. Fails with the parseYamlConfig() error if the YAML is invalid.
Result<ImportResult> importVpnCloudYaml(QByteArrayView yaml, const QString &name = QString());

/// The VpnCloud 2.x YAML file of a Profile (profiles.export), written by toYaml(): kebab-case keys, only what
/// differs from VpnCloud's defaults, the profile's name in a leading comment. The file holds no secret unless
/// \a secret is given (then exactly that one, as crypto.password or crypto.private-key). The Nimbus-only
/// settings VpnCloud does not know (balance, fastFailover) are not keys of the file; when they differ from their
/// defaults a comment line says so. Fails (code "invalid-profile") like profileFromJson().
Result<QByteArray> exportVpnCloudYaml(
    const QJsonObject &profile, const std::optional<Protocol::Secret> &secret = std::nullopt);

/// True if \a config needs an admin client to be connected over the control socket: hooks, ifup/ifdown, any
/// file path (stats file, pid file, beacon store/load, a non-default device path), user/group or statsd.
bool profileNeedsAdmin(const NetworkConfig &config);

} // namespace Nimbus
