#pragma once

#include <array>
#include <list>
#include <optional>
#include <unordered_map>

#include <QByteArrayView>

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// Limits of HandshakeLimiter (defaults for a node on the open internet).
struct HandshakeLimits {
    int sourceBurst = 16; ///< init messages a source may send at once
    int sourceRatePerSec = 2; ///< init messages a source may send per second after the burst
    int maxSources = 4096; ///< sources remembered; the least recently seen one is forgotten for a new one
    int workBurst = 400; ///< units of expensive work at once (one signature check is one unit)
    int workRatePerSec = 400; ///< units of expensive work per second after the burst
};

/// The init messages one known address (an established peer, or one with a handshake in progress) may make us
/// check per second: such addresses skip HandshakeLimiter, so this is what bounds the signature checks a spoofer of
/// that one address can cause. A real peer needs a handful per handshake (PING, PENG, a few retransmissions).
class InitAllowance
{
public:
    static constexpr int kBurst = 8;
    static constexpr int kRatePerSec = 4;

    /// Takes one message from the allowance; false if there is none left.
    bool take(TimeMs now);

private:
    qint64 m_milliTokens = kBurst * 1000;
    std::optional<TimeMs> m_updated;
};

/// The last few PINGs that started responder work at one address (64-bit hashes of the datagrams). A spoofer who
/// replays captured PINGs from a peer's address then restarts the responder only once per PING it has: after that
/// they are known and ignored, and a new PING (the peer restarted) gets the next restart.
class RecentPings
{
public:
    bool contains(QByteArrayView datagram) const;
    void add(QByteArrayView datagram);

private:
    static quint64 hashOf(QByteArrayView datagram);
    std::array<quint64, 8> m_hashes {};
    size_t m_next = 0;
};

/// Admission control for handshake work from sources that have neither a session nor a handshake in progress
/// (docs/design-notes.md, "Abuse limits").
///
/// Two token buckets: one per source, keyed by the IPv4 address or the IPv6 /64 (so hopping ports or addresses
/// inside one's own /64 does not help), held in a table of bounded size that forgets the least recently seen
/// source when full; and one global budget of expensive work (signature checks, key exchanges) shared by all such
/// sources, so that a flood from many spoofed sources costs a bounded amount of CPU per second, with precedence
/// for sources that come back after being turned away. Pure logic: time
/// is passed in, nothing is allocated per call once the table is full.
class HandshakeLimiter
{
public:
    enum class Verdict {
        Admitted,
        SourceLimited, ///< the source used up its bucket
        BudgetExhausted, ///< the global work budget is used up
    };

    /// A source as the limiter sees it: the IPv4-mapped address for IPv4, the /64 prefix (rest zero) for IPv6.
    using SourceKey = std::array<quint8, 16>;

    explicit HandshakeLimiter(HandshakeLimits limits);

    /// Whether an init message from \a from may be processed. An admitted message takes one token from its source's
    /// bucket; the global budget is only checked (charge() what the message then cost). When the budget is used up,
    /// a source that was turned away and comes back after a pause of 0.5-5 s is still admitted (up to a bounded
    /// debt): real peers retransmit so, floods come from ever new sources or do not pause.
    Verdict admit(const SocketAddress &from, TimeMs now);
    /// Takes \a units from the global work budget. The budget may go into debt (at most one burst), which later
    /// admissions wait out.
    void charge(int units, TimeMs now);

    /// Number of sources currently remembered (never more than HandshakeLimits::maxSources).
    int sourceCount() const { return int(m_index.size()); }
    const HandshakeLimits &limits() const { return m_limits; }
    static SourceKey sourceKey(const SocketAddress &address);

private:
    struct Bucket {
        qint64 milliTokens = 0;
        TimeMs updated = 0;
    };
    struct Entry {
        SourceKey key {};
        Bucket bucket;
        TimeMs lastSeen = 0; ///< last admit() call for the source, whatever the verdict
        bool turnedAway = false; ///< BudgetExhausted since the last admission
    };
    struct KeyHash {
        size_t operator()(const SourceKey &key) const noexcept;
    };

    static void refill(Bucket &bucket, TimeMs now, int ratePerSec, int burst);

    HandshakeLimits m_limits;
    Bucket m_work;
    std::list<Entry> m_lru; // most recently seen first
    std::unordered_map<SourceKey, std::list<Entry>::iterator, KeyHash> m_index;
};

} // namespace Nimbus
