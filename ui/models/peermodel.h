#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QStringList>

#include "core/protocol/types.h"
#include "ui/models/keyedtablemodel.h"

namespace Nimbus
{

class NodeNames;

/// One established peer (control-protocol.md "Peer").
struct PeerRow {
    QString network;
    QString nodeId;
    QString address;
    QString name; ///< the helper's name for the node ("" if none)
    QString nameSource;
    QStringList claims;
    qint64 connectedSince = 0;
    qint64 lastSeen = 0;
    bool suspect = false;
    QString algorithm;
    qint64 rxBytes = 0;
    qint64 txBytes = 0;
    qint64 rxPackets = 0;
    qint64 txPackets = 0;
    bool initiator = false;

    QString key() const;
    static PeerRow fromPeer(const Protocol::Peer &peer);
    static QString keyFor(const QString &network, const QString &nodeId, const QString &address);
    bool operator==(const PeerRow &other) const = default;
};

/// The live peers of every network, fed by the events.subscribe snapshot, peer events and peers.list.
class PeerModel final : public KeyedTableModel<PeerRow>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerModel)

public:
    enum Column { NodeId, Address, Network, Claims, ConnectedSince, Received, Sent, Crypto, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        KeyRole,
        NetworkRole,
        NodeIdRole,
        AddressRole,
    };

    explicit PeerModel(QObject *parent = nullptr);
    ~PeerModel() override;

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the peers of `network` (of every network if empty) with `peers`, incrementally.
    void setPeers(const QJsonArray &peers, const QString &network = QString());
    /// As above, already read.
    void setPeers(const QList<Protocol::Peer> &peers, const QString &network = QString());
    /// peer.connected: adds or updates one peer.
    void upsertPeer(const QJsonObject &peer);
    void upsertPeer(const Protocol::Peer &peer);
    /// peer.disconnected: removes the peer; returns false if it was not listed.
    bool removePeer(const QString &network, const QString &nodeId, const QString &address);
    void removeNetwork(const QString &network);
    void clear();
    /// The number of peers of `network`.
    int peerCount(const QString &network) const;
    /// The peer of `network` with `nodeId` (else at `address`), or null.
    const PeerRow *findPeer(const QString &network, const QString &nodeId, const QString &address) const;

    /// Names nodes (Format::nodeName); learns the helper's names from the peers. May be null.
    void setNodeNames(NodeNames *names);

private:
    QPointer<NodeNames> m_names;
};

} // namespace Nimbus
