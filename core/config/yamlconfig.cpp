#include "core/config/yamlconfig.h"

#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <QSet>

#include "core/config/configvalues.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

using ConfigDetail::Problem;
using ConfigDetail::quoteValue;
using Validator = Problem (*)(QStringView);

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// What a node is, for "got ..." in error messages.
QString describeNode(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar:
        return quoteValue(fromStd(node.Scalar().substr(0, 256)));
    case YAML::NodeType::Sequence:
        return u"a list"_s;
    case YAML::NodeType::Map:
        return u"a mapping"_s;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return u"nothing"_s;
}

/// All key paths of the schema, for "did you mean" hints.
const QStringList &allKeyPaths()
{
    static const QStringList paths = {
        u"device"_s,
        u"device.type"_s,
        u"device.name"_s,
        u"device.path"_s,
        u"device.fix-rp-filter"_s,
        u"ip"_s,
        u"advertise-addresses"_s,
        u"ifup"_s,
        u"ifdown"_s,
        u"crypto"_s,
        u"crypto.password"_s,
        u"crypto.private-key"_s,
        u"crypto.public-key"_s,
        u"crypto.trusted-keys"_s,
        u"crypto.algorithms"_s,
        u"listen"_s,
        u"peers"_s,
        u"peer-timeout"_s,
        u"keepalive"_s,
        u"beacon"_s,
        u"beacon.store"_s,
        u"beacon.load"_s,
        u"beacon.interval"_s,
        u"beacon.password"_s,
        u"mode"_s,
        u"switch-timeout"_s,
        u"claims"_s,
        u"auto-claim"_s,
        u"port-forwarding"_s,
        u"pid-file"_s,
        u"stats-file"_s,
        u"statsd"_s,
        u"statsd.server"_s,
        u"statsd.prefix"_s,
        u"user"_s,
        u"group"_s,
        u"hook"_s,
        u"hooks"_s,
    };
    return paths;
}

QString lastSegment(const QString &path)
{
    return path.mid(path.lastIndexOf(u'.') + 1);
}

QString suggestionFor(const QString &prefix, const QString &key)
{
    const QString kebab = QString(key).replace(u'_', u'-');
    const QString samePath = prefix.isEmpty() ? kebab : prefix + u'.' + kebab;
    if (kebab != key && allKeyPaths().contains(samePath))
        return u" (keys are kebab-case: did you mean \"%1\"?)"_s.arg(samePath);
    QString best;
    int bestDistance = 3;
    for (const QString &path : allKeyPaths()) {
        const QString parent = path.contains(u'.') ? path.left(path.lastIndexOf(u'.')) : QString();
        const QString name = lastSegment(path);
        int distance = 99;
        if (name == kebab && parent != prefix)
            distance = 0;
        else if (parent == prefix)
            distance = ConfigDetail::editDistance(kebab, name);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = path;
        }
    }
    if (!best.isEmpty())
        return u" (did you mean \"%1\"?)"_s.arg(best);
    return {};
}

/// Whether \a node is a plain scalar: not quoted, no block style, no tag. VpnCloud's YAML reader (serde_yaml 0.8)
/// types only plain scalars, so a quoted "30" or "true" is a string there, refused where a number or a bool belongs.
bool isPlainScalar(const YAML::Node &node)
{
    return node.IsScalar() && node.Tag() == "?";
}

