#include "core/node/claimtable.h"

#include <algorithm>

namespace Nimbus
{

bool ClaimTable::update(const SocketAddress &peer, const QList<Range> &claims, TimeMs expiry)
{
    QList<Range> remaining = claims;
    std::vector<size_t> dropped;
    if (const auto it = m_byPeer.find(peer); it != m_byPeer.end()) {
        for (const size_t position : std::as_const(*it)) {
            Entry &entry = m_entries[position];
            const qsizetype index = remaining.indexOf(entry.range);
            if (index >= 0) {
                entry.expiry = expiry;
                remaining.removeAt(index);
            } else {
                dropped.push_back(position);
            }
        }
    }
    bool changed = !dropped.empty();
    if (changed)
        eraseAt(dropped);
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

bool ClaimTable::removePeer(const SocketAddress &peer)
{
    const auto it = m_byPeer.constFind(peer);
    if (it == m_byPeer.cend())
        return false;
    const std::vector<size_t> positions = *it;
    eraseAt(positions);
    return true;
}

bool ClaimTable::expire(TimeMs now, const std::function<TimeMs(const SocketAddress &)> &peerExpiry)
{
    const auto removed = std::erase_if(
        m_entries, [&](const Entry &e) { return e.expiry < now && (!peerExpiry || peerExpiry(e.peer) < now); });
    if (removed == 0)
        return false;
    reindex();
    return true;
}

void ClaimTable::eraseAt(const std::vector<size_t> &positions)
{
    size_t out = 0;
    auto next = positions.begin();
    for (size_t i = 0; i < m_entries.size(); ++i) {
        if (next != positions.end() && *next == i) {
            ++next;
            continue;
        }
        if (out != i)
            m_entries[out] = std::move(m_entries[i]);
        ++out;
    }
    m_entries.resize(out);
    reindex();
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
