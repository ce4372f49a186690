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
    /// The first packet the node forwarded to a destination in \a range after \a since that is still part of the
    /// current flow (see RouteChangedEvent::noPathMs); nullopt if there is none.
    using FirstForwardSince = std::function<std::optional<TimeMs>(const Range &range, TimeMs since)>;

    struct Route {
        Range range; ///< the winning claim (the last one, while nobody serves the address)
        std::optional<NodeRef> servedBy;
        TimeMs lostAt = 0; ///< since when nobody serves the address (0 while someone does)
        /// The node the address last failed over (or was lost) from, until traffic goes back to it: a switch to it
        /// is a Switchback. Kept by address, so a node that restarted with a new node id counts as the same.
        std::optional<SocketAddress> failedFrom;
    };

    /// With \a balance, a switch between two claimants that both stay is reported as Balance, else as Preferred.
    /// \a firstForward (optional) gives the start of a failover's noPathMs.
    RouteTracker(
        const ClaimTable &claims, Resolve resolve, IsPeer isPeer, bool balance, FirstForwardSince firstForward = {});

    /// Re-evaluates the routes after the claims or the peers changed. With \a changed, only the addresses that peer
    /// can affect: those matched by its claims now or by \a previousClaims, and those it serves. \a hint is the
    /// reason when none of the rules below applies (the old node is gone, and not through peerLeft()).
    QList<RouteChangedEvent> update(TimeMs now,
        std::optional<RouteChangeReason> hint = std::nullopt,
        const SocketAddress *changed = nullptr,
        const QList<Range> &previousClaims = {});
    /// The peer at \a address left for \a reason (already removed from the claim table and the peers); \a lastSeen
    /// is when the address stopped being served (its last sign of life, or for a silent peer the first data it left
    /// unanswered), from which unreachableMs and noPathMs are measured; \a lastHeard its last sign of life
    /// (RouteChangedEvent::lastHeard; nullopt: \a lastSeen).
    QList<RouteChangedEvent> peerLeft(const SocketAddress &address,
        TimeMs lastSeen,
        RouteChangeReason reason,
        TimeMs now,
        const QList<Range> &previousClaims,
        std::optional<TimeMs> lastHeard = std::nullopt);
    /// The peer at \a from moved to \a to (same node, same session): its routes follow it (reason Roamed, no gap).
    QList<RouteChangedEvent> peerRoamed(const SocketAddress &from, const SocketAddress &to, const NodeId &nodeId);

    /// The state of \a address (nullopt if it is not tracked).
    std::optional<Route> route(const QByteArray &address) const;
    int size() const { return int(m_routes.size()); }

private:
    struct Departed {
        SocketAddress address;
        TimeMs lastSeen = 0;
        TimeMs lastHeard = 0;
        RouteChangeReason reason = RouteChangeReason::Timeout;
    };
    /// The kind of \a event (its reason, from and to set), and the route's failedFrom after it.
    static RouteChangeKind kindOf(const RouteChangedEvent &event, Route &state);
    const ClaimTable &m_claims;
    Resolve m_resolve;
    IsPeer m_isPeer;
    bool m_balance = false;
    FirstForwardSince m_firstForward;
    std::map<QByteArray, Route> m_routes;
    std::optional<Departed> m_departed; // set while peerLeft() runs
};

} // namespace Nimbus