/// An unsigned 32-bit integer as VpnCloud's YAML reader reads one: a plain scalar, decimal without leading zeros
/// ("030" is a string there) or hexadecimal `0x1e`, octal `0o36`, binary `0b11110`, each with an optional '+'.
std::optional<quint32> parseYamlU32(const YAML::Node &node)
{
    if (!isPlainScalar(node))
        return std::nullopt;
    const QString text = fromStd(node.Scalar());
    QStringView digits(text);
    if (digits.startsWith(u'+'))
        digits = digits.mid(1);
    int base = 10;
    if (digits.startsWith(u"0x")) {
        base = 16;
    } else if (digits.startsWith(u"0o")) {
        base = 8;
    } else if (digits.startsWith(u"0b")) {
        base = 2;
    } else if (digits.size() > 1 && digits.front() == u'0') {
        return std::nullopt;
    }
    if (base != 10)
        digits = digits.mid(2);
    if (digits.isEmpty())
        return std::nullopt;
    quint64 value = 0;
    for (const QChar c : digits) {
        const char16_t u = c.unicode();
        int digit = base;
        if (u >= u'0' && u <= u'9')
            digit = u - u'0';
        else if (u >= u'a' && u <= u'f')
            digit = u - u'a' + 10;
        else if (u >= u'A' && u <= u'F')
            digit = u - u'A' + 10;
        if (digit >= base)
            return std::nullopt;
        value = value * quint64(base) + quint64(digit);
        if (value > 0xFFFFFFFFull)
            return std::nullopt;
    }
    return static_cast<quint32>(value);
}

/// Why a scalar that reads like a number (\a number) or a bool is none, for error messages; empty if there is
/// nothing to add.
QString typingHint(const YAML::Node &node, bool number)
{
    if (!node.IsScalar())
        return {};
    if (!isPlainScalar(node))
        return u" (a quoted value is a string: write it without quotes)"_s;
    if (!number)
        return {};
    const std::string &text = node.Scalar();
    const std::size_t start = !text.empty() && text.front() == '+' ? 1 : 0;
    if (text.size() > start + 1 && text[start] == '0'
        && text.find_first_not_of("0123456789", start) == std::string::npos)
        return u" (with a leading zero it is a string, not a number)"_s;
    return {};
}

/// Reads one mapping after another; remembers the first error.
class Reader
{
public:
    using Handler = std::function<void(const YAML::Node &value, const QString &path)>;
    using Handlers = std::vector<std::pair<QLatin1StringView, Handler>>;

