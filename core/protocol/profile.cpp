#include "core/protocol/profile.h"

#include <QJsonArray>

#include "core/protocol/fieldreader.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Protocol
{

namespace
{

constexpr qint64 kMaxU32 = 4294967295LL;

/// The admin-only string keys and their members.
struct AdminKey {
    const char16_t *key;
    std::optional<QString> Profile::*member;
};

constexpr AdminKey kAdminKeys[] = {
    {u"devicePath", &Profile::devicePath},
    {u"ifup", &Profile::ifup},
    {u"ifdown", &Profile::ifdown},
    {u"statsFile", &Profile::statsFile},
    {u"pidFile", &Profile::pidFile},
    {u"user", &Profile::user},
    {u"group", &Profile::group},
};

quint32 seconds(FieldReader &r, const QString &key, quint32 fallback)
{
    const qint64 value = r.integer(key, Need::Optional, fallback);
    if (value < 0 || value > kMaxU32) {
        r.fail(key, u"expected a whole number of seconds (0 to 4294967295)"_s);
        return fallback;
    }
    return quint32(value);
}

} // namespace

QJsonObject Profile::toJson() const
{
    QJsonObject o {
        {u"name"_s, name},
        {u"ip"_s, ip},
        {u"claims"_s, QJsonArray::fromStringList(claims)},
        {u"autoClaim"_s, autoClaim},
        {u"peers"_s, QJsonArray::fromStringList(peers)},
        {u"listen"_s, listen},
        {u"peerTimeout"_s, qint64(peerTimeout)},
        {u"keepalive"_s, keepalive ? QJsonValue(qint64(*keepalive)) : QJsonValue(QJsonValue::Null)},
        {u"switchTimeout"_s, qint64(switchTimeout)},
        {u"mode"_s, mode},
        {u"deviceType"_s, deviceType},
        {u"deviceName"_s, deviceName},
        {u"algorithms"_s, QJsonArray::fromStringList(algorithms)},
        {u"trustedKeys"_s, QJsonArray::fromStringList(trustedKeys)},
        {u"publicKey"_s, publicKey},
        {u"advertiseAddresses"_s, QJsonArray::fromStringList(advertiseAddresses)},
        {u"balance"_s, balance},
        {u"fastFailover"_s, fastFailover},
        {u"portForwarding"_s, portForwarding},
        {u"fixRpFilter"_s, fixRpFilter},
    };
    for (const AdminKey &admin : kAdminKeys) {
        if (const std::optional<QString> &value = this->*admin.member)
            o.insert(QStringView(admin.key).toString(), *value);
    }
    return o;
}

Result<Profile> Profile::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    Profile p;
    p.name = r.string(u"name"_s, Need::Required);
    p.ip = r.string(u"ip"_s, Need::Optional);
    p.claims = r.stringList(u"claims"_s, Need::Optional);
    p.autoClaim = r.boolean(u"autoClaim"_s, Need::Optional, p.autoClaim);
    p.peers = r.stringList(u"peers"_s, Need::Optional);
    const QJsonValue listen = json.value(u"listen"_s);
    if (listen.isDouble())
        p.listen = QString::number(r.integer(u"listen"_s, Need::Optional));
    else if (const std::optional<QString> text = r.optionalString(u"listen"_s))
        p.listen = *text;
    p.peerTimeout = seconds(r, u"peerTimeout"_s, p.peerTimeout);
    if (const std::optional<qint64> keepalive = r.optionalInteger(u"keepalive"_s)) {
        if (*keepalive < 0 || *keepalive > kMaxU32)
            r.fail(u"keepalive"_s, u"expected a whole number of seconds (0 to 4294967295) or null"_s);
        else
            p.keepalive = quint32(*keepalive);
    }
    p.switchTimeout = seconds(r, u"switchTimeout"_s, p.switchTimeout);
    p.mode = r.optionalString(u"mode"_s).value_or(p.mode);
    p.deviceType = r.optionalString(u"deviceType"_s).value_or(p.deviceType);
    p.deviceName = r.string(u"deviceName"_s, Need::Optional);
    p.algorithms = r.stringList(u"algorithms"_s, Need::Optional);
    p.trustedKeys = r.stringList(u"trustedKeys"_s, Need::Optional);
    p.publicKey = r.string(u"publicKey"_s, Need::Optional);
    p.advertiseAddresses = r.stringList(u"advertiseAddresses"_s, Need::Optional);
    p.balance = r.boolean(u"balance"_s, Need::Optional, p.balance);
    p.fastFailover = r.boolean(u"fastFailover"_s, Need::Optional, p.fastFailover);
    p.portForwarding = r.boolean(u"portForwarding"_s, Need::Optional, p.portForwarding);
    p.fixRpFilter = r.boolean(u"fixRpFilter"_s, Need::Optional, p.fixRpFilter);
    for (const AdminKey &admin : kAdminKeys)
        p.*admin.member = r.optionalString(QStringView(admin.key).toString());
    return r.finish(std::move(p));
}

QJsonObject Secret::toJson() const
{
    return QJsonObject {{kind == Kind::PrivateKey ? u"privateKey"_s : u"password"_s, value}};
}

Result<Secret> Secret::fromJson(const QJsonObject &json)
{
    if (json.value(u"privateKey"_s).isString())
        return Secret {Kind::PrivateKey, json.value(u"privateKey"_s).toString()};
    if (json.value(u"password"_s).isString())
        return Secret {Kind::Password, json.value(u"password"_s).toString()};
    return fieldError(u"password"_s, u"missing (or privateKey)"_s);
}

QJsonObject ValidationResult::toJson() const
{
    return QJsonObject {{u"valid"_s, valid}, {u"errors"_s, listToJson(errors)}};
}

Result<ValidationResult> ValidationResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ValidationResult v;
    v.valid = r.boolean(u"valid"_s, Need::Required);
    v.errors = r.list<FieldError>(u"errors"_s, Need::Optional);
    return r.finish(std::move(v));
}

QJsonObject ImportResult::toJson() const
{
    return QJsonObject {{u"profile"_s, profile.toJson()},
        {u"secret"_s, secret ? QJsonValue(secret->toJson()) : QJsonValue(QJsonValue::Null)},
        {u"warnings"_s, QJsonArray::fromStringList(warnings)}};
}

Result<ImportResult> ImportResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ImportResult i;
    if (std::optional<Profile> profile = r.object<Profile>(u"profile"_s, Need::Required))
        i.profile = std::move(*profile);
    i.secret = r.object<Secret>(u"secret"_s, Need::Optional);
    i.warnings = r.stringList(u"warnings"_s, Need::Optional);
    return r.finish(std::move(i));
}

QJsonObject ExportResult::toJson() const
{
    return QJsonObject {{u"yaml"_s, yaml}};
}

Result<ExportResult> ExportResult::fromJson(const QJsonObject &json)
{
    FieldReader r(json);
    ExportResult e;
    e.yaml = r.string(u"yaml"_s, Need::Required);
    return r.finish(std::move(e));
}

} // namespace Nimbus::Protocol
