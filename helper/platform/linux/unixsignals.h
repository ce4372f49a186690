#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include "core/protocol/result.h"

class QSocketNotifier;

namespace Nimbus
{

/// The Unix signals a daemon reacts to.
enum class UnixSignal {
    Hangup,
    Interrupt,
    Terminate,
};

/// Turns SIGHUP, SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe: the async-signal-safe handler
/// only writes one byte, a socket notifier does the rest). Signal dispositions are process-wide, so only one
/// UnixSignals may watch at a time; the destructor restores the previous handlers.
class UnixSignals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignals)

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

    /// Installs handlers for \a which. An error if another UnixSignals is already watching or the pipe or a
    /// handler cannot be set up. Calling it again adds signals.
    [[nodiscard]] Result<Ok> watch(const QList<UnixSignal> &which);
    /// All three signals.
    [[nodiscard]] Result<Ok> watch();
    /// Restores the previous handlers and stops watching.
    void stop();

    bool isWatching() const { return m_readFd >= 0; }

    /// "SIGHUP", "SIGINT", "SIGTERM".
    static QString name(UnixSignal which);

Q_SIGNALS:
    void received(Nimbus::UnixSignal which);

private:
    void readPipe();

    int m_readFd = -1;
    int m_writeFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QList<UnixSignal> m_installed;
};

} // namespace Nimbus
