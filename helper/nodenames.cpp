#include "helper/nodenames.h"

#include "helper/peerresolver.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

NodeNames::NodeNames(const ConfiguredPeers &configured, QString hostsFile, int hostsCheckIntervalMs)
    : m_configured(configured), m_hosts(std::move(hostsFile), hostsCheckIntervalMs)
{
}

bool NodeNames::refresh()
{
    bool changed = m_hosts.refresh();
    if (m_configuredDirty) {
        const QHash<SocketAddress, QString> before = m_peerNames;
        rebuildConfigured();
        changed = changed || m_peerNames != before;
    }
    return changed;
}

void NodeNames::rebuildConfigured()
{
    m_configuredDirty = false;
    m_peerNames.clear();
    QHash<QString, int> hosts; // host part (case-insensitive) -> how many configured names have it
    QList<std::pair<PeerName, QList<SocketAddress>>> named;
    for (auto it = m_configured.cbegin(); it != m_configured.cend(); ++it) {
        const Result<PeerName> name = PeerName::parse(it.key());
        if (!name || name->literal)
            continue; // an address is no name
        ++hosts[name->host.toLower()];
        named.append({*name, it.value()});
    }
    // Sorted, so that an address two names resolve to gets the same one every time.
    std::sort(named.begin(), named.end(), [](const auto &a, const auto &b) { return a.first.text < b.first.text; });
    for (const auto &[name, addresses] : std::as_const(named)) {
        const QString shown = hosts.value(name.host.toLower()) > 1 ? name.text : name.host;
        for (const SocketAddress &address : addresses) {
            if (!m_peerNames.contains(address))
                m_peerNames.insert(address, shown);
        }
    }
}

NodeNames::Name NodeNames::nameFor(const SocketAddress &address) const
{
    if (const auto it = m_peerNames.constFind(address); it != m_peerNames.cend())
        return Name {*it, u"peer"_s};
    if (QString name = m_hosts.nameFor(address.address()); !name.isEmpty())
        return Name {std::move(name), u"hosts"_s};
    return {};
}

} // namespace Nimbus
