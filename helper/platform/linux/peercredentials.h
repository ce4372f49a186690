#pragma once

#include <optional>

#include <QString>
#include <QtGlobal>

namespace Nimbus
{

/// The kernel's record of who is at the other end of a Unix socket (SO_PEERCRED): the credentials the peer had
/// when it connected (or created the socket pair). Never what the peer claims about itself.
struct PeerCredentials {
    qint64 pid = 0;
    quint32 uid = 0;
    quint32 gid = 0;

    /// The credentials of the peer of the connected Unix socket \a fd; std::nullopt if \a fd is not a connected
    /// Unix socket or the kernel has no credentials for the peer.
    static std::optional<PeerCredentials> fromSocketDescriptor(qintptr fd);
    /// For the client side: the credentials of the server behind the connected socket \a fd, to check that it
    /// runs as root (or the service user) before sending it a secret. Same call as fromSocketDescriptor().
    static std::optional<PeerCredentials> ofServer(qintptr fd);

    /// True if the user \a uid has \a group as primary or supplementary group (the group database, as at login).
    /// False if the user or the group does not exist.
    static bool userInGroup(quint32 uid, const QString &group);
    /// The id of the group \a name, std::nullopt if there is none.
    static std::optional<quint32> groupId(const QString &name);
    /// The name of the user \a uid, empty if unknown.
    static QString userName(quint32 uid);

    bool isRoot() const { return uid == 0; }

    friend bool operator==(const PeerCredentials &, const PeerCredentials &) = default;
};

} // namespace Nimbus
