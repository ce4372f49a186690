#include "ui/models/claimmodel.h"

#include <QBrush>

#include "ui/common/format.h"
#include "ui/models/nodenames.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

QString ClaimRow::key() const
{
    return network + u'\x1f' + range;
}

ClaimRow ClaimRow::fromClaim(const Protocol::Claim &claim)
{
    ClaimRow r;
    r.network = claim.network;
    r.range = claim.range;
    r.servedBy = claim.servedBy;
    r.claimants = claim.claimants;
    r.local = claim.local;
    r.used = claim.used;
    r.serving = claim.serving;
    return r;
}

ClaimModel::ClaimModel(QObject *parent) : KeyedTableModel<ClaimRow>(parent)
{
}

ClaimModel::~ClaimModel() = default;

int ClaimModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClaimModel::data(const QModelIndex &index, int role) const
{
    const ClaimRow *row = rowAt(index);
    if (!row || index.column() < 0 || index.column() >= ColumnCount)
        return QVariant();
    const auto column = static_cast<Column>(index.column());
    const bool unreachable = !row->servedBy && !row->local;
    const NodeDisplay server = resolveNode(m_names, row->network, row->servedBy);
    const QString servedBy = row->local && !row->servedBy ? tr("this node") : server.text;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Range:
            return row->range;
        case ServedBy:
            return unreachable ? tr("nobody (unreachable)") : servedBy;
        case OtherClaimants: {
            QStringList others;
            const QString current = row->servedBy ? row->servedBy->nodeId : QString();
            for (const Protocol::Claimant &claimant : row->claimants) {
                if (!current.isEmpty() && claimant.node.nodeId == current)
                    continue;
                others.append(resolveNode(m_names, row->network, claimant.node).text);
            }
            if (row->local && row->servedBy)
                others.prepend(tr("this node"));
            return others.join(u", "_s);
        }
        case Used:
            if (row->local)
                return row->serving ? tr("Served here") : tr("Local");
            return row->used ? tr("Yes") : tr("No");
        case Network:
            return row->network;
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        if (column == Range)
            return Format::addressSortKey(row->range);
        if (column == Used)
            return (row->local ? 2 : 0) + (row->used || row->serving ? 1 : 0);
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        if (column == ServedBy && unreachable)
            return tr("No live node claims this range; traffic to it is dropped.");
        if (column == ServedBy)
            return server.toolTip;
        if (column == OtherClaimants) {
            QStringList lines;
            const QString current = row->servedBy ? row->servedBy->nodeId : QString();
            for (const Protocol::Claimant &claimant : row->claimants) {
                if (!current.isEmpty() && claimant.node.nodeId == current)
                    continue;
                const NodeDisplay d = resolveNode(m_names, row->network, claimant.node);
                lines.append(d.text + u": "_s + QString(d.toolTip).replace(u'\n', u"; "_s));
            }
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
        }
        return QVariant();
    case Qt::ForegroundRole:
        if (unreachable && (column == ServedBy || column == Range))
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        return QVariant();
    case KeyRole:
        return row->key();
    case UnreachableRole:
        return unreachable;
    default:
        break;
    }
    return QVariant();
}

QVariant ClaimModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Range:
        return tr("Address range");
    case ServedBy:
        return tr("Served by");
    case OtherClaimants:
        return tr("Other claimants");
    case Used:
        return tr("Used by this client");
    case Network:
        return tr("Network");
    default:
        return QVariant();
    }
}

namespace
{

/// The entries of \a claims that are valid Claims (the others are left out).
QList<Protocol::Claim> validClaims(const QJsonArray &claims)
{
    QList<Protocol::Claim> valid;
    valid.reserve(claims.size());
    for (const QJsonValue &v : claims) {
        Result<Protocol::Claim> claim = Protocol::Claim::fromJson(v.toObject());
        if (claim)
            valid.append(std::move(claim).value());
    }
    return valid;
}

} // namespace

void ClaimModel::setClaims(const QJsonArray &claims)
{
    setClaims(validClaims(claims));
}

void ClaimModel::setClaims(const QList<Protocol::Claim> &claims)
{
    QList<ClaimRow> rows;
    rows.reserve(claims.size());
    for (const Protocol::Claim &claim : claims) {
        if (!claim.range.isEmpty())
            rows.append(ClaimRow::fromClaim(claim));
    }
    learnNames(m_names, rows);
    replaceScope(rows, {});
}

void ClaimModel::setNetworkClaims(const QString &network, const QJsonArray &claims)
{
    setNetworkClaims(network, validClaims(claims));
}

void ClaimModel::setNetworkClaims(const QString &network, const QList<Protocol::Claim> &claims)
{
    QList<ClaimRow> rows;
    rows.reserve(claims.size());
    for (const Protocol::Claim &claim : claims) {
        if (claim.range.isEmpty())
            continue;
        ClaimRow row = ClaimRow::fromClaim(claim);
        row.network = network;
        rows.append(row);
    }
    learnNames(m_names, rows);
    replaceScope(rows, [network](const ClaimRow &r) { return r.network == network; });
}

void ClaimModel::removeNetwork(const QString &network)
{
    replaceScope({}, [network](const ClaimRow &r) { return r.network == network; });
}

void ClaimModel::clear()
{
    clearRows();
}

const ClaimRow *ClaimModel::claimAt(int row) const
{
    return rowAt(index(row, 0));
}

const QList<ClaimRow> &ClaimModel::claims() const
{
    return m_rows;
}

void ClaimModel::learnNames(NodeNames *names, const QList<ClaimRow> &rows)
{
    if (!names)
        return;
    for (const ClaimRow &row : rows) {
        if (row.servedBy)
            names->learn(row.network, *row.servedBy);
        for (const Protocol::Claimant &claimant : row.claimants)
            names->learn(row.network, claimant.node);
    }
}

void ClaimModel::setNodeNames(NodeNames *names)
{
    if (names && names != m_names)
        learnNames(names, m_rows);
    bindNodeNames(m_names, names, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, ServedBy), index(rowCount() - 1, OtherClaimants));
    });
}

} // namespace Nimbus
