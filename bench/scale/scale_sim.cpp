// bench_scale_sim: how the cost of the real MeshNode engine grows with the size of a full mesh.
//
// N engines run on the simulated network of tests/fakes (fixed latency, fake clock). Like a VpnCloud deployment,
// each node is configured with a few seed peers only (nodes 0..S-1) and finds every other node through the peer
// lists in NodeInfo. Every node claims its own /32 (as --ip does). Per N it reports the simulated time until
// every node has N-1 peers, the CPU that took, the heap the engines hold per node and per peer, and at steady
// state the engine CPU per node per housekeeping tick and the traffic per node. See bench/scale/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <malloc.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "bench/scale/securemem.h"
#include "core/crypto/identity.h"
#include "tests/fakes/node/simnetwork.h"

namespace Nimbus::Bench
{

namespace
{

using Test::SimNetwork;

struct Options {
    std::vector<int> sizes {50, 200, 500};
    int seedPool = 3; ///< nodes 0..seedPool-1 are the seeds
    int seedsPerNode = 2; ///< how many of them each node is configured with
    TimeMs latencyMs = 1;
    TimeMs staggerMs = 20; ///< node i starts i * staggerMs after node 0
    TimeMs meshLimitS = 900; ///< simulated seconds to wait for the full mesh
    TimeMs settleS = 30; ///< simulated seconds between full mesh and the steady-state window
    TimeMs steadyS = 240; ///< the steady-state window: one key rotation cycle, 2.7 NODE_INFO intervals
    double wallLimitS = 0; ///< give up on the mesh phase after this much real time (0: never)
    quint32 peerTimeoutSecs = 300;
    std::optional<quint32> keepaliveSecs;
    bool claims = true;
    bool guarded = false; ///< secrets in libsodium's guarded memory (see securemem.h)
    bool progress = false;
    std::string tsv; ///< append one machine-readable line per size to this file
};

struct Result {
    int nodes = 0;
    std::optional<double> meshS; ///< simulated seconds from the first node's start to full mesh
    double t50S = -1, t90S = -1, t99S = -1;
    double coverage = 0; ///< connected (node, peer) pairs / N(N-1) at the end of the mesh phase
    double meshWallS = 0;
    double joinCpuMsPerNode = 0; ///< engine CPU until full mesh (or the limit), per node
    quint64 handshakes = 0;
    quint64 handshakesFailed = 0;
    double heapPerNodeKiB = 0; ///< engine heap right after start (no peers), per node, secrets excluded
    double heapPerPeerB = 0; ///< additional engine heap at steady state per (node, peer) pair, secrets excluded
    double secretsPerPeer = 0; ///< additional guarded allocations (SecureBytes) per (node, peer) pair
    double rssPerPeerKiB = 0; ///< additional resident memory per (node, peer) pair
    double cpuPerNodeSecondUs = 0; ///< steady state: engine CPU per node per second (ticks and datagrams)
    double cpuMaxUs = 0; ///< the same for the busiest node
    double ticksPerSecond = 0; ///< steady state: tick() calls per node per second
    double tickCpuUs = 0; ///< steady state: engine CPU per tick() call
    double datagramCpuUs = 0; ///< steady state: engine CPU per received datagram
    double txPerMin = 0; ///< steady state: datagrams sent per node per minute
    double txKiBPerMin = 0;
    int nodeInfoBytes = 0; ///< largest NODE_INFO body at steady state
    double steadyWallS = 0;
    long maxRssMiB = 0;
};

double nowWallS()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Bytes the program holds on the heap (arenas and mmapped chunks), without the secrets (securemem.h).
qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd) - qint64(secureHeapBytes());
}

/// Resident memory of the process.
qint64 residentBytes()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return qint64(resident) * 4096;
}

SocketAddress nodeAddress(int i)
{
    // 198.18.0.0/15 (benchmarking range); the addresses exist only inside the simulation.
    const quint8 bytes[4] = {198, 18, quint8(i / 250), quint8(i % 250 + 1)};
    return SocketAddress::fromIpv4Bytes(bytes, 3210);
}

Range nodeClaim(int i)
{
    return *Range::parse(QStringLiteral("10.%1.%2.%3/32").arg(i >> 16).arg((i >> 8) & 0xff).arg(i & 0xff));
}

