#include "tests/fakes/node/simnetwork.h"

#include <ctime>
#include <limits>

#include <QHostAddress>

namespace Nimbus::Test
{

namespace
{

constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

SimNetwork::SimNetwork(TimeMs latencyMs) : m_latency(latencyMs)
{
}

void SimNetwork::Node::sendDatagram(const SocketAddress &to, QByteArrayView datagram)
{
    network->enqueue(address, to, datagram);
}

void SimNetwork::move(Node &node, const SocketAddress &to)
{
    const auto it = m_index.find(node.address);
    if (it == m_index.end())
        return;
    const size_t index = it->second;
    m_index.erase(it);
    node.address = to;
    m_index[to] = index;
}

SimNetwork::Node &SimNetwork::addNode(const SocketAddress &address, NodeConfig config)
{
    auto node = std::make_unique<Node>();
    node->network = this;
    node->address = address;
    config.ownAddresses = {address};
    node->engine = std::make_unique<MeshNode>(std::move(config), *node, m_now);
    m_index.emplace(address, m_nodes.size()); // the first node at an address gets its datagrams
    m_nodes.push_back(std::move(node));
    return *m_nodes.back();
}

void SimNetwork::kill(Node &node, bool hostAnswers)
{
    node.engine.reset();
    node.hostAnswers = hostAnswers;
}

void SimNetwork::restart(Node &node, NodeConfig config)
{
    config.ownAddresses = {node.address};
    node.events.clear();
    node.deviceOut.clear();
    node.engine = std::make_unique<MeshNode>(std::move(config), node, m_now);
}

void SimNetwork::enqueue(const SocketAddress &from, const SocketAddress &to, QByteArrayView data)
{
    if (dropFilter && dropFilter(from, to, data))
        return;
    m_queue.push_back({m_now + m_latency, from, to, data.toByteArray(), false});
}

void SimNetwork::inject(const SocketAddress &from, const SocketAddress &to, const QByteArray &datagram)
{
    m_queue.push_back({m_now + m_latency, from, to, datagram, false});
}

void SimNetwork::injectUnreachable(Node &reporter, const SocketAddress &target)
{
    m_queue.push_back({m_now + m_latency, target, reporter.address, {}, true});
}

template<typename Call>
qint64 SimNetwork::callEngine(size_t index, Call &&call)
{
    Node &node = *m_nodes[index];
    const qint64 start = measureCpu ? threadCpuNs() : 0;
    call(*node.engine);
    m_deadlines[index] = node.engine->nextDeadline(); // what a real host asks for after every call
    if (!measureCpu)
        return 0;
    const qint64 spent = threadCpuNs() - start;
    node.cpuNs += spent;
    return spent;
}

void SimNetwork::advance(TimeMs ms)
{
    const TimeMs end = m_now + ms;
    // Tests call engines directly between advance() calls: start from fresh deadlines.
    m_deadlines.resize(m_nodes.size());
    for (size_t i = 0; i < m_nodes.size(); ++i)
        m_deadlines[i] = m_nodes[i]->engine ? m_nodes[i]->engine->nextDeadline() : kNever;
    while (true) {
        TimeMs next = end + 1;
        if (!m_queue.empty())
            next = std::min(next, m_queue.front().at);
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i]->engine)
                next = std::min(next, m_deadlines[i]);
        }
        if (next > end)
            break;
        m_now = std::max(m_now, next);
        while (!m_queue.empty() && m_queue.front().at <= m_now) {
            InFlight item = std::move(m_queue.front());
            m_queue.pop_front();
            const auto it = m_index.find(item.to);
            if (it == m_index.end())
                continue;
            const size_t index = it->second;
            Node &target = *m_nodes[index];
            if (item.icmp) {
                if (target.engine)
                    callEngine(index, [&](MeshNode &engine) { engine.handleUnreachable(item.from, m_now); });
                continue;
            }
            if (target.engine) {
                ++m_delivered;
                callEngine(index, [&](MeshNode &engine) { engine.handleDatagram(item.from, item.data, m_now); });
            } else if (target.hostAnswers && !item.data.isEmpty()) {
                m_queue.push_back({m_now + m_latency, item.to, item.from, {}, true});
            }
        }
        for (size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i]->engine && m_deadlines[i] <= m_now) {
                m_nodes[i]->tickCpuNs += callEngine(i, [&](MeshNode &engine) { engine.tick(m_now); });
                ++m_nodes[i]->ticks;
            }
        }
    }
    m_now = end;
}

NodeConfig testConfig(const QString &password)
{
    static QString cachedPassword;
    static std::optional<Identity> cached;
    if (!cached || cachedPassword != password) {
        cached = Identity::fromPassword(password);
        cachedPassword = password;
    }
    NodeConfig config(cached->clone());
    config.peerTimeoutSecs = 5;
    config.keepaliveSecs = 2;
    return config;
}

QByteArray ipv4(const char *dotted)
{
    const quint32 v = QHostAddress(QString::fromLatin1(dotted)).toIPv4Address();
    QByteArray out(4, '\0');
    out[0] = char(v >> 24);
    out[1] = char(v >> 16);
    out[2] = char(v >> 8);
    out[3] = char(v);
    return out;
}

Range range(const char *text)
{
    return *Range::parse(QString::fromLatin1(text));
}

SocketAddress endpoint(const char *text)
{
    return *SocketAddress::parse(QString::fromLatin1(text));
}

QByteArray ipv4Packet(const char *src, const char *dst, const QByteArray &payload)
{
    QByteArray packet(20, '\0');
    packet[0] = char(0x45);
    const int total = 20 + int(payload.size());
    packet[2] = char(total >> 8);
    packet[3] = char(total);
    packet[8] = 64;
    packet[9] = 17;
    packet.replace(12, 4, ipv4(src));
    packet.replace(16, 4, ipv4(dst));
    return packet + payload;
}

} // namespace Nimbus::Test
