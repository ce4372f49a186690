#pragma once

#include <limits>

#include <QByteArray>
#include <QString>

#include "core/protocol/result.h"

// Small internals shared by the Linux platform files. No OS headers here.
namespace Nimbus::Linux
{

/// Owns a file descriptor and closes it on destruction.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) { }
    ~UniqueFd();
    UniqueFd(UniqueFd &&other) noexcept : m_fd(other.release()) { }
    UniqueFd &operator=(UniqueFd &&other) noexcept;
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

/// CLOCK_MONOTONIC in nanoseconds (through the vDSO: no system call).
qint64 monotonicNs();

/// Tells a read wake-up of a socket or device whether traffic is sparse: whether the previous wake-up was long
/// enough ago that this one most likely has a single packet to read. Then the reader reads that one packet and
/// returns to the event loop instead of reading on until the descriptor would block, which only costs a system
/// call that finds nothing (if more was waiting after all, the event loop reports the descriptor again at once,
/// and that wake-up, coming right after this one, reads until it would block). Pure logic: the time comes in.
class WakeupPacer
{
public:
    /// A wake-up this long after the previous one counts as sparse traffic.
    static constexpr qint64 kSparseGapNs = 200'000;

    /// A read wake-up at \a nowNs (monotonic): true if the reader should read one packet only.
    bool sparse(qint64 nowNs)
    {
        const bool result = nowNs - m_lastWakeupNs >= kSparseGapNs;
        m_lastWakeupNs = nowNs;
        return result;
    }

private:
    qint64 m_lastWakeupNs = std::numeric_limits<qint64>::min() / 2;
};

/// The text of an errno value ("Permission denied").
QString errnoText(int error);

/// An interface name as the kernel wants it (at most 15 bytes, no '/', ':' or whitespace), or an error.
/// \a allowPattern admits one `%d`.
Result<QByteArray> interfaceNameBytes(const QString &name, bool allowPattern);

/// A datagram socket for interface ioctls (AF_INET, or AF_INET6 if \a ipv6).
Result<UniqueFd> ioctlSocket(bool ipv6 = false);

} // namespace Nimbus::Linux
