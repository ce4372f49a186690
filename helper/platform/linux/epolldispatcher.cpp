#include "helper/platform/linux/epolldispatcher.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>

namespace Nimbus
{

namespace
{

Q_LOGGING_CATEGORY(lcDispatcher, "nimbus.dispatcher")

constexpr int64_t kNsPerMs = 1'000'000;
constexpr int kMaxEventsPerWait = 64;

int64_t monotonicNs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

uint32_t epollEventsFor(QSocketNotifier *read, QSocketNotifier *write, QSocketNotifier *exception)
{
    return (read ? uint32_t(EPOLLIN) : 0u) | (write ? uint32_t(EPOLLOUT) : 0u) | (exception ? uint32_t(EPOLLPRI) : 0u);
}

// Waits for events of the epoll set \a epoll for at most \a timeoutNs (< 0: no limit), to the nanosecond where the
// kernel has epoll_pwait2 (Linux 5.11), else rounded up to the millisecond.
int waitForEvents(int epoll, epoll_event *events, int64_t timeoutNs)
{
    static bool havePwait2 = true;
    if (havePwait2) {
        timespec timeout {};
        timeout.tv_sec = time_t(timeoutNs / 1'000'000'000);
        timeout.tv_nsec = long(timeoutNs % 1'000'000'000);
        const int n = epoll_pwait2(epoll, events, kMaxEventsPerWait, timeoutNs < 0 ? nullptr : &timeout, nullptr);
        if (n >= 0 || errno != ENOSYS)
            return n;
        havePwait2 = false;
    }
    const int timeoutMs = timeoutNs < 0 ? -1 : int(std::min<int64_t>((timeoutNs + kNsPerMs - 1) / kNsPerMs, 1 << 30));
    return epoll_wait(epoll, events, kMaxEventsPerWait, timeoutMs);
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeFd < 0) {
        qCWarning(lcDispatcher, "cannot create the epoll or eventfd descriptor: %s", strerror(errno));
        return;
    }
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
        qCWarning(lcDispatcher, "cannot watch the wake-up descriptor: %s", strerror(errno));
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load(std::memory_order_relaxed);
    if (canWait)
        Q_EMIT aboutToBlock();
    if (m_interrupted.load(std::memory_order_relaxed))
        return false;

    int64_t timeoutNs = 0;
    if (canWait && !(includeNotifiers && m_unpollable > 0))
        timeoutNs = includeTimers ? waitTimeoutNs(m_timers.empty() ? 0 : monotonicNs()) : -1;

    int activated = 0;
    if (includeNotifiers) {
        epoll_event events[kMaxEventsPerWait];
        const int n = waitForEvents(m_epoll, events, timeoutNs);
        if (n < 0 && errno != EINTR)
            qCWarning(lcDispatcher, "epoll_pwait2: %s", strerror(errno));
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_wakeFd) {
                drainWakeUp();
                continue;
            }
            const auto it = m_watches.find(fd);
            if (it == m_watches.end())
                continue;
            queueReady(it->second, events[i].events);
        }
        if (m_unpollable > 0) {
            for (const auto &[fd, watch] : m_watches) {
                if (!watch.pollable)
                    queueReady(watch, EPOLLIN | EPOLLOUT);
            }
        }
        activated += activateNotifiers();
    } else {
        // Only the wake-up descriptor: ready notifiers must not end the wait.
        pollfd wake {m_wakeFd, POLLIN, 0};
        const int timeoutMs = timeoutNs < 0 ? -1 : int((timeoutNs + kNsPerMs - 1) / kNsPerMs);
        if (::poll(&wake, 1, timeoutMs) > 0)
            drainWakeUp();
    }

