#include "core/node/liveness.h"

#include <algorithm>
#include <limits>

namespace Nimbus
{

namespace
{

/// A hold-off starts over when the previous episode ended this long ago.
constexpr TimeMs kHoldoffResetMs = 10'000;

} // namespace

TimeMs PeerLiveness::silence(const LivenessConfig &config) const
{
    return std::max(config.silenceMs, 4 * m_srttMs);
}

TimeMs PeerLiveness::interval(const LivenessConfig &config) const
{
    return std::max(config.probeIntervalMs, 2 * m_srttMs);
}

TimeMs PeerLiveness::verdictWait(const LivenessConfig &config) const
{
    return std::max(config.verdictWaitMs, 3 * m_srttMs);
}

TimeMs PeerLiveness::silentSince() const
{
    if (m_unansweredSince && m_episodeStart)
        return std::min(m_unansweredSince, m_episodeStart);
    return m_unansweredSince ? m_unansweredSince : m_episodeStart;
}

bool PeerLiveness::onReceived(const LivenessConfig &config, TimeMs now)
{
    m_unansweredSince = 0;
    if (!probing())
        return false;
    if (m_probesSent == 1) {
        // Karn: only an episode with a single probe gives an unambiguous round trip.
        const TimeMs sample = std::max<TimeMs>(1, now - m_firstProbeAt);
        m_srttMs = m_srttMs ? (7 * m_srttMs + sample) / 8 : sample;
    }
    if (m_cause == ProbeCause::Silent) {
        if (m_lastEpisodeEnd && now - m_lastEpisodeEnd > kHoldoffResetMs)
            m_holdoffMs = 0;
        m_holdoffMs = m_holdoffMs ? std::min(2 * m_holdoffMs, config.maxHoldoffMs) : config.minHoldoffMs;
        m_holdoffUntil = now + m_holdoffMs;
    }
    m_lastEpisodeEnd = now;
    m_probesSent = 0;
    m_episodeStart = 0;
    return true;
}

void PeerLiveness::startEpisode(ProbeCause cause, TimeMs now)
{
    // An episode that has not probed yet starts now anyway. One that has probed starts over: probes sent before
    // our network changed or before a pause say nothing about the path now (all four may have been lost to it).
    if (probing() && m_probesSent == 0)
        return;
    m_probesSent = 0;
    m_cause = cause;
    m_episodeStart = now;
    m_nextProbeAt = now;
}

PeerLiveness::Action PeerLiveness::poll(const LivenessConfig &config, TimeMs now, quint32 random)
{
    const auto jittered = [&](TimeMs base) {
        // ±25 %: probes of many peers (and of many nodes) do not fall into step.
        const TimeMs spread = base / 2;
        return spread > 0 ? base - spread / 2 + TimeMs(random % quint32(spread + 1)) : base;
    };
    if (m_probesSent == 0 && !m_episodeStart) {
        if (!m_unansweredSince || now < m_unansweredSince + silence(config) || now < m_holdoffUntil)
            return Action::None;
        m_cause = ProbeCause::Silent;
        m_episodeStart = now;
        m_nextProbeAt = now;
    }
    if (m_probesSent >= config.probes) {
        if (now >= m_lastProbeAt + verdictWait(config))
            return Action::Dead;
        return Action::None;
    }
    if (now < m_nextProbeAt)
        return Action::None;
    if (m_probesSent == 0)
        m_firstProbeAt = now;
    ++m_probesSent;
    m_lastProbeAt = now;
    m_nextProbeAt = now + jittered(interval(config));
    return Action::Probe;
}

TimeMs PeerLiveness::deadline(const LivenessConfig &config) const
{
    if (m_probesSent >= config.probes)
        return m_lastProbeAt + verdictWait(config);
    if (m_probesSent > 0 || m_episodeStart)
        return m_nextProbeAt;
    if (m_unansweredSince)
        return std::max(m_unansweredSince + silence(config), m_holdoffUntil);
    return std::numeric_limits<TimeMs>::max();
}

void PeerLiveness::inherit(const PeerLiveness &previous)
{
    m_srttMs = previous.m_srttMs;
    m_holdoffMs = previous.m_holdoffMs;
    m_holdoffUntil = previous.m_holdoffUntil;
    m_lastEpisodeEnd = previous.m_lastEpisodeEnd;
}

} // namespace Nimbus
