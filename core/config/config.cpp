#include "core/config/config.h"

#include "core/config/configvalues.h"
#include "core/crypto/identity.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QString optionalText(const std::optional<QString> &value)
{
    return value ? ConfigDetail::quoteValue(*value) : u"(unset)"_s;
}

QString secretText(const std::optional<QString> &value)
{
    return value ? u"(set)"_s : u"(unset)"_s;
}

QString listText(const QStringList &values)
{
    QStringList quoted;
    quoted.reserve(values.size());
    for (const QString &value : values)
        quoted.append(ConfigDetail::quoteValue(value));
    return u"["_s + quoted.join(u", "_s) + u"]"_s;
}

QString boolText(bool value)
{
    return value ? u"true"_s : u"false"_s;
}

Error configError(const QString &message)
{
    return Error {u"bad-config"_s, message};
}

} // namespace

QString deviceTypeName(DeviceType type)
{
    return type == DeviceType::Tap ? u"tap"_s : u"tun"_s;
}

std::optional<DeviceType> parseDeviceType(QStringView text)
{
    if (text.compare(u"tun", Qt::CaseInsensitive) == 0)
        return DeviceType::Tun;
    if (text.compare(u"tap", Qt::CaseInsensitive) == 0)
        return DeviceType::Tap;
    return std::nullopt;
}

QString nodeModeName(NodeMode mode)
{
    switch (mode) {
    case NodeMode::Normal:
        return u"normal"_s;
    case NodeMode::Router:
        return u"router"_s;
    case NodeMode::Switch:
        return u"switch"_s;
    case NodeMode::Hub:
        return u"hub"_s;
    }
    return u"normal"_s;
}

