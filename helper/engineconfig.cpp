#include "helper/engineconfig.h"

#include <algorithm>

#include "core/crypto/identity.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

Result<Identity> identityFromConfig(const NetworkConfig &config)
{
    if (config.privateKey) {
        Result<QByteArray> seed = decodeKey32(*config.privateKey);
        if (!seed)
            return Error {u"bad-key"_s, u"crypto.private-key: %1"_s.arg(seed.error().message)};
        return Identity::fromSeed(*seed);
    }
    return Identity::fromPassword(config.password.value_or(QString()));
}

Mode engineMode(NodeMode mode)
{
    switch (mode) {
    case NodeMode::Normal:
        return Mode::Normal;
    case NodeMode::Router:
        return Mode::Router;
    case NodeMode::Switch:
        return Mode::Switch;
    case NodeMode::Hub:
        return Mode::Hub;
    }
    return Mode::Normal;
}

AlgorithmList advertisedAlgorithms(const QList<Algorithm> &configured)
{
    if (configured.isEmpty())
        return NodeConfig::defaultAlgorithms();
    AlgorithmList list;
    for (Algorithm algorithm : configured) {
        switch (algorithm) {
        case Algorithm::Plain:
            list.allowPlain = true;
            break;
        case Algorithm::Aes128Gcm:
            break; // never advertised: libsodium has no AES-128-GCM (spec §3.6)
        case Algorithm::Aes256Gcm:
            if (algorithmAvailable(Algorithm::Aes256Gcm))
                list.algorithms.append({algorithm, 2000.0f});
            break;
        case Algorithm::Chacha20Poly1305:
            list.algorithms.append({algorithm, 1500.0f});
            break;
        }
    }
    // Ascending ids, as VpnCloud advertises them (spec §3.6).
    std::sort(list.algorithms.begin(), list.algorithms.end(), [](const AlgorithmSpeed &a, const AlgorithmSpeed &b) {
        return quint8(a.algorithm) < quint8(b.algorithm);
    });
    return list;
}

Result<EngineConfig> translateConfig(const NetworkConfig &config, Identity identity)
{
    EngineConfig result {NodeConfig(std::move(identity)), {}, std::nullopt};
    NodeConfig &node = result.node;
    for (const QString &key : std::as_const(config.trustedKeys)) {
        Result<QByteArray> decoded = decodeKey32(key);
        if (!decoded)
            return Error {u"bad-key"_s, u"crypto.trusted-keys: invalid key \"%1\""_s.arg(key)};
        node.trustedKeys.append(*decoded);
    }
    node.algorithms = advertisedAlgorithms(config.algorithms);
    if (node.algorithms.algorithms.isEmpty() && !node.algorithms.allowPlain)
        return Error {u"bad-config"_s, u"crypto.algorithms: none of the configured algorithms is available here"_s};
    for (const QString &claim : std::as_const(config.claims)) {
        const std::optional<Range> range = Range::parse(claim);
        if (!range)
            return Error {u"bad-config"_s, u"claims: invalid range \"%1\""_s.arg(claim)};
        node.claims.append(*range);
    }
    node.peerTimeoutSecs = config.peerTimeout;
    node.keepaliveSecs = config.keepalive;
    node.switchTimeoutSecs = config.switchTimeout;
    node.mode = engineMode(config.mode);
    node.deviceType = config.deviceType;
    node.balance = config.balance;
    node.fastFailover = config.fastFailover;

    // Names are looked up after the start, without blocking (PeerResolver); only their syntax is checked here.
    for (const QString &peer : std::as_const(config.peers)) {
        Result<PeerName> name = PeerName::parse(peer);
        if (!name)
            return name.error();
        result.peers.append(*name);
    }
    if (config.statsdServer) {
        Result<PeerName> name = PeerName::parse(*config.statsdServer);
        if (!name)
            return Error {u"bad-config"_s, u"statsd.server: %1"_s.arg(name.error().message)};
        result.statsd = *name;
    }
    return result;
}

} // namespace Nimbus
