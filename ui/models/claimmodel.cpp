#include "ui/models/claimmodel.h"

#include <QBrush>

#include "ui/common/format.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

QString ClaimRow::key() const
{
    return network + u'\x1f' + range;
}

ClaimRow ClaimRow::fromJson(const QJsonObject &claim, const QString &network)
{
    ClaimRow r;
    r.network = claim.value(u"network"_s).toString(network);
    if (r.network.isEmpty())
        r.network = network;
    r.range = claim.value(u"range"_s).toString();
    r.servedBy = claim.value(u"servedBy"_s).toObject();
    r.claimants = claim.value(u"claimants"_s).toArray();
    r.local = claim.value(u"local"_s).toBool();
    r.used = claim.value(u"used"_s).toBool();
    r.serving = claim.value(u"serving"_s).toBool();
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
    const bool unreachable = row->servedBy.isEmpty() && !row->local;
    const QString servedBy = row->local && row->servedBy.isEmpty() ? tr("this node") : Format::node(row->servedBy);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Range:
            return row->range;
        case ServedBy:
            return unreachable ? tr("nobody (unreachable)") : servedBy;
        case OtherClaimants: {
            QStringList others;
            const QString current = row->servedBy.value(u"nodeId"_s).toString();
            for (const QJsonValue &c : row->claimants) {
                const QJsonObject claimant = c.toObject();
                if (!current.isEmpty() && claimant.value(u"nodeId"_s).toString() == current)
                    continue;
                others.append(Format::node(claimant));
            }
            if (row->local && !row->servedBy.isEmpty())
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
            return row->servedBy.value(u"nodeId"_s).toString();
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

void ClaimModel::setClaims(const QJsonArray &claims)
{
    QList<ClaimRow> rows;
    rows.reserve(claims.size());
    for (const QJsonValue &v : claims) {
        ClaimRow row = ClaimRow::fromJson(v.toObject());
        if (!row.range.isEmpty())
            rows.append(row);
    }
    replaceScope(rows, {});
}

void ClaimModel::setNetworkClaims(const QString &network, const QJsonArray &claims)
{
    QList<ClaimRow> rows;
    rows.reserve(claims.size());
    for (const QJsonValue &v : claims) {
        ClaimRow row = ClaimRow::fromJson(v.toObject(), network);
        row.network = network;
        if (!row.range.isEmpty())
            rows.append(row);
    }
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

} // namespace Nimbus
