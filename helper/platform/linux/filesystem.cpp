#include "helper/platform/linux/filesystem.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFile>
#include <QScopeGuard>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

namespace
{
Error systemError(const QString &what)
{
    return Error {u"system"_s, u"%1: %2"_s.arg(what, QString::fromLocal8Bit(strerror(errno)))};
}
} // namespace

Result<Ok> secureSocketFile(const QString &path, quint32 mode, std::optional<quint32> gid)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return systemError(u"cannot open %1"_s.arg(path));
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    struct stat info {
    };
    if (::fstat(fd, &info) != 0)
        return systemError(u"cannot inspect %1"_s.arg(path));
    if (!S_ISSOCK(info.st_mode) || info.st_uid != ::geteuid())
        return Error {u"system"_s, u"%1 is not the socket this helper created; not touching it"_s.arg(path)};
    if ((info.st_mode & 07777) != mode) {
        const QByteArray viaFd = "/proc/self/fd/" + QByteArray::number(fd);
        if (::chmod(viaFd.constData(), mode_t(mode)) != 0)
            return systemError(u"cannot set the mode of %1"_s.arg(path));
    }
    if (gid && info.st_gid != gid_t(*gid) && ::fchownat(fd, "", uid_t(-1), gid_t(*gid), AT_EMPTY_PATH) != 0)
        return Error {
            u"group"_s, u"cannot change the group of %1: %2"_s.arg(path, QString::fromLocal8Bit(strerror(errno)))};
    return Ok {};
}

void scrubEnvironmentVariable(const QString &name)
{
    const QByteArray key = name.toLocal8Bit();
    if (char *value = ::getenv(key.constData()))
        ::explicit_bzero(value, std::strlen(value));
    ::unsetenv(key.constData());
}

Result<Ok> makeNonDumpable()
{
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return systemError(u"cannot make the process non-dumpable"_s);
    return Ok {};
}

Result<Ok> daemonize(bool keepStdout)
{
    const pid_t pid = ::fork();
    if (pid < 0)
        return systemError(u"fork"_s);
    if (pid > 0)
        ::_exit(0);
    if (::setsid() < 0)
        return systemError(u"setsid"_s);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        if (!keepStdout) {
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
        }
        if (null > STDERR_FILENO)
            ::close(null);
    }
    return Ok {};
}

Result<Ok> dropPrivileges(const QString &user, const QString &group)
{
    std::vector<char> buffer(16384);
    gid_t gid = ::getgid();
    uid_t uid = ::getuid();
    if (!group.isEmpty()) {
        struct group entry {
        };
        struct group *found = nullptr;
        if (::getgrnam_r(group.toLocal8Bit().constData(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
            return Error {u"system"_s, u"unknown group \"%1\""_s.arg(group)};
        gid = found->gr_gid;
    }
    if (!user.isEmpty()) {
        struct passwd entry {
        };
        struct passwd *found = nullptr;
        if (::getpwnam_r(user.toLocal8Bit().constData(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
            return Error {u"system"_s, u"unknown user \"%1\""_s.arg(user)};
        uid = found->pw_uid;
        if (group.isEmpty())
            gid = found->pw_gid;
    }
    if (::setgroups(0, nullptr) != 0)
        return systemError(u"setgroups"_s);
    if (::setgid(gid) != 0)
        return systemError(u"setgid"_s);
    if (!user.isEmpty() && ::setuid(uid) != 0)
        return systemError(u"setuid"_s);
    return Ok {};
}

} // namespace Nimbus
