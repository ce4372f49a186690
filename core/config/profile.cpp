#include "core/config/profile.h"

#include <cmath>

#include <QJsonArray>
#include <QJsonValue>

#include "core/config/configvalues.h"
#include "core/config/yamlconfig.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

using ConfigDetail::Problem;
using ConfigDetail::quoteValue;
using Validator = Problem (*)(QStringView);

constexpr qsizetype kMaxNameLength = 64;
constexpr double kMaxU32 = 4294967295.0;

/// The admin-only string keys of a profile and the config fields they map to.
struct AdminField {
    QLatin1StringView key;
    std::optional<QString> NetworkConfig::*field;
};

constexpr AdminField kAdminFields[] = {
    {QLatin1StringView("ifup"), &NetworkConfig::ifup},
    {QLatin1StringView("ifdown"), &NetworkConfig::ifdown},
    {QLatin1StringView("statsFile"), &NetworkConfig::statsFile},
    {QLatin1StringView("pidFile"), &NetworkConfig::pidFile},
    {QLatin1StringView("user"), &NetworkConfig::user},
    {QLatin1StringView("group"), &NetworkConfig::group},
};

Problem checkName(QStringView name)
{
    if (name.trimmed().isEmpty())
        return u"the name must not be empty"_s;
    if (name.size() > kMaxNameLength)
        return u"the name must be at most %1 characters long"_s.arg(kMaxNameLength);
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return u"the name must not contain control characters"_s;
    }
    return std::nullopt;
}

Problem checkAlgorithm(QStringView name)
{
    if (!parseAlgorithmConfigName(name))
        return u"unknown algorithm %1 (expected plain, aes128, aes256 or chacha20)"_s.arg(quoteValue(name));
    return std::nullopt;
}

Problem checkNonEmptyPath(QStringView path)
{
    if (path.isEmpty())
        return u"empty path"_s;
    return std::nullopt;
}

/// Checks one field; the first problem of each field is reported.
class Checker
{
public:
    explicit Checker(const QJsonObject &profile) : m_profile(profile) { }

    QList<FieldError> errors;

    void add(const QString &field, const QString &message) { errors.append(FieldError {field, message}); }

    bool has(const QString &field) const { return m_profile.contains(field); }
    QJsonValue value(const QString &field) const { return m_profile.value(field); }

    /// A string (or null/"" = unset when \a allowEmpty) validated by \a validator.
    void string(const QString &field, Validator validator, bool allowEmpty)
    {
        if (!has(field))
            return;
        const QJsonValue v = value(field);
        if (v.isNull() && allowEmpty)
            return;
        if (!v.isString())
            return add(field, u"expected a string"_s);
        const QString text = v.toString();
        if (text.isEmpty() && allowEmpty)
            return;
        if (validator) {
            if (const Problem problem = validator(text))
                add(field, *problem);
        }
    }

    void stringList(const QString &field, Validator validator)
    {
        if (!has(field))
            return;
        const QJsonValue v = value(field);
        if (v.isNull())
            return;
        if (!v.isArray())
            return add(field, u"expected a list of strings"_s);
        const QJsonArray array = v.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isString())
                return add(field, u"entry %1: expected a string"_s.arg(i + 1));
            if (validator) {
                if (const Problem problem = validator(array.at(i).toString()))
                    return add(field, u"entry %1: %2"_s.arg(i + 1).arg(*problem));
            }
        }
    }

    void boolean(const QString &field)
    {
        if (has(field) && !value(field).isBool())
            add(field, u"expected true or false"_s);
    }

    void seconds(const QString &field, bool allowNull)
    {
        if (!has(field))
            return;
        const QJsonValue v = value(field);
        if (v.isNull() && allowNull)
            return;
        const double d = v.toDouble(-1.0);
        if (!v.isDouble() || d < 0 || d > kMaxU32 || std::floor(d) != d) {
            add(field,
                allowNull ? u"expected a whole number of seconds (0 to 4294967295) or null"_s
                          : u"expected a whole number of seconds (0 to 4294967295)"_s);
        }
    }

    void choice(const QString &field, bool (*valid)(QStringView), const QString &expected)
    {
        if (!has(field))
            return;
        const QJsonValue v = value(field);
        if (!v.isString() || !valid(v.toString()))
            add(field, u"expected %1"_s.arg(expected));
    }

