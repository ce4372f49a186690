#include "core/config/commandline.h"

#include <algorithm>

#include <QSet>

#include "core/config/addresspolicy.h"
#include "core/config/configvalues.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

using ConfigDetail::Problem;
using ConfigDetail::quoteValue;

enum class Opt {
    Config,
    Type,
    Device,
    DevicePath,
    FixRpFilter,
    Mode,
    Password,
    PasswordFile,
    PrivateKey,
    PublicKey,
    TrustedKey,
    Algorithm,
    Claim,
    NoAutoClaim,
    Listen,
    Peer,
    PeerTimeout,
    Keepalive,
    SwitchTimeout,
    BeaconStore,
    BeaconLoad,
    BeaconInterval,
    BeaconPassword,
    Ip,
    AdvertiseAddresses,
    Ifup,
    Ifdown,
    NoPortForwarding,
    Daemon,
    PidFile,
    StatsFile,
    StatsdServer,
    StatsdPrefix,
    User,
    Group,
    LogFile,
    Hook,
    Verbose,
    Quiet,
    Version,
    Help,
    Service,
    ControlSocket,
    AllowRange,
    Balance,
    NoFastFailover,
};

enum class Kind {
    Flag, ///< no value
    Value, ///< one value, at most once
    List, ///< repeatable, comma-separated
    Repeat, ///< repeatable, not split (hooks: scripts may contain commas)
};

struct LongName {
    QLatin1StringView name;
    Opt opt;
};

struct ShortName {
    char16_t name;
    Opt opt;
};

// clang-format off
constexpr LongName kLongNames[] = {
    {QLatin1StringView("config"), Opt::Config},
    {QLatin1StringView("type"), Opt::Type},
    {QLatin1StringView("device"), Opt::Device},
    {QLatin1StringView("device-path"), Opt::DevicePath},
    {QLatin1StringView("fix-rp-filter"), Opt::FixRpFilter},
    {QLatin1StringView("mode"), Opt::Mode},
    {QLatin1StringView("password"), Opt::Password},
    {QLatin1StringView("password-file"), Opt::PasswordFile},
    {QLatin1StringView("private-key"), Opt::PrivateKey},
    {QLatin1StringView("key"), Opt::PrivateKey},
    {QLatin1StringView("public-key"), Opt::PublicKey},
    {QLatin1StringView("trusted-key"), Opt::TrustedKey},
    {QLatin1StringView("trust"), Opt::TrustedKey},
    {QLatin1StringView("algorithm"), Opt::Algorithm},
    {QLatin1StringView("algo"), Opt::Algorithm},
    {QLatin1StringView("claim"), Opt::Claim},
    {QLatin1StringView("no-auto-claim"), Opt::NoAutoClaim},
    {QLatin1StringView("listen"), Opt::Listen},
    {QLatin1StringView("peer"), Opt::Peer},
    {QLatin1StringView("connect"), Opt::Peer},
    {QLatin1StringView("peer-timeout"), Opt::PeerTimeout},
    {QLatin1StringView("keepalive"), Opt::Keepalive},
    {QLatin1StringView("switch-timeout"), Opt::SwitchTimeout},
    {QLatin1StringView("beacon-store"), Opt::BeaconStore},
    {QLatin1StringView("beacon-load"), Opt::BeaconLoad},
    {QLatin1StringView("beacon-interval"), Opt::BeaconInterval},
    {QLatin1StringView("beacon-password"), Opt::BeaconPassword},
    {QLatin1StringView("ip"), Opt::Ip},
    {QLatin1StringView("advertise_addresses"), Opt::AdvertiseAddresses},
    {QLatin1StringView("advertise-addresses"), Opt::AdvertiseAddresses},
    {QLatin1StringView("ifup"), Opt::Ifup},
    {QLatin1StringView("ifdown"), Opt::Ifdown},
    {QLatin1StringView("no-port-forwarding"), Opt::NoPortForwarding},
    {QLatin1StringView("daemon"), Opt::Daemon},
    {QLatin1StringView("pid-file"), Opt::PidFile},
    {QLatin1StringView("stats-file"), Opt::StatsFile},
    {QLatin1StringView("statsd-server"), Opt::StatsdServer},
    {QLatin1StringView("statsd-prefix"), Opt::StatsdPrefix},
    {QLatin1StringView("user"), Opt::User},
    {QLatin1StringView("group"), Opt::Group},
    {QLatin1StringView("log-file"), Opt::LogFile},
    {QLatin1StringView("hook"), Opt::Hook},
    {QLatin1StringView("verbose"), Opt::Verbose},
    {QLatin1StringView("quiet"), Opt::Quiet},
    {QLatin1StringView("version"), Opt::Version},
    {QLatin1StringView("help"), Opt::Help},
    {QLatin1StringView("service"), Opt::Service},
    {QLatin1StringView("control-socket"), Opt::ControlSocket},
    {QLatin1StringView("allow-range"), Opt::AllowRange},
    {QLatin1StringView("balance"), Opt::Balance},
    {QLatin1StringView("no-fast-failover"), Opt::NoFastFailover},
};

