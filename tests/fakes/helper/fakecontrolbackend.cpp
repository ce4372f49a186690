#include "tests/fakes/helper/fakecontrolbackend.h"

#include "core/protocol/errorcode.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

using Protocol::ErrorCode;
using Protocol::protocolError;

FakeControlBackend::FakeControlBackend()
{
    addNetwork(u"office"_s);
}

void FakeControlBackend::addNetwork(const QString &name, bool system)
{
    networks.insert(name, system);
}

QJsonObject FakeControlBackend::status() const
{
    QJsonArray list;
    for (auto it = networks.cbegin(); it != networks.cend(); ++it) {
        QJsonObject network {
            {u"name"_s, it.key()},
            {u"state"_s, u"connected"_s},
            {u"device"_s, u"nimbus0"_s},
            {u"ip"_s, u"10.0.0.100/24"_s},
            {u"nodeId"_s, u"0123456789abcdef0123456789abcdef"_s},
            {u"listen"_s, u"[::]:3210"_s},
            {u"peerCount"_s, 2},
            {u"configuredPeers"_s, 2},
            {u"claims"_s, QJsonArray {u"10.0.0.100/32"_s}},
            {u"algorithm"_s, u"CHACHA20"_s},
            {u"system"_s, it.value()},
            {u"lastFailover"_s, QJsonValue::Null},
            {u"rxBytes"_s, 1536},
            {u"txBytes"_s, 2097152},
        };
        if (owners.contains(it.key()))
            network.insert(u"owner"_s, qint64(owners.value(it.key())));
        list.append(network);
    }
    return QJsonObject {{u"helper"_s, u"0.1.0"_s}, {u"mode"_s, m_mode}, {u"networks"_s, list}};
}

Result<QJsonArray> FakeControlBackend::peers(const QString &network) const
{
    if (!network.isEmpty() && !networks.contains(network))
        return protocolError(ErrorCode::NotFound, u"no network %1"_s.arg(network));
    QJsonArray list;
    for (auto it = networks.cbegin(); it != networks.cend(); ++it) {
        if (!network.isEmpty() && it.key() != network)
            continue;
        list.append(QJsonObject {
            {u"network"_s, it.key()},
            {u"address"_s, u"192.0.2.1:3210"_s},
            {u"nodeId"_s, u"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"_s},
            {u"claims"_s, QJsonArray {u"10.0.0.1/32"_s}},
            {u"connectedSince"_s, qint64(1700000000000)},
            {u"algorithm"_s, u"CHACHA20"_s},
            {u"rxBytes"_s, 100},
            {u"txBytes"_s, 200},
            {u"rxPackets"_s, 1},
            {u"txPackets"_s, 2},
            {u"lastSeen"_s, qint64(1700000001000)},
            {u"initiator"_s, true},
        });
    }
    return list;
}

Result<QJsonArray> FakeControlBackend::claims(const QString &network) const
{
    if (!network.isEmpty() && !networks.contains(network))
        return protocolError(ErrorCode::NotFound, u"no network %1"_s.arg(network));
    QJsonArray list;
    for (auto it = networks.cbegin(); it != networks.cend(); ++it) {
        if (!network.isEmpty() && it.key() != network)
            continue;
        const QJsonObject node {
            {u"nodeId"_s, u"aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb"_s}, {u"address"_s, u"192.0.2.1:3210"_s}};
        list.append(QJsonObject {
            {u"network"_s, it.key()},
            {u"range"_s, u"10.0.0.1/32"_s},
            {u"servedBy"_s, node},
            {u"claimants"_s,
                QJsonArray {QJsonObject {{u"nodeId"_s, node.value(u"nodeId"_s)},
                    {u"address"_s, node.value(u"address"_s)},
                    {u"since"_s, qint64(1700000000000)}}}},
            {u"local"_s, false},
            {u"used"_s, true},
            {u"serving"_s, false},
        });
    }
    return list;
}