std::optional<NodeMode> parseNodeMode(QStringView text)
{
    for (NodeMode mode : {NodeMode::Normal, NodeMode::Router, NodeMode::Switch, NodeMode::Hub}) {
        if (text.compare(nodeModeName(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

QString algorithmConfigName(Algorithm algorithm)
{
    switch (algorithm) {
    case Algorithm::Plain:
        return u"plain"_s;
    case Algorithm::Aes128Gcm:
        return u"aes128"_s;
    case Algorithm::Aes256Gcm:
        return u"aes256"_s;
    case Algorithm::Chacha20Poly1305:
        return u"chacha20"_s;
    }
    return u"plain"_s;
}

std::optional<Algorithm> parseAlgorithmConfigName(QStringView name, bool cliOnly)
{
    struct Alias {
        QLatin1StringView name;
        Algorithm algorithm;
        bool cli;
    };
    static constexpr Alias kAliases[] = {
        {QLatin1StringView("plain"), Algorithm::Plain, true},
        {QLatin1StringView("none"), Algorithm::Plain, false},
        {QLatin1StringView("unencrypted"), Algorithm::Plain, false},
        {QLatin1StringView("aes128"), Algorithm::Aes128Gcm, true},
        {QLatin1StringView("aes128_gcm"), Algorithm::Aes128Gcm, false},
        {QLatin1StringView("aes_128"), Algorithm::Aes128Gcm, false},
        {QLatin1StringView("aes_128_gcm"), Algorithm::Aes128Gcm, false},
        {QLatin1StringView("aes256"), Algorithm::Aes256Gcm, true},
        {QLatin1StringView("aes256_gcm"), Algorithm::Aes256Gcm, false},
        {QLatin1StringView("aes_256"), Algorithm::Aes256Gcm, false},
        {QLatin1StringView("aes_256_gcm"), Algorithm::Aes256Gcm, false},
        {QLatin1StringView("chacha"), Algorithm::Chacha20Poly1305, false},
        {QLatin1StringView("chacha20"), Algorithm::Chacha20Poly1305, true},
        {QLatin1StringView("chacha20_poly1305"), Algorithm::Chacha20Poly1305, false},
    };
    for (const Alias &alias : kAliases) {
        if ((alias.cli || !cliOnly) && name.compare(alias.name, Qt::CaseInsensitive) == 0)
            return alias.algorithm;
    }
    return std::nullopt;
}

QStringList hookEventNames()
{
    return {u"peer_connecting"_s,
        u"peer_connected"_s,
        u"peer_disconnected"_s,
        u"device_setup"_s,
        u"device_configured"_s,
        u"vpn_started"_s,
        u"vpn_shutdown"_s};
}

QString describeConfig(const NetworkConfig &c)
{
    QStringList algorithms;
    for (Algorithm algorithm : c.algorithms)
        algorithms.append(algorithmConfigName(algorithm));
    QStringList hooks;
    for (auto it = c.hooks.cbegin(); it != c.hooks.cend(); ++it)
        hooks.append(it.key() + u"="_s + ConfigDetail::quoteValue(it.value()));

    QStringList lines;
    lines << u"name: "_s + ConfigDetail::quoteValue(c.name) << u"balance: "_s + boolText(c.balance)
          << u"fast-failover: "_s + boolText(c.fastFailover)
          << u"control-socket: "_s + ConfigDetail::quoteValue(c.controlSocket)
          << u"device.type: "_s + deviceTypeName(c.deviceType)
          << u"device.name: "_s + ConfigDetail::quoteValue(c.deviceName)
          << u"device.path: "_s + ConfigDetail::quoteValue(c.devicePath)
          << u"device.fix-rp-filter: "_s + boolText(c.fixRpFilter) << u"ip: "_s + optionalText(c.ip)
          << u"advertise-addresses: "_s + listText(c.advertiseAddresses) << u"ifup: "_s + optionalText(c.ifup)
          << u"ifdown: "_s + optionalText(c.ifdown) << u"crypto.password: "_s + secretText(c.password)
          << u"crypto.private-key: "_s + secretText(c.privateKey)
          << u"crypto.public-key: "_s + optionalText(c.publicKey)
          << u"crypto.trusted-keys: "_s + listText(c.trustedKeys)
          << u"crypto.algorithms: ["_s + algorithms.join(u", "_s) + u"]"_s
          << u"listen: "_s + ConfigDetail::quoteValue(c.listen) << u"peers: "_s + listText(c.peers)
          << u"peer-timeout: "_s + QString::number(c.peerTimeout)
          << u"keepalive: "_s + (c.keepalive ? QString::number(*c.keepalive) : u"(derived)"_s)
          << u"beacon.store: "_s + optionalText(c.beaconStore) << u"beacon.load: "_s + optionalText(c.beaconLoad)
          << u"beacon.interval: "_s + QString::number(c.beaconInterval)
          << u"beacon.password: "_s + secretText(c.beaconPassword) << u"mode: "_s + nodeModeName(c.mode)
          << u"switch-timeout: "_s + QString::number(c.switchTimeout) << u"claims: "_s + listText(c.claims)
          << u"auto-claim: "_s + boolText(c.autoClaim) << u"port-forwarding: "_s + boolText(c.portForwarding)
          << u"pid-file: "_s + optionalText(c.pidFile) << u"stats-file: "_s + optionalText(c.statsFile)
          << u"statsd.server: "_s + optionalText(c.statsdServer) << u"statsd.prefix: "_s + optionalText(c.statsdPrefix)
          << u"user: "_s + optionalText(c.user) << u"group: "_s + optionalText(c.group)
          << u"hook: "_s + optionalText(c.hook) << u"hooks: {"_s + hooks.join(u", "_s) + u"}"_s;
    return lines.join(u'\n');
}

QDebug operator<<(QDebug debug, const NetworkConfig &config)
{
    const QDebugStateSaver saver(debug);
    debug.noquote().nospace() << "NetworkConfig(\n" << describeConfig(config) << "\n)";
    return debug;
}

Result<Ok> validateForRun(const NetworkConfig &config)
{
    if (!config.password && !config.privateKey)
        return configError(
            u"no password or private key given (use --password, --password-file, NIMBUS_PASSWORD or crypto.password)"_s);
    if (config.privateKey) {
        if (auto problem = ConfigDetail::checkKey(*config.privateKey))
            return configError(u"crypto.private-key: "_s + *problem);
    }
    if (config.publicKey) {
        if (auto problem = ConfigDetail::checkKey(*config.publicKey))
            return configError(u"crypto.public-key: "_s + *problem);
    }
    if (config.privateKey && config.publicKey) {
        const Result<QByteArray> seed = decodeKey32(*config.privateKey);
        const Result<QByteArray> expected = decodeKey32(*config.publicKey);
        if (!seed.ok() || !expected.ok())
            return configError(u"crypto.private-key: not a valid key"_s);
        const Result<Identity> identity = Identity::fromSeed(seed.value());
        if (!identity.ok())
            return configError(u"crypto.private-key: "_s + identity.error().message);
        if (identity->publicKey() != expected.value())
            return configError(u"crypto.public-key does not match the private key (the private key gives %1)"_s.arg(
                base62Encode(identity->publicKey())));
    }
    return Ok {};
}

} // namespace Nimbus
