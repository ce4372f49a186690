#include "ui/profiles/profilestore.h"

#include <QJsonDocument>
#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

void writeProfile(QSettings &s, const ClientProfile &p)
{
    s.setValue(u"name"_s, p.name);
    s.setValue(u"ip"_s, p.ip);
    s.setValue(u"claims"_s, p.claims);
    s.setValue(u"autoClaim"_s, p.autoClaim);
    s.setValue(u"peers"_s, p.peers);
    s.setValue(u"listen"_s, p.listen);
    s.setValue(u"peerTimeout"_s, p.peerTimeout);
    s.setValue(u"keepalive"_s, p.keepalive ? qint64(*p.keepalive) : qint64(-1));
    s.setValue(u"switchTimeout"_s, p.switchTimeout);
    s.setValue(u"mode"_s, p.mode);
    s.setValue(u"deviceType"_s, p.deviceType);
    s.setValue(u"deviceName"_s, p.deviceName);
    s.setValue(u"algorithms"_s, p.algorithms);
    s.setValue(u"trustedKeys"_s, p.trustedKeys);
    s.setValue(u"publicKey"_s, p.publicKey);
    s.setValue(u"advertiseAddresses"_s, p.advertiseAddresses);
    s.setValue(u"balance"_s, p.balance);
    s.setValue(u"fastFailover"_s, p.fastFailover);
    // Everything without a settings key of its own (portForwarding, fixRpFilter, the admin-only keys, keys of
    // newer helpers) goes into "extra" as JSON, as it always has; defaults are left out.
    QJsonObject extra = p.toJson();
    for (const QString &key : ClientProfile::storedKeys())
        extra.remove(key);
    const ClientProfile defaults;
    if (p.portForwarding == defaults.portForwarding)
        extra.remove(u"portForwarding"_s);
    if (p.fixRpFilter == defaults.fixRpFilter)
        extra.remove(u"fixRpFilter"_s);
    if (extra.isEmpty())
        s.remove(u"extra"_s);
    else
        s.setValue(u"extra"_s, QString::fromUtf8(QJsonDocument(extra).toJson(QJsonDocument::Compact)));
    s.setValue(u"autoConnect"_s, p.autoConnect);
    s.setValue(u"autoConnectPaused"_s, p.autoConnectPaused);
    s.setValue(
        u"secretKind"_s, p.secretKind == ClientProfile::SecretKind::PrivateKey ? u"privateKey"_s : u"password"_s);
}

ClientProfile readProfile(const QSettings &s)
{
    ClientProfile p;
    p.name = s.value(u"name"_s).toString();
    p.ip = s.value(u"ip"_s).toString();
    p.claims = s.value(u"claims"_s).toStringList();
    p.autoClaim = s.value(u"autoClaim"_s, true).toBool();
    p.peers = s.value(u"peers"_s).toStringList();
    p.listen = s.value(u"listen"_s, u"3210"_s).toString();
    p.peerTimeout = s.value(u"peerTimeout"_s, 300).toUInt();
    const qint64 keepalive = s.value(u"keepalive"_s, -1).toLongLong();
    if (keepalive >= 0)
        p.keepalive = quint32(keepalive);
    p.switchTimeout = s.value(u"switchTimeout"_s, 300).toUInt();
    p.mode = s.value(u"mode"_s, u"normal"_s).toString();
    p.deviceType = s.value(u"deviceType"_s, u"tun"_s).toString();
    p.deviceName = s.value(u"deviceName"_s).toString();
    p.algorithms = s.value(u"algorithms"_s).toStringList();
    p.trustedKeys = s.value(u"trustedKeys"_s).toStringList();
    p.publicKey = s.value(u"publicKey"_s).toString();
    p.advertiseAddresses = s.value(u"advertiseAddresses"_s).toStringList();
    p.balance = s.value(u"balance"_s, false).toBool();
    p.fastFailover = s.value(u"fastFailover"_s, true).toBool();
    // "extra" holds the Profile keys without a settings key of their own, and unknown keys.
    const ClientProfile stored
        = ClientProfile::fromJson(QJsonDocument::fromJson(s.value(u"extra"_s).toString().toUtf8()).object());
    p.portForwarding = stored.portForwarding;
    p.fixRpFilter = stored.fixRpFilter;
    p.devicePath = stored.devicePath;
    p.ifup = stored.ifup;
    p.ifdown = stored.ifdown;
    p.statsFile = stored.statsFile;
    p.pidFile = stored.pidFile;
    p.user = stored.user;
    p.group = stored.group;
    p.extra = stored.extra;
    p.autoConnect = s.value(u"autoConnect"_s, false).toBool();
    p.autoConnectPaused = s.value(u"autoConnectPaused"_s, false).toBool();
    p.secretKind = s.value(u"secretKind"_s).toString() == u"privateKey"_s ? ClientProfile::SecretKind::PrivateKey
                                                                          : ClientProfile::SecretKind::Password;
    return p;
}

} // namespace

