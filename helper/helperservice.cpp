#include "helper/helperservice.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

#include "core/config/profile.h"
#include "core/crypto/identity.h"
#include "core/protocol/errorcode.h"
#include "core/protocol/events.h"
#include "core/protocol/types.h"
#include "helper/control/controlserver.h"
#include "helper/network.h"
#include "helper/networksetup.h"
#include "helper/platform/linux/hostaddresses.h"
#include "nimbus/version.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::Protocol::ErrorCode;
using Nimbus::Protocol::protocolError;

Q_LOGGING_CATEGORY(lcService, "nimbus.helper.service", QtInfoMsg)

namespace Nimbus
{

namespace
{
constexpr qsizetype kRecentEvents = 200;
}

HelperService::HelperService(Mode mode, QObject *parent) : QObject(parent), m_mode(mode)
{
}

HelperService::~HelperService()
{
    closeAll();
}

Result<QString> HelperService::startNetwork(NetworkConfig config, bool system)
{
    if (config.name.isEmpty())
        config.name = u"default"_s;
    const QString name = config.name;
    if (m_networks.contains(name))
        return protocolError(ErrorCode::AlreadyConnected, u"network \"%1\" is already connected"_s.arg(name));
    Result<std::unique_ptr<Network>> network = NetworkSetup::start(
        std::move(config), system, [this](const QString &event, const QJsonObject &data) { publish(event, data); });
    if (!network) {
        const Error &error = network.error();
        if (Protocol::errorCodeFromName(error.code))
            return error;
        return protocolError(ErrorCode::NetworkFailed, error.message);
    }
    Network *raw = network->get();
    connect(raw, &Network::failed, this, [this, name](const QString &message) {
        qCCritical(lcService, "Network %s failed: %s", qPrintable(name), qPrintable(message));
        publish(u"network.state"_s, Protocol::NetworkStateEvent {name, u"error"_s, message}.toJson());
        const auto it = m_networks.find(name);
        const bool system = it != m_networks.end() && it->second->isSystem();
        if (it != m_networks.end()) {
            it->second->close();
            it->second.release()->deleteLater();
            m_networks.erase(it);
        }
        m_owners.erase(name);
        if (system && m_mode == Mode::Network)
            Q_EMIT finished(1);
    });
    m_networks.emplace(name, std::move(network).value());
    qCInfo(lcService, "Network %s started on device %s", qPrintable(name), qPrintable(raw->deviceName()));
    return name;
}

void HelperService::closeAll()
{
    for (auto &[name, network] : m_networks)
        network->close();
    m_networks.clear();
    m_owners.clear();
}

void HelperService::publish(const QString &event, const QJsonObject &data)
{
    if (m_server)
        m_server->publishEvent(event, data);
    if (event == u"stats"_s)
        return;
    m_recent.append(
        QJsonObject {{u"event"_s, event}, {u"time"_s, QDateTime::currentMSecsSinceEpoch()}, {u"data"_s, data}});
    while (m_recent.size() > kRecentEvents)
        m_recent.removeFirst();
}

const Network *HelperService::find(const QString &name) const
{
    const auto it = m_networks.find(name);
    return it == m_networks.end() ? nullptr : it->second.get();
}

QString HelperService::mode() const
{
    return m_mode == Mode::Service ? u"service"_s : u"network"_s;
}

QJsonObject HelperService::status() const
{
    Protocol::HelperStatus status {QString::fromLatin1(kVersion), mode(), {}};
    for (const auto &[name, network] : m_networks) {
        Protocol::NetworkStatus s = network->statusValue();
        if (const auto owner = m_owners.find(name); owner != m_owners.end())
            s.owner = owner->second;
        status.networks.append(std::move(s));
    }
    return status.toJson();
}

template<typename F>
Result<QJsonArray> HelperService::collect(const QString &network, F &&perNetwork) const
{
    QJsonArray result;
    if (!network.isEmpty()) {
        const Network *n = find(network);
        if (!n)
            return protocolError(ErrorCode::NotFound, u"no network named \"%1\""_s.arg(network));
        perNetwork(*n, result);
        return result;
    }
    for (const auto &[name, n] : m_networks)
        perNetwork(*n, result);
    return result;
}

Result<QJsonArray> HelperService::peers(const QString &network) const
{
    return collect(network, [](const Network &n, QJsonArray &out) {
        for (const QJsonValue &v : n.peers())
            out.append(v);
    });
}

Result<QJsonArray> HelperService::claims(const QString &network) const
{
    return collect(network, [](const Network &n, QJsonArray &out) {
        for (const QJsonValue &v : n.claims())
            out.append(v);
    });
}

Result<QJsonArray> HelperService::stats(const QString &network) const
{
    return collect(network, [](const Network &n, QJsonArray &out) { out.append(n.stats()); });
}

Protocol::ValidationResult HelperService::validateProfile(const QJsonObject &profile, const ControlCaller &caller) const
{
    Protocol::ValidationResult result {false, Nimbus::validateProfile(profile)};
    // A non-admin learns before connecting that the address policy would refuse the profile's ip on this host.
    if (result.errors.isEmpty() && caller.role != Protocol::Role::Admin) {
        if (const Result<NetworkConfig> config = profileFromJson(profile); config) {
            if (const std::optional<QString> refused = checkAddressPolicy(*config); refused)
                result.errors.append(FieldError {u"ip"_s, *refused});
        }
    }
    result.valid = result.errors.isEmpty();
    return result;
}

Result<QJsonObject> HelperService::importProfile(const QString &yaml, const ControlCaller &)
{
    Result<ImportResult> imported = importVpnCloudYaml(yaml.toUtf8());
    if (!imported)
        return protocolError(ErrorCode::InvalidProfile, imported.error().message);
    return imported->toJson();
}

Result<QString> HelperService::exportProfile(
    const QJsonObject &profile, const std::optional<Protocol::Secret> &secret, const ControlCaller &) const
{
    const Result<QByteArray> yaml = exportVpnCloudYaml(profile, secret);
    if (!yaml)
        return protocolError(ErrorCode::InvalidProfile, yaml.error().message);
    return QString::fromUtf8(yaml.value());
}

Result<QString> HelperService::connectNetwork(
    const QJsonObject &profile, const QJsonObject &secret, const ControlCaller &caller)
{
    if (m_mode != Mode::Service)
        return protocolError(ErrorCode::BadRequest, u"this helper runs in network mode; it takes no networks"_s);
    const QList<FieldError> errors = Nimbus::validateProfile(profile);
    if (!errors.isEmpty())
        return protocolError(ErrorCode::InvalidProfile, u"%1: %2"_s.arg(errors[0].field, errors[0].message));
    Result<NetworkConfig> config = profileFromJson(profile);
    if (!config)
        return protocolError(ErrorCode::InvalidProfile, config.error().message);
    if (secret.contains(u"privateKey"_s))
        config->privateKey = secret.value(u"privateKey"_s).toString();
    else if (secret.contains(u"password"_s))
        config->password = secret.value(u"password"_s).toString();
    if (!config->password && !config->privateKey)
        return protocolError(ErrorCode::InvalidProfile, u"a password or private key is required"_s);
    if (caller.role != Protocol::Role::Admin) {
        if (const std::optional<QString> refused = checkAddressPolicy(*config); refused)
            return protocolError(ErrorCode::PermissionDenied, *refused);
    }
    qCInfo(lcService,
        "uid %u connects network %s",
        unsigned(caller.uid),
        qPrintable(config->name.isEmpty() ? u"default"_s : config->name));
    Result<QString> started = startNetwork(std::move(config).value(), false);
    if (started)
        m_owners[started.value()] = caller.uid;
    return started;
}

std::optional<QString> HelperService::checkAddressPolicy(const NetworkConfig &config) const
{
    if (!config.ip)
        return std::nullopt;
    const Result<QList<HostRoute>> host = HostAddresses::read();
    if (!host)
        return host.error().message;
    QStringList ownDevices;
    for (const auto &[name, network] : m_networks)
        ownDevices.append(network->deviceName());
    return AddressPolicy::checkDeviceAddress(*config.ip, m_addressPolicy, host.value(), ownDevices);
}

Result<Ok> HelperService::disconnectNetwork(const QString &network, const ControlCaller &caller)
{
    const auto it = m_networks.find(network);
    if (it == m_networks.end())
        return protocolError(ErrorCode::NotFound, u"no network named \"%1\""_s.arg(network));
    if (it->second->isSystem() && caller.role != Protocol::Role::Admin)
        return protocolError(ErrorCode::PermissionDenied,
            u"network \"%1\" was started with the helper; only root may stop it"_s.arg(network));
    if (const auto owner = m_owners.find(network);
        owner != m_owners.end() && owner->second != caller.uid && caller.role != Protocol::Role::Admin)
        return protocolError(ErrorCode::PermissionDenied,
            u"network \"%1\" was connected by uid %2; only that user or root may stop it"_s.arg(network).arg(
                owner->second));
    qCInfo(lcService, "uid %u disconnects network %s", unsigned(caller.uid), qPrintable(network));
    it->second->close();
    m_networks.erase(it);
    m_owners.erase(network);
    return Ok {};
}

void HelperService::shutdown()
{
    QTimer::singleShot(0, this, [this] {
        closeAll();
        Q_EMIT finished(0);
    });
}

Protocol::KeyPair HelperService::generateKeys()
{
    const Identity identity = Identity::generate();
    return Protocol::KeyPair {base62Encode(identity.seed().view()), base62Encode(identity.publicKey())};
}

QJsonArray HelperService::recentEvents() const
{
    return m_recent;
}

} // namespace Nimbus
