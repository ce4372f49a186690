#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include "core/wire/socketaddress.h"
#include "helper/hostsfile.h"

namespace Nimbus
{

/// The name a user knows a node by, keyed by its address (so a node that restarts with a new node id keeps it):
/// the configured peer name whose resolution gave the address (source "peer"), else the hosts file's name for its
/// IP (source "hosts"), else none. A configured name is shown without its port (`server-a:3210` is `server-a`)
/// unless two configured names differ only by the port; an IP address configured as a peer names nothing.
class NodeNames final
{
public:
    struct Name {
        QString name; ///< "" if there is none
        QString source; ///< "peer", "hosts" or ""
        friend bool operator==(const Name &, const Name &) = default;
    };
    /// Configured peer (as configured) -> its addresses (NetworkReporter::ConfiguredPeers).
    using ConfiguredPeers = QHash<QString, QList<SocketAddress>>;

    /// \a configured belongs to the network and outlives this object.
    NodeNames(const ConfiguredPeers &configured, QString hostsFile, int hostsCheckIntervalMs = 1000);

    /// The configured peers resolved to other addresses: the names are worked out again at the next refresh().
    void configuredChanged() { m_configuredDirty = true; }
    /// Re-reads what changed (the hosts file at most once per check interval); true if any name may have changed.
    bool refresh();
    /// The name of the node at \a address, as of the last refresh().
    Name nameFor(const SocketAddress &address) const;

private:
    void rebuildConfigured();

    const ConfiguredPeers &m_configured;
    HostsFile m_hosts;
    bool m_configuredDirty = true;
    QHash<SocketAddress, QString> m_peerNames;
};

} // namespace Nimbus
