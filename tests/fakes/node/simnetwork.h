#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/node/meshnode.h"

namespace Nimbus::Test
{

/// A deterministic simulated UDP network for MeshNode engines, driven by a fake clock.
/// Datagrams arrive after a fixed latency; engines tick at their deadlines. Dead processes can leave their host
/// answering with ICMP port unreachable (reported to the sender's engine), or vanish entirely.
class SimNetwork
{
public:
    struct Node : NodeHost {
        SimNetwork *network = nullptr;
        SocketAddress address;
        std::unique_ptr<MeshNode> engine;
        QList<QByteArray> deviceOut;
        QList<NodeEvent> events;
        bool hostAnswers = true; ///< when the engine is gone: true = ICMP port unreachable, false = silence
        /// CPU time (thread clock) spent inside this node's engine calls, counted only while measureCpu is on:
        /// all calls, and the tick() calls alone.
        qint64 cpuNs = 0;
        qint64 tickCpuNs = 0;
        quint64 ticks = 0;

        void sendDatagram(const SocketAddress &to, QByteArrayView datagram) override;
        void writeToDevice(QByteArrayView packet) override { deviceOut.append(packet.toByteArray()); }
        void onEvent(const NodeEvent &event) override { events.append(event); }

        template<typename T>
        QList<T> eventsOf() const
        {
            QList<T> result;
            for (const NodeEvent &e : events) {
                if (const T *t = std::get_if<T>(&e))
                    result.append(*t);
            }
            return result;
        }
    };

    explicit SimNetwork(TimeMs latencyMs = 1);

    TimeMs now() const { return m_now; }
    /// Adds a node at \a address running an engine with \a config.
    Node &addNode(const SocketAddress &address, NodeConfig config);
    /// The process dies without a word (kill -9). With \a hostAnswers its host sends ICMP port unreachable.
    void kill(Node &node, bool hostAnswers);
    /// A new process (new node id) starts at the node's address.
    void restart(Node &node, NodeConfig config);
    /// The node's host moves to \a to (a laptop on another network, a NAT that rebinds): it sends from there and
    /// only datagrams to \a to reach it. The engine is not told (a NAT rebinding is invisible to it).
    void move(Node &node, const SocketAddress &to);
    /// Runs the network until now() + \a ms.
    void advance(TimeMs ms);
    /// Drops datagrams for which the filter returns true (e.g. to cut a link).
    std::function<bool(const SocketAddress &from, const SocketAddress &to, QByteArrayView datagram)> dropFilter;
    /// Injects a datagram as if it came from \a from.
    void inject(const SocketAddress &from, const SocketAddress &to, const QByteArray &datagram);
    /// Injects an ICMP port-unreachable report for \a target at \a reporter's engine (e.g. a spoofed one).
    void injectUnreachable(Node &reporter, const SocketAddress &target);
    quint64 delivered() const { return m_delivered; }
    /// Datagrams (and ICMP reports) in flight.
    size_t queued() const { return m_queue.size(); }
    /// Every node, in the order they were added.
    const std::vector<std::unique_ptr<Node>> &nodes() const { return m_nodes; }
    /// Benchmarks (bench/scale): count the thread CPU time of every engine call the network makes, including the
    /// nextDeadline() a real host asks for after each call, in Node::cpuNs.
    bool measureCpu = false;

private:
    struct InFlight {
        TimeMs at;
        SocketAddress from;
        SocketAddress to;
        QByteArray data;
        bool icmp = false;
    };
    void enqueue(const SocketAddress &from, const SocketAddress &to, QByteArrayView data);
    /// Calls \a call on \a node's engine and refreshes its cached deadline; returns the CPU time (if measureCpu).
    template<typename Call>
    qint64 callEngine(size_t index, Call &&call);

    // The engines' deadlines, cached: an engine's deadline only changes when one of its methods is called, and
    // inside advance() only the network calls them. Refreshed for all nodes when advance() starts.
    std::vector<TimeMs> m_deadlines;
    std::map<SocketAddress, size_t> m_index;

    TimeMs m_now = 1'000'000;
    TimeMs m_latency;
    std::deque<InFlight> m_queue;
    std::vector<std::unique_ptr<Node>> m_nodes;
    quint64 m_delivered = 0;
};

/// A NodeConfig for tests: password identity (cached PBKDF2), fixed fast timers unless changed.
NodeConfig testConfig(const QString &password = QStringLiteral("simsecret"));
/// 10.0.0.x style helpers.
QByteArray ipv4(const char *dotted);
Range range(const char *text);
SocketAddress endpoint(const char *text);
/// A minimal IPv4 packet (20-byte header + payload) from \a src to \a dst.
QByteArray ipv4Packet(const char *src, const char *dst, const QByteArray &payload = QByteArray(8, 'x'));

} // namespace Nimbus::Test