constexpr ShortName kShortNames[] = {
    {u't', Opt::Type},
    {u'd', Opt::Device},
    {u'm', Opt::Mode},
    {u'p', Opt::Password},
    {u'l', Opt::Listen},
    {u'c', Opt::Peer},
    {u'v', Opt::Verbose},
    {u'q', Opt::Quiet},
    {u'h', Opt::Help},
};
// clang-format on

Kind kindOf(Opt opt)
{
    switch (opt) {
    case Opt::FixRpFilter:
    case Opt::NoAutoClaim:
    case Opt::NoPortForwarding:
    case Opt::Daemon:
    case Opt::Verbose:
    case Opt::Quiet:
    case Opt::Version:
    case Opt::Help:
    case Opt::Service:
    case Opt::Balance:
    case Opt::NoFastFailover:
        return Kind::Flag;
    case Opt::TrustedKey:
    case Opt::Algorithm:
    case Opt::Claim:
    case Opt::Peer:
    case Opt::AdvertiseAddresses:
    case Opt::AllowRange:
        return Kind::List;
    case Opt::Hook:
        return Kind::Repeat;
    default:
        return Kind::Value;
    }
}

/// Options that still make sense in service mode (no network).
bool allowedInService(Opt opt)
{
    return opt == Opt::Service || opt == Opt::ControlSocket || opt == Opt::AllowRange || opt == Opt::Verbose
        || opt == Opt::Quiet || opt == Opt::LogFile;
}

Error usageError(const QString &message)
{
    return Error {u"bad-usage"_s, message};
}

QString unknownOptionMessage(const QString &typed, QStringView name)
{
    QString best;
    int bestDistance = 3;
    for (const LongName &entry : kLongNames) {
        const int distance = ConfigDetail::editDistance(name, QString(entry.name));
        if (distance < bestDistance) {
            bestDistance = distance;
            best = u"--"_s + entry.name;
        }
    }
    if (best.isEmpty())
        return u"unknown option %1 (see --help)"_s.arg(quoteValue(typed));
    return u"unknown option %1 (did you mean \"%2\"?)"_s.arg(quoteValue(typed), best);
}

QString secondsError(const QString &flag, const QString &value)
{
    return u"%1: expected an unsigned integer of seconds, got %2"_s.arg(flag, quoteValue(value));
}

/// The state of one parse.
class Parser
{
public:
    Parser(const QStringList &args, const QHash<QString, QString> &env) : m_args(args), m_env(env) { }

