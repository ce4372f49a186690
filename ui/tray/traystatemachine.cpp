#include "ui/tray/traystatemachine.h"

#include <algorithm>

#include "ui/common/format.h"
#include "ui/connection/errortext.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

TrayState TrayStateMachine::stateFor(const TrayInput &input)
{
    switch (input.link) {
    case ControlClient::State::Idle:
    case ControlClient::State::Connecting:
        return TrayState::Connecting;
    case ControlClient::State::NotRunning:
    case ControlClient::State::PermissionDenied:
    case ControlClient::State::Untrusted:
    case ControlClient::State::Incompatible:
        return TrayState::HelperUnavailable;
    case ControlClient::State::Ready:
        break;
    }
    bool error = !input.lastError.isEmpty();
    bool failover = false;
    bool degraded = false;
    bool connecting = false;
    bool connected = false;
    for (const NetworkStatus &n : input.networks) {
        error = error || n.state == u"error";
        failover = failover || n.state == u"failover";
        degraded = degraded || n.state == u"degraded";
        connecting = connecting || n.state == u"connecting";
        connected = connected || n.state == u"connected";
    }
    for (const QString &p : input.pending) {
        bool active = false;
        for (const NetworkStatus &n : input.networks)
            active = active || (n.name == p && n.isActive());
        // A pending connect shows "connecting"; a pending disconnect keeps the current state.
        connecting = connecting || !active;
    }
    if (error)
        return TrayState::Error;
    if (failover)
        return TrayState::Failover;
    if (degraded)
        return TrayState::Degraded;
    if (connecting)
        return TrayState::Connecting;
    if (connected)
        return TrayState::Connected;
    return TrayState::Disconnected;
}

QString TrayStateMachine::stateName(TrayState state)
{
    switch (state) {
    case TrayState::Disconnected:
        return tr("Disconnected");
    case TrayState::Connecting:
        return tr("Connecting");
    case TrayState::Connected:
        return tr("Connected");
    case TrayState::Degraded:
        return tr("Degraded");
    case TrayState::Failover:
        return tr("Failover in progress");
    case TrayState::Error:
        return tr("Error");
    case TrayState::HelperUnavailable:
        return tr("Helper unavailable");
    }
    return QString();
}

QString TrayStateMachine::failoverLine(const Protocol::FailoverEvent &f, const TrayNodeNamer &namer)
{
    // Only a failure is a failover: the first route of a connect ("reachable"), a switchback and a move are not.
    // An older helper sends no kind: a change away from a node is taken as a failover.
    const QString kind = !f.kind.isEmpty() ? f.kind : (f.from ? u"failover"_s : u"reachable"_s);
    const QString when = f.time > 0 ? Format::timestamp(f.time) : QString();
    if (kind == u"lost")
        return when.isEmpty() ? tr("Lost: nobody serves %1").arg(f.range)
                              : tr("Lost: nobody serves %1 since %2").arg(f.range, when);
    if (kind != u"failover")
        return QString();
    const QString to = f.to ? nodeName(*f.to, f.network, namer) : Format::node(f.to);
    // The gap the user felt (no working path), when the helper saw traffic; not the time since the last message.
    if (f.noPathMs >= 0) {
        const QString gap = Format::duration(f.noPathMs);
        return when.isEmpty() ? tr("Last failover: %1 to %2 (no path for %3)").arg(f.range, to, gap)
                              : tr("Last failover: %1 to %2 at %3 (no path for %4)").arg(f.range, to, when, gap);
    }
    return when.isEmpty() ? tr("Last failover: %1 to %2").arg(f.range, to)
                          : tr("Last failover: %1 to %2 at %3").arg(f.range, to, when);
}

QString TrayStateMachine::nodeName(const Protocol::NodeRef &node, const QString &network, const TrayNodeNamer &namer)
{
    if (namer)
        return namer(network, node);
    return Format::nodeName(node.name, QString(), node.nodeId, node.address);
}

