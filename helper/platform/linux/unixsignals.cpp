#include "helper/platform/linux/unixsignals.h"

#include <array>
#include <atomic>
#include <cerrno>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>

#include "helper/platform/linux/linuxutil.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{

Q_LOGGING_CATEGORY(lcSignals, "nimbus.helper.signals")

// Process-wide, because signal dispositions are. The handler reads only the lock-free atomic.
std::atomic<int> g_writeFd {-1};
std::atomic<const UnixSignals *> g_owner {nullptr};
std::array<struct sigaction, 3> g_previous {};
static_assert(std::atomic<int>::is_always_lock_free);

int signalNumber(UnixSignal which)
{
    switch (which) {
    case UnixSignal::Hangup:
        return SIGHUP;
    case UnixSignal::Interrupt:
        return SIGINT;
    case UnixSignal::Terminate:
        return SIGTERM;
    }
    return SIGTERM;
}

size_t slot(UnixSignal which)
{
    return static_cast<size_t>(which);
}

extern "C" void nimbusSignalHandler(int number)
{
    const int savedErrno = errno;
    const int fd = g_writeFd.load(std::memory_order_relaxed);
    if (fd >= 0) {
        const unsigned char byte = static_cast<unsigned char>(number);
        // A full pipe already holds enough wake-ups; dropping this byte loses nothing that matters.
        [[maybe_unused]] const ssize_t written = ::write(fd, &byte, 1);
    }
    errno = savedErrno;
}

} // namespace

UnixSignals::UnixSignals(QObject *parent) : QObject(parent)
{
}

UnixSignals::~UnixSignals()
{
    stop();
}

QString UnixSignals::name(UnixSignal which)
{
    switch (which) {
    case UnixSignal::Hangup:
        return u"SIGHUP"_s;
    case UnixSignal::Interrupt:
        return u"SIGINT"_s;
    case UnixSignal::Terminate:
        return u"SIGTERM"_s;
    }
    return QString();
}

Result<Ok> UnixSignals::watch()
{
    return watch({UnixSignal::Hangup, UnixSignal::Interrupt, UnixSignal::Terminate});
}

Result<Ok> UnixSignals::watch(const QList<UnixSignal> &which)
{
    if (!isWatching()) {
        const UnixSignals *expected = nullptr;
        if (!g_owner.compare_exchange_strong(expected, this))
            return Error {u"signals"_s, u"another UnixSignals object already watches the process signals"_s};
        int fds[2] = {-1, -1};
        if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
            const int error = errno;
            g_owner.store(nullptr);
            return Error {u"signals"_s, u"cannot create the signal pipe: %1"_s.arg(Linux::errnoText(error))};
        }
        m_readFd = fds[0];
        m_writeFd = fds[1];
        g_writeFd.store(m_writeFd);
        m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] { readPipe(); });
    }
    for (const UnixSignal signal : which) {
        if (m_installed.contains(signal))
            continue;
        struct sigaction action {
        };
        action.sa_handler = nimbusSignalHandler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (::sigaction(signalNumber(signal), &action, &g_previous[slot(signal)]) < 0) {
            const int error = errno;
            return Error {u"signals"_s, u"cannot handle %1: %2"_s.arg(name(signal), Linux::errnoText(error))};
        }
        m_installed.append(signal);
    }
    return Ok {};
}

void UnixSignals::stop()
{
    if (!isWatching())
        return;
    for (const UnixSignal signal : std::as_const(m_installed))
        ::sigaction(signalNumber(signal), &g_previous[slot(signal)], nullptr);
    m_installed.clear();
    g_writeFd.store(-1);
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier->deleteLater();
        m_notifier = nullptr;
    }
    ::close(m_readFd);
    ::close(m_writeFd);
    m_readFd = -1;
    m_writeFd = -1;
    g_owner.store(nullptr);
}

void UnixSignals::readPipe()
{
    std::array<unsigned char, 64> bytes {};
    const QPointer<UnixSignals> alive(this);
    while (alive && m_readFd >= 0) {
        const ssize_t n = ::read(m_readFd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n && alive; ++i) {
            const int number = bytes[static_cast<size_t>(i)];
            UnixSignal which = UnixSignal::Terminate;
            if (number == SIGHUP)
                which = UnixSignal::Hangup;
            else if (number == SIGINT)
                which = UnixSignal::Interrupt;
            else if (number != SIGTERM)
                continue;
            qCDebug(lcSignals).noquote() << "received" << name(which);
            Q_EMIT received(which);
        }
    }
}

} // namespace Nimbus
