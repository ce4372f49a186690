#include "core/node/claimtable.h"

#include <algorithm>

namespace Nimbus
{

bool ClaimTable::update(const SocketAddress &peer, const QList<Range> &claims, TimeMs expiry)
{
    // The usual NodeInfo repeats the peer's claims: refresh its entries through the index.
    QList<Range> remaining = claims;
    bool dropped = false;
    if (const auto it = m_byPeer.constFind(peer); it != m_byPeer.cend()) {
        for (const size_t position : *it) {
            Entry &entry = m_entries[position];
            const qsizetype index = remaining.indexOf(entry.range);
            if (index >= 0) {
                entry.expiry = expiry;
                remaining.removeAt(index);
            } else {
                dropped = true;
            }
        }
    }
    // Entries the peer no longer claims go (rare: O(all entries) with the re-index).
    bool changed = dropped && eraseIf([&](const Entry &e) { return e.peer == peer && !claims.contains(e.range); });
    for (const Range &range : std::as_const(remaining)) {
        // A peer announcing the same range twice gets one entry.
        bool duplicate = false;
        forEachOf(peer, [&](const Entry &e) { duplicate = duplicate || e.range == range; });
        if (!duplicate) {
            append(peer, range, expiry);
            changed = true;
        }
    }
    return changed;
}

void ClaimTable::renamePeer(const SocketAddress &from, const SocketAddress &to)
{
    if (!m_byPeer.contains(from))
        return;
    for (Entry &entry : m_entries) {
        if (entry.peer == from)
            entry.peer = to;
    }
    reindex();
}

bool ClaimTable::removePeer(const SocketAddress &peer)
{
    return m_byPeer.contains(peer) && eraseIf([&](const Entry &e) { return e.peer == peer; });
}

bool ClaimTable::expire(TimeMs now, const std::function<TimeMs(const SocketAddress &)> &peerExpiry)
{
    return eraseIf([&](const Entry &e) { return e.expiry < now && (!peerExpiry || peerExpiry(e.peer) < now); });
}

void ClaimTable::append(const SocketAddress &peer, const Range &range, TimeMs expiry)
{
    m_entries.push_back({peer, range, expiry});
    m_byPeer[peer].push_back(m_entries.size() - 1);
}

void ClaimTable::reindex()
{
    m_byPeer.clear();
    for (size_t i = 0; i < m_entries.size(); ++i)
        m_byPeer[m_entries[i].peer].push_back(i);
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
    forEachOf(peer, [&](const Entry &entry) { result.append(entry.range); });
    return result;
}

qsizetype ClaimTable::countOf(const SocketAddress &peer) const
{
    const auto it = m_byPeer.constFind(peer);
    return it == m_byPeer.cend() ? 0 : qsizetype(it->size());
}

} // namespace Nimbus
