#include <cstring>

#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "helper/platform/linux/filesystem.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::secureSocketFile;

namespace
{

// A socket bound at \a path with mode \a mode; its descriptor (closed by the caller) or -1.
int bindSocket(const QString &path, mode_t mode)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    if (fd < 0 || encoded.size() >= qsizetype(sizeof(address.sun_path)))
        return -1;
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0
        || ::chmod(encoded.constData(), mode) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct stat statOf(const QString &path)
{
    struct stat info {
    };
    ::lstat(QFile::encodeName(path).constData(), &info);
    return info;
}

} // namespace

class tst_LinuxFileSystem : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void setsModeOfOwnSocket();
    void leavesRightGroupAlone();
    void changesGroupAsRoot();
    void refusesSymlink();
    void refusesRegularFile();
    void missingPath();
    void scrubsEnvironmentVariable();
    void nonDumpable();

private:
    QTemporaryDir m_dir;
};

void tst_LinuxFileSystem::setsModeOfOwnSocket()
{
    const QString path = m_dir.filePath(u"mode.sock"_s);
    const int fd = bindSocket(path, 0777);
    QVERIFY(fd >= 0);
    QVERIFY(secureSocketFile(path, 0660, std::nullopt).ok());
    QCOMPARE(statOf(path).st_mode & 07777, mode_t(0660));
    ::close(fd);
}

void tst_LinuxFileSystem::leavesRightGroupAlone()
{
    const QString path = m_dir.filePath(u"group.sock"_s);
    const int fd = bindSocket(path, 0660);
    QVERIFY(fd >= 0);
    // The socket has the helper's own group already (systemd's Group=): nothing to change, no error.
    QVERIFY(secureSocketFile(path, 0660, quint32(::getegid())).ok());
    QCOMPARE(statOf(path).st_gid, ::getegid());
    ::close(fd);
}

void tst_LinuxFileSystem::changesGroupAsRoot()
{
    if (::geteuid() != 0)
        QSKIP("changing a file's group to one we are not in needs root");
    const group *nogroup = ::getgrnam("nogroup");
    if (!nogroup)
        QSKIP("no group nogroup on this machine");
    const QString path = m_dir.filePath(u"root.sock"_s);
    const int fd = bindSocket(path, 0700);
    QVERIFY(fd >= 0);
    QVERIFY(secureSocketFile(path, 0660, quint32(nogroup->gr_gid)).ok());
    QCOMPARE(statOf(path).st_gid, nogroup->gr_gid);
    QCOMPARE(statOf(path).st_mode & 07777, mode_t(0660));
    ::close(fd);
}

void tst_LinuxFileSystem::refusesSymlink()
{
    // Somebody who can write the folder swapped the socket for a link to a file of theirs (or of root's).
    const QString target = m_dir.filePath(u"precious"_s);
    QFile file(target);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const QString path = m_dir.filePath(u"link.sock"_s);
    QVERIFY(QFile::link(target, path));
    const Nimbus::Result<Nimbus::Ok> result = secureSocketFile(path, 0666, std::nullopt);
    QVERIFY(!result.ok());
    QCOMPARE(statOf(target).st_mode & 07777, mode_t(0600));
}

void tst_LinuxFileSystem::refusesRegularFile()
{
    const QString path = m_dir.filePath(u"plain"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const Nimbus::Result<Nimbus::Ok> result = secureSocketFile(path, 0666, std::nullopt);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.contains(u"not the socket"_s));
    QCOMPARE(statOf(path).st_mode & 07777, mode_t(0600));
}

void tst_LinuxFileSystem::missingPath()
{
    QVERIFY(!secureSocketFile(m_dir.filePath(u"nothing.sock"_s), 0660, std::nullopt).ok());
}

void tst_LinuxFileSystem::scrubsEnvironmentVariable()
{
    QVERIFY(::setenv("NIMBUS_TEST_SECRET", "hunter2-hunter2", 1) == 0);
    char *value = ::getenv("NIMBUS_TEST_SECRET");
    QVERIFY(value);
    const size_t length = std::strlen(value);
    Nimbus::scrubEnvironmentVariable(u"NIMBUS_TEST_SECRET"_s);
    QVERIFY(!::getenv("NIMBUS_TEST_SECRET"));
    // The bytes where the value was (setenv's copy here; the initial block for a variable the helper inherited)
    // are zero.
    for (size_t i = 0; i < length; ++i)
        QCOMPARE(value[i], '\0');
    Nimbus::scrubEnvironmentVariable(u"NIMBUS_TEST_NOT_SET"_s); // absent: nothing happens
}

void tst_LinuxFileSystem::nonDumpable()
{
    QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    QVERIFY(Nimbus::makeNonDumpable().ok());
    QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

QTEST_GUILESS_MAIN(tst_LinuxFileSystem)
#include "tst_linuxfilesystem.moc"
