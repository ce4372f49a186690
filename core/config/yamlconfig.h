/// VpnCloud 2.x YAML configuration files (spec §9.2): parsing and export. No file I/O: text in, text out.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "core/config/config.h"
#include "core/protocol/result.h"

namespace Nimbus
{

/// Largest configuration text parseYamlConfig() accepts (1 MiB).
constexpr qsizetype kMaxConfigSize = 1024 * 1024;

/// Parses a VpnCloud 2.x YAML config (UTF-8). Keys are kebab-case; an unknown key at any level is an error that
/// names the full key path (`unknown key "crypto.pasword"`); `~` means unset; every value is type-checked and
/// validated (addresses, claims, keys, algorithm names, hook events). Numbers and booleans are typed as VpnCloud's
/// YAML reader types them: only unquoted (`peer-timeout: "30"` and `auto-claim: "false"` are strings, so errors);
/// integers are decimal without leading zeros (`030` is a string) or `0x`/`0o`/`0b`, each with an optional '+'.
/// An empty document gives the defaults.
/// Errors have code "bad-config" and a one-line message naming the key, e.g.
/// `peer-timeout: expected an unsigned integer of seconds, got "abc"`. The Nimbus extras (name, balance, ...)
/// are not part of the file format and keep their defaults.
Result<NetworkConfig> parseYamlConfig(QByteArrayView yaml);

/// Writes \a config as a YAML file VpnCloud 2.x can read (kebab-case keys; only settings that differ from the
/// defaults). Secrets (crypto.password, crypto.private-key, beacon.password) are written only if
/// \a includeSecrets. The Nimbus extras are not written (VpnCloud rejects unknown keys); the network name, if
/// any, appears in a leading comment.
QByteArray toYaml(const NetworkConfig &config, bool includeSecrets);

} // namespace Nimbus
