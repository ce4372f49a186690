#include "helper/networksetup.h"

#include <QHostAddress>
#include <QLoggingCategory>

#include "core/config/config.h"
#include "core/crypto/identity.h"
#include "core/protocol/events.h"
#include "helper/engineconfig.h"
#include "helper/hookrunner.h"
#include "helper/platform/linux/netlinkmonitor.h"
#include "helper/platform/linux/tundevice.h"
#include "helper/platform/linux/udpsocket.h"

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcSetup, "nimbus.helper.setup", QtInfoMsg)

namespace Nimbus::NetworkSetup
{

namespace
{

/// Sets the MTU and the address of the opened \a device and runs the hooks around it.
Result<Ok> configureDevice(const NetworkConfig &config, TunDevice &device, HookRunner &hooks, QList<Range> &claims)
{
    const QString name = device.name();
    hooks.run(u"device_setup"_s);
    const int mtu = tunMtu(config.deviceType);
    qCInfo(lcSetup, "Setting MTU %d on device %s", mtu, qPrintable(name));
    if (Result<Ok> set = device.setMtu(mtu); !set)
        qCWarning(lcSetup, "%s", qPrintable(set.error().message));
    if (config.ip) {
        const QStringList parts = config.ip->split(u'/');
        const QHostAddress address(parts.value(0));
        bool ok = true;
        const int prefix = parts.size() > 1 ? parts[1].toInt(&ok) : 24;
        if (address.protocol() != QAbstractSocket::IPv4Protocol || !ok || prefix < 0 || prefix > 32)
            return Error {u"bad-config"_s, u"ip: invalid address \"%1\" (expected A.B.C.D[/len])"_s.arg(*config.ip)};
        qCInfo(lcSetup, "Configuring device with ip %s/%d", qPrintable(address.toString()), prefix);
        if (Result<Ok> configuredIp = device.configureIpv4(address, prefix); !configuredIp)
            return Error {u"NETWORK_FAILED"_s, configuredIp.error().message};
    } else {
        (void)device.setUp(true);
    }
    if (config.ifup)
        hooks.run(u"ifup"_s);
    hooks.run(u"device_configured"_s);
    if (config.autoClaim && config.deviceType == DeviceType::Tun) {
        if (Result<QHostAddress> address = device.ipv4Address(); address && !address->isNull()) {
            const std::optional<Range> claim = Range::parse(QString(address->toString() + u"/32"_s));
            if (claim && !claims.contains(*claim)) {
                qCInfo(lcSetup, "Auto-claiming %s due to interface address", qPrintable(claim->toDisplayString()));
                claims.append(*claim);
            }
        }
    }
    return Ok {};
}

} // namespace

Result<NetworkIo> open(const NetworkConfig &config, HookRunner &hooks, QList<Range> &claims)
{
    auto socket = std::make_unique<UdpSocket>();
    if (Result<Ok> bound = socket->bind(config.listen); !bound)
        return Error {u"NETWORK_FAILED"_s, u"cannot listen on %1: %2"_s.arg(config.listen, bound.error().message)};
    (void)socket->setReceiveBufferSize(4 << 20);
    (void)socket->setSendBufferSize(4 << 20);

    auto device = std::make_unique<TunDevice>();
    // The device is created new (never attached to an existing one) and not persistent: the kernel removes it when
    // the helper exits, even on SIGKILL, so there is nothing stale of ours to clean up at the next start.
    Result<QString> name = device->open(config.deviceType, config.deviceName, config.devicePath);
    if (!name) {
        socket->close();
        return Error {u"NETWORK_FAILED"_s, name.error().message};
    }
    // Said once, by HelperService, when the network has started: "Network N started on device X".
    hooks.setDeviceName(*name);
    if (Result<Ok> configured = configureDevice(config, *device, hooks, claims); !configured) {
        if (config.ifdown)
            hooks.run(u"ifdown"_s);
        device->close();
        socket->close();
        return configured.error();
    }
    return NetworkIo {std::move(device), std::move(socket)};
}

Result<std::unique_ptr<Network>> start(NetworkConfig config, bool system, Network::EventSink sink)
{
    if (Result<Ok> valid = validateForRun(config); !valid)
        return valid.error();
    Result<Identity> identity = identityFromConfig(config);
    if (!identity)
        return identity.error();
    // The secret is not needed any more: keep it out of memory dumps of the config.
    config.password.reset();
    config.privateKey.reset();

    // From here on a failure is reported as the network going down, as for one that ran.
    const QString name = config.name;
    const auto failed = [&sink, &name](const Error &error) -> Result<std::unique_ptr<Network>> {
        if (sink)
            sink(u"network.state"_s, Protocol::NetworkStateEvent {name, u"disconnected"_s, {}}.toJson());
        return error;
    };
    Result<EngineConfig> engine = translateConfig(config, std::move(identity).value());
    if (!engine)
        return failed(engine.error());
    auto hooks = std::make_unique<HookRunner>(config);
    Result<NetworkIo> io = open(config, *hooks, engine->node.claims);
    if (!io)
        return failed(io.error());
    const QString deviceName = io->device->name();
    Result<std::unique_ptr<Network>> network = Network::create(
        std::move(config), system, std::move(sink), std::move(engine).value(), std::move(io).value(), std::move(hooks));
    if (!network)
        return network.error(); // the network reported its close itself
    // A laptop that changes networks renews its sessions at once (docs/failover.md, "Roaming").
    auto *monitor = new NetlinkMonitor(network->get());
    if (Result<Ok> watching = monitor->start(deviceName); !watching)
        qCWarning(lcSetup, "Not watching for network changes: %s", qPrintable(watching.error().message));
    QObject::connect(monitor, &NetlinkMonitor::changed, network->get(), &Network::localNetworkChanged);
    return network;
}

} // namespace Nimbus::NetworkSetup