    bool failed() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }

    void fail(const QString &message)
    {
        if (!m_error)
            m_error = Error {u"bad-config"_s, message};
    }

    /// The text of a scalar. Aliases let a small document repeat a large string many times, so the total size
    /// of all text taken from the document is bounded.
    std::optional<QString> take(const YAML::Node &scalar, const QString &path)
    {
        const std::string &text = scalar.Scalar();
        m_taken += text.size();
        if (m_taken > kMaxTextBytes) {
            fail(u"%1: the configuration values are too large (more than 4 MiB of text in total)"_s.arg(path));
            return std::nullopt;
        }
        return fromStd(text);
    }

    void typeError(const QString &path, const QString &expected, const YAML::Node &got)
    {
        fail(u"%1: expected %2, got %3"_s.arg(path, expected, describeNode(got)));
    }

    /// Calls the handler of every key in \a map; unknown and duplicate keys are errors. A null map is fine.
    void readMap(const YAML::Node &map, const QString &prefix, const Handlers &handlers)
    {
        if (failed() || map.IsNull())
            return;
        if (!map.IsMap()) {
            if (prefix.isEmpty())
                fail(u"the configuration must be a mapping of settings, got %1"_s.arg(describeNode(map)));
            else
                typeError(prefix, u"a mapping of settings"_s, map);
            return;
        }
        QSet<QString> seen;
        for (auto it = map.begin(); it != map.end() && !failed(); ++it) {
            if (!it->first.IsScalar()) {
                fail(u"%1: keys must be plain names, got %2"_s.arg(
                    prefix.isEmpty() ? u"configuration"_s : prefix, describeNode(it->first)));
                return;
            }
            const std::optional<QString> taken = take(it->first, prefix.isEmpty() ? u"configuration"_s : prefix);
            if (!taken)
                return;
            const QString key = *taken;
            const QString path = prefix.isEmpty() ? key : prefix + u'.' + key;
            if (seen.contains(key)) {
                fail(u"duplicate key %1"_s.arg(quoteValue(path)));
                return;
            }
            seen.insert(key);
            const auto handler = std::find_if(
                handlers.begin(), handlers.end(), [&key](const auto &entry) { return entry.first == key; });
            if (handler == handlers.end()) {
                fail(u"unknown key %1%2"_s.arg(quoteValue(path), suggestionFor(prefix, key)));
                return;
            }
            handler->second(it->second, path);
        }
    }

    /// A string value; null leaves \a out unset.
    void readString(
        const YAML::Node &node, const QString &path, std::optional<QString> &out, Validator validator = nullptr)
    {
        if (node.IsNull()) {
            out.reset();
            return;
        }
        if (!node.IsScalar())
            return typeError(path, u"a string"_s, node);
        const std::optional<QString> taken = take(node, path);
        if (!taken)
            return;
        const QString &text = *taken;
        if (validator) {
            if (const Problem problem = validator(text))
                return fail(path + u": "_s + *problem);
        }
        out = text;
    }

    /// A string value with a default; null keeps the default.
    void readString(const YAML::Node &node, const QString &path, QString &out, Validator validator = nullptr)
    {
        std::optional<QString> value;
        readString(node, path, value, validator);
        if (value)
            out = *value;
    }

    void readU32(const YAML::Node &node, const QString &path, std::optional<quint32> &out)
    {
        if (node.IsNull()) {
            out.reset();
            return;
        }
        const std::optional<quint32> value = parseYamlU32(node);
        if (!value)
            return fail(u"%1: expected an unsigned integer of seconds, got %2%3"_s.arg(
                path, describeNode(node), typingHint(node, true)));
        out = value;
    }

    void readU32(const YAML::Node &node, const QString &path, quint32 &out)
    {
        std::optional<quint32> value;
        readU32(node, path, value);
        if (value)
            out = *value;
    }

    void readBool(const YAML::Node &node, const QString &path, bool &out)
    {
        if (node.IsNull())
            return;
        const std::optional<bool> value
            = isPlainScalar(node) ? ConfigDetail::parseBool(fromStd(node.Scalar())) : std::nullopt;
        if (!value)
            return fail(
                u"%1: expected true or false, got %2%3"_s.arg(path, describeNode(node), typingHint(node, false)));
        out = *value;
    }

    /// A list of strings; null gives an empty list. Each entry is validated and named `path[i]` on error.
    void readStringList(const YAML::Node &node, const QString &path, QStringList &out, Validator validator)
    {
        out.clear();
        if (node.IsNull())
            return;
        if (!node.IsSequence())
            return typeError(path, u"a list of strings"_s, node);
        for (std::size_t i = 0; i < node.size() && !failed(); ++i) {
            const YAML::Node item = node[i];
            const QString itemPath = u"%1[%2]"_s.arg(path).arg(i);
            if (!item.IsScalar())
                return typeError(itemPath, u"a string"_s, item);
            const std::optional<QString> taken = take(item, itemPath);
            if (!taken)
                return;
            const QString &text = *taken;
            if (validator) {
                if (const Problem problem = validator(text))
                    return fail(itemPath + u": "_s + *problem);
            }
            out.append(text);
        }
    }

    void readAlgorithms(const YAML::Node &node, const QString &path, QList<Algorithm> &out)
    {
        QStringList names;
        readStringList(node, path, names, nullptr);
        out.clear();
        for (qsizetype i = 0; i < names.size() && !failed(); ++i) {
            const std::optional<Algorithm> algorithm = parseAlgorithmConfigName(names[i]);
            if (!algorithm) {
                return fail(u"%1[%2]: unknown algorithm %3 (known: plain, aes128, aes256, chacha20 and their "
                            "aliases none, unencrypted, aes128_gcm, aes_128, aes_128_gcm, aes256_gcm, aes_256, "
                            "aes_256_gcm, chacha, chacha20_poly1305)"_s.arg(path)
                                .arg(i)
                                .arg(quoteValue(names[i])));
            }
            if (!out.contains(*algorithm))
                out.append(*algorithm);
        }
    }

    void readHooks(const YAML::Node &node, const QString &path, QMap<QString, QString> &out)
    {
        out.clear();
        if (node.IsNull())
            return;
        if (!node.IsMap())
            return typeError(path, u"a mapping of event names to scripts"_s, node);
        for (auto it = node.begin(); it != node.end() && !failed(); ++it) {
            if (!it->first.IsScalar())
                return fail(u"%1: event names must be plain names, got %2"_s.arg(path, describeNode(it->first)));
            const std::optional<QString> taken = take(it->first, path);
            if (!taken)
                return;
            const QString event = *taken;
            const QString eventPath = path + u'.' + event;
            if (const Problem problem = ConfigDetail::checkHookEvent(event))
                return fail(path + u": "_s + *problem);
            if (out.contains(event))
                return fail(u"duplicate key %1"_s.arg(quoteValue(eventPath)));
            std::optional<QString> script;
            readString(it->second, eventPath, script);
            if (script)
                out.insert(event, *script);
        }
    }