/// Who is connected to whom, from the engines' PeerConnected/PeerDisconnected events (engine->peers() is far too
/// expensive to poll). Allocated before the heap baseline so that it does not count as engine memory.
class MeshTracker
{
public:
    explicit MeshTracker(int n) : m_n(n), m_bits(size_t(n) * size_t(n))
    {
        for (int i = 0; i < n; ++i)
            m_index.emplace(nodeAddress(i), i);
    }

    /// Consumes the events of every node (and frees their storage).
    void drain(const SimNetwork &net)
    {
        const auto &nodes = net.nodes();
        for (size_t i = 0; i < nodes.size(); ++i) {
            for (const NodeEvent &event : nodes[i]->events) {
                if (const auto *c = std::get_if<PeerConnectedEvent>(&event))
                    set(int(i), c->peer.address, true);
                else if (const auto *d = std::get_if<PeerDisconnectedEvent>(&event))
                    set(int(i), d->peer.address, false);
            }
            nodes[i]->events = QList<NodeEvent>();
        }
    }
    qint64 pairs() const { return m_pairs; }
    double coverage() const { return m_n > 1 ? double(m_pairs) / (double(m_n) * (m_n - 1)) : 1.0; }
    bool full() const { return m_pairs == qint64(m_n) * (m_n - 1); }

private:
    void set(int node, const SocketAddress &peer, bool on)
    {
        const auto it = m_index.find(peer);
        if (it == m_index.end())
            return;
        const size_t bit = size_t(node) * size_t(m_n) + size_t(it->second);
        if (m_bits[bit] == on)
            return;
        m_bits[bit] = on;
        m_pairs += on ? 1 : -1;
    }

    int m_n;
    std::vector<bool> m_bits;
    std::map<SocketAddress, int> m_index;
    qint64 m_pairs = 0;
};

qint64 engineCpuNs(const SimNetwork &net)
{
    qint64 sum = 0;
    for (const auto &node : net.nodes())
        sum += node->cpuNs;
    return sum;
}

void resetEngineCpu(SimNetwork &net)
{
    for (const auto &node : net.nodes()) {
        node->cpuNs = 0;
        node->tickCpuNs = 0;
        node->ticks = 0;
    }
}

/// Advances in 1 ms steps until nothing is in flight (at most \a limitMs), so a heap reading holds no datagrams.
void drainQueue(SimNetwork &net, TimeMs limitMs)
{
    for (TimeMs t = 0; t < limitMs && net.queued() > 0; ++t)
        net.advance(1);
}