Result<QJsonArray> FakeControlBackend::stats(const QString &network) const
{
    if (!network.isEmpty() && !networks.contains(network))
        return protocolError(ErrorCode::NotFound, u"no network %1"_s.arg(network));
    QJsonArray list;
    for (auto it = networks.cbegin(); it != networks.cend(); ++it) {
        if (network.isEmpty() || it.key() == network)
            list.append(QJsonObject {{u"network"_s, it.key()}, {u"rxBytes"_s, 1}, {u"txBytes"_s, 2}});
    }
    return list;
}

Protocol::ValidationResult FakeControlBackend::validateProfile(const QJsonObject &profile, const ControlCaller &) const
{
    Protocol::ValidationResult result;
    if (profile.value(u"name"_s).toString().isEmpty())
        result.errors.append({u"name"_s, u"a name is required"_s});
    if (profile.value(u"peerTimeout"_s).toInt(300) <= 0)
        result.errors.append({u"peerTimeout"_s, u"must be positive"_s});
    result.valid = result.errors.isEmpty();
    return result;
}

Result<QJsonObject> FakeControlBackend::importProfile(const QString &yaml, const ControlCaller &)
{
    // A toy reader for "key: value" lines.
    QJsonObject profile;
    QJsonValue secret = QJsonValue::Null;
    const QStringList lines = yaml.split(u'\n');
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0)
            continue;
        const QString key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (key == u"password"_s)
            secret = QJsonObject {{u"password"_s, value}};
        else if (key == u"ip"_s || key == u"name"_s)
            profile.insert(key, value);
        else
            return protocolError(ErrorCode::InvalidProfile, u"unknown key %1"_s.arg(key));
    }
    if (!profile.contains(u"name"_s))
        profile.insert(u"name"_s, u"imported"_s);
    return QJsonObject {{u"profile"_s, profile}, {u"secret"_s, secret}, {u"warnings"_s, QJsonArray {u"a warning"_s}}};
}

Result<QString> FakeControlBackend::exportProfile(
    const QJsonObject &profile, const std::optional<Protocol::Secret> &secret, const ControlCaller &) const
{
    ++exportCalls;
    lastExportProfile = profile;
    lastExportSecret = secret;
    if (!failExportWith.isEmpty())
        return Error {failExportWith, u"export failed on purpose"_s};
    // A toy writer: one "key: value" line per string key, the secret only when given.
    QString yaml = u"# exported\n"_s;
    for (auto it = profile.constBegin(); it != profile.constEnd(); ++it) {
        if (it.value().isString())
            yaml += it.key() + u": "_s + it.value().toString() + u'\n';
    }
    if (secret)
        yaml += (secret->kind == Protocol::Secret::Kind::PrivateKey ? u"private-key: "_s : u"password: "_s)
            + secret->value + u'\n';
    return yaml;
}

Result<QString> FakeControlBackend::connectNetwork(
    const QJsonObject &profile, const QJsonObject &secret, const ControlCaller &caller)
{
    ++connectCalls;
    lastProfile = profile;
    lastSecret = secret;
    if (!failConnectWith.isEmpty())
        return Error {failConnectWith, u"connect failed on purpose"_s};
    const QString name = profile.value(u"name"_s).toString();
    if (networks.contains(name))
        return protocolError(ErrorCode::AlreadyConnected, u"%1 is connected already"_s.arg(name));
    networks.insert(name, false);
    owners.insert(name, caller.uid);
    return name;
}

Result<Ok> FakeControlBackend::disconnectNetwork(const QString &network, const ControlCaller &caller)
{
    if (!networks.contains(network))
        return protocolError(ErrorCode::NotFound, u"no network %1"_s.arg(network));
    if (networks.value(network) && caller.role != Protocol::Role::Admin)
        return protocolError(ErrorCode::PermissionDenied, u"%1 was started with the helper"_s.arg(network));
    networks.remove(network);
    owners.remove(network);
    return Ok {};
}

} // namespace Nimbus::Test