    if (includeTimers)
        activated += activateTimers();
    return activated > 0;
}

int64_t EpollEventDispatcher::waitTimeoutNs(int64_t nowNs) const
{
    for (const Timer &timer : m_timers) {
        if (!timer.firing) // a timer whose event runs a nested loop does not keep that loop awake
            return std::max<int64_t>(0, timer.dueNs - nowNs);
    }
    return -1;
}

int EpollEventDispatcher::activateNotifiers()
{
    int activated = 0;
    // A notifier may be unregistered by the event of another (unregisterSocketNotifier() takes it off the list),
    // and a nested processEvents() continues the same list.
    while (!m_pending.empty()) {
        const Pending pending = m_pending.front();
        m_pending.erase(m_pending.begin());
        if (pending.direct) {
            static_cast<ReadWatch *>(pending.target)->m_handler();
        } else {
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(pending.target, &event);
        }
        ++activated;
    }
    return activated;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_timers.empty())
        return 0;
    const int64_t now = monotonicNs();
    // The timers due now, in due order; each fires at most once in this pass, so a zero or short timer cannot
    // starve the others or the descriptors.
    std::vector<int> due;
    for (const Timer &timer : m_timers) {
        if (timer.dueNs > now)
            break;
        if (!timer.firing)
            due.push_back(timer.id);
    }
    int activated = 0;
    for (const int id : due) {
        auto it = std::find_if(m_timers.begin(), m_timers.end(), [id](const Timer &t) { return t.id == id; });
        if (it == m_timers.end() || it->firing || it->dueNs > now)
            continue; // unregistered, restarted (Qt reuses a freed id) or firing in a nested pass, by an earlier event
        Timer timer = *it;
        m_timers.erase(it);
        const int64_t interval = timer.intervalMs * kNsPerMs;
        timer.dueNs = interval == 0 ? now : timer.dueNs + interval;
        if (timer.dueNs < now) // late by more than an interval: no burst to catch up
            timer.dueNs = now + interval;
        timer.firing = true;
        QObject *object = timer.object;
        const auto at
            = std::upper_bound(m_timers.begin(), m_timers.end(), timer.dueNs, [](int64_t dueNs, const Timer &t) {
                  return dueNs < t.dueNs;
              });
        m_timers.insert(at, timer);

        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++activated;

        it = std::find_if(m_timers.begin(), m_timers.end(), [id](const Timer &t) { return t.id == id; });
        if (it != m_timers.end())
            it->firing = false;
    }
    return activated;
}

void EpollEventDispatcher::queue(Pending pending)
{
    if (std::find(m_pending.begin(), m_pending.end(), pending) == m_pending.end())
        m_pending.push_back(pending);
}

void EpollEventDispatcher::queueReady(const Watch &watch, uint32_t ready)
{
    if (ready & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (watch.direct)
            queue({watch.direct, true});
        else if (watch.read)
            queue({watch.read, false});
    }
    if ((ready & (EPOLLOUT | EPOLLERR)) && watch.write)
        queue({watch.write, false});
    if ((ready & EPOLLPRI) && watch.exception)
        queue({watch.exception, false});
}

void EpollEventDispatcher::drainWakeUp()
{
    // Cleared before the read: a wakeUp() from now on writes again, so none is lost.
    m_wakeUpPending.store(false, std::memory_order_release);
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &count, sizeof count);
}