private:
    static constexpr std::size_t kMaxTextBytes = 4 * 1024 * 1024;
    std::optional<Error> m_error;
    std::size_t m_taken = 0;
};

/// Sees parser events without building nodes; used to count documents.
class DocumentCounter final : public YAML::EventHandler
{
public:
    void OnDocumentStart(const YAML::Mark &) override { }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &, YAML::anchor_t) override { }
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override { }
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override { }
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {
    }
    void OnSequenceEnd() override { }
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override { }
    void OnMapEnd() override { }
};

/// The number of documents in \a text, counting at most to 2. (YAML::LoadAll() never ends for some inputs of
/// yaml-cpp 0.7, e.g. a stray ',' at the top level, which yields endless empty documents.)
int countDocuments(const std::string &text)
{
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentCounter counter;
    int documents = 0;
    while (documents < 2 && parser.HandleNextDocument(counter))
        ++documents;
    return documents;
}

Result<NetworkConfig> parseDocument(const YAML::Node &root)
{
    NetworkConfig c;
    Reader r;
    using ConfigDetail::checkAdvertiseAddress;
    using ConfigDetail::checkClaim;
    using ConfigDetail::checkKey;
    using ConfigDetail::checkPeerAddress;

    auto device = [&](const YAML::Node &node, const QString &path) {
        r.readMap(node,
            path,
            {
                {QLatin1StringView("type"),
                    [&](const YAML::Node &v, const QString &p) {
                        std::optional<QString> text;
                        r.readString(v, p, text);
                        if (!text || r.failed())
                            return;
                        if (const auto type = parseDeviceType(*text))
                            c.deviceType = *type;
                        else
                            r.fail(u"%1: expected tun or tap, got %2"_s.arg(p, quoteValue(*text)));
                    }},
                {QLatin1StringView("name"),
                    [&](const YAML::Node &v, const QString &p) {
                        r.readString(v, p, c.deviceName, &ConfigDetail::checkDeviceName);
                    }},
                {QLatin1StringView("path"),
                    [&](const YAML::Node &v, const QString &p) {
                        r.readString(v, p, c.devicePath, [](QStringView t) -> Problem {
                            if (t.isEmpty())
                                return u"empty path"_s;
                            return std::nullopt;
                        });
                    }},
                {QLatin1StringView("fix-rp-filter"),
                    [&](const YAML::Node &v, const QString &p) { r.readBool(v, p, c.fixRpFilter); }},
            });
    };
    auto crypto = [&](const YAML::Node &node, const QString &path) {
        r.readMap(node,
            path,
            {
                {QLatin1StringView("password"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.password); }},
                {QLatin1StringView("private-key"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.privateKey, checkKey); }},
                {QLatin1StringView("public-key"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.publicKey, checkKey); }},
                {QLatin1StringView("trusted-keys"),
                    [&](const YAML::Node &v, const QString &p) { r.readStringList(v, p, c.trustedKeys, checkKey); }},
                {QLatin1StringView("algorithms"),
                    [&](const YAML::Node &v, const QString &p) { r.readAlgorithms(v, p, c.algorithms); }},
            });
    };
    auto beacon = [&](const YAML::Node &node, const QString &path) {
        r.readMap(node,
            path,
            {
                {QLatin1StringView("store"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.beaconStore); }},
                {QLatin1StringView("load"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.beaconLoad); }},
                {QLatin1StringView("interval"),
                    [&](const YAML::Node &v, const QString &p) { r.readU32(v, p, c.beaconInterval); }},
                {QLatin1StringView("password"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.beaconPassword); }},
            });
    };
    auto statsd = [&](const YAML::Node &node, const QString &path) {
        r.readMap(node,
            path,
            {
                {QLatin1StringView("server"),
                    [&](const YAML::Node &v, const QString &p) {
                        r.readString(v, p, c.statsdServer, &ConfigDetail::checkHostPort);
                    }},
                {QLatin1StringView("prefix"),
                    [&](const YAML::Node &v, const QString &p) { r.readString(v, p, c.statsdPrefix); }},
            });
    };
    auto optionalString = [&](std::optional<QString> &field) {
        return [&r, &field](const YAML::Node &v, const QString &p) { r.readString(v, p, field); };
    };

    r.readMap(root,
        QString(),
        {
            {QLatin1StringView("device"), device},
            {QLatin1StringView("ip"),
                [&](const YAML::Node &v, const QString &p) {
                    r.readString(v, p, c.ip, &ConfigDetail::checkIpWithPrefix);
                }},
            {QLatin1StringView("advertise-addresses"),
                [&](const YAML::Node &v, const QString &p) {
                    r.readStringList(v, p, c.advertiseAddresses, checkAdvertiseAddress);
                }},
            {QLatin1StringView("ifup"), optionalString(c.ifup)},
            {QLatin1StringView("ifdown"), optionalString(c.ifdown)},
            {QLatin1StringView("crypto"), crypto},
            {QLatin1StringView("listen"),
                [&](const YAML::Node &v, const QString &p) {
                    r.readString(v, p, c.listen, &ConfigDetail::checkListen);
                }},
            {QLatin1StringView("peers"),
                [&](const YAML::Node &v, const QString &p) { r.readStringList(v, p, c.peers, checkPeerAddress); }},
            {QLatin1StringView("peer-timeout"),
                [&](const YAML::Node &v, const QString &p) { r.readU32(v, p, c.peerTimeout); }},
            {QLatin1StringView("keepalive"),
                [&](const YAML::Node &v, const QString &p) { r.readU32(v, p, c.keepalive); }},
            {QLatin1StringView("beacon"), beacon},
            {QLatin1StringView("mode"),
                [&](const YAML::Node &v, const QString &p) {
                    std::optional<QString> text;
                    r.readString(v, p, text);
                    if (!text || r.failed())
                        return;
                    if (const auto mode = parseNodeMode(*text))
                        c.mode = *mode;
                    else
                        r.fail(u"%1: expected normal, router, switch or hub, got %2"_s.arg(p, quoteValue(*text)));
                }},
            {QLatin1StringView("switch-timeout"),
                [&](const YAML::Node &v, const QString &p) { r.readU32(v, p, c.switchTimeout); }},
            {QLatin1StringView("claims"),
                [&](const YAML::Node &v, const QString &p) { r.readStringList(v, p, c.claims, checkClaim); }},
            {QLatin1StringView("auto-claim"),
                [&](const YAML::Node &v, const QString &p) { r.readBool(v, p, c.autoClaim); }},
            {QLatin1StringView("port-forwarding"),
                [&](const YAML::Node &v, const QString &p) { r.readBool(v, p, c.portForwarding); }},
            {QLatin1StringView("pid-file"), optionalString(c.pidFile)},
            {QLatin1StringView("stats-file"), optionalString(c.statsFile)},
            {QLatin1StringView("statsd"), statsd},
            {QLatin1StringView("user"), optionalString(c.user)},
            {QLatin1StringView("group"), optionalString(c.group)},
            {QLatin1StringView("hook"), optionalString(c.hook)},
            {QLatin1StringView("hooks"), [&](const YAML::Node &v, const QString &p) { r.readHooks(v, p, c.hooks); }},
        });
    if (r.failed())
        return r.error();
    return c;
}