private:
    const QJsonObject &m_profile;
};

std::optional<QString> optionalString(const QJsonObject &profile, const QString &field)
{
    const QString text = profile.value(field).toString();
    if (text.isEmpty())
        return std::nullopt;
    return text;
}

QStringList stringList(const QJsonObject &profile, const QString &field)
{
    QStringList out;
    const QJsonArray array = profile.value(field).toArray();
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}

quint32 seconds(const QJsonObject &profile, const QString &field, quint32 fallback)
{
    const QJsonValue v = profile.value(field);
    return v.isDouble() ? static_cast<quint32>(v.toDouble()) : fallback;
}

bool boolean(const QJsonObject &profile, const QString &field, bool fallback)
{
    return profile.value(field).toBool(fallback);
}

} // namespace

Protocol::Profile profileFromConfig(const NetworkConfig &c)
{
    Protocol::Profile p;
    p.name = c.name;
    p.ip = c.ip.value_or(QString());
    p.claims = c.claims;
    p.autoClaim = c.autoClaim;
    p.peers = c.peers;
    p.listen = c.listen;
    p.peerTimeout = c.peerTimeout;
    p.keepalive = c.keepalive;
    p.switchTimeout = c.switchTimeout;
    p.mode = nodeModeName(c.mode);
    p.deviceType = deviceTypeName(c.deviceType);
    p.deviceName = c.deviceName == NetworkConfig::kDefaultDeviceName ? QString() : c.deviceName;
    p.algorithms.clear();
    for (Algorithm algorithm : c.algorithms)
        p.algorithms.append(algorithmConfigName(algorithm));
    p.trustedKeys = c.trustedKeys;
    p.publicKey = c.publicKey.value_or(QString());
    p.advertiseAddresses = c.advertiseAddresses;
    p.balance = c.balance;
    p.fastFailover = c.fastFailover;
    p.portForwarding = c.portForwarding;
    p.fixRpFilter = c.fixRpFilter;
    if (c.devicePath != NetworkConfig::kDefaultDevicePath)
        p.devicePath = c.devicePath;
    p.ifup = c.ifup;
    p.ifdown = c.ifdown;
    p.statsFile = c.statsFile;
    p.pidFile = c.pidFile;
    p.user = c.user;
    p.group = c.group;
    return p;
}

Result<NetworkConfig> configFromProfile(const Protocol::Profile &profile)
{
    return profileFromJson(profile.toJson());
}

QJsonObject profileToJson(const NetworkConfig &c)
{
    return profileFromConfig(c).toJson();
}

QList<FieldError> validateProfile(const QJsonObject &profile)
{
    Checker check(profile);
    using namespace ConfigDetail;

    if (!profile.contains(u"name"_s))
        check.add(u"name"_s, u"a profile needs a name"_s);
    else
        check.string(u"name"_s, &checkName, false);
    for (const QString &secret : {u"password"_s, u"privateKey"_s, u"secret"_s}) {
        if (profile.contains(secret))
            check.add(secret, u"secrets are not part of a profile; send them separately as the secret"_s);
    }
    check.string(u"ip"_s, &checkIpWithPrefix, true);
    check.stringList(u"claims"_s, &checkClaim);
    check.boolean(u"autoClaim"_s);
    check.stringList(u"peers"_s, &checkPeerAddress);
    if (profile.contains(u"listen"_s)) {
        const QJsonValue listen = profile.value(u"listen"_s);
        if (listen.isDouble()) {
            const double port = listen.toDouble();
            if (port < 0 || port > 65535 || std::floor(port) != port)
                check.add(u"listen"_s, u"port %1 is out of range (0..65535)"_s.arg(port));
        } else {
            check.string(u"listen"_s, &checkListen, false);
        }
    }
    check.seconds(u"peerTimeout"_s, false);
    check.seconds(u"keepalive"_s, true);
    check.seconds(u"switchTimeout"_s, false);
    check.choice(
        u"mode"_s, [](QStringView t) { return parseNodeMode(t).has_value(); }, u"normal, router, switch or hub"_s);
    check.choice(
        u"deviceType"_s, [](QStringView t) { return parseDeviceType(t).has_value(); }, u"tun or tap"_s);
    check.string(u"deviceName"_s, &checkDeviceName, true);
    check.stringList(u"algorithms"_s, &checkAlgorithm);
    check.stringList(u"trustedKeys"_s, &checkKey);
    check.string(u"publicKey"_s, &checkKey, true);
    check.stringList(u"advertiseAddresses"_s, &checkAdvertiseAddress);
    for (const QString &flag : {u"balance"_s, u"fastFailover"_s, u"portForwarding"_s, u"fixRpFilter"_s})
        check.boolean(flag);
    check.string(u"devicePath"_s, &checkNonEmptyPath, true);
    for (const AdminField &admin : kAdminFields)
        check.string(admin.key, nullptr, true);
    return check.errors;
}