QList<TrayAddressEntry> TrayStateMachine::addresses(
    const QList<Protocol::Claim> &claims, const QString &network, const TrayNodeNamer &namer)
{
    QList<std::pair<QString, TrayAddressEntry>> sorted;
    for (const Protocol::Claim &claim : claims) {
        if (claim.claimants.size() < 2 && !claim.used)
            continue;
        TrayAddressEntry entry;
        entry.range = claim.range;
        if (!claim.servedBy) {
            entry.text = tr("%1: nobody serves it").arg(claim.range);
        } else {
            const Protocol::NodeRef &server = *claim.servedBy;
            QStringList standbys;
            for (const Protocol::Claimant &c : claim.claimants) {
                if (c.node.nodeId != server.nodeId || c.node.address != server.address)
                    standbys.append(nodeName(c.node, network, namer));
            }
            entry.text = standbys.isEmpty()
                ? tr("%1 via %2").arg(claim.range, nodeName(server, network, namer))
                : tr("%1 via %2 (standby: %3)")
                      .arg(claim.range, nodeName(server, network, namer), standbys.join(u", "_s));
            entry.toolTip = Format::nodeToolTip(server.nodeId, server.address, server.nameSource);
        }
        sorted.append({Format::addressSortKey(claim.range), entry});
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<TrayAddressEntry> out;
    for (const auto &item : std::as_const(sorted))
        out.append(item.second);
    return out;
}

TrayPresentation TrayStateMachine::present(const TrayInput &input)
{
    TrayPresentation out;
    out.state = stateFor(input);
    out.title = tr("Nimbus: %1").arg(stateName(out.state));

    QStringList lines {out.title};
    if (input.link != ControlClient::State::Ready) {
        lines.append(ErrorText::forLink(input.link, input.socketPath, input.linkDetail));
    } else {
        bool any = false;
        for (const NetworkStatus &n : input.networks) {
            if (!n.isActive())
                continue;
            any = true;
            lines.append(tr("Profile: %1 (%2)").arg(n.name, Format::networkState(n.state)));
            if (!n.ip.isEmpty())
                lines.append(tr("Address: %1").arg(n.ip));
            lines.append(n.configuredPeers > 0 ? tr("Peers: %1 of %2").arg(n.peerCount).arg(n.configuredPeers)
                                               : tr("Peers: %1").arg(n.peerCount));
            if (!n.unresolvedPeers.isEmpty())
                lines.append(tr("Cannot resolve: %1").arg(n.unresolvedPeers.join(u", "_s)));
            if (const std::optional<Protocol::FailoverEvent> &f = n.lastFailover) {
                if (const QString line = failoverLine(*f, input.nodeName); !line.isEmpty())
                    lines.append(line);
            }
            if (!n.error.isEmpty())
                lines.append(tr("Error: %1").arg(n.error));
        }
        if (!any)
            lines.append(tr("No network is connected."));
        if (!input.lastError.isEmpty())
            lines.append(input.lastError);
    }
    out.toolTip = lines.join(u'\n');

    QStringList names = input.profiles;
    for (const NetworkStatus &n : input.networks) {
        if (!names.contains(n.name) && n.isActive())
            names.append(n.name);
    }
    for (const QString &name : std::as_const(names)) {
        TrayMenuEntry entry;
        entry.network = name;
        NetworkStatus status;
        status.name = name;
        for (const NetworkStatus &n : input.networks) {
            if (n.name == name)
                status = n;
        }
        const bool pending = input.pending.contains(name);
        entry.action = status.isActive() ? TrayMenuEntry::Action::Disconnect : TrayMenuEntry::Action::Connect;
        entry.stateText = pending ? (status.isActive() ? tr("Disconnecting…") : tr("Connecting…"))
                                  : Format::networkState(status.state);
        if (entry.action == TrayMenuEntry::Action::Connect) {
            entry.text = tr("Connect “%1”").arg(name);
        } else {
            entry.text = tr("Disconnect “%1” (%2)").arg(name, entry.stateText);
            entry.addressesTitle = tr("Addresses of “%1”").arg(name);
            entry.addresses = addresses(input.claims.value(name), name, input.nodeName);
        }
        entry.enabled = input.link == ControlClient::State::Ready && input.canControl && !pending;
        out.entries.append(entry);
    }
    return out;
}

} // namespace Nimbus