void emitString(YAML::Emitter &out, const char *key, const QString &value)
{
    out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value.toStdString();
}

void emitOptional(YAML::Emitter &out, const char *key, const std::optional<QString> &value)
{
    if (value)
        emitString(out, key, *value);
}

void emitList(YAML::Emitter &out, const char *key, const QStringList &values)
{
    if (values.isEmpty())
        return;
    out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
    for (const QString &value : values)
        out << YAML::DoubleQuoted << value.toStdString();
    out << YAML::EndSeq;
}

} // namespace

Result<NetworkConfig> parseYamlConfig(QByteArrayView yaml)
{
    if (yaml.size() > kMaxConfigSize)
        return Error {u"bad-config"_s, u"the configuration is larger than 1 MiB"_s};
    try {
        const std::string text(yaml.data(), std::size_t(yaml.size()));
        const int documents = countDocuments(text);
        if (documents > 1)
            return Error {u"bad-config"_s,
                u"expected a single YAML document (a \"---\" line or a stray character at the top level "
                "starts another one)"_s};
        if (documents == 0)
            return NetworkConfig {};
        return parseDocument(YAML::Load(text));
    } catch (const YAML::Exception &e) {
        const QString what = fromStd(e.msg).simplified();
        if (e.mark.is_null())
            return Error {u"bad-config"_s, u"YAML syntax error: %1"_s.arg(what)};
        return Error {u"bad-config"_s,
            u"YAML syntax error at line %1, column %2: %3"_s.arg(e.mark.line + 1).arg(e.mark.column + 1).arg(what)};
    } catch (const std::exception &e) {
        return Error {u"bad-config"_s, u"cannot read the YAML: %1"_s.arg(QString::fromLocal8Bit(e.what()))};
    }
}

