#pragma once

#include <QtGlobal>

#include "core/node/nodetypes.h"

namespace Nimbus
{

/// Timing of the probes that find a silent path (docs/failover.md, "Silent paths"). Defaults detect a dead path in
/// about 0.65 s on a LAN while a 5 % lossy, jittery path does not fail over by mistake.
struct LivenessConfig {
    /// Probe a peer that sent nothing authenticated for this long while we sent it data.
    TimeMs silenceMs = 200;
    /// Interval between probes of one episode (jittered by ±25 %).
    TimeMs probeIntervalMs = 100;
    /// Probes per episode; after the last one and verdictWaitMs without an answer the peer is dropped.
    int probes = 4;
    TimeMs verdictWaitMs = 150;
    /// After an episode the peer answered (it was alive, only quiet: a one-way flow), the next one waits at least
    /// this long, doubling up to maxHoldoffMs while the peer keeps answering; it starts over after a quiet spell.
    TimeMs minHoldoffMs = 500;
    TimeMs maxHoldoffMs = 4000;
};

/// Why an episode of probes started.
enum class ProbeCause {
    Silent, ///< the peer was silent while we sent it data
    Roamed, ///< our own addresses or routes changed
    Resumed, ///< this machine was suspended or the process was stopped
};

/// The liveness state of one established peer: when to probe, when to give up. Pure logic; the engine sends the
/// probes (a handshake PING, which VpnCloud answers with a signed PONG) and drops the peer on a Dead verdict.
/// Every time comes in; \a random values come in too, so tests can fix them.
class PeerLiveness
{
public:
    enum class Action {
        None,
        Probe, ///< send a probe now
        Dead, ///< the peer answered none of the probes: drop it
    };

    /// We sent the peer a data packet. True if this armed the silence timer (deadline() moved earlier).
    bool onSent(TimeMs now)
    {
        if (m_unansweredSince)
            return false;
        m_unansweredSince = now;
        return true;
    }
    /// An authenticated message arrived. Ends an episode (the peer answered). True if an episode was running.
    bool onReceived(const LivenessConfig &config, TimeMs now);
    /// Starts an episode at once (our network changed, we resumed); one that has already probed starts over.
    void startEpisode(ProbeCause cause, TimeMs now);
    /// What to do at \a now; call when now >= deadline(). \a random: any 32-bit value (jitter).
    Action poll(const LivenessConfig &config, TimeMs now, quint32 random);
    /// When poll() has something to do next (max() if nothing).
    TimeMs deadline(const LivenessConfig &config) const;

    bool probing() const { return m_probesSent > 0 || m_episodeStart; }
    ProbeCause cause() const { return m_cause; }
    /// Since when the path has been without an answer (the first unanswered send, or the episode's start).
    TimeMs silentSince() const;
    /// Smoothed round trip of answered probes (0 until one was measured).
    TimeMs rttMs() const { return m_srttMs; }
    int probesSent() const { return m_probesSent; }
    /// Carries the learned round trip and hold-off over to a renewed session of the same peer.
    void inherit(const PeerLiveness &previous);

private:
    TimeMs silence(const LivenessConfig &config) const;
    TimeMs interval(const LivenessConfig &config) const;
    TimeMs verdictWait(const LivenessConfig &config) const;

    TimeMs m_unansweredSince = 0;
    TimeMs m_episodeStart = 0; ///< a forced episode waiting for its first probe
    ProbeCause m_cause = ProbeCause::Silent;
    int m_probesSent = 0;
    TimeMs m_firstProbeAt = 0;
    TimeMs m_lastProbeAt = 0;
    TimeMs m_nextProbeAt = 0;
    TimeMs m_srttMs = 0;
    TimeMs m_holdoffMs = 0;
    TimeMs m_holdoffUntil = 0;
    TimeMs m_lastEpisodeEnd = 0;
};

} // namespace Nimbus
