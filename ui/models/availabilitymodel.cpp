#include "ui/models/availabilitymodel.h"

#include <algorithm>

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QSet>

#include "ui/common/format.h"
#include "ui/models/claimmodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/nodenames.h"
#include "ui/models/peermodel.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

QString AvailabilityEntry::key() const
{
    return network + u'\x1f' + range;
}

bool AvailabilityEntry::matches(const QString &text) const
{
    if (text.isEmpty())
        return true;
    const auto has = [&](const QString &s) { return s.contains(text, Qt::CaseInsensitive); };
    if (has(network) || has(range))
        return true;
    return std::any_of(nodes.cbegin(), nodes.cend(), [&](const AvailabilityNode &n) {
        return has(n.name) || has(n.nodeId) || has(n.address);
    });
}

AvailabilityModel::AvailabilityModel(
    const ClaimModel &claims, const PeerModel &peers, const EventModel &events, QObject *parent)
    : QObject(parent), m_claims(claims), m_peers(peers), m_events(events), m_clock([] {
        return QDateTime::currentMSecsSinceEpoch();
    })
{
    for (const QAbstractItemModel *model : {static_cast<const QAbstractItemModel *>(&claims),
             static_cast<const QAbstractItemModel *>(&peers),
             static_cast<const QAbstractItemModel *>(&events)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &AvailabilityModel::refresh);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &AvailabilityModel::refresh);
        connect(model, &QAbstractItemModel::dataChanged, this, &AvailabilityModel::refresh);
        connect(model, &QAbstractItemModel::modelReset, this, &AvailabilityModel::refresh);
    }
    refresh();
}

AvailabilityModel::~AvailabilityModel() = default;

void AvailabilityModel::setNodeNames(NodeNames *names)
{
    bindNodeNames(m_names, names, this, [this] { refresh(); });
}

void AvailabilityModel::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    refresh();
}

qint64 AvailabilityModel::now() const
{
    return m_clock();
}

const QList<AvailabilityEntry> &AvailabilityModel::entries() const
{
    return m_entries;
}

std::optional<AvailabilityEntry> AvailabilityModel::entry(const QString &network, const QString &range) const
{
    for (const AvailabilityEntry &e : m_entries) {
        if (e.network == network && e.range == range)
            return e;
    }
    return std::nullopt;
}

namespace
{

/// `inner` lies within `outer` (both "address/prefix").
bool covers(const std::pair<QHostAddress, int> &outer, const std::pair<QHostAddress, int> &inner)
{
    return !outer.first.isNull() && !inner.first.isNull() && outer.second <= inner.second
        && inner.first.isInSubnet(outer);
}

} // namespace