QByteArray toYaml(const NetworkConfig &c, bool includeSecrets)
{
    const NetworkConfig defaults;
    YAML::Emitter out;
    out.SetBoolFormat(YAML::TrueFalseBool);
    out << YAML::BeginMap;

    if (c.deviceType != defaults.deviceType || c.deviceName != defaults.deviceName
        || c.devicePath != defaults.devicePath || c.fixRpFilter != defaults.fixRpFilter) {
        out << YAML::Key << "device" << YAML::Value << YAML::BeginMap;
        if (c.deviceType != defaults.deviceType)
            out << YAML::Key << "type" << YAML::Value << deviceTypeName(c.deviceType).toStdString();
        if (c.deviceName != defaults.deviceName)
            emitString(out, "name", c.deviceName);
        if (c.devicePath != defaults.devicePath)
            emitString(out, "path", c.devicePath);
        if (c.fixRpFilter != defaults.fixRpFilter)
            out << YAML::Key << "fix-rp-filter" << YAML::Value << c.fixRpFilter;
        out << YAML::EndMap;
    }
    emitOptional(out, "ip", c.ip);
    emitList(out, "advertise-addresses", c.advertiseAddresses);
    emitOptional(out, "ifup", c.ifup);
    emitOptional(out, "ifdown", c.ifdown);

    const bool writePassword = includeSecrets && c.password;
    const bool writePrivateKey = includeSecrets && c.privateKey;
    if (writePassword || writePrivateKey || c.publicKey || !c.trustedKeys.isEmpty() || !c.algorithms.isEmpty()) {
        out << YAML::Key << "crypto" << YAML::Value << YAML::BeginMap;
        if (writePassword)
            emitString(out, "password", *c.password);
        if (writePrivateKey)
            emitString(out, "private-key", *c.privateKey);
        emitOptional(out, "public-key", c.publicKey);
        emitList(out, "trusted-keys", c.trustedKeys);
        if (!c.algorithms.isEmpty()) {
            out << YAML::Key << "algorithms" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (Algorithm algorithm : c.algorithms)
                out << algorithmConfigName(algorithm).toStdString();
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }

    if (c.listen != defaults.listen)
        emitString(out, "listen", c.listen);
    emitList(out, "peers", c.peers);
    if (c.peerTimeout != defaults.peerTimeout)
        out << YAML::Key << "peer-timeout" << YAML::Value << c.peerTimeout;
    if (c.keepalive)
        out << YAML::Key << "keepalive" << YAML::Value << *c.keepalive;

    const bool writeBeaconPassword = includeSecrets && c.beaconPassword;
    if (c.beaconStore || c.beaconLoad || c.beaconInterval != defaults.beaconInterval || writeBeaconPassword) {
        out << YAML::Key << "beacon" << YAML::Value << YAML::BeginMap;
        emitOptional(out, "store", c.beaconStore);
        emitOptional(out, "load", c.beaconLoad);
        if (c.beaconInterval != defaults.beaconInterval)
            out << YAML::Key << "interval" << YAML::Value << c.beaconInterval;
        if (writeBeaconPassword)
            emitString(out, "password", *c.beaconPassword);
        out << YAML::EndMap;
    }

    if (c.mode != defaults.mode)
        out << YAML::Key << "mode" << YAML::Value << nodeModeName(c.mode).toStdString();
    if (c.switchTimeout != defaults.switchTimeout)
        out << YAML::Key << "switch-timeout" << YAML::Value << c.switchTimeout;
    emitList(out, "claims", c.claims);
    if (c.autoClaim != defaults.autoClaim)
        out << YAML::Key << "auto-claim" << YAML::Value << c.autoClaim;
    if (c.portForwarding != defaults.portForwarding)
        out << YAML::Key << "port-forwarding" << YAML::Value << c.portForwarding;
    emitOptional(out, "pid-file", c.pidFile);
    emitOptional(out, "stats-file", c.statsFile);
    if (c.statsdServer || c.statsdPrefix) {
        out << YAML::Key << "statsd" << YAML::Value << YAML::BeginMap;
        emitOptional(out, "server", c.statsdServer);
        emitOptional(out, "prefix", c.statsdPrefix);
        out << YAML::EndMap;
    }
    emitOptional(out, "user", c.user);
    emitOptional(out, "group", c.group);
    emitOptional(out, "hook", c.hook);
    if (!c.hooks.isEmpty()) {
        out << YAML::Key << "hooks" << YAML::Value << YAML::BeginMap;
        for (auto it = c.hooks.cbegin(); it != c.hooks.cend(); ++it)
            emitString(out, it.key().toStdString().c_str(), it.value());
        out << YAML::EndMap;
    }
    out << YAML::EndMap;

    QByteArray text = "# VpnCloud 2.x configuration written by Nimbus";
    if (!c.name.isEmpty()) {
        QString name = c.name;
        for (QChar &ch : name) {
            if (ch.category() == QChar::Other_Control || ch == QChar::LineSeparator || ch == QChar::ParagraphSeparator)
                ch = u' ';
        }
        text += " (network \"" + name.toUtf8() + "\")";
    }
    if (!includeSecrets)
        text += "\n# secrets are not included: add crypto.password or crypto.private-key";
    text += '\n';
    text += QByteArrayView(out.c_str(), static_cast<qsizetype>(out.size()));
    text += '\n';
    return text;
}

} // namespace Nimbus