    Result<CommandLine> run();

private:
    std::optional<Error> handle(Opt opt, const QString &typed, const QString &value);
    std::optional<Error> handleGenKey(Opt opt, const QString &typed, const QString &value);
    std::optional<Error> setOnce(const QString &typed,
        const QString &value,
        std::optional<QString> &field,
        ConfigDetail::Problem (*validator)(QStringView) = nullptr);
    std::optional<Error> setSeconds(const QString &typed, const QString &value, std::optional<quint32> &field);
    std::optional<Error> addList(const QString &typed,
        const QString &value,
        QStringList &field,
        ConfigDetail::Problem (*validator)(QStringView));
    std::optional<Error> applyEnvironment();
    std::optional<Error> checkConflicts();
    QString env(const QString &name) const { return m_env.value(name); }

    const QStringList &m_args;
    const QHash<QString, QString> &m_env;
    CommandLine m_cli;
    bool m_genkey = false;
    QHash<int, QString> m_given; ///< Opt -> the name as typed first (for messages)
    QString m_firstNetworkOption;
};

std::optional<Error> Parser::setOnce(const QString &typed,
    const QString &value,
    std::optional<QString> &field,
    ConfigDetail::Problem (*validator)(QStringView))
{
    if (field)
        return usageError(u"option %1 given more than once"_s.arg(typed));
    if (validator) {
        if (const Problem problem = validator(value))
            return usageError(typed + u": "_s + *problem);
    }
    field = value;
    return std::nullopt;
}

std::optional<Error> Parser::setSeconds(const QString &typed, const QString &value, std::optional<quint32> &field)
{
    if (field)
        return usageError(u"option %1 given more than once"_s.arg(typed));
    const std::optional<quint32> seconds = ConfigDetail::parseU32(value);
    if (!seconds)
        return usageError(secondsError(typed, value));
    field = seconds;
    return std::nullopt;
}

std::optional<Error> Parser::addList(
    const QString &typed, const QString &value, QStringList &field, ConfigDetail::Problem (*validator)(QStringView))
{
    const QStringList items = value.split(u',', Qt::SkipEmptyParts);
    for (const QString &item : items) {
        if (validator) {
            if (const Problem problem = validator(item))
                return usageError(typed + u": "_s + *problem);
        }
        field.append(item);
    }
    return std::nullopt;
}

std::optional<Error> Parser::handleGenKey(Opt opt, const QString &typed, const QString &value)
{
    switch (opt) {
    case Opt::Password:
        if (m_cli.passwordFile)
            return usageError(u"%1 conflicts with --password-file"_s.arg(typed));
        return setOnce(typed, value, m_cli.genkeyPassword);
    case Opt::PasswordFile:
        if (m_cli.genkeyPassword)
            return usageError(u"%1 conflicts with --password"_s.arg(typed));
        return setOnce(typed, value, m_cli.passwordFile);
    default:
        return usageError(u"option %1 cannot be used with genkey (genkey takes only -p/--password and "
                          "--password-file)"_s.arg(quoteValue(typed)));
    }
}

