#pragma once

#include <QString>
#include <QtGlobal>

/// Fixed numbers and names of the control protocol (docs/control-protocol.md).
namespace Nimbus::Protocol
{

/// The protocol versions this build speaks, highest last. Version 1 is the only one so far.
inline constexpr int kProtocolVersion = 1;
/// A frame starts with a 4-byte big-endian length.
inline constexpr qsizetype kFrameHeaderSize = 4;
/// The largest JSON payload of one frame (1 MiB). Larger, or empty, frames close the connection.
inline constexpr qsizetype kMaxFrameSize = 1024 * 1024;
/// Events a subscriber may have queued before the helper drops them and sends `resync`.
inline constexpr int kMaxQueuedEvents = 1024;
/// Bytes of encoded events a subscriber may have queued before the helper drops them and sends `resync`.
inline constexpr qsizetype kMaxQueuedEventBytes = 4 * 1024 * 1024;
/// The largest profile input (profiles.import YAML; the profile of profiles.validate and profiles.export): 64 KiB.
inline constexpr qsizetype kMaxProfileInputBytes = 64 * 1024;
/// Networks one non-root uid may have connected at a time.
inline constexpr int kMaxNetworksPerUser = 4;
/// Networks a helper runs at a time, whoever connected them (root too).
inline constexpr int kMaxNetworks = 16;
/// Recent events in the `events.subscribe` snapshot, at most.
inline constexpr int kMaxSnapshotEvents = 200;

/// The control socket of an installed helper in service mode: `/run/nimbus/control.sock`.
QString defaultSocketPath();
/// The socket a client (the GUI, nimbusctl) talks to when not told: \a fromEnvironment (the value of
/// $NIMBUS_SOCKET) if it is set, else defaultSocketPath().
QString clientSocketPath(const QString &fromEnvironment);
/// A network-mode helper's socket when not told: `/run/nimbus/NAME.sock`, NAME from its config file.
QString networkSocketPath(const QString &name);
/// Members of this group get the `operator` role: `nimbus`.
QString operatorGroup();

} // namespace Nimbus::Protocol
