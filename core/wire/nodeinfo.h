/// NodeInfo codec (spec §5.3): the node id, peer list, claims, peer timeout and own addresses a node announces.
#pragma once

#include <array>
#include <optional>

#include <QByteArray>
#include <QList>
#include <QStringView>

#include "core/protocol/result.h"
#include "core/wire/range.h"
#include "core/wire/socketaddress.h"

namespace Nimbus
{

/// 16 random bytes identifying a node process (spec §2.1).
using NodeId = std::array<quint8, 16>;

/// 32 lowercase hex digits (as in the NODE_ID hook variable).
QString nodeIdToHex(const NodeId &id);
/// Parses exactly 32 hex digits (any case); nullopt otherwise.
std::optional<NodeId> nodeIdFromHex(QStringView hex);

/// One entry of a NodeInfo peer list (spec §5.3.1).
struct PeerListEntry {
    std::optional<NodeId> nodeId;
    QList<SocketAddress> addresses;
    friend bool operator==(const PeerListEntry &, const PeerListEntry &) = default;
};

/// The NodeInfo structure carried in handshake payloads and NODE_INFO messages (spec §5.3).
struct NodeInfo {
    NodeId nodeId {};
    QList<PeerListEntry> peers;
    QList<Range> claims;
    std::optional<quint16> peerTimeout;
    QList<SocketAddress> addresses;

    /// Encodes in VpnCloud's part order 4, 1, 2, 3, 5, 0 with exact part lengths. Address lists put IPv6
    /// entries first; an address is written as an IPv4 entry only if SocketAddress::isV4Form(). At most 7
    /// addresses per family are written (extra ones dropped).
    QByteArray encode() const;
    /// Decodes any part order, skipping unknown parts; requires the node id part; rejects truncation and
    /// claims with address length > 16. Errors have code "bad-node-info".
    static Result<NodeInfo> decode(QByteArrayView bytes);

    friend bool operator==(const NodeInfo &, const NodeInfo &) = default;
};

} // namespace Nimbus
