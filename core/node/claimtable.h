#pragma once

#include <functional>
#include <vector>

#include <QList>

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// The ordered claim table of spec §7.4-7.5: entries (peer, range, expiry) in the order they were first
/// announced. Longest prefix wins; among equal prefixes the entry announced first ("online longest") wins.
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
    const std::vector<Entry> &entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.empty(); }

private:
    std::vector<Entry> m_entries;
};

} // namespace Nimbus
