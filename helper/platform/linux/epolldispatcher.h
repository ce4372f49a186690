#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include <QAbstractEventDispatcher>
#include <QPointer>

class QSocketNotifier;

namespace Nimbus
{

class EpollEventDispatcher;

/// Calls a function whenever a descriptor is readable, like a QSocketNotifier of type Read, but where the thread's
/// dispatcher is an EpollEventDispatcher that is a plain call from the wait loop: no QEvent, no notify() and no
/// signal. For the data path's TUN and UDP descriptors, where every packet pays for what runs between the wake-up
/// and the read. Elsewhere (Qt's dispatchers, e.g. in unit tests) it uses a QSocketNotifier. Starts disabled.
/// Like a notifier it may be disabled from its own handler, and deleted there only with deleteLater().
class ReadWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReadWatch)

public:
    ReadWatch(int fd, std::function<void()> handler, QObject *parent = nullptr);
    ~ReadWatch() override;

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    int descriptor() const { return m_fd; }
    /// True if the thread's dispatcher calls the handler directly (false: through a QSocketNotifier).
    bool isDirect() const { return m_dispatcher != nullptr; }

private:
    friend class EpollEventDispatcher;

    int m_fd;
    bool m_enabled = false;
    std::function<void()> m_handler;
    QPointer<EpollEventDispatcher> m_dispatcher; // null: through m_notifier
    QSocketNotifier *m_notifier = nullptr;
};

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
    friend class ReadWatch;
    void registerReadWatch(ReadWatch *watch);
    void unregisterReadWatch(ReadWatch *watch);

    struct Watch {
        ReadWatch *direct = nullptr; // a read watch called directly; the read notifier's place
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
    struct Pending {
        QObject *target; // a QSocketNotifier, or a ReadWatch if direct
        bool direct;
        bool operator==(const Pending &) const = default;
    };
    void queue(Pending pending);
    /// Queues what \a watch has for the epoll events \a ready (read on input, hang-up or error; write on output or
    /// error; exception on priority data).
    void queueReady(const Watch &watch, uint32_t ready);
    std::vector<Pending> m_pending; // ready notifiers and watches of the current pass, not yet activated
};

} // namespace Nimbus
