#pragma once

#include <atomic>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <QAbstractEventDispatcher>

namespace Nimbus
{

/// An event dispatcher for the helper's main thread that waits in epoll_pwait2() instead of Qt's ppoll(): the
/// set of watched descriptors lives in the kernel, so a wake-up does not rebuild and copy a poll array, and the
/// timers are a short list kept in due order. It delivers what Qt's UNIX dispatcher delivers, in the same way:
/// posted events first, then the socket notifiers that are ready (QEvent::SockAct; read on input, hang-up or
/// error, write on output or error, exception on priority data), then every timer that is due, each at most once
/// per pass. Every packet the tunnel carries wakes the helper through here, so this is on the latency path.
///
/// Install it with QCoreApplication::setEventDispatcher() before the application object exists; other threads
/// keep Qt's dispatcher. isValid() is false if the kernel refused the epoll or eventfd descriptor, and then it
/// must not be installed.
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EpollEventDispatcher)

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    /// Descriptors watched in the kernel's epoll set (for tests).
    int watchedDescriptorCount() const { return int(m_watches.size()); }

private:
    struct Watch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        uint32_t events = 0; // what the epoll set holds for the descriptor
        bool pollable = true; // false for descriptors epoll refuses (regular files): always ready, as poll() says
    };
    struct Timer {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        int64_t dueNs;
        bool firing;
    };

    bool updateWatch(int fd, Watch &watch);
    int64_t waitTimeoutNs(int64_t nowNs) const;
    int activateNotifiers();
    int activateTimers();
    void drainWakeUp();

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_wakeUpPending {false};
    std::atomic<bool> m_interrupted {false};
    std::unordered_map<int, Watch> m_watches;
    int m_unpollable = 0; // watches with pollable == false
    std::vector<Timer> m_timers; // sorted by dueNs
    std::vector<QSocketNotifier *> m_pending; // ready notifiers of the current pass, not yet activated
};

} // namespace Nimbus