Result runOnce(const Options &opt, int n, const NodeConfig &base)
{
    Result r;
    r.nodes = n;
    MeshTracker tracker(n);
    SimNetwork net(opt.latencyMs);
    net.measureCpu = true;

    const qint64 heapBefore = heapInUse();
    const long secretsBefore = secureAllocations();
    const qint64 rssBefore = residentBytes();
    const TimeMs t0 = net.now();
    const double wall0 = nowWallS();
    std::vector<SocketAddress> seeds;
    for (int i = 0; i < std::min(opt.seedPool, n); ++i)
        seeds.push_back(nodeAddress(i));
    for (int i = 0; i < n; ++i) {
        NodeConfig config(base.identity.clone());
        config.peerTimeoutSecs = opt.peerTimeoutSecs;
        config.keepaliveSecs = opt.keepaliveSecs;
        if (opt.claims)
            config.claims = {nodeClaim(i)};
        SimNetwork::Node &node = net.addNode(nodeAddress(i), std::move(config));
        // Seeds rotate over the pool, so that the first seed is not everyone's first contact.
        int added = 0;
        for (size_t k = 0; k < seeds.size() && added < opt.seedsPerNode; ++k) {
            const SocketAddress &seed = seeds[(size_t(i) + k) % seeds.size()];
            if (seed == node.address)
                continue;
            node.engine->addConfiguredPeer(seed.toString(), {seed}, net.now());
            ++added;
        }
        if (opt.staggerMs > 0 && i + 1 < n) {
            net.advance(opt.staggerMs);
            tracker.drain(net);
        }
    }

    // Mesh phase: until every node has N-1 peers, or the limits.
    const TimeMs step = 100;
    const auto mark = [&](double &t, double level) {
        if (t < 0 && tracker.coverage() >= level)
            t = double(net.now() - t0) / 1000.0;
    };
    double lastReport = 0;
    while (true) {
        tracker.drain(net);
        mark(r.t50S, 0.5);
        mark(r.t90S, 0.9);
        mark(r.t99S, 0.99);
        if (tracker.full()) {
            r.meshS = double(net.now() - t0) / 1000.0;
            break;
        }
        if (net.now() - t0 >= opt.meshLimitS * 1000)
            break;
        if (opt.wallLimitS > 0 && nowWallS() - wall0 > opt.wallLimitS) {
            std::fprintf(stderr, "N=%d: wall-clock limit of %.0f s reached in the mesh phase\n", n, opt.wallLimitS);
            break;
        }
        if (opt.progress && net.now() - t0 >= lastReport * 1000 + 10'000) {
            lastReport = double(net.now() - t0) / 1000.0;
            std::fprintf(stderr,
                "  N=%d t=%.0fs pairs %.1f%% wall %.0fs\n",
                n,
                lastReport,
                100.0 * tracker.coverage(),
                nowWallS() - wall0);
        }
        net.advance(step);
    }
    r.coverage = tracker.coverage();
    r.meshWallS = nowWallS() - wall0;
    r.joinCpuMsPerNode = double(engineCpuNs(net)) / 1e6 / n;

    // Settle, then read the heap with nothing in flight and no event storage.
    net.advance(opt.settleS * 1000);
    drainQueue(net, 1000);
    tracker.drain(net);
    const qint64 heapSteady = heapInUse() - heapBefore;
    const long secretsSteady = secureAllocations() - secretsBefore;
    const qint64 rssSteady = residentBytes() - rssBefore;

    // The same per node without peers: a fresh network of N engines that never start (same construction).
    {
        SimNetwork idle(opt.latencyMs);
        const qint64 heap0 = heapInUse();
        const long secrets0 = secureAllocations();
        const qint64 rss0 = residentBytes();
        for (int i = 0; i < n; ++i) {
            NodeConfig config(base.identity.clone());
            if (opt.claims)
                config.claims = {nodeClaim(i)};
            idle.addNode(nodeAddress(100'000 + i), std::move(config));
        }
        r.heapPerNodeKiB = double(heapInUse() - heap0) / n / 1024.0;
        const double pairs = double(std::max<qint64>(tracker.pairs(), 1));
        r.heapPerPeerB = (double(heapSteady) - double(heapInUse() - heap0)) / pairs;
        r.secretsPerPeer = double(secretsSteady - (secureAllocations() - secrets0)) / pairs;
        r.rssPerPeerKiB = (double(rssSteady) - double(residentBytes() - rss0)) / 1024.0 / pairs;
    }

    // Steady state.
    quint64 tx0 = 0, txBytes0 = 0, hs = 0, hsFailed = 0;
    for (const auto &node : net.nodes()) {
        tx0 += node->engine->counters().txPackets;
        txBytes0 += node->engine->counters().txBytes;
    }
    resetEngineCpu(net);
    const quint64 delivered0 = net.delivered();
    const double steadyWall0 = nowWallS();
    for (TimeMs t = 0; t < opt.steadyS * 1000; t += 1000) {
        net.advance(1000);
        tracker.drain(net);
    }
    r.steadyWallS = nowWallS() - steadyWall0;
    quint64 tx1 = 0, txBytes1 = 0, ticks = 0;
    qint64 maxCpu = 0, tickCpu = 0;
    for (const auto &node : net.nodes()) {
        const NodeCounters &c = node->engine->counters();
        tx1 += c.txPackets;
        txBytes1 += c.txBytes;
        hs += c.handshakesCompleted;
        hsFailed += c.handshakesFailed;
        maxCpu = std::max(maxCpu, node->cpuNs);
        tickCpu += node->tickCpuNs;
        ticks += node->ticks;
        r.nodeInfoBytes = std::max(r.nodeInfoBytes, int(node->engine->currentNodeInfo().encode().size()));
    }
    const double minutes = double(opt.steadyS) / 60.0;
    const qint64 cpu = engineCpuNs(net);
    r.cpuPerNodeSecondUs = double(cpu) / 1e3 / n / double(opt.steadyS);
    r.cpuMaxUs = double(maxCpu) / 1e3 / double(opt.steadyS);
    r.ticksPerSecond = double(ticks) / n / double(opt.steadyS);
    r.tickCpuUs = ticks ? double(tickCpu) / 1e3 / double(ticks) : 0;
    const quint64 delivered = net.delivered() - delivered0;
    r.datagramCpuUs = delivered ? double(cpu - tickCpu) / 1e3 / double(delivered) : 0;
    r.txPerMin = double(tx1 - tx0) / n / minutes;
    r.txKiBPerMin = double(txBytes1 - txBytes0) / 1024.0 / n / minutes;
    r.handshakes = hs;
    r.handshakesFailed = hsFailed;
    if (!tracker.full() && r.meshS)
        std::fprintf(stderr, "N=%d: the mesh lost pairs after it was complete (%.2f%%)\n", n, 100 * tracker.coverage());
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    r.maxRssMiB = usage.ru_maxrss / 1024;
    return r;
}

/// \a value with \a decimals decimals, and \a suffix.
std::string fmt(double value, int decimals, const char *suffix = "")
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%s", decimals, value, suffix);
    return buf;
}

std::string fmtTime(double s)
{
    return s < 0 ? std::string("-") : fmt(s, 1);
}

struct Column {
    const char *title;
    std::function<std::string(const Result &)> cell;
};

/// The mesh table: formation, memory.
std::vector<Column> meshColumns()
{
    return {
        {"N", [](const Result &r) { return std::to_string(r.nodes); }},
        {"full mesh after (sim s)", [](const Result &r) { return r.meshS ? fmtTime(*r.meshS) : "not reached"; }},
        {"50/90/99% pairs (sim s)",
            [](const Result &r) { return fmtTime(r.t50S) + " / " + fmtTime(r.t90S) + " / " + fmtTime(r.t99S); }},
        {"pairs at end", [](const Result &r) { return fmt(100.0 * r.coverage, 1, "%"); }},
        {"join CPU/node (ms)", [](const Result &r) { return fmt(r.joinCpuMsPerNode, 1); }},
        {"handshakes/pair",
            [](const Result &r) { return fmt(double(r.handshakes) / (double(r.nodes) * (r.nodes - 1)), 2); }},
        {"heap/node idle (KiB)", [](const Result &r) { return fmt(r.heapPerNodeKiB, 1); }},
        {"heap/peer (B)", [](const Result &r) { return fmt(r.heapPerPeerB, 0); }},
        {"secrets/peer", [](const Result &r) { return fmt(r.secretsPerPeer, 1); }},
        {"RSS/peer (KiB)", [](const Result &r) { return fmt(r.rssPerPeerKiB, 1); }},
    };
}

/// The steady-state table: CPU and traffic.
std::vector<Column> steadyColumns()
{
    return {
        {"N", [](const Result &r) { return std::to_string(r.nodes); }},
        {"engine CPU/node/s (us)", [](const Result &r) { return fmt(r.cpuPerNodeSecondUs, 1); }},
        {"busiest node (us/s)", [](const Result &r) { return fmt(r.cpuMaxUs, 1); }},
        {"tick() calls/node/s", [](const Result &r) { return fmt(r.ticksPerSecond, 2); }},
        {"CPU/tick() (us)", [](const Result &r) { return fmt(r.tickCpuUs, 1); }},
        {"CPU/datagram (us)", [](const Result &r) { return fmt(r.datagramCpuUs, 2); }},
        {"datagrams/node/min", [](const Result &r) { return fmt(r.txPerMin, 0); }},
        {"KiB/node/min", [](const Result &r) { return fmt(r.txKiBPerMin, 0); }},
        {"largest NODE_INFO (B)", [](const Result &r) { return std::to_string(r.nodeInfoBytes); }},
        {"wall: mesh + steady (s)",
            [](const Result &r) { return fmt(r.meshWallS, 0) + " + " + fmt(r.steadyWallS, 0); }},
        {"max RSS (MiB)", [](const Result &r) { return std::to_string(r.maxRssMiB); }},
    };
}

void printMarkdown(const std::vector<Column> &columns, const std::vector<Result> &results)
{
    std::string header = "|", rule = "|";
    for (const Column &c : columns) {
        header += std::string(" ") + c.title + " |";
        rule += "---|";
    }
    std::printf("%s\n%s\n", header.c_str(), rule.c_str());
    for (const Result &r : results) {
        std::string row = "|";
        for (const Column &c : columns)
            row += " " + c.cell(r) + " |";
        std::printf("%s\n", row.c_str());
    }
}

void printTable(const Options &opt, const std::vector<Result> &results)
{
    std::printf(
        "\nSimulated mesh (real MeshNode engines, fake clock, %lld ms latency; peer-timeout %u s, keepalive %s; "
        "%d of %d seeds per node; nodes start %lld ms apart%s)\n\n",
        static_cast<long long>(opt.latencyMs),
        opt.peerTimeoutSecs,
        opt.keepaliveSecs ? std::to_string(*opt.keepaliveSecs).append(" s").c_str() : "default",
        opt.seedsPerNode,
        opt.seedPool,
        static_cast<long long>(opt.staggerMs),
        opt.claims ? "; each claims a /32" : "");
    printMarkdown(meshColumns(), results);
    std::printf("\nheap: malloc'ed bytes in use (mallinfo2) without secrets; secrets: SecureBytes allocations, %s; "
                "RSS: resident memory.\n",
        opt.guarded ? "in libsodium's guarded memory (--guarded-secrets)"
                    : "here on the heap; in the helper each is a guarded mapping with two resident pages");
    std::printf("\nSteady state (%lld simulated s after %lld s of settling)\n\n",
        static_cast<long long>(opt.steadyS),
        static_cast<long long>(opt.settleS));
    printMarkdown(steadyColumns(), results);
    std::fflush(stdout);
}

/// Appends the cells of both tables as one tab-separated line (with a header line if the file is new).
void appendTsv(const std::string &path, const Result &r)
{
    FILE *f = std::fopen(path.c_str(), "a");
    if (!f)
        return;
    std::vector<Column> columns = meshColumns();
    for (Column &c : steadyColumns()) {
        if (std::string(c.title) != "N")
            columns.push_back(std::move(c));
    }
    std::string header, row;
    for (const Column &c : columns) {
        header += std::string(header.empty() ? "" : "\t") + c.title;
        row += (row.empty() ? "" : "\t") + c.cell(r);
    }
    if (std::ftell(f) == 0)
        std::fprintf(f, "%s\n", header.c_str());
    std::fprintf(f, "%s\n", row.c_str());
    std::fclose(f);
}

const char *const kUsage = R"(Usage: bench_scale_sim [options]
  --nodes LIST          mesh sizes, comma-separated (default 50,200,500)
  --seeds S             the first S nodes are seeds (default 3)
  --seeds-per-node K    seeds each node is configured with (default 2)
  --stagger MS          node i starts i*MS after node 0 (default 20)
  --latency MS          one-way latency (default 1)
  --mesh-limit S        simulated seconds to wait for the full mesh (default 900)
  --settle S            simulated seconds between full mesh and measuring (default 30)
  --steady S            simulated seconds of steady state measured (default 240)
  --wall-limit S        give up waiting for the mesh after S real seconds per size (default: no limit)
  --peer-timeout S      every node's peer timeout (default 300, VpnCloud's)
  --keepalive S         every node's keepalive (default: unset, VpnCloud's rule)
  --no-claims           nodes claim nothing (default: each claims its own /32)
  --guarded-secrets     keep secrets in libsodium's guarded memory, as the helper does (default: on the heap;
                        each guarded allocation is a mapping of its own, and the process may have only
                        vm.max_map_count of them: about N = 40 at most)
  --progress            print the mesh progress every 10 simulated seconds to stderr
  --tsv FILE            append one tab-separated line per size to FILE
)";

