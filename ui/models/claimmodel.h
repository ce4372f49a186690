#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>

#include "core/protocol/types.h"
#include "ui/models/keyedtablemodel.h"

namespace Nimbus
{

class NodeNames;

/// One claimed address range of one network (control-protocol.md "Claim").
struct ClaimRow {
    QString network;
    QString range;
    std::optional<Protocol::NodeRef> servedBy;
    QList<Protocol::Claimant> claimants;
    bool local = false;
    bool used = false;
    bool serving = false;

    QString key() const;
    static ClaimRow fromClaim(const Protocol::Claim &claim);
    bool operator==(const ClaimRow &other) const = default;
};

/// Claimed address ranges: who serves each one now, who else claims it, whether this client uses it.
class ClaimModel final : public KeyedTableModel<ClaimRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClaimModel)

public:
    enum Column { Range, ServedBy, OtherClaimants, Used, Network, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        KeyRole,
        UnreachableRole,
    };

    explicit ClaimModel(QObject *parent = nullptr);
    ~ClaimModel() override;

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces every claim (snapshot, claims.list without a network).
    void setClaims(const QJsonArray &claims);
    /// As above, already read.
    void setClaims(const QList<Protocol::Claim> &claims);
    /// claims.changed: replaces the claims of one network.
    void setNetworkClaims(const QString &network, const QJsonArray &claims);
    void setNetworkClaims(const QString &network, const QList<Protocol::Claim> &claims);
    void removeNetwork(const QString &network);
    void clear();

    /// The claim in `row`, or null.
    const ClaimRow *claimAt(int row) const;
    /// Every claim, in model order.
    const QList<ClaimRow> &claims() const;
    /// Names nodes (Format::nodeName); learns the helper's names from the claims. May be null.
    void setNodeNames(NodeNames *names);

private:
    static void learnNames(NodeNames *names, const QList<ClaimRow> &rows);

    QPointer<NodeNames> m_names;
};

} // namespace Nimbus