Result<NetworkConfig> profileFromJson(const QJsonObject &p)
{
    const QList<FieldError> errors = validateProfile(p);
    if (!errors.isEmpty())
        return Error {u"invalid-profile"_s, errors.front().field + u": "_s + errors.front().message};

    NetworkConfig c;
    c.name = p.value(u"name"_s).toString();
    c.ip = optionalString(p, u"ip"_s);
    c.claims = stringList(p, u"claims"_s);
    c.autoClaim = boolean(p, u"autoClaim"_s, c.autoClaim);
    c.peers = stringList(p, u"peers"_s);
    const QJsonValue listen = p.value(u"listen"_s);
    if (listen.isDouble())
        c.listen = QString::number(listen.toInteger());
    else if (!listen.toString().isEmpty())
        c.listen = listen.toString();
    c.peerTimeout = seconds(p, u"peerTimeout"_s, c.peerTimeout);
    if (p.value(u"keepalive"_s).isDouble())
        c.keepalive = seconds(p, u"keepalive"_s, 0);
    c.switchTimeout = seconds(p, u"switchTimeout"_s, c.switchTimeout);
    c.mode = parseNodeMode(p.value(u"mode"_s).toString()).value_or(c.mode);
    c.deviceType = parseDeviceType(p.value(u"deviceType"_s).toString()).value_or(c.deviceType);
    if (const std::optional<QString> deviceName = optionalString(p, u"deviceName"_s))
        c.deviceName = *deviceName;
    for (const QString &name : stringList(p, u"algorithms"_s)) {
        const Algorithm algorithm = *parseAlgorithmConfigName(name);
        if (!c.algorithms.contains(algorithm))
            c.algorithms.append(algorithm);
    }
    c.trustedKeys = stringList(p, u"trustedKeys"_s);
    c.publicKey = optionalString(p, u"publicKey"_s);
    c.advertiseAddresses = stringList(p, u"advertiseAddresses"_s);
    c.balance = boolean(p, u"balance"_s, c.balance);
    c.fastFailover = boolean(p, u"fastFailover"_s, c.fastFailover);
    c.portForwarding = boolean(p, u"portForwarding"_s, c.portForwarding);
    c.fixRpFilter = boolean(p, u"fixRpFilter"_s, c.fixRpFilter);
    if (const std::optional<QString> devicePath = optionalString(p, u"devicePath"_s))
        c.devicePath = *devicePath;
    for (const AdminField &admin : kAdminFields)
        c.*admin.field = optionalString(p, admin.key);
    return c;
}

