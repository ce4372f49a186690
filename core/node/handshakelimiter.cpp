#include "core/node/handshakelimiter.h"

#include <algorithm>
#include <limits>

#include <QHashFunctions>

namespace Nimbus
{

namespace
{

constexpr qint64 kMilli = 1000;
constexpr TimeMs kNever = std::numeric_limits<TimeMs>::min();
/// A source turned away for lack of budget that comes back after a pause in this range is taken for a real peer
/// retransmitting its PING (every 1-2 s); a flood source that keeps sending is not.
constexpr TimeMs kReturnMinGapMs = 500;
constexpr TimeMs kReturnMaxGapMs = 5000;

} // namespace

bool InitAllowance::take(TimeMs now)
{
    if (m_updated && now > *m_updated) {
        const qint64 elapsed = std::min<qint64>(now - *m_updated, 3600'000);
        m_milliTokens = std::min(m_milliTokens + elapsed * kRatePerSec, qint64(kBurst) * kMilli);
    }
    m_updated = now;
    if (m_milliTokens < kMilli)
        return false;
    m_milliTokens -= kMilli;
    return true;
}

quint64 RecentPings::hashOf(QByteArrayView datagram)
{
    // Two seeds make a 64-bit value; 0 marks an empty slot.
    const quint64 high = qHashBits(datagram.data(), size_t(datagram.size()), 0x9e3779b9);
    const quint64 low = qHashBits(datagram.data(), size_t(datagram.size()), 0x85ebca6b);
    return ((high << 32) ^ low) | 1;
}

bool RecentPings::contains(QByteArrayView datagram) const
{
    const quint64 hash = hashOf(datagram);
    return std::find(m_hashes.begin(), m_hashes.end(), hash) != m_hashes.end();
}

void RecentPings::add(QByteArrayView datagram)
{
    if (contains(datagram))
        return;
    m_hashes[m_next] = hashOf(datagram);
    m_next = (m_next + 1) % m_hashes.size();
}

HandshakeLimiter::HandshakeLimiter(HandshakeLimits limits) : m_limits(limits)
{
    m_limits.sourceBurst = std::max(m_limits.sourceBurst, 1);
    m_limits.sourceRatePerSec = std::max(m_limits.sourceRatePerSec, 0);
    m_limits.maxSources = std::max(m_limits.maxSources, 1);
    m_limits.workBurst = std::max(m_limits.workBurst, 1);
    m_limits.workRatePerSec = std::max(m_limits.workRatePerSec, 0);
    m_work.milliTokens = m_limits.workBurst * kMilli;
    m_work.updated = kNever;
    m_index.reserve(size_t(m_limits.maxSources));
}

size_t HandshakeLimiter::KeyHash::operator()(const SourceKey &key) const noexcept
{
    return qHashBits(key.data(), key.size(), 0x5bd1e995);
}

HandshakeLimiter::SourceKey HandshakeLimiter::sourceKey(const SocketAddress &address)
{
    SourceKey key = address.ipv6Bytes();
    if (!address.isIpv4Mapped())
        std::fill(key.begin() + 8, key.end(), quint8(0)); // an IPv6 host usually owns its whole /64
    return key;
}

void HandshakeLimiter::refill(Bucket &bucket, TimeMs now, int ratePerSec, int burst)
{
    if (bucket.updated == kNever || now < bucket.updated) {
        bucket.updated = now; // first use, or a clock that went backwards: no refill
        return;
    }
    // tokens per second == millitokens per millisecond
    const qint64 elapsed = std::min<qint64>(now - bucket.updated, 3600'000); // an hour refills any bucket
    bucket.milliTokens = std::min(bucket.milliTokens + elapsed * ratePerSec, qint64(burst) * kMilli);
    bucket.updated = now;
}

HandshakeLimiter::Verdict HandshakeLimiter::admit(const SocketAddress &from, TimeMs now)
{
    const SourceKey key = sourceKey(from);
    std::list<Entry>::iterator entry;
    if (const auto found = m_index.find(key); found != m_index.end()) {
        entry = found->second;
        m_lru.splice(m_lru.begin(), m_lru, entry);
    } else if (int(m_index.size()) >= m_limits.maxSources) {
        // Reuse the least recently seen source's list and map nodes: no allocation under a spoofed flood.
        entry = std::prev(m_lru.end());
        auto node = m_index.extract(entry->key);
        node.key() = key;
        m_index.insert(std::move(node));
        m_lru.splice(m_lru.begin(), m_lru, entry);
        *entry = Entry {key, Bucket {m_limits.sourceBurst * kMilli, now}, kNever, false};
    } else {
        m_lru.push_front(Entry {key, Bucket {m_limits.sourceBurst * kMilli, now}, kNever, false});
        entry = m_lru.begin();
        m_index.emplace(key, entry);
    }
    const TimeMs gap = entry->lastSeen == kNever ? kNever : now - entry->lastSeen;
    entry->lastSeen = now;
    refill(entry->bucket, now, m_limits.sourceRatePerSec, m_limits.sourceBurst);
    if (entry->bucket.milliTokens < kMilli)
        return Verdict::SourceLimited;

    refill(m_work, now, m_limits.workRatePerSec, m_limits.workBurst);
    // A real peer that was turned away for lack of budget retransmits its PING a second or two later; a flood
    // either comes from ever new (spoofed) sources or keeps sending from the same ones. So a source that comes back
    // after such a pause goes first: it may take the budget into debt (down to half a burst), which the flood then
    // waits out.
    const bool returning = entry->turnedAway && gap >= kReturnMinGapMs && gap <= kReturnMaxGapMs;
    const qint64 floor = returning ? -qint64(m_limits.workBurst) * kMilli / 2 : kMilli;
    if (m_work.milliTokens < floor) {
        entry->turnedAway = true;
        return Verdict::BudgetExhausted;
    }
    entry->turnedAway = false;
    entry->bucket.milliTokens -= kMilli;
    return Verdict::Admitted;
}

void HandshakeLimiter::charge(int units, TimeMs now)
{
    refill(m_work, now, m_limits.workRatePerSec, m_limits.workBurst);
    m_work.milliTokens = std::max(m_work.milliTokens - qint64(units) * kMilli, -qint64(m_limits.workBurst) * kMilli);
}

} // namespace Nimbus