void AvailabilityModel::refresh()
{
    const qint64 nowMs = now();
    const QList<ClaimRow> &claims = m_claims.claims();
    QList<std::pair<QHostAddress, int>> subnets;
    subnets.reserve(claims.size());
    for (const ClaimRow &claim : claims)
        subnets.append(QHostAddress::parseSubnet(claim.range));

    // The route changes of the last hour (and the one before it, which may start an outage), per range.
    QHash<QString, QList<std::pair<qint64, Protocol::FailoverEvent>>> changes;
    for (int row = 0; row < m_events.rowCount(); ++row) {
        if (std::optional<Protocol::FailoverEvent> f = m_events.routeChangeAt(row))
            changes[f->network + u'\x1f' + f->range].append({m_events.timeAt(row), *f});
    }

    QList<AvailabilityEntry> entries;
    for (qsizetype i = 0; i < claims.size(); ++i) {
        const ClaimRow &claim = claims.at(i);
        AvailabilityEntry entry;
        entry.network = claim.network;
        entry.range = claim.range;
        entry.used = claim.used;
        entry.local = claim.local;

        // Candidates: this claim's claimants in their order, then those of less specific claims covering it, most
        // specific first (a /31 stands behind a /32).
        QList<qsizetype> covering;
        for (qsizetype j = 0; j < claims.size(); ++j) {
            if (j != i && claims.at(j).network == claim.network && covers(subnets.at(j), subnets.at(i))
                && subnets.at(j).second < subnets.at(i).second)
                covering.append(j);
        }
        std::stable_sort(covering.begin(), covering.end(), [&](qsizetype a, qsizetype b) {
            return subnets.at(a).second > subnets.at(b).second;
        });
        covering.prepend(i);
        QSet<QString> seen;
        const QString servingId = claim.servedBy ? claim.servedBy->nodeId : QString();
        for (const qsizetype j : std::as_const(covering)) {
            const ClaimRow &source = claims.at(j);
            for (const Protocol::Claimant &c : source.claimants) {
                const QString id = c.node.nodeId.isEmpty() ? u"@"_s + c.node.address : c.node.nodeId;
                if (seen.contains(id))
                    continue;
                seen.insert(id);
                AvailabilityNode n;
                n.nodeId = c.node.nodeId;
                n.address = c.node.address;
                const NodeDisplay d = resolveNode(m_names, claim.network, c.node);
                n.name = d.text;
                n.toolTip = d.toolTip;
                n.range = source.range;
                n.prefixLength = subnets.at(j).second;
                n.since = c.since;
                n.serving = !servingId.isEmpty() && c.node.nodeId == servingId;
                if (const PeerRow *peer = m_peers.findPeer(claim.network, c.node.nodeId, c.node.address)) {
                    n.lastHeard = peer->lastSeen;
                    n.health = n.serving ? AvailabilityNode::Health::Serving
                        : peer->suspect  ? AvailabilityNode::Health::Suspect
                                         : AvailabilityNode::Health::Up;
                    if (n.serving && peer->suspect)
                        n.health = AvailabilityNode::Health::Suspect;
                } else {
                    n.health = AvailabilityNode::Health::Down;
                }
                entry.nodes.append(n);
            }
        }
        // The serving node leads; the others keep their order of preference.
        std::stable_partition(
            entry.nodes.begin(), entry.nodes.end(), [](const AvailabilityNode &n) { return n.serving; });
        if (claim.local) {
            AvailabilityNode self;
            self.name = tr("this computer");
            self.range = claim.range;
            self.prefixLength = subnets.at(i).second;
            self.health = AvailabilityNode::Health::Local;
            self.serving = !claim.servedBy;
            if (self.serving)
                entry.nodes.prepend(self);
            else
                entry.nodes.append(self);
        }
        // Outages: a failover from the old node's last sign of life (else the detection) to the switch; a loss
        // from then to the next route (reachable, failover, switchback, move) or now.
        const QList<std::pair<qint64, Protocol::FailoverEvent>> history = changes.value(entry.key());
        for (qsizetype k = 0; k < history.size(); ++k) {
            const auto &[time, f] = history.at(k);
            const QString kind = Format::routeChangeKind(f);
            if (kind != u"failover" && kind != u"lost")
                continue;
            const qint64 detected = f.detectedAt > 0 ? f.detectedAt : (f.time > 0 ? f.time : time);
            AvailabilityOutage outage;
            outage.kind = kind;
            outage.start = f.lastSeenAt > 0 ? f.lastSeenAt : detected;
            outage.from = resolveNode(m_names, f.network, f.from).text;
            if (kind == u"failover") {
                outage.end = qMax(detected, f.time > 0 ? f.time : time);
                outage.to = resolveNode(m_names, f.network, f.to).text;
            } else {
                for (qsizetype later = k + 1; later < history.size(); ++later) {
                    if (history.at(later).second.to) {
                        outage.end = history.at(later).first;
                        outage.to = resolveNode(m_names, f.network, history.at(later).second.to).text;
                        break;
                    }
                }
            }
            if (outage.end != 0 && outage.end < nowMs - kWindowMs)
                continue;
            entry.outages.append(outage);
            // The node that failed stays in the list, down, while its outage is in the strip: it is what the
            // user looks for (its claims went with it, so the claim table no longer names it). Not if it is back
            // (a peer again, or a claimant at the same address).
            const auto listed = [&](const Protocol::NodeRef &node) {
                return std::any_of(entry.nodes.cbegin(), entry.nodes.cend(), [&](const AvailabilityNode &n) {
                    return (!node.nodeId.isEmpty() && n.nodeId == node.nodeId) || n.address == node.address;
                });
            };
            if (f.from && !listed(*f.from) && !m_peers.findPeer(claim.network, f.from->nodeId, f.from->address)) {
                AvailabilityNode gone;
                gone.nodeId = f.from->nodeId;
                gone.address = f.from->address;
                const NodeDisplay d = resolveNode(m_names, claim.network, *f.from);
                gone.name = d.text;
                gone.toolTip = d.toolTip;
                gone.range = claim.range;
                gone.prefixLength = subnets.at(i).second;
                gone.lastHeard = f.lastSeenAt;
                gone.health = AvailabilityNode::Health::Down;
                entry.nodes.append(gone);
            }
        }
        // Shown: an address several nodes claim, one this computer uses, or one with an outage in the last hour.
        if (entry.nodes.size() < 2 && !claim.used && entry.outages.isEmpty())
            continue;
        entries.append(entry);
    }
    if (entries == m_entries)
        return;
    m_entries = entries;
    Q_EMIT changed();
}

} // namespace Nimbus
