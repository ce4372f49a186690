#include "core/node/routetracker.h"

#include <algorithm>

namespace Nimbus
{

namespace
{

constexpr TimeMs kForgetLostRouteMs = 3600'000;

} // namespace

RouteTracker::RouteTracker(
    const ClaimTable &claims, Resolve resolve, IsPeer isPeer, bool balance, FirstForwardSince firstForward)
    : m_claims(claims)
    , m_resolve(std::move(resolve))
    , m_isPeer(std::move(isPeer))
    , m_balance(balance)
    , m_firstForward(std::move(firstForward))
{
}

RouteChangeKind RouteTracker::kindOf(const RouteChangedEvent &event, Route &state)
{
    RouteChangeKind kind = RouteChangeKind::Failover;
    if (!event.from) {
        kind = RouteChangeKind::Reachable;
    } else if (!event.to) {
        kind = RouteChangeKind::Lost;
    } else {
        switch (event.reason) {
        case RouteChangeReason::MoreSpecific:
        case RouteChangeReason::Preferred:
        case RouteChangeReason::Balance:
        case RouteChangeReason::Roamed:
            kind = state.failedFrom && *state.failedFrom == event.to->address ? RouteChangeKind::Switchback
                                                                              : RouteChangeKind::Move;
            break;
        default:
            break; // the old node is gone or stopped claiming the address
        }
    }
    if (kind == RouteChangeKind::Failover || kind == RouteChangeKind::Lost)
        state.failedFrom = event.from->address;
    else if (event.to && state.failedFrom && *state.failedFrom == event.to->address)
        state.failedFrom.reset();
    return kind;
}

QList<RouteChangedEvent> RouteTracker::update(
    TimeMs now, std::optional<RouteChangeReason> hint, const SocketAddress *changed, const QList<Range> &previousClaims)
{
    QList<RouteChangedEvent> events;
    QList<Range> relevant = previousClaims;
    const auto addRoute = [&](const ClaimTable::Entry &entry) {
        relevant.append(entry.range);
        if (!m_routes.contains(entry.range.address))
            m_routes[entry.range.address] = Route {entry.range, std::nullopt, 0, std::nullopt};
    };
    if (changed) {
        m_claims.forEachOf(*changed, addRoute);
    } else {
        for (const ClaimTable::Entry &entry : m_claims.entries())
            addRoute(entry);
    }
    for (auto it = m_routes.begin(); it != m_routes.end();) {
        const QByteArray &address = it->first;
        Route &state = it->second;
        if (changed && !(state.servedBy && state.servedBy->address == *changed)
            && std::none_of(relevant.begin(), relevant.end(), [&](const Range &r) { return r.matches(address); })) {
            ++it; // this peer cannot change who serves the address
            continue;
        }
        const std::optional<NodeRef> to = m_resolve(address);
        Range winning = state.range;
        if (to) {
            // The most specific claim of the serving node that matches (the one that won the lookup).
            int best = -1;
            m_claims.forEachOf(to->address, [&](const ClaimTable::Entry &entry) {
                if (entry.range.matches(address) && entry.range.prefixLength > best) {
                    winning = entry.range;
                    best = entry.range.prefixLength;
                }
            });
        }
        if (state.servedBy == to) {
            if (!to && state.lostAt && now - state.lostAt > kForgetLostRouteMs) {
                it = m_routes.erase(it);
                continue;
            }
            ++it;
            continue;
        }
        RouteChangedEvent event;
        event.address = address;
        event.from = state.servedBy;
        event.to = to;
        const bool fromDeparted = state.servedBy && m_departed && state.servedBy->address == m_departed->address;
        if (!state.servedBy) {
            event.reason = RouteChangeReason::NewClaimant;
            event.unreachableMs = state.lostAt ? std::max<qint64>(now - state.lostAt, 0) : 0;
        } else if (fromDeparted) {
            event.reason = m_departed->reason;
            event.unreachableMs = to ? std::max<qint64>(now - m_departed->lastSeen, 0) : 0;
        } else if (to && m_isPeer(state.servedBy->address)) {
            const SocketAddress old = state.servedBy->address;
            bool stillClaims = false;
            m_claims.forEachOf(
                old, [&](const ClaimTable::Entry &e) { stillClaims = stillClaims || e.range.matches(address); });
            if (winning.prefixLength > state.range.prefixLength)
                event.reason = RouteChangeReason::MoreSpecific;
            else if (!stillClaims)
                event.reason = RouteChangeReason::ClaimWithdrawn;
            else
                event.reason = m_balance ? RouteChangeReason::Balance : RouteChangeReason::Preferred;
        } else {
            event.reason = hint.value_or(RouteChangeReason::ClaimWithdrawn);
        }
        event.kind = kindOf(event, state);
        if (event.kind == RouteChangeKind::Failover || event.kind == RouteChangeKind::Lost) {
            event.detectedAt = now;
            if (fromDeparted)
                event.lastHeard = m_departed->lastHeard;
        }
        if (event.kind == RouteChangeKind::Failover && fromDeparted && m_firstForward) {
            // Packets forwarded to the old node after its last sign of life found no path until now.
            if (const std::optional<TimeMs> first = m_firstForward(state.range, m_departed->lastSeen))
                event.noPathMs = std::max<qint64>(now - *first, 0);
        }
        if (!to)
            state.lostAt = fromDeparted ? m_departed->lastSeen : now;
        else
            state.lostAt = 0;
        state.servedBy = to;
        state.range = winning;
        event.range = winning;
        events.append(event);
        ++it;
    }
    return events;
}

QList<RouteChangedEvent> RouteTracker::peerLeft(const SocketAddress &address,
    TimeMs lastSeen,
    RouteChangeReason reason,
    TimeMs now,
    const QList<Range> &previousClaims,
    std::optional<TimeMs> lastHeard)
{
    m_departed = Departed {address, lastSeen, lastHeard.value_or(lastSeen), reason};
    QList<RouteChangedEvent> events = update(now, reason, &address, previousClaims);
    m_departed.reset();
    return events;
}

QList<RouteChangedEvent> RouteTracker::peerRoamed(
    const SocketAddress &from, const SocketAddress &to, const NodeId &nodeId)
{
    // Same node, same claims in the same order: who wins does not change, only where it is.
    QList<RouteChangedEvent> events;
    for (auto &[address, state] : m_routes) {
        if (!state.servedBy || state.servedBy->address != from)
            continue;
        const std::optional<NodeRef> old = state.servedBy;
        state.servedBy = NodeRef {to, nodeId};
        RouteChangedEvent event {state.range, address, old, state.servedBy, RouteChangeReason::Roamed, 0};
        event.kind = kindOf(event, state);
        events.append(event);
    }
    return events;
}

std::optional<RouteTracker::Route> RouteTracker::route(const QByteArray &address) const
{
    const auto it = m_routes.find(address);
    return it == m_routes.end() ? std::nullopt : std::optional<Route>(it->second);
}

} // namespace Nimbus
