#include "helper/platform/linux/linuxutil.h"

#include <cerrno>
#include <cstring>
#include <time.h>

#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Linux
{

UniqueFd::~UniqueFd()
{
    reset();
}

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept
{
    if (this != &other)
        reset(other.release());
    return *this;
}

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

qint64 monotonicNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

QString errnoText(int error)
{
    return qt_error_string(error);
}

Result<QByteArray> interfaceNameBytes(const QString &name, bool allowPattern)
{
    const QByteArray bytes = name.toUtf8();
    if (bytes.isEmpty())
        return Error {u"device-name"_s, u"the device name is empty"_s};
    if (bytes.size() >= IFNAMSIZ)
        return Error {
            u"device-name"_s, u"the device name \"%1\" is longer than %2 bytes"_s.arg(name).arg(IFNAMSIZ - 1)};
    if (bytes == "." || bytes == "..")
        return Error {u"device-name"_s, u"\"%1\" is not a valid device name"_s.arg(name)};
    int percent = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        if (c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0')
            return Error {u"device-name"_s, u"the device name \"%1\" contains an invalid character"_s.arg(name)};
        if (c == '%') {
            if (!allowPattern || i + 1 >= bytes.size() || bytes.at(i + 1) != 'd' || ++percent > 1)
                return Error {u"device-name"_s,
                    allowPattern ? u"the device name \"%1\" may contain only one %d"_s.arg(name)
                                 : u"the device name \"%1\" contains a %"_s.arg(name)};
        }
    }
    return bytes;
}

Result<UniqueFd> ioctlSocket(bool ipv6)
{
    const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int error = errno;
        return Error {u"socket"_s, u"cannot create a control socket: %1"_s.arg(errnoText(error))};
    }
    return UniqueFd(fd);
}

} // namespace Nimbus::Linux