Result<ImportResult> importVpnCloudYaml(QByteArrayView yaml, const QString &name)
{
    Result<NetworkConfig> parsed = parseYamlConfig(yaml);
    if (!parsed.ok())
        return parsed.error();
    NetworkConfig c = std::move(parsed).value();
    c.name = name.isEmpty() ? u"imported"_s : name;

    ImportResult result;
    if (c.privateKey) {
        result.secret = Protocol::Secret {Protocol::Secret::Kind::PrivateKey, *c.privateKey};
        if (c.password)
            result.warnings.append(u"crypto: both password and private-key are set; the private key is used"_s);
    } else if (c.password) {
        result.secret = Protocol::Secret {Protocol::Secret::Kind::Password, *c.password};
    }

    auto zeroByteWarning = [&result](const QString &key, const QString &text) {
        if (ConfigDetail::keyHasLeadingZeroByte(text))
            result.warnings.append(
                u"%1 starts with a zero byte: Nimbus accepts it, but VpnCloud cannot use such a key"_s.arg(key));
    };
    if (c.privateKey)
        zeroByteWarning(u"crypto.private-key"_s, *c.privateKey);
    if (c.publicKey)
        zeroByteWarning(u"crypto.public-key"_s, *c.publicKey);
    for (qsizetype i = 0; i < c.trustedKeys.size(); ++i)
        zeroByteWarning(u"crypto.trusted-keys[%1]"_s.arg(i), c.trustedKeys.at(i));

    const NetworkConfig defaults;
    if (c.beaconStore || c.beaconLoad || c.beaconPassword || c.beaconInterval != defaults.beaconInterval)
        result.warnings.append(u"beacon: beacons are not supported in a profile; the beacon settings were dropped"_s);
    if (c.statsdServer || c.statsdPrefix)
        result.warnings.append(u"statsd: statsd is not supported in a profile; the statsd settings were dropped"_s);
    if (c.hook || !c.hooks.isEmpty())
        result.warnings.append(u"hook/hooks: hook scripts are not supported in a profile and were dropped"_s);
    c.beaconStore.reset();
    c.beaconLoad.reset();
    c.beaconPassword.reset();
    c.beaconInterval = defaults.beaconInterval;
    c.statsdServer.reset();
    c.statsdPrefix.reset();
    c.hook.reset();
    c.hooks.clear();

    QStringList adminKeys;
    if (c.ifup)
        adminKeys.append(u"ifup"_s);
    if (c.ifdown)
        adminKeys.append(u"ifdown"_s);
    if (c.devicePath != defaults.devicePath)
        adminKeys.append(u"device.path"_s);
    if (c.statsFile)
        adminKeys.append(u"stats-file"_s);
    if (c.pidFile)
        adminKeys.append(u"pid-file"_s);
    if (c.user)
        adminKeys.append(u"user"_s);
    if (c.group)
        adminKeys.append(u"group"_s);
    if (!adminKeys.isEmpty())
        result.warnings.append(
            u"%1: only an admin can connect a profile with these settings"_s.arg(adminKeys.join(u", "_s)));
    if (c.peerTimeout < 120 && !c.keepalive)
        result.warnings.append(u"peer-timeout: below 120 s without keepalive, VpnCloud nodes stop sending peer lists "
                               "and drop each other; set keepalive too"_s);

    result.profile = profileFromConfig(c);
    return result;
}

Result<QByteArray> exportVpnCloudYaml(const QJsonObject &profile, const std::optional<Protocol::Secret> &secret)
{
    Result<NetworkConfig> parsed = profileFromJson(profile);
    if (!parsed)
        return parsed.error();
    NetworkConfig c = std::move(parsed).value();
    if (secret) {
        if (secret->kind == Protocol::Secret::Kind::PrivateKey)
            c.privateKey = secret->value;
        else
            c.password = secret->value;
    }
    QByteArray yaml = toYaml(c, secret.has_value());

    const NetworkConfig defaults;
    if (c.balance != defaults.balance || c.fastFailover != defaults.fastFailover) {
        // After the leading comment lines, before the first key.
        qsizetype at = 0;
        while (at < yaml.size() && yaml.at(at) == '#') {
            const qsizetype end = yaml.indexOf('\n', at);
            at = end < 0 ? yaml.size() : end + 1;
        }
        const QByteArray note
            = "# Nimbus-only settings (not understood by VpnCloud): balance=" + QByteArray(c.balance ? "true" : "false")
            + ", fast-failover=" + QByteArray(c.fastFailover ? "true" : "false") + '\n';
        yaml.insert(at, note);
    }
    return yaml;
}

bool profileNeedsAdmin(const NetworkConfig &c)
{
    return c.hook || !c.hooks.isEmpty() || c.ifup || c.ifdown || c.statsFile || c.pidFile || c.beaconStore
        || c.beaconLoad || c.devicePath != NetworkConfig::kDefaultDevicePath || c.user || c.group || c.statsdServer
        || c.statsdPrefix;
}

} // namespace Nimbus
