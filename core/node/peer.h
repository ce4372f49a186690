#pragma once

#include <limits>
#include <memory>
#include <optional>

#include <QList>

#include "core/crypto/cryptocore.h"
#include "core/crypto/rotation.h"
#include "core/node/handshake.h"
#include "core/node/liveness.h"
#include "core/node/nodetypes.h"

namespace Nimbus
{

/// One established peer of a MeshNode: its session, timers and counters. Owned by a PeerTable, which keeps
/// \a address (the table's key) and \a nodeId (an index) consistent: change them only through the table.
struct Peer {
    SocketAddress address;
    NodeId nodeId {};
    QList<SocketAddress> addresses;
    quint16 advertisedTimeout = 300;
    TimeMs expiry = 0;
    TimeMs connectedSince = 0;
    TimeMs lastReceived = 0;
    Algorithm algorithm = Algorithm::Plain;
    std::unique_ptr<CryptoCore> core;
    std::unique_ptr<CryptoCore> previousCore;
    TimeMs previousCoreUntil = 0;
    std::unique_ptr<RotationState> rotation;
    TimeMs nextRotation = 0;
    bool initiator = false;
    bool routable = false;
    TimeMs routableAt = 0;
    std::unique_ptr<Handshake> finished;
    TimeMs finishedUntil = 0;
    /// Init messages from the peer's address skip HandshakeLimiter; these bound what a spoofer of the address can
    /// make us do: signature checks, and responder handshakes started (at most one per kResponderRestartMs).
    InitAllowance initAllowance;
    TimeMs responderStartedAt = std::numeric_limits<TimeMs>::min();
    RecentPings recentPings;
    /// The PENG that completed the session when we were the responder: its copies cost no signature check.
    QByteArray establishedBy;
    TimeMs suspectSince = 0;
    int icmpCount = 0;
    quint64 rxBytes = 0;
    quint64 rxPackets = 0;
    quint64 txBytes = 0;
    quint64 txPackets = 0;
    PeerLiveness liveness;
    struct Recovery {
        RecoveryCause cause = RecoveryCause::Rebound;
        TimeMs since = 0;
        TimeMs until = 0;
    };
    std::optional<Recovery> recovery; ///< a renewed session waits for the peer's data to report the recovery
};

} // namespace Nimbus
