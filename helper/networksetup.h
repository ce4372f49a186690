#pragma once

#include <memory>

#include <QList>

#include "core/protocol/result.h"
#include "core/wire/range.h"
#include "helper/network.h"

namespace Nimbus
{

class HookRunner;
struct NetworkConfig;

/// Opening a network on this machine: the Linux TUN/TAP device and UDP socket behind the interfaces Network uses.
namespace NetworkSetup
{

/// Binds the UDP socket to `listen` and opens and configures the device (spec §9.8 steps 1-5): a stale device of
/// the same name removed, the hook device_setup, the MTU, the address (or just up), the hooks ifup and
/// device_configured. With auto-claim (TUN), appends the device's address as a /32 to \a claims unless it is
/// there. Sets the hooks' IFNAME. On an error after the device was opened, runs ifdown.
[[nodiscard]] Result<NetworkIo> open(const NetworkConfig &config, HookRunner &hooks, QList<Range> &claims);

/// Starts a network: checks \a config (validateForRun()), derives the identity and drops the secret, translates
/// the config (translateConfig()), opens the device and the socket (open()), starts the Network and watches the
/// host's addresses and routes for it (roaming). \a sink gets the network's events, also `network.state`
/// "disconnected" if it fails after the config was accepted.
[[nodiscard]] Result<std::unique_ptr<Network>> start(NetworkConfig config, bool system, Network::EventSink sink);

} // namespace NetworkSetup

} // namespace Nimbus
