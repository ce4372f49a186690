#pragma once

#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>

class QProcess;

namespace Nimbus
{

struct NetworkConfig;

/// Runs a network's hook scripts (spec §9.9) with `/bin/sh -c`: `ifup`/`ifdown` from their own settings and
/// awaited (at most 30 s), every other event from `hooks.<event>` or else `hook`, in the background. Scripts get
/// IFNAME, EVENT (not for ifup/ifdown) and the event's variables in their environment. The runner tracks the
/// scripts still running: its destructor gives them the shutdown grace time, then stops them, so no QProcess
/// outlives it. Not thread-safe; lives in one thread.
class HookRunner final
{
    Q_DISABLE_COPY_MOVE(HookRunner)

public:
    /// How long the destructor waits for each hook still running (typically vpn_shutdown).
    static constexpr int kShutdownGraceMs = 2000;
    /// How long ifup and ifdown are awaited.
    static constexpr int kAwaitedHookTimeoutMs = 30'000;

    /// Takes the scripts from \a config. \a shutdownGraceMs: see kShutdownGraceMs (tests use less).
    explicit HookRunner(const NetworkConfig &config, int shutdownGraceMs = kShutdownGraceMs);
    ~HookRunner();

    /// The IFNAME of the scripts started from now on.
    void setDeviceName(const QString &name) { m_deviceName = name; }
    /// Starts the script for \a event, if one is configured; \a vars are added to its environment.
    void run(const QString &event, const QHash<QString, QString> &vars = {});
    /// The script \a event runs, or empty.
    QString scriptFor(const QString &event) const;
    /// Scripts started and not finished yet.
    int runningCount() const { return int(m_running.size()); }

private:
    QString m_ifup;
    QString m_ifdown;
    QString m_hook;
    QMap<QString, QString> m_hooks;
    QString m_deviceName;
    int m_graceMs;
    QSet<QProcess *> m_running;
};

} // namespace Nimbus