std::optional<Error> Parser::handle(Opt opt, const QString &typed, const QString &value)
{
    if (m_genkey)
        return handleGenKey(opt, typed, value);
    if (!m_given.contains(static_cast<int>(opt)))
        m_given.insert(static_cast<int>(opt), typed);
    if (!allowedInService(opt) && m_firstNetworkOption.isEmpty())
        m_firstNetworkOption = typed;

    ConfigOverrides &o = m_cli.overrides;
    switch (opt) {
    case Opt::Config:
        return setOnce(typed, value, m_cli.configFile);
    case Opt::Type: {
        const std::optional<DeviceType> type = parseDeviceType(value);
        if (!type)
            return usageError(u"%1: expected tun or tap, got %2"_s.arg(typed, quoteValue(value)));
        if (o.deviceType)
            return usageError(u"option %1 given more than once"_s.arg(typed));
        o.deviceType = type;
        return std::nullopt;
    }
    case Opt::Device:
        return setOnce(typed, value, o.deviceName, &ConfigDetail::checkDeviceName);
    case Opt::DevicePath:
        return setOnce(typed, value, o.devicePath, [](QStringView t) -> Problem {
            if (t.isEmpty())
                return u"empty path"_s;
            return std::nullopt;
        });
    case Opt::FixRpFilter:
        o.fixRpFilter = true;
        return std::nullopt;
    case Opt::Mode: {
        const std::optional<NodeMode> mode = parseNodeMode(value);
        if (!mode)
            return usageError(u"%1: expected normal, router, switch or hub, got %2"_s.arg(typed, quoteValue(value)));
        if (o.mode)
            return usageError(u"option %1 given more than once"_s.arg(typed));
        o.mode = mode;
        return std::nullopt;
    }
    case Opt::Password:
        return setOnce(typed, value, o.password);
    case Opt::PasswordFile:
        return setOnce(typed, value, m_cli.passwordFile, [](QStringView t) -> Problem {
            if (t.isEmpty())
                return u"empty path"_s;
            return std::nullopt;
        });
    case Opt::PrivateKey:
        return setOnce(typed, value, o.privateKey, &ConfigDetail::checkKey);
    case Opt::PublicKey:
        return setOnce(typed, value, o.publicKey, &ConfigDetail::checkKey);
    case Opt::TrustedKey:
        return addList(typed, value, o.trustedKeys, &ConfigDetail::checkKey);
    case Opt::Algorithm: {
        const QStringList names = value.split(u',', Qt::SkipEmptyParts);
        for (const QString &name : names) {
            const std::optional<Algorithm> algorithm = parseAlgorithmConfigName(name, true);
            if (!algorithm)
                return usageError(u"%1: unknown algorithm %2 (expected plain, aes128, aes256 or chacha20)"_s.arg(
                    typed, quoteValue(name)));
            if (!o.algorithms.contains(*algorithm))
                o.algorithms.append(*algorithm);
        }
        return std::nullopt;
    }
    case Opt::Claim:
        return addList(typed, value, o.claims, &ConfigDetail::checkClaim);
    case Opt::NoAutoClaim:
        o.noAutoClaim = true;
        return std::nullopt;
    case Opt::Listen:
        return setOnce(typed, value, o.listen, &ConfigDetail::checkListen);
    case Opt::Peer:
        return addList(typed, value, o.peers, &ConfigDetail::checkPeerAddress);
    case Opt::PeerTimeout:
        return setSeconds(typed, value, o.peerTimeout);
    case Opt::Keepalive:
        return setSeconds(typed, value, o.keepalive);
    case Opt::SwitchTimeout:
        return setSeconds(typed, value, o.switchTimeout);
    case Opt::BeaconStore:
        return setOnce(typed, value, o.beaconStore);
    case Opt::BeaconLoad:
        return setOnce(typed, value, o.beaconLoad);
    case Opt::BeaconInterval:
        return setSeconds(typed, value, o.beaconInterval);
    case Opt::BeaconPassword:
        return setOnce(typed, value, o.beaconPassword);
    case Opt::Ip:
        return setOnce(typed, value, o.ip, &ConfigDetail::checkIpWithPrefix);
    case Opt::AdvertiseAddresses:
        return addList(typed, value, o.advertiseAddresses, &ConfigDetail::checkAdvertiseAddress);
    case Opt::Ifup:
        return setOnce(typed, value, o.ifup);
    case Opt::Ifdown:
        return setOnce(typed, value, o.ifdown);
    case Opt::NoPortForwarding:
        o.noPortForwarding = true;
        return std::nullopt;
    case Opt::Daemon:
        m_cli.daemon = true;
        return std::nullopt;
    case Opt::PidFile:
        return setOnce(typed, value, o.pidFile);
    case Opt::StatsFile:
        return setOnce(typed, value, o.statsFile);
    case Opt::StatsdServer:
        return setOnce(typed, value, o.statsdServer, &ConfigDetail::checkHostPort);
    case Opt::StatsdPrefix:
        return setOnce(typed, value, o.statsdPrefix);
    case Opt::User:
        return setOnce(typed, value, o.user);
    case Opt::Group:
        return setOnce(typed, value, o.group);
    case Opt::LogFile:
        return setOnce(typed, value, m_cli.logFile);
    case Opt::Hook: {
        const qsizetype colon = value.indexOf(u':');
        const QString event = colon > 0 ? value.left(colon) : QString();
        const bool looksLikeEvent = !event.isEmpty()
            && std::all_of(event.begin(), event.end(), [](QChar c) { return (c >= u'a' && c <= u'z') || c == u'_'; });
        if (looksLikeEvent) {
            if (const Problem problem = ConfigDetail::checkHookEvent(event))
                return usageError(typed + u": "_s + *problem);
            o.hooks.insert(event, value.mid(colon + 1));
        } else {
            o.hook = value;
        }
        return std::nullopt;
    }
    case Opt::Verbose:
        m_cli.verbose = true;
        return std::nullopt;
    case Opt::Quiet:
        m_cli.quiet = true;
        return std::nullopt;
    case Opt::Service:
        m_cli.action = CliAction::RunService;
        return std::nullopt;
    case Opt::ControlSocket:
        return setOnce(typed, value, o.controlSocket, [](QStringView t) -> Problem {
            if (t.isEmpty())
                return u"empty path"_s;
            return std::nullopt;
        });
    case Opt::AllowRange:
        return addList(typed, value, m_cli.allowRanges, [](QStringView t) -> Problem {
            const std::optional<Ipv4Prefix> range = Ipv4Prefix::parse(t, -1);
            if (!range)
                return u"expected an IPv4 range A.B.C.D/LEN (e.g. 198.51.100.0/24), got \"%1\""_s.arg(t);
            return std::nullopt;
        });
    case Opt::Balance:
        o.balance = true;
        return std::nullopt;
    case Opt::NoFastFailover:
        o.noFastFailover = true;
        return std::nullopt;
    case Opt::Version:
    case Opt::Help:
        break;
    }
    return std::nullopt;
}

