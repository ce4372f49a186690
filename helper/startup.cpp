#include "helper/startup.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>

#include "core/config/commandline.h"
#include "core/config/yamlconfig.h"
#include "core/protocol/constants.h"
#include "helper/control/controlserver.h"
#include "helper/platform/linux/filesystem.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Startup
{

namespace
{
Error usage(const QString &message)
{
    return Error {u"bad-usage"_s, message};
}
Error runtime(const QString &message)
{
    return Error {u"runtime"_s, message};
}
} // namespace

QHash<QString, QString> systemEnvironment()
{
    QHash<QString, QString> env;
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        env.insert(key, system.value(key));
    return env;
}

QStringList secretEnvironmentVariables()
{
    return {u"NIMBUS_PASSWORD"_s, u"PASSWORD"_s, u"PRIVATE_KEY"_s};
}

void protectSecrets()
{
    for (const QString &name : secretEnvironmentVariables())
        scrubEnvironmentVariable(name);
    if (const Result<Ok> protectedNow = makeNonDumpable(); !protectedNow)
        qWarning("%s", qPrintable(protectedNow.error().message));
}

Result<NetworkConfig> loadNetworkConfig(const CommandLine &cli, bool service)
{
    NetworkConfig fromFile;
    if (cli.configFile) {
        QFile file(*cli.configFile);
        if (!file.open(QIODevice::ReadOnly))
            return usage(u"--config: cannot read %1: %2"_s.arg(*cli.configFile, file.errorString()));
        Result<NetworkConfig> yaml = parseYamlConfig(file.readAll());
        if (!yaml)
            return usage(u"%1: %2"_s.arg(*cli.configFile, yaml.error().message));
        fromFile = std::move(yaml).value();
    }
    Result<NetworkConfig> merged = mergeConfig(fromFile, cli);
    if (!merged)
        return usage(merged.error().message);
    NetworkConfig config = std::move(merged).value();
    if (cli.passwordFile) {
        QFile file(*cli.passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return usage(u"--password-file: cannot read %1: %2"_s.arg(*cli.passwordFile, file.errorString()));
        QByteArray secret = file.readAll();
        while (secret.endsWith('\n') || secret.endsWith('\r'))
            secret.chop(1);
        config.password = QString::fromUtf8(secret);
    }
    if (!service) {
        if (Result<Ok> valid = validateForRun(config); !valid)
            return usage(valid.error().message);
        if (config.name.isEmpty())
            config.name = cli.configFile ? QFileInfo(*cli.configFile).completeBaseName() : u"default"_s;
    }
    return config;
}

QString controlSocketPath(const CommandLine &cli, const NetworkConfig &config, bool service)
{
    if (cli.overrides.controlSocket)
        return *cli.overrides.controlSocket;
    if (!config.controlSocket.isEmpty())
        return config.controlSocket;
    if (service)
        return Protocol::defaultSocketPath();
    return Protocol::networkSocketPath(cli.configFile ? QFileInfo(*cli.configFile).completeBaseName() : u"network"_s);
}

Result<Ok> listenControlSocket(ControlServer &server, const QString &path, bool service)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    Result<Ok> listening = server.listen(path);
    if (listening)
        return Ok {};
    if (service)
        return runtime(u"control socket %1: %2"_s.arg(path, listening.error().message));
    qWarning("Control socket %s unavailable (%s); running without it",
        qPrintable(path),
        qPrintable(listening.error().message));
    return Ok {};
}

Result<Ok> checkBeforeStart(const NetworkConfig &config)
{
    if (config.beaconStore || config.beaconLoad)
        qWarning("Beacons are not supported by Nimbus; beacon settings are ignored");
    // Like VpnCloud, a stats file that cannot be created is a configuration error (checked before the device
    // exists; NetworkSetup::start refuses it as well, for networks started over the control socket).
    if (config.statsFile) {
        const QFileInfo folder(QFileInfo(*config.statsFile).absolutePath());
        if (!folder.isDir() || !folder.isWritable())
            return usage(u"stats-file: cannot write %1: the folder %2 %3"_s.arg(
                *config.statsFile, folder.filePath(), folder.isDir() ? u"is not writable"_s : u"does not exist"_s));
    }
    return Ok {};
}

AfterStart AfterStart::from(const CommandLine &cli, const NetworkConfig &config)
{
    return AfterStart {cli.daemon,
        cli.logFile.has_value(),
        config.pidFile,
        config.user.value_or(QString()),
        config.group.value_or(QString())};
}

Result<Ok> afterStart(const AfterStart &steps)
{
    if (steps.daemon) {
        if (Result<Ok> detached = daemonize(steps.keepStdout); !detached)
            return runtime(detached.error().message);
    }
    if (steps.pidFile) {
        QFile file(*steps.pidFile);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n') < 0)
            return runtime(u"--pid-file: cannot write %1: %2"_s.arg(*steps.pidFile, file.errorString()));
    }
    if (!steps.user.isEmpty() || !steps.group.isEmpty()) {
        if (Result<Ok> dropped = dropPrivileges(steps.user, steps.group); !dropped)
            return runtime(dropped.error().message);
        qInfo("Running as user %s, group %s", qPrintable(steps.user), qPrintable(steps.group));
    }
    return Ok {};
}

} // namespace Nimbus::Startup
