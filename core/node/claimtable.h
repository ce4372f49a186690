#pragma once

#include <functional>
#include <utility>
#include <vector>

#include <QHash>
#include <QList>

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// The ordered claim table of spec §7.4-7.5: entries (peer, range, expiry) in the order they were first
/// announced. Longest prefix wins; among equal prefixes the entry announced first ("online longest") wins.
///
/// The entries of each peer are indexed, so that the per-NodeInfo refresh (update() with unchanged claims),
/// claimsOf() and countOf() cost O(claims of that peer), not O(all claims).
class ClaimTable
{
public:
    struct Entry {
        SocketAddress peer;
        Range range;
        TimeMs expiry = 0;
    };

    /// Makes \a claims the claims of \a peer: retained claims keep their place and get \a expiry, dropped ones go,
    /// new ones are appended. Returns true if the set of (peer, range) pairs changed.
    bool update(const SocketAddress &peer, const QList<Range> &claims, TimeMs expiry);
    /// The peer at \a from is now at \a to (it roamed): its entries keep their place in the table.
    void renamePeer(const SocketAddress &from, const SocketAddress &to);
    /// Removes every claim of \a peer; true if there were any.
    bool removePeer(const SocketAddress &peer);
    /// Removes entries that expired before \a now; true if any went. With \a peerExpiry, an entry lives at least
    /// as long as its peer (the peer's expiry as \a peerExpiry tells it).
    bool expire(TimeMs now, const std::function<TimeMs(const SocketAddress &)> &peerExpiry = {});

    /// All entries that match \a destination with the longest matching prefix, in preference order, restricted
    /// to peers for which \a eligible returns true.
    std::vector<const Entry *> bestMatches(
        const QByteArray &destination, const std::function<bool(const SocketAddress &)> &eligible) const;
    QList<Range> claimsOf(const SocketAddress &peer) const;
    /// Number of entries of \a peer.
    qsizetype countOf(const SocketAddress &peer) const;
    /// Calls \a f(const Entry &) for every entry of \a peer, in table order.
    template<typename F>
    void forEachOf(const SocketAddress &peer, F &&f) const
    {
        if (const auto it = m_byPeer.constFind(peer); it != m_byPeer.cend()) {
            for (const size_t position : *it)
                f(m_entries[position]);
        }
    }
    const std::vector<Entry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.empty(); }

private:
    /// Removes the entries \a remove(const Entry &) selects and rebuilds the index (O(all entries)); true if any.
    template<typename Predicate>
    bool eraseIf(Predicate &&remove)
    {
        if (std::erase_if(m_entries, std::forward<Predicate>(remove)) == 0)
            return false;
        reindex();
        return true;
    }
    void append(const SocketAddress &peer, const Range &range, TimeMs expiry);
    void reindex();

    std::vector<Entry> m_entries;
    /// Positions in m_entries of each peer's entries, ascending; peers without entries have no key.
    QHash<SocketAddress, std::vector<size_t>> m_byPeer;
};

} // namespace Nimbus