std::optional<Error> Parser::checkConflicts()
{
    auto typedName = [this](Opt opt) { return m_given.value(static_cast<int>(opt)); };
    const ConfigOverrides &o = m_cli.overrides;
    if (m_cli.verbose && m_cli.quiet)
        return usageError(u"%1 conflicts with %2"_s.arg(typedName(Opt::Verbose), typedName(Opt::Quiet)));
    if (o.privateKey && o.password)
        return usageError(u"%1 conflicts with %2"_s.arg(typedName(Opt::PrivateKey), typedName(Opt::Password)));
    if (m_cli.passwordFile && o.password)
        return usageError(u"%1 conflicts with %2"_s.arg(typedName(Opt::PasswordFile), typedName(Opt::Password)));
    if (m_cli.passwordFile && o.privateKey)
        return usageError(u"%1 conflicts with %2"_s.arg(typedName(Opt::PasswordFile), typedName(Opt::PrivateKey)));
    if (m_cli.action == CliAction::RunService && !m_firstNetworkOption.isEmpty())
        return usageError(
            u"--service starts without a network and cannot be combined with %1"_s.arg(m_firstNetworkOption));
    return std::nullopt;
}

std::optional<Error> Parser::applyEnvironment()
{
    const QString envPassword = !env(u"NIMBUS_PASSWORD"_s).isEmpty() ? env(u"NIMBUS_PASSWORD"_s) : env(u"PASSWORD"_s);
    if (m_cli.action == CliAction::GenKey) {
        if (!m_cli.genkeyPassword && !m_cli.passwordFile && !envPassword.isEmpty())
            m_cli.genkeyPassword = envPassword;
        return std::nullopt;
    }
    if (m_cli.action != CliAction::RunNetwork)
        return std::nullopt;
    ConfigOverrides &o = m_cli.overrides;
    const bool explicitPassword = o.password || m_cli.passwordFile;
    const bool explicitKey = o.privateKey.has_value();
    if (!explicitPassword && !explicitKey) {
        const QString envKey = env(u"PRIVATE_KEY"_s);
        if (!envKey.isEmpty()) {
            if (const Problem problem = ConfigDetail::checkKey(envKey))
                return usageError(u"PRIVATE_KEY (environment): "_s + *problem);
            o.privateKey = envKey;
        }
    }
    if (!explicitPassword && !explicitKey && !envPassword.isEmpty())
        o.password = envPassword;
    return std::nullopt;
}

