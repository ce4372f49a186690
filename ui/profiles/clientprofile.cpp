#include "ui/profiles/clientprofile.h"

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array) {
        if (v.isString())
            out.append(v.toString());
    }
    return out;
}

quint32 toSeconds(const QJsonValue &value, quint32 fallback)
{
    if (!value.isDouble())
        return fallback;
    const double d = value.toDouble();
    if (d < 0 || d > 4294967295.0)
        return fallback;
    return static_cast<quint32>(d);
}

/// The admin-only string keys of a Profile and their members.
struct AdminKey {
    const char16_t *key;
    std::optional<QString> Protocol::Profile::*member;
};

constexpr AdminKey kAdminKeys[] = {
    {u"devicePath", &Protocol::Profile::devicePath},
    {u"ifup", &Protocol::Profile::ifup},
    {u"ifdown", &Protocol::Profile::ifdown},
    {u"statsFile", &Protocol::Profile::statsFile},
    {u"pidFile", &Protocol::Profile::pidFile},
    {u"user", &Protocol::Profile::user},
    {u"group", &Protocol::Profile::group},
};

/// Every key of a Protocol::Profile.
QStringList profileKeys()
{
    QStringList keys = ClientProfile::storedKeys();
    keys << u"portForwarding"_s << u"fixRpFilter"_s;
    for (const AdminKey &admin : kAdminKeys)
        keys.append(QStringView(admin.key).toString());
    return keys;
}

} // namespace

const QStringList &ClientProfile::storedKeys()
{
    static const QStringList keys {u"name"_s,
        u"ip"_s,
        u"claims"_s,
        u"autoClaim"_s,
        u"peers"_s,
        u"listen"_s,
        u"peerTimeout"_s,
        u"keepalive"_s,
        u"switchTimeout"_s,
        u"mode"_s,
        u"deviceType"_s,
        u"deviceName"_s,
        u"algorithms"_s,
        u"trustedKeys"_s,
        u"publicKey"_s,
        u"advertiseAddresses"_s,
        u"balance"_s,
        u"fastFailover"_s};
    return keys;
}

QJsonObject ClientProfile::toJson() const
{
    QJsonObject o = extra;
    const QJsonObject profile = Protocol::Profile::toJson();
    for (auto it = profile.constBegin(); it != profile.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

ClientProfile ClientProfile::fromJson(const QJsonObject &json)
{
    ClientProfile p;
    p.name = json.value(u"name"_s).toString();
    p.ip = json.value(u"ip"_s).toString();
    p.claims = toStringList(json.value(u"claims"_s));
    p.autoClaim = json.value(u"autoClaim"_s).toBool(true);
    p.peers = toStringList(json.value(u"peers"_s));
    const QJsonValue listen = json.value(u"listen"_s);
    if (listen.isString())
        p.listen = listen.toString();
    else if (listen.isDouble())
        p.listen = QString::number(listen.toInt());
    p.peerTimeout = toSeconds(json.value(u"peerTimeout"_s), 300);
    const QJsonValue keepalive = json.value(u"keepalive"_s);
    if (keepalive.isDouble())
        p.keepalive = toSeconds(keepalive, 0);
    p.switchTimeout = toSeconds(json.value(u"switchTimeout"_s), 300);
    p.mode = json.value(u"mode"_s).toString(u"normal"_s);
    p.deviceType = json.value(u"deviceType"_s).toString(u"tun"_s);
    p.deviceName = json.value(u"deviceName"_s).toString();
    p.algorithms = toStringList(json.value(u"algorithms"_s));
    p.trustedKeys = toStringList(json.value(u"trustedKeys"_s));
    p.publicKey = json.value(u"publicKey"_s).toString();
    p.advertiseAddresses = toStringList(json.value(u"advertiseAddresses"_s));
    p.balance = json.value(u"balance"_s).toBool(false);
    p.fastFailover = json.value(u"fastFailover"_s).toBool(true);
    p.portForwarding = json.value(u"portForwarding"_s).toBool(true);
    p.fixRpFilter = json.value(u"fixRpFilter"_s).toBool(false);
    for (const AdminKey &admin : kAdminKeys) {
        const QJsonValue value = json.value(QStringView(admin.key).toString());
        if (value.isString())
            p.*admin.member = value.toString();
    }
    static const QStringList known = profileKeys();
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        // Secrets never travel in a profile; a key that looks like one is dropped, not kept.
        const QString key = it.key();
        if (!known.contains(key) && key != u"password" && key != u"privateKey" && key != u"secret")
            p.extra.insert(key, it.value());
    }
    return p;
}

ClientProfile ClientProfile::fromProfile(const Protocol::Profile &profile)
{
    ClientProfile p;
    static_cast<Protocol::Profile &>(p) = profile;
    return p;
}

QJsonObject ProfileSecret::toJson() const
{
    QJsonObject o;
    o.insert(kind == ClientProfile::SecretKind::PrivateKey ? u"privateKey"_s : u"password"_s, value);
    return o;
}

std::optional<ProfileSecret> ProfileSecret::fromJson(const QJsonObject &json)
{
    ProfileSecret s;
    if (json.value(u"privateKey"_s).isString()) {
        s.kind = ClientProfile::SecretKind::PrivateKey;
        s.value = json.value(u"privateKey"_s).toString();
    } else if (json.value(u"password"_s).isString()) {
        s.kind = ClientProfile::SecretKind::Password;
        s.value = json.value(u"password"_s).toString();
    } else {
        return std::nullopt;
    }
    return s;
}

ProfileSecret ProfileSecret::fromSecret(const Protocol::Secret &secret)
{
    ProfileSecret s;
    s.kind = secret.kind == Protocol::Secret::Kind::PrivateKey ? ClientProfile::SecretKind::PrivateKey
                                                               : ClientProfile::SecretKind::Password;
    s.value = secret.value;
    return s;
}

QStringList knownAlgorithms()
{
    // No aes128: the helper never offers AES-128-GCM (helper/engineconfig.cpp, spec §3.3.4), so a check box for it
    // would change nothing.
    return {u"aes256"_s, u"chacha20"_s, u"plain"_s};
}

QStringList knownModes()
{
    return {u"normal"_s, u"router"_s, u"switch"_s, u"hub"_s};
}

} // namespace Nimbus