ProfileStore::ProfileStore(QSettings &settings, QObject *parent) : QObject(parent), m_settings(settings)
{
    load();
}

ProfileStore::~ProfileStore() = default;

QList<ClientProfile> ProfileStore::profiles() const
{
    return m_profiles;
}

QStringList ProfileStore::names() const
{
    QStringList out;
    out.reserve(m_profiles.size());
    for (const ClientProfile &p : m_profiles)
        out.append(p.name);
    return out;
}

std::optional<ClientProfile> ProfileStore::find(const QString &name) const
{
    for (const ClientProfile &p : m_profiles) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

bool ProfileStore::contains(const QString &name) const
{
    return find(name).has_value();
}

bool ProfileStore::save(const ClientProfile &profile, const QString &originalName)
{
    if (profile.name.trimmed().isEmpty())
        return false;
    if (profile.name != originalName && contains(profile.name))
        return false;
    bool replaced = false;
    if (!originalName.isEmpty()) {
        for (ClientProfile &p : m_profiles) {
            if (p.name == originalName) {
                p = profile;
                replaced = true;
                break;
            }
        }
    }
    if (!replaced)
        m_profiles.append(profile);
    write();
    Q_EMIT changed();
    return true;
}

bool ProfileStore::setAutoConnectPaused(const QString &name, bool paused)
{
    for (ClientProfile &p : m_profiles) {
        if (p.name != name)
            continue;
        if (p.autoConnectPaused == paused)
            return true;
        p.autoConnectPaused = paused;
        write();
        Q_EMIT changed();
        return true;
    }
    return false;
}

bool ProfileStore::remove(const QString &name)
{
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).name == name) {
            m_profiles.removeAt(i);
            write();
            Q_EMIT changed();
            return true;
        }
    }
    return false;
}

QString ProfileStore::uniqueName(const QString &base) const
{
    const QString trimmed = base.trimmed().isEmpty() ? u"profile"_s : base.trimmed();
    if (!contains(trimmed))
        return trimmed;
    for (int i = 2;; ++i) {
        const QString candidate = trimmed + u" ("_s + QString::number(i) + u')';
        if (!contains(candidate))
            return candidate;
    }
}

void ProfileStore::load()
{
    m_profiles.clear();
    const int count = m_settings.beginReadArray(u"profiles"_s);
    for (int i = 0; i < count; ++i) {
        m_settings.setArrayIndex(i);
        ClientProfile p = readProfile(m_settings);
        if (!p.name.isEmpty() && !contains(p.name))
            m_profiles.append(p);
    }
    m_settings.endArray();
}

void ProfileStore::write()
{
    m_settings.remove(u"profiles"_s);
    m_settings.beginWriteArray(u"profiles"_s, static_cast<int>(m_profiles.size()));
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        m_settings.setArrayIndex(static_cast<int>(i));
        writeProfile(m_settings, m_profiles.at(i));
    }
    m_settings.endArray();
    m_settings.sync();
}

} // namespace Nimbus