bool parseInt(const char *text, long long min, long long &out)
{
    char *end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (!text[0] || *end || v < min)
        return false;
    out = v;
    return true;
}

/// Splits "50,200,500" into sizes between 2 and 60000.
bool parseSizes(const std::string &list, std::vector<int> &sizes)
{
    sizes.clear();
    size_t pos = 0;
    while (pos <= list.size()) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        long long v = 0;
        if (!parseInt(list.substr(pos, comma - pos).c_str(), 2, v) || v > 60000)
            return false;
        sizes.push_back(int(v));
        pos = comma + 1;
    }
    return true;
}

std::optional<Options> parseOptions(int argc, char **argv)
{
    Options opt;
    struct NumberOption {
        const char *name;
        long long min;
        std::function<void(long long)> set;
    };
    const NumberOption numbers[] = {
        {"--seeds", 1, [&](long long v) { opt.seedPool = int(v); }},
        {"--seeds-per-node", 1, [&](long long v) { opt.seedsPerNode = int(v); }},
        {"--stagger", 0, [&](long long v) { opt.staggerMs = v; }},
        {"--latency", 1, [&](long long v) { opt.latencyMs = v; }},
        {"--mesh-limit", 1, [&](long long v) { opt.meshLimitS = v; }},
        {"--settle", 0, [&](long long v) { opt.settleS = v; }},
        {"--steady", 1, [&](long long v) { opt.steadyS = v; }},
        {"--wall-limit", 0, [&](long long v) { opt.wallLimitS = double(v); }},
        {"--peer-timeout", 1, [&](long long v) { opt.peerTimeoutSecs = quint32(v); }},
        {"--keepalive", 1, [&](long long v) { opt.keepaliveSecs = quint32(v); }},
    };
    const auto fail = [] {
        std::fputs(kUsage, stderr);
        return std::nullopt;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        const auto number = std::find_if(
            std::begin(numbers), std::end(numbers), [&](const NumberOption &o) { return arg == o.name; });
        if (number != std::end(numbers)) {
            long long v = 0;
            if (!value || !parseInt(value, number->min, v) || v > std::numeric_limits<quint32>::max()) {
                std::fprintf(stderr, "%s needs a number >= %lld\n", arg.c_str(), number->min);
                return fail();
            }
            number->set(v);
            ++i;
        } else if (arg == "--nodes" || arg == "--tsv") {
            if (!value || (arg == "--nodes" && !parseSizes(value, opt.sizes))) {
                std::fprintf(stderr,
                    "%s needs %s\n",
                    arg.c_str(),
                    arg == "--nodes" ? "sizes (2..60000), e.g. 50,200" : "a file");
                return fail();
            }
            if (arg == "--tsv")
                opt.tsv = value;
            ++i;
        } else if (arg == "--no-claims") {
            opt.claims = false;
        } else if (arg == "--guarded-secrets") {
            opt.guarded = true;
        } else if (arg == "--progress") {
            opt.progress = true;
        } else if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "unknown argument: %s\n", arg.c_str());
            return fail();
        }
    }
    return opt;
}

} // namespace

