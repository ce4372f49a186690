// nimbus-helper: the privileged part of Nimbus. Network mode is a drop-in for `vpncloud`; service mode waits for
// the desktop client. This file only wires objects together; the start's steps are in helper/startup.h.
#include <cstdio>
#include <memory>

#include <QCoreApplication>

#include "core/config/commandline.h"
#include "core/crypto/genkey.h"
#include "core/crypto/identity.h"
#include "helper/control/controlserver.h"
#include "helper/helperservice.h"
#include "helper/logging.h"
#include "helper/platform/linux/epolldispatcher.h"
#include "helper/platform/linux/unixsignals.h"
#include "helper/startup.h"
#include "nimbus/version.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

namespace
{

int fail(int code, const QString &message)
{
    fprintf(stderr, "nimbus-helper: %s\n", qPrintable(message));
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    // The main thread waits in epoll (helper/platform/linux/epolldispatcher.h) instead of Qt's ppoll loop: every
    // packet that wakes the helper goes through the dispatcher, whose per-wake-up work adds to the tunnel's latency.
    // Other threads get Qt's plain UNIX dispatcher rather than GLib's; hook scripts do not inherit the setting.
    const bool presetByUser = qEnvironmentVariableIsSet("QT_NO_GLIB");
    if (!presetByUser)
        qputenv("QT_NO_GLIB", "1");
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher.release());
    QCoreApplication app(argc, argv);
    if (!presetByUser)
        qunsetenv("QT_NO_GLIB");
    QCoreApplication::setApplicationName(u"nimbus-helper"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    if (!initCrypto())
        return fail(Startup::kExitRuntime, u"cannot initialise libsodium"_s);

    Result<CommandLine> parsed = parseCommandLine(app.arguments(), Startup::systemEnvironment());
    Startup::protectSecrets();
    if (!parsed)
        return fail(Startup::kExitUsage, parsed.error().message);
    const CommandLine &cli = *parsed;

    switch (cli.action) {
    case CliAction::Help:
        fputs(qPrintable(helpText()), stdout);
        return 0;
    case CliAction::Version:
        printf("Nimbus v%s (VpnCloud %s compatible)\n", kVersion, kVpnCloudCompat);
        return 0;
    case CliAction::GenKey: {
        const Identity identity
            = cli.genkeyPassword ? Identity::fromPassword(*cli.genkeyPassword) : Identity::generate();
        fputs(qPrintable(genkeyOutput(identity)), stdout);
        return 0;
    }
    case CliAction::RunNetwork:
    case CliAction::RunService:
        break;
    }
    const bool service = cli.action == CliAction::RunService;

    Result<NetworkConfig> loaded = Startup::loadNetworkConfig(cli, service);
    if (!loaded)
        return fail(Startup::kExitUsage, loaded.error().message);
    NetworkConfig config = std::move(loaded).value();

    if (const QString error = installLogging({cli.verbose, cli.quiet, cli.logFile.value_or(QString())});
        !error.isEmpty())
        return fail(Startup::kExitUsage, error);

    HelperService helper(service ? HelperService::Mode::Service : HelperService::Mode::Network);
    AddressPolicySettings addressPolicy;
    for (const QString &range : cli.allowRanges)
        addressPolicy.allowedRanges.append(Ipv4Prefix::parse(range).value()); // checked by parseCommandLine()
    helper.setAddressPolicy(std::move(addressPolicy));
    ControlServer server(helper);
    helper.setControlServer(&server);
    if (Result<Ok> listening
        = Startup::listenControlSocket(server, Startup::controlSocketPath(cli, config, service), service);
        !listening)
        return fail(Startup::kExitRuntime, listening.error().message);

    QObject::connect(&helper, &HelperService::finished, &app, [](int code) { QCoreApplication::exit(code); });

    UnixSignals signals_;
    if (Result<Ok> watching = signals_.watch(); !watching)
        return fail(Startup::kExitRuntime, watching.error().message);
    QObject::connect(&signals_, &UnixSignals::received, &app, [&helper](UnixSignal which) {
        qInfo("Received %s", qPrintable(UnixSignals::name(which)));
        helper.closeAll();
        QCoreApplication::exit(0);
    });

    if (!service) {
        if (Result<Ok> checked = Startup::checkBeforeStart(config); !checked)
            return fail(Startup::kExitUsage, checked.error().message);
        const Startup::AfterStart after = Startup::AfterStart::from(cli, config);
        if (Result<QString> started = helper.startNetwork(std::move(config), true); !started)
            return fail(Startup::kExitRuntime, started.error().message);
        if (Result<Ok> done = Startup::afterStart(after); !done)
            return fail(Startup::kExitRuntime, done.error().message);
    }
    const int code = QCoreApplication::exec();
    helper.closeAll();
    server.close();
    return code;
}
