#include "tests/support/netnsguard.h"

#include <cerrno>
#include <cstring>
#include <sched.h>

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus::Test
{

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

QString enterPrivateNetworkNamespace()
{
    if (::unshare(CLONE_NEWNET) < 0)
        return u"unshare(CLONE_NEWNET) failed: %1"_s.arg(qt_error_string(errno));
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return u"socket() failed: %1"_s.arg(qt_error_string(errno));
    ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    QString failure;
    if (::ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
        failure = u"SIOCGIFFLAGS on lo failed: %1"_s.arg(qt_error_string(errno));
    } else {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        if (::ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
            failure = u"bringing lo up failed: %1"_s.arg(qt_error_string(errno));
    }
    ::close(fd);
    return failure;
}

} // namespace Nimbus::Test