int run(int argc, char **argv)
{
    const std::optional<Options> opt = parseOptions(argc, argv);
    if (!opt)
        return 2;
    setSecureMemMode(opt->guarded ? SecureMemMode::Guarded : SecureMemMode::Plain);
    if (!initCrypto()) {
        std::fprintf(stderr, "cannot initialise libsodium\n");
        return 1;
    }
    const NodeConfig base = Test::testConfig(QStringLiteral("scale-bench"));
    {
        // Warm-up: first-use allocations (Qt, libsodium, statics) must not count as a node's memory.
        SimNetwork warmUp;
        warmUp.addNode(nodeAddress(0), NodeConfig(base.identity.clone())).engine->currentNodeInfo().encode();
    }
    std::vector<Result> results;
    for (const int n : opt->sizes) {
        std::fprintf(stderr, "N=%d ...\n", n);
        results.push_back(runOnce(*opt, n, base));
        if (!opt->tsv.empty())
            appendTsv(opt->tsv, results.back());
        std::fprintf(stderr,
            "N=%d done: mesh %s, %.0f s wall\n",
            n,
            results.back().meshS ? fmtTime(*results.back().meshS).append(" s").c_str() : "not reached",
            results.back().meshWallS + results.back().steadyWallS);
    }
    printTable(*opt, results);
    return 0;
}

} // namespace Nimbus::Bench

int main(int argc, char **argv)
{
    return Nimbus::Bench::run(argc, argv);
}
