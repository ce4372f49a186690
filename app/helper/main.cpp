// nimbus-helper: the privileged part of Nimbus. Network mode is a drop-in for `vpncloud`; service mode waits for
// the desktop client. This file only parses the command line and wires objects together.
#include <cstdio>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>

#include "core/config/commandline.h"
#include "core/config/yamlconfig.h"
#include "core/crypto/genkey.h"
#include "core/crypto/identity.h"
#include "helper/control/controlserver.h"
#include "helper/helperservice.h"
#include "helper/logging.h"
#include "helper/platform/linux/filesystem.h"
#include "helper/platform/linux/peercredentials.h"
#include "helper/platform/linux/unixsignals.h"
#include "nimbus/version.h"

using namespace Nimbus;
using namespace Qt::Literals::StringLiterals;

namespace
{

constexpr int kExitRuntime = 1;
constexpr int kExitUsage = 2;

int fail(int code, const QString &message)
{
    fprintf(stderr, "nimbus-helper: %s\n", qPrintable(message));
    return code;
}

QHash<QString, QString> environment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        env.insert(key, system.value(key));
    return env;
}

/// The control socket: --control-socket, or /run/nimbus/control.sock in service mode, or
/// /run/nimbus/<config name>.sock in network mode (so several networks can run side by side).
QString controlSocketPath(const CommandLine &cli, const NetworkConfig &config, bool service)
{
    if (cli.overrides.controlSocket)
        return *cli.overrides.controlSocket;
    if (!config.controlSocket.isEmpty())
        return config.controlSocket;
    if (service)
        return u"/run/nimbus/control.sock"_s;
    const QString base = cli.configFile ? QFileInfo(*cli.configFile).completeBaseName() : u"network"_s;
    return u"/run/nimbus/%1.sock"_s.arg(base);
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's plain UNIX event dispatcher (ppoll) instead of GLib's: the helper needs nothing from GLib, and every
    // packet that wakes the helper goes through the dispatcher, whose per-wake-up work adds to the tunnel's
    // latency (measured: about 20 us less per round trip through two helpers). Hook scripts do not inherit it.
    const bool presetByUser = qEnvironmentVariableIsSet("QT_NO_GLIB");
    if (!presetByUser)
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    if (!presetByUser)
        qunsetenv("QT_NO_GLIB");
    QCoreApplication::setApplicationName(u"nimbus-helper"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    if (!initCrypto())
        return fail(kExitRuntime, u"cannot initialise libsodium"_s);

    Result<CommandLine> parsed = parseCommandLine(app.arguments(), environment());
    if (!parsed)
        return fail(kExitUsage, parsed.error().message);
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

    NetworkConfig fromFile;
    if (cli.configFile) {
        QFile file(*cli.configFile);
        if (!file.open(QIODevice::ReadOnly))
            return fail(kExitUsage, u"--config: cannot read %1: %2"_s.arg(*cli.configFile, file.errorString()));
        Result<NetworkConfig> yaml = parseYamlConfig(file.readAll());
        if (!yaml)
            return fail(kExitUsage, u"%1: %2"_s.arg(*cli.configFile, yaml.error().message));
        fromFile = std::move(yaml).value();
    }
    Result<NetworkConfig> merged = mergeConfig(fromFile, cli);
    if (!merged)
        return fail(kExitUsage, merged.error().message);
    NetworkConfig config = std::move(merged).value();
    if (cli.passwordFile) {
        QFile file(*cli.passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return fail(
                kExitUsage, u"--password-file: cannot read %1: %2"_s.arg(*cli.passwordFile, file.errorString()));
        QByteArray secret = file.readAll();
        while (secret.endsWith('\n') || secret.endsWith('\r'))
            secret.chop(1);
        config.password = QString::fromUtf8(secret);
    }
    if (!service) {
        if (Result<Ok> valid = validateForRun(config); !valid)
            return fail(kExitUsage, valid.error().message);
        if (config.name.isEmpty())
            config.name = cli.configFile ? QFileInfo(*cli.configFile).completeBaseName() : u"default"_s;
    }

    if (const QString error = installLogging({cli.verbose, cli.quiet, cli.logFile.value_or(QString())});
        !error.isEmpty())
        return fail(kExitUsage, error);

    HelperService helper(service ? HelperService::Mode::Service : HelperService::Mode::Network);
    ControlServer server(helper);
    helper.setControlServer(&server);
    server.setGroupChanger(setPathGroup);
    const QString socketPath = controlSocketPath(cli, config, service);
    QDir().mkpath(QFileInfo(socketPath).absolutePath());
    if (Result<Ok> listening = server.listen(socketPath); !listening) {
        if (service)
            return fail(kExitRuntime, u"control socket %1: %2"_s.arg(socketPath, listening.error().message));
        qWarning("Control socket %s unavailable (%s); running without it",
            qPrintable(socketPath),
            qPrintable(listening.error().message));
    } else {
        qInfo("Control socket at %s", qPrintable(socketPath));
    }

    QObject::connect(&helper, &HelperService::finished, &app, [](int code) { QCoreApplication::exit(code); });

    UnixSignals signals_;
    if (Result<Ok> watching = signals_.watch(); !watching)
        return fail(kExitRuntime, watching.error().message);
    QObject::connect(&signals_, &UnixSignals::received, &app, [&helper](UnixSignal which) {
        qInfo("Received %s", qPrintable(UnixSignals::name(which)));
        helper.closeAll();
        QCoreApplication::exit(0);
    });

    if (!service) {
        const QString user = config.user.value_or(QString());
        const QString group = config.group.value_or(QString());
        const std::optional<QString> pidFile = config.pidFile;
        if (config.beaconStore || config.beaconLoad)
            qWarning("Beacons are not supported by Nimbus; beacon settings are ignored");
        // Like VpnCloud, a stats file that cannot be created is a configuration error (checked before the device
        // exists; Network::start refuses it as well, for networks started over the control socket).
        if (config.statsFile) {
            const QFileInfo folder(QFileInfo(*config.statsFile).absolutePath());
            if (!folder.isDir() || !folder.isWritable())
                return fail(kExitUsage,
                    u"stats-file: cannot write %1: the folder %2 %3"_s.arg(*config.statsFile,
                        folder.filePath(),
                        folder.isDir() ? u"is not writable"_s : u"does not exist"_s));
        }
        Result<QString> started = helper.startNetwork(std::move(config), true);
        if (!started)
            return fail(kExitRuntime, started.error().message);
        // spec §9.8 step 10: daemonize, write the pid file, drop privileges - after the device and socket exist.
        if (cli.daemon) {
            if (Result<Ok> detached = daemonize(cli.logFile.has_value()); !detached)
                return fail(kExitRuntime, detached.error().message);
        }
        if (pidFile) {
            QFile file(*pidFile);
            if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
                || file.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n') < 0)
                return fail(kExitRuntime, u"--pid-file: cannot write %1: %2"_s.arg(*pidFile, file.errorString()));
        }
        if (!user.isEmpty() || !group.isEmpty()) {
            if (Result<Ok> dropped = dropPrivileges(user, group); !dropped)
                return fail(kExitRuntime, dropped.error().message);
            qInfo("Running as user %s, group %s", qPrintable(user), qPrintable(group));
        }
    }
    const int code = QCoreApplication::exec();
    helper.closeAll();
    server.close();
    return code;
}
