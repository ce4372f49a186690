#include "helper/hookrunner.h"

#include <QLoggingCategory>
#include <QProcess>
#include <QProcessEnvironment>

#include "core/config/config.h"

using namespace Qt::Literals::StringLiterals;

Q_LOGGING_CATEGORY(lcHooks, "nimbus.helper.hooks", QtInfoMsg)

namespace Nimbus
{

namespace
{
bool isAwaited(const QString &event)
{
    return event == u"ifup"_s || event == u"ifdown"_s;
}
} // namespace

HookRunner::HookRunner(const NetworkConfig &config, int shutdownGraceMs)
    : m_ifup(config.ifup.value_or(QString()))
    , m_ifdown(config.ifdown.value_or(QString()))
    , m_hook(config.hook.value_or(QString()))
    , m_hooks(config.hooks)
    , m_graceMs(shutdownGraceMs)
{
}

HookRunner::~HookRunner()
{
    // Hooks are not awaited (spec §9.9), but the helper must not exit from under them with their QProcess objects
    // alive: give the ones still running (typically vpn_shutdown) a moment, then stop them.
    for (QProcess *process : std::as_const(m_running)) {
        process->disconnect();
        if (process->state() != QProcess::NotRunning && !process->waitForFinished(m_graceMs))
            qCWarning(lcHooks, "Hook still running %d ms after shutdown: stopping it", m_graceMs);
        delete process;
    }
}

QString HookRunner::scriptFor(const QString &event) const
{
    if (event == u"ifup"_s)
        return m_ifup;
    if (event == u"ifdown"_s)
        return m_ifdown;
    return m_hooks.value(event, m_hook);
}

void HookRunner::run(const QString &event, const QHash<QString, QString> &vars)
{
    const QString script = scriptFor(event);
    if (script.isEmpty())
        return;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"IFNAME"_s, m_deviceName);
    if (!isAwaited(event))
        env.insert(u"EVENT"_s, event);
    for (auto it = vars.cbegin(); it != vars.cend(); ++it)
        env.insert(it.key(), it.value());
    auto *process = new QProcess();
    m_running.insert(process);
    process->setProcessEnvironment(env);
    process->setProcessChannelMode(QProcess::ForwardedChannels);
    QObject::connect(process, &QProcess::finished, process, [this, process, event](int code) {
        if (code != 0)
            qCWarning(lcHooks, "Hook %s exited with status %d", qPrintable(event), code);
        m_running.remove(process);
        process->deleteLater();
    });
    QObject::connect(process, &QProcess::errorOccurred, process, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // a crash or a timeout is followed by finished()
        m_running.remove(process);
        process->deleteLater();
    });
    process->start(u"/bin/sh"_s, {u"-c"_s, script});
    if (isAwaited(event))
        process->waitForFinished(kAwaitedHookTimeoutMs); // spec §9.8: ifup/ifdown are awaited
}

} // namespace Nimbus
