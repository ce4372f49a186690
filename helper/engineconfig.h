#pragma once

#include <optional>

#include <QList>

#include "core/config/config.h"
#include "core/node/meshnode.h"
#include "core/protocol/result.h"
#include "helper/peerresolver.h"

namespace Nimbus
{

class Identity;

/// What the engine of one network is built from, translated from its NetworkConfig: the node's settings and the
/// names the helper has to look up (configured peers, the statsd server).
struct EngineConfig {
    NodeConfig node;
    /// The configured peers in order, syntax checked; their names are resolved after the start.
    QList<PeerName> peers;
    std::optional<PeerName> statsd;
};

/// The identity of \a config: from crypto.private-key if set (an error with code "bad-key" if it is not a valid
/// key), else from the password. \a config must have passed validateForRun().
[[nodiscard]] Result<Identity> identityFromConfig(const NetworkConfig &config);

/// Translates \a config into the engine's settings (pure: no I/O, no clock). Errors are one line naming the
/// setting, code "bad-key" (a trusted key) or "bad-config" (no usable algorithm, a bad claim, a bad statsd server),
/// or PeerName::parse()'s error for a bad peer. The device's own address (auto-claim) and the node's own socket
/// addresses are not known yet: NetworkSetup and Network add them.
[[nodiscard]] Result<EngineConfig> translateConfig(const NetworkConfig &config, Identity identity);

/// Maps the configuration's algorithm list to what the engine advertises (never AES-128, AES-256 only with
/// hardware support); empty = Nimbus' defaults.
AlgorithmList advertisedAlgorithms(const QList<Algorithm> &configured);

/// The engine's mode for a configured mode.
Mode engineMode(NodeMode mode);

} // namespace Nimbus
