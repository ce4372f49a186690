#include "core/node/claimtable.h"

#include <algorithm>

namespace Nimbus
{

bool ClaimTable::update(const SocketAddress &peer, const QList<Range> &claims, TimeMs expiry)
{
    bool changed = false;
    QList<Range> remaining = claims;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (!(it->peer == peer)) {
            ++it;
            continue;
        }
        const qsizetype index = remaining.indexOf(it->range);
        if (index >= 0) {
            it->expiry = expiry;
            remaining.removeAt(index);
            ++it;
        } else {
            it = m_entries.erase(it);
            changed = true;
        }
    }
    for (const Range &range : std::as_const(remaining)) {
        // A peer announcing the same range twice gets one entry.
        const bool duplicate = std::any_of(
            m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.peer == peer && e.range == range; });
        if (!duplicate) {
            m_entries.push_back({peer, range, expiry});
            changed = true;
        }
    }
    return changed;
}

bool ClaimTable::removePeer(const SocketAddress &peer)
{
    const auto removed = std::erase_if(m_entries, [&](const Entry &e) { return e.peer == peer; });
    return removed > 0;
}

bool ClaimTable::expire(TimeMs now, const std::function<TimeMs(const SocketAddress &)> &peerExpiry)
{
    const auto removed = std::erase_if(
        m_entries, [&](const Entry &e) { return e.expiry < now && (!peerExpiry || peerExpiry(e.peer) < now); });
    return removed > 0;
}

std::vector<const ClaimTable::Entry *> ClaimTable::bestMatches(
    const QByteArray &destination, const std::function<bool(const SocketAddress &)> &eligible) const
{
    std::vector<const Entry *> best;
    int bestPrefix = -1;
    for (const Entry &entry : m_entries) {
        if (entry.range.prefixLength < bestPrefix || !entry.range.matches(destination) || !eligible(entry.peer))
            continue;
        if (entry.range.prefixLength > bestPrefix) {
            best.clear();
            bestPrefix = entry.range.prefixLength;
        }
        best.push_back(&entry);
    }
    return best;
}

QList<Range> ClaimTable::claimsOf(const SocketAddress &peer) const
{
    QList<Range> result;
    for (const Entry &entry : m_entries) {
        if (entry.peer == peer)
            result.append(entry.range);
    }
    return result;
}

qsizetype ClaimTable::countOf(const SocketAddress &peer) const
{
    return std::count_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.peer == peer; });
}

} // namespace Nimbus