bool EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
    const uint32_t wanted = epollEventsFor(watch.direct ? nullptr : watch.read, watch.write, watch.exception)
        | (watch.direct ? EPOLLIN : 0u);
    if (!watch.pollable)
        return wanted != 0;
    if (wanted == watch.events)
        return wanted != 0;
    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    if (wanted == 0) {
        // ENOENT or EBADF: the descriptor was closed before its notifier was disabled; the kernel dropped it.
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        watch.events = 0;
        return false;
    }
    int result = epoll_ctl(m_epoll, watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
    if (result != 0 && errno == ENOENT) // closed and opened again under the same number
        result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    else if (result != 0 && errno == EEXIST)
        result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    if (result == 0) {
        watch.events = wanted;
        return true;
    }
    if (errno == EPERM) { // a regular file or directory: poll() calls those always ready
        watch.pollable = false;
        ++m_unpollable;
        return true;
    }
    qCWarning(lcDispatcher, "cannot watch descriptor %d: %s", fd, strerror(errno));
    return watch.events != 0;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    QSocketNotifier **slot = notifier->type() == QSocketNotifier::Read ? &watch.read
        : notifier->type() == QSocketNotifier::Write                   ? &watch.write
                                                                       : &watch.exception;
    if (*slot && *slot != notifier)
        qCWarning(lcDispatcher, "a second socket notifier of the same type for descriptor %d replaces the first", fd);
    *slot = notifier;
    if (!updateWatch(fd, watch))
        m_watches.erase(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_pending.erase(std::remove(m_pending.begin(), m_pending.end(), Pending {notifier, false}), m_pending.end());
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = it->second;
    for (QSocketNotifier **slot : {&watch.read, &watch.write, &watch.exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    if (updateWatch(fd, watch))
        return;
    if (!watch.pollable)
        --m_unpollable;
    m_watches.erase(it);
}

void EpollEventDispatcher::registerReadWatch(ReadWatch *readWatch)
{
    const int fd = readWatch->m_fd;
    Watch &watch = m_watches[fd];
    if (watch.read || (watch.direct && watch.direct != readWatch))
        qCWarning(lcDispatcher, "a read watch for descriptor %d replaces another reader", fd);
    watch.direct = readWatch;
    if (!updateWatch(fd, watch))
        m_watches.erase(fd);
}

void EpollEventDispatcher::unregisterReadWatch(ReadWatch *readWatch)
{
    m_pending.erase(std::remove(m_pending.begin(), m_pending.end(), Pending {readWatch, true}), m_pending.end());
    const auto it = m_watches.find(readWatch->m_fd);
    if (it == m_watches.end() || it->second.direct != readWatch)
        return;
    it->second.direct = nullptr;
    if (updateWatch(it->first, it->second))
        return;
    if (!it->second.pollable)
        --m_unpollable;
    m_watches.erase(it);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    const Timer timer {timerId, interval, timerType, object, monotonicNs() + interval * kNsPerMs, false};
    const auto at = std::upper_bound(
        m_timers.begin(), m_timers.end(), timer.dueNs, [](int64_t dueNs, const Timer &t) { return dueNs < t.dueNs; });
    m_timers.insert(at, timer);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it
        = std::find_if(m_timers.begin(), m_timers.end(), [timerId](const Timer &t) { return t.id == timerId; });
    if (it == m_timers.end())
        return false;
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const auto removed
        = std::remove_if(m_timers.begin(), m_timers.end(), [object](const Timer &t) { return t.object == object; });
    const bool any = removed != m_timers.end();
    m_timers.erase(removed, m_timers.end());
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const Timer &timer : m_timers) {
        if (timer.object == object)
            list.append(TimerInfo(timer.id, int(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it
        = std::find_if(m_timers.begin(), m_timers.end(), [timerId](const Timer &t) { return t.id == timerId; });
    if (it == m_timers.end())
        return -1;
    const int64_t left = it->dueNs - monotonicNs();
    return left <= 0 ? 0 : int((left + kNsPerMs - 1) / kNsPerMs);
}

void EpollEventDispatcher::wakeUp()
{
    if (m_wakeUpPending.exchange(true, std::memory_order_acq_rel))
        return; // a write is already waiting to be read
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

ReadWatch::ReadWatch(int fd, std::function<void()> handler, QObject *parent)
    : QObject(parent), m_fd(fd), m_handler(std::move(handler))
{
    m_dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance(thread()));
    if (!m_dispatcher) {
        m_notifier = new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this);
        m_notifier->setEnabled(false);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] { m_handler(); });
    }
}

ReadWatch::~ReadWatch()
{
    setEnabled(false);
}

void ReadWatch::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    if (m_notifier)
        m_notifier->setEnabled(enabled);
    else if (!m_dispatcher)
        return; // the thread's dispatcher is gone (at exit)
    else if (enabled)
        m_dispatcher->registerReadWatch(this);
    else
        m_dispatcher->unregisterReadWatch(this);
}

} // namespace Nimbus
