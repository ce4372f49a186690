#include "helper/platform/linux/peercredentials.h"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QByteArray>

namespace Nimbus
{

namespace
{

// Start size of the buffers of the *_r lookups; grown on ERANGE up to kMaxLookupBuffer.
constexpr size_t kLookupBuffer = 1024;
constexpr size_t kMaxLookupBuffer = 1 << 20;

struct UserEntry {
    QByteArray name;
    gid_t primaryGroup = 0;
};

std::optional<UserEntry> lookupUser(uid_t uid)
{
    std::vector<char> buffer(kLookupBuffer);
    for (;;) {
        passwd entry {};
        passwd *result = nullptr;
        const int error = ::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result);
        if (error == ERANGE && buffer.size() < kMaxLookupBuffer) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (error != 0 || !result || !result->pw_name)
            return std::nullopt;
        return UserEntry {QByteArray(result->pw_name), result->pw_gid};
    }
}

} // namespace

std::optional<PeerCredentials> PeerCredentials::fromSocketDescriptor(qintptr fd)
{
    if (fd < 0 || fd > std::numeric_limits<int>::max())
        return std::nullopt;
    const int socket = static_cast<int>(fd);
    int domain = 0;
    socklen_t domainLength = sizeof domain;
    if (::getsockopt(socket, SOL_SOCKET, SO_DOMAIN, &domain, &domainLength) < 0 || domain != AF_UNIX)
        return std::nullopt;
    ucred credentials {};
    socklen_t length = sizeof credentials;
    if (::getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) < 0 || length != sizeof credentials)
        return std::nullopt;
    // An unconnected socket reports pid 0 and the overflow ids.
    if (credentials.pid <= 0)
        return std::nullopt;
    return PeerCredentials {credentials.pid, credentials.uid, credentials.gid};
}

std::optional<PeerCredentials> PeerCredentials::ofServer(qintptr fd)
{
    return fromSocketDescriptor(fd);
}

std::optional<quint32> PeerCredentials::groupId(const QString &name)
{
    const QByteArray bytes = name.toUtf8();
    if (bytes.isEmpty() || bytes.contains('\0'))
        return std::nullopt;
    std::vector<char> buffer(kLookupBuffer);
    for (;;) {
        group entry {};
        group *result = nullptr;
        const int error = ::getgrnam_r(bytes.constData(), &entry, buffer.data(), buffer.size(), &result);
        if (error == ERANGE && buffer.size() < kMaxLookupBuffer) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (error != 0 || !result)
            return std::nullopt;
        return static_cast<quint32>(result->gr_gid);
    }
}

QString PeerCredentials::userName(quint32 uid)
{
    const std::optional<UserEntry> user = lookupUser(static_cast<uid_t>(uid));
    return user ? QString::fromUtf8(user->name) : QString();
}

bool PeerCredentials::userInGroup(quint32 uid, const QString &group)
{
    const std::optional<quint32> gid = groupId(group);
    if (!gid)
        return false;
    const std::optional<UserEntry> user = lookupUser(static_cast<uid_t>(uid));
    if (!user)
        return false;
    if (user->primaryGroup == *gid)
        return true;
    std::vector<gid_t> groups(32);
    for (int attempt = 0; attempt < 8; ++attempt) {
        int count = static_cast<int>(groups.size());
        if (::getgrouplist(user->name.constData(), user->primaryGroup, groups.data(), &count) >= 0) {
            for (int i = 0; i < count; ++i) {
                if (groups[static_cast<size_t>(i)] == *gid)
                    return true;
            }
            return false;
        }
        // Too small: count now holds the number needed.
        groups.resize(std::max(static_cast<size_t>(count), groups.size() * 2));
    }
    return false;
}

} // namespace Nimbus
