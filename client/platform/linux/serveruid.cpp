#include "client/platform/linux/serveruid.h"

#include <cerrno>
#include <vector>

#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>

namespace Nimbus::ClientPlatform
{

std::optional<quint32> serverUid(qintptr fd)
{
    if (fd < 0)
        return std::nullopt;
    ucred credentials {};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(int(fd), SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0 || length != sizeof(credentials))
        return std::nullopt;
    // A socket without a peer reports pid 0 and the overflow ids.
    if (credentials.pid == 0)
        return std::nullopt;
    return quint32(credentials.uid);
}

std::optional<quint32> userId(const QString &name)
{
    if (name.isEmpty())
        return std::nullopt;
    const QByteArray encoded = QFile::encodeName(name);
    long suggested = ::sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(suggested > 0 ? std::size_t(suggested) : std::size_t(16384));
    passwd entry {};
    passwd *found = nullptr;
    while (true) {
        const int rc = ::getpwnam_r(encoded.constData(), &entry, buffer.data(), buffer.size(), &found);
        if (rc == ERANGE && buffer.size() < (std::size_t(1) << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (rc != 0 || !found)
            return std::nullopt;
        return quint32(found->pw_uid);
    }
}

quint32 currentUid()
{
    return quint32(::getuid());
}

} // namespace Nimbus::ClientPlatform