Result<CommandLine> Parser::run()
{
    bool endOfOptions = false;
    for (qsizetype i = 1; i < m_args.size(); ++i) {
        const QString &arg = m_args.at(i);
        if (!endOfOptions && arg == u"--") {
            endOfOptions = true;
            continue;
        }
        // Collect (option, typed name, inline value) for long options and each member of a short cluster.
        struct Item {
            Opt opt;
            QString typed;
            std::optional<QString> value;
        };
        QList<Item> items;
        if (!endOfOptions && arg.startsWith(u"--")) {
            const qsizetype eq = arg.indexOf(u'=');
            const QString name = eq < 0 ? arg.mid(2) : arg.mid(2, eq - 2);
            const auto it = std::find_if(
                std::begin(kLongNames), std::end(kLongNames), [&name](const LongName &e) { return e.name == name; });
            if (it == std::end(kLongNames))
                return usageError(unknownOptionMessage(u"--"_s + name, name));
            std::optional<QString> value;
            if (eq >= 0)
                value = arg.mid(eq + 1);
            items.append(Item {it->opt, u"--"_s + name, value});
        } else if (!endOfOptions && arg.startsWith(u'-') && arg.size() > 1) {
            for (qsizetype j = 1; j < arg.size(); ++j) {
                const QChar c = arg.at(j);
                const auto it = std::find_if(std::begin(kShortNames), std::end(kShortNames), [c](const ShortName &e) {
                    return e.name == c.unicode();
                });
                const QString typed = u"-"_s + c;
                if (it == std::end(kShortNames))
                    return usageError(u"unknown option %1 (see --help)"_s.arg(quoteValue(typed)));
                if (kindOf(it->opt) == Kind::Flag) {
                    items.append(Item {it->opt, typed, std::nullopt});
                    continue;
                }
                QString rest = arg.mid(j + 1);
                if (rest.startsWith(u'='))
                    rest.remove(0, 1);
                std::optional<QString> value;
                if (j + 1 < arg.size())
                    value = rest;
                items.append(Item {it->opt, typed, value});
                break;
            }
        } else {
            if (m_genkey || endOfOptions)
                return usageError(u"unexpected argument %1"_s.arg(quoteValue(arg)));
            if (arg == u"genkey" || arg == u"gen-key") {
                m_genkey = true;
                m_cli.action = CliAction::GenKey;
                continue;
            }
            static const QStringList unsupported = {u"ws-proxy"_s,
                u"wsproxy"_s,
                u"migrate-config"_s,
                u"migrate"_s,
                u"completion"_s,
                u"config"_s,
                u"install"_s};
            if (unsupported.contains(arg))
                return usageError(u"the VpnCloud subcommand %1 is not supported by Nimbus"_s.arg(quoteValue(arg)));
            return usageError(u"unexpected argument %1 (the only subcommand is genkey)"_s.arg(quoteValue(arg)));
        }

        for (const Item &item : items) {
            if (item.opt == Opt::Help) {
                m_cli.action = CliAction::Help;
                return m_cli;
            }
            if (item.opt == Opt::Version) {
                m_cli.action = CliAction::Version;
                return m_cli;
            }
            const Kind kind = kindOf(item.opt);
            QString value;
            if (kind == Kind::Flag) {
                if (item.value)
                    return usageError(u"option %1 takes no value"_s.arg(item.typed));
            } else if (item.value) {
                value = *item.value;
            } else {
                if (i + 1 >= m_args.size())
                    return usageError(u"option %1 needs a value"_s.arg(item.typed));
                const QString &next = m_args.at(i + 1);
                if (next.startsWith(u"--") && next.size() > 2)
                    return usageError(u"option %1 needs a value, got the option %2 (write %1=VALUE for a value "
                                      "that starts with --)"_s.arg(item.typed, quoteValue(next)));
                value = next;
                ++i;
            }
            if (std::optional<Error> error = handle(item.opt, item.typed, value))
                return *error;
        }
    }
    if (std::optional<Error> error = checkConflicts())
        return *error;
    if (std::optional<Error> error = applyEnvironment())
        return *error;
    return m_cli;
}

} // namespace

