#pragma once

#include <functional>
#include <map>
#include <optional>

#include <QByteArray>
#include <QList>

#include "core/node/claimtable.h"
#include "core/node/nodetypes.h"

namespace Nimbus
{

/// Who serves each claimed address right now, and why that changed: the failover, return-of-the-primary and
/// roaming logic behind RouteChangedEvent. Pure logic over the claim table; the node decides where traffic goes
/// (\a resolve) and reports the events this class returns.
///
/// An address is tracked from the first time it is claimed; one that has had no claimant for an hour is forgotten.
class RouteTracker
{
public:
    /// Where traffic to \a address goes now (nullopt: nowhere), as the node routes it.
    using Resolve = std::function<std::optional<NodeRef>(const QByteArray &address)>;
    /// True if \a address is an established peer.
    using IsPeer = std::function<bool(const SocketAddress &address)>;

    struct Route {
        Range range; ///< the winning claim (the last one, while nobody serves the address)
        std::optional<NodeRef> servedBy;
        TimeMs lostAt = 0; ///< since when nobody serves the address (0 while someone does)
    };

    /// With \a balance, a switch between two claimants that both stay is reported as Balance, else as Preferred.
    RouteTracker(const ClaimTable &claims, Resolve resolve, IsPeer isPeer, bool balance);

    /// Re-evaluates the routes after the claims or the peers changed. With \a changed, only the addresses that peer
    /// can affect: those matched by its claims now or by \a previousClaims, and those it serves. \a hint is the
    /// reason when none of the rules below applies (the old node is gone, and not through peerLeft()).
    QList<RouteChangedEvent> update(TimeMs now,
        std::optional<RouteChangeReason> hint = std::nullopt,
        const SocketAddress *changed = nullptr,
        const QList<Range> &previousClaims = {});
    /// The peer at \a address left for \a reason (already removed from the claim table and the peers); \a lastSeen
    /// is its last sign of life, from which the gap of a failover is measured.
    QList<RouteChangedEvent> peerLeft(const SocketAddress &address,
        TimeMs lastSeen,
        RouteChangeReason reason,
        TimeMs now,
        const QList<Range> &previousClaims);
    /// The peer at \a from moved to \a to (same node, same session): its routes follow it (reason Roamed, no gap).
    QList<RouteChangedEvent> peerRoamed(const SocketAddress &from, const SocketAddress &to, const NodeId &nodeId);

    /// The state of \a address (nullopt if it is not tracked).
    std::optional<Route> route(const QByteArray &address) const;
    int size() const { return int(m_routes.size()); }

private:
    struct Departed {
        SocketAddress address;
        TimeMs lastSeen = 0;
        RouteChangeReason reason = RouteChangeReason::Timeout;
    };
    const ClaimTable &m_claims;
    Resolve m_resolve;
    IsPeer m_isPeer;
    bool m_balance = false;
    std::map<QByteArray, Route> m_routes;
    std::optional<Departed> m_departed; // set while peerLeft() runs
};

} // namespace Nimbus
