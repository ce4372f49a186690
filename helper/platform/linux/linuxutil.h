#pragma once

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

/// The text of an errno value ("Permission denied").
QString errnoText(int error);

/// An interface name as the kernel wants it (at most 15 bytes, no '/', ':' or whitespace), or an error.
/// \a allowPattern admits one `%d`.
Result<QByteArray> interfaceNameBytes(const QString &name, bool allowPattern);

/// A datagram socket for interface ioctls (AF_INET, or AF_INET6 if \a ipv6).
Result<UniqueFd> ioctlSocket(bool ipv6 = false);

} // namespace Nimbus::Linux