Result<CommandLine> parseCommandLine(const QStringList &args, const QHash<QString, QString> &env)
{
    Parser parser(args, env);
    return parser.run();
}

Result<NetworkConfig> mergeConfig(const NetworkConfig &fromFile, const CommandLine &cli)
{
    NetworkConfig c = fromFile;
    const ConfigOverrides &o = cli.overrides;
    auto replace = [](auto &field, const auto &value) {
        if (value)
            field = *value;
    };
    replace(c.deviceType, o.deviceType);
    replace(c.deviceName, o.deviceName);
    replace(c.devicePath, o.devicePath);
    if (o.fixRpFilter)
        c.fixRpFilter = true;
    if (o.ip)
        c.ip = o.ip;
    c.advertiseAddresses += o.advertiseAddresses;
    if (o.ifup)
        c.ifup = o.ifup;
    if (o.ifdown)
        c.ifdown = o.ifdown;
    if (o.password)
        c.password = o.password;
    if (o.privateKey)
        c.privateKey = o.privateKey;
    if (o.publicKey)
        c.publicKey = o.publicKey;
    c.trustedKeys += o.trustedKeys;
    if (!o.algorithms.isEmpty())
        c.algorithms = o.algorithms;
    replace(c.listen, o.listen);
    c.peers += o.peers;
    replace(c.peerTimeout, o.peerTimeout);
    if (o.keepalive)
        c.keepalive = o.keepalive;
    if (o.beaconStore)
        c.beaconStore = o.beaconStore;
    if (o.beaconLoad)
        c.beaconLoad = o.beaconLoad;
    replace(c.beaconInterval, o.beaconInterval);
    if (o.beaconPassword)
        c.beaconPassword = o.beaconPassword;
    replace(c.mode, o.mode);
    replace(c.switchTimeout, o.switchTimeout);
    c.claims += o.claims;
    if (o.noAutoClaim)
        c.autoClaim = false;
    if (o.noPortForwarding)
        c.portForwarding = false;
    if (o.pidFile)
        c.pidFile = o.pidFile;
    if (o.statsFile)
        c.statsFile = o.statsFile;
    if (o.statsdServer)
        c.statsdServer = o.statsdServer;
    if (o.statsdPrefix)
        c.statsdPrefix = o.statsdPrefix;
    if (o.user)
        c.user = o.user;
    if (o.group)
        c.group = o.group;
    if (o.hook)
        c.hook = o.hook;
    for (auto it = o.hooks.cbegin(); it != o.hooks.cend(); ++it)
        c.hooks.insert(it.key(), it.value());
    if (o.balance)
        c.balance = true;
    if (o.noFastFailover)
        c.fastFailover = false;
    replace(c.controlSocket, o.controlSocket);

    if (o.statsdPrefix && !c.statsdServer)
        return usageError(u"--statsd-prefix requires --statsd-server (or statsd.server in the config file)"_s);
    return c;
}

} // namespace Nimbus
