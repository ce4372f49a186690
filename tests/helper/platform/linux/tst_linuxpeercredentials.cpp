#include <optional>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <QTest>
#include <QUuid>

#include "helper/platform/linux/peercredentials.h"

using namespace Qt::Literals::StringLiterals;
using Nimbus::PeerCredentials;

namespace
{

PeerCredentials self()
{
    return PeerCredentials {::getpid(), ::getuid(), ::getgid()};
}

// Closes the descriptors of a test on every exit path.
struct Fds {
    int fds[2] = {-1, -1};
    ~Fds()
    {
        for (const int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
};

struct Membership {
    QString group;
    quint32 uid = 0;
};

// A user listed as a supplementary member of a group that is not the user's primary group, from the group
// database; std::nullopt if the system has none.
std::optional<Membership> findSupplementaryMembership()
{
    std::optional<Membership> found;
    ::setgrent();
    while (const group *entry = ::getgrent()) {
        for (char **member = entry->gr_mem; member && *member && !found; ++member) {
            const passwd *user = ::getpwnam(*member);
            if (user && user->pw_gid != entry->gr_gid)
                found = Membership {QString::fromUtf8(entry->gr_name), user->pw_uid};
        }
        if (found)
            break;
    }
    ::endgrent();
    return found;
}

} // namespace

class tst_LinuxPeerCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void socketPair();
    void localServer();
    void notAConnectedUnixSocket();
    void groupId();
    void primaryGroupMembership();
    void supplementaryGroupMembership();
    void unknownUserOrGroup();
    void userName();
};

void tst_LinuxPeerCredentials::socketPair()
{
    Fds pair;
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair.fds), 0);
    const std::optional<PeerCredentials> peer = PeerCredentials::fromSocketDescriptor(pair.fds[0]);
    QVERIFY(peer.has_value());
    QCOMPARE(peer->pid, qint64(::getpid()));
    QCOMPARE(peer->uid, quint32(::getuid()));
    QCOMPARE(peer->gid, quint32(::getgid()));
    QCOMPARE(*peer, self());
    QCOMPARE(peer->isRoot(), ::getuid() == 0);
    QCOMPARE(PeerCredentials::ofServer(pair.fds[1]), std::optional<PeerCredentials>(self()));
}

void tst_LinuxPeerCredentials::localServer()
{
    QLocalServer server;
    const QString name = u"nimbus-tst-peercred-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY2(server.listen(name), qPrintable(server.errorString()));
    QLocalSocket client;
    client.connectToServer(name);
    QVERIFY(client.waitForConnected(5000));
    QVERIFY(server.waitForNewConnection(5000));
    QPointer<QLocalSocket> accepted = server.nextPendingConnection();
    QVERIFY(accepted);

    const std::optional<PeerCredentials> clientSide
        = PeerCredentials::fromSocketDescriptor(accepted->socketDescriptor());
    QVERIFY(clientSide.has_value());
    QCOMPARE(*clientSide, self());
    const std::optional<PeerCredentials> serverSide = PeerCredentials::ofServer(client.socketDescriptor());
    QVERIFY(serverSide.has_value());
    QCOMPARE(*serverSide, self());
    delete accepted.data();
}

void tst_LinuxPeerCredentials::notAConnectedUnixSocket()
{
    QVERIFY(!PeerCredentials::fromSocketDescriptor(-1).has_value());
    QVERIFY(!PeerCredentials::fromSocketDescriptor(qintptr(1) << 40).has_value());

    Fds pipe;
    QCOMPARE(::pipe2(pipe.fds, O_CLOEXEC), 0);
    QVERIFY(!PeerCredentials::fromSocketDescriptor(pipe.fds[0]).has_value());

    Fds udp;
    udp.fds[0] = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    QVERIFY(udp.fds[0] >= 0);
    QVERIFY(!PeerCredentials::fromSocketDescriptor(udp.fds[0]).has_value());

    Fds unconnected;
    unconnected.fds[0] = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(unconnected.fds[0] >= 0);
    QVERIFY(!PeerCredentials::fromSocketDescriptor(unconnected.fds[0]).has_value());
}

void tst_LinuxPeerCredentials::groupId()
{
    const group *root = ::getgrgid(0);
    if (!root)
        QSKIP("this system has no group 0");
    const QString rootName = QString::fromUtf8(root->gr_name);
    QCOMPARE(PeerCredentials::groupId(rootName), std::optional<quint32>(0));
    QCOMPARE(PeerCredentials::groupId(u"nimbus-no-such-group-4711"_s), std::nullopt);
    QCOMPARE(PeerCredentials::groupId(QString()), std::nullopt);
}

void tst_LinuxPeerCredentials::primaryGroupMembership()
{
    const passwd *me = ::getpwuid(::getuid());
    if (!me)
        QSKIP("the current user is not in the user database");
    const group *primary = ::getgrgid(me->pw_gid);
    if (!primary)
        QSKIP("the current user's primary group is not in the group database");
    QVERIFY(PeerCredentials::userInGroup(::getuid(), QString::fromUtf8(primary->gr_name)));
}

void tst_LinuxPeerCredentials::supplementaryGroupMembership()
{
    const std::optional<Membership> membership = findSupplementaryMembership();
    if (!membership)
        QSKIP("no user on this system has a supplementary group");
    QVERIFY2(PeerCredentials::userInGroup(membership->uid, membership->group),
        qPrintable(u"uid %1 in %2"_s.arg(membership->uid).arg(membership->group)));
}

void tst_LinuxPeerCredentials::unknownUserOrGroup()
{
    QVERIFY(!PeerCredentials::userInGroup(::getuid(), u"nimbus-no-such-group-4711"_s));
    QVERIFY(!PeerCredentials::userInGroup(::getuid(), QString()));
    // No user database has this uid (it is the "invalid" uid).
    const group *root = ::getgrgid(0);
    if (root)
        QVERIFY(!PeerCredentials::userInGroup(0xfffffffeu, QString::fromUtf8(root->gr_name)));
    // A real user outside group 0.
    const passwd *nobody = ::getpwnam("nobody");
    if (nobody && root && nobody->pw_gid != 0) {
        bool listed = false;
        for (char **member = root->gr_mem; member && *member; ++member)
            listed = listed || QByteArray(*member) == "nobody";
        if (!listed)
            QVERIFY(!PeerCredentials::userInGroup(nobody->pw_uid, QString::fromUtf8(root->gr_name)));
    }
}

void tst_LinuxPeerCredentials::userName()
{
    const passwd *me = ::getpwuid(::getuid());
    if (!me)
        QSKIP("the current user is not in the user database");
    QCOMPARE(PeerCredentials::userName(::getuid()), QString::fromUtf8(me->pw_name));
    QVERIFY(PeerCredentials::userName(0xfffffffeu).isEmpty());
}

QTEST_GUILESS_MAIN(tst_LinuxPeerCredentials)
#include "tst_linuxpeercredentials.moc"
