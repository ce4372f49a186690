#include "ui/models/peermodel.h"

#include <QDateTime>
#include <QFont>
#include <QFontDatabase>

#include "ui/common/format.h"
#include "ui/models/nodenames.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

QString PeerRow::keyFor(const QString &network, const QString &nodeId, const QString &address)
{
    return network + u'\x1f' + (nodeId.isEmpty() ? u"@"_s + address : nodeId);
}

QString PeerRow::key() const
{
    return keyFor(network, nodeId, address);
}

PeerRow PeerRow::fromPeer(const Protocol::Peer &peer)
{
    PeerRow r;
    r.network = peer.network;
    r.nodeId = peer.nodeId;
    r.address = peer.address;
    r.name = peer.name;
    r.nameSource = peer.nameSource;
    r.claims = peer.claims;
    r.connectedSince = peer.connectedSince;
    r.lastSeen = peer.lastSeen;
    r.suspect = peer.suspect;
    r.algorithm = peer.algorithm;
    r.rxBytes = peer.rxBytes;
    r.txBytes = peer.txBytes;
    r.rxPackets = peer.rxPackets;
    r.txPackets = peer.txPackets;
    r.initiator = peer.initiator;
    return r;
}

PeerModel::PeerModel(QObject *parent) : KeyedTableModel<PeerRow>(parent)
{
}

PeerModel::~PeerModel() = default;

int PeerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PeerModel::data(const QModelIndex &index, int role) const
{
    const PeerRow *row = rowAt(index);
    if (!row || index.column() < 0 || index.column() >= ColumnCount)
        return QVariant();
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NodeId:
            if (row->nodeId.isEmpty() && row->name.isEmpty())
                return tr("(unknown)");
            return resolveNode(m_names, row->network, row->nodeId, row->address, row->name, row->nameSource).text;
        case Address:
            return row->address;
        case Network:
            return row->network;
        case Claims:
            return row->claims.join(u", "_s);
        case ConnectedSince:
            return Format::timestamp(row->connectedSince);
        case Received:
            return Format::bytes(row->rxBytes);
        case Sent:
            return Format::bytes(row->txBytes);
        case Crypto:
            return row->algorithm.isEmpty() ? tr("none") : row->algorithm;
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        switch (column) {
        case ConnectedSince:
            return row->connectedSince;
        case Received:
            return row->rxBytes;
        case Sent:
            return row->txBytes;
        case NodeId:
            return QString(data(index, Qt::DisplayRole).toString().toLower() + u'\x1f' + row->nodeId);
        case Address:
            return Format::addressSortKey(row->address);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        switch (column) {
        case NodeId:
            return resolveNode(m_names, row->network, row->nodeId, row->address, row->name, row->nameSource).toolTip;
        case Received:
            return tr("%n packet(s) received", nullptr, static_cast<int>(qMin<qint64>(row->rxPackets, INT_MAX)));
        case Sent:
            return tr("%n packet(s) sent", nullptr, static_cast<int>(qMin<qint64>(row->txPackets, INT_MAX)));
        case ConnectedSince:
            return row->initiator ? tr("This node started the handshake.") : tr("The peer started the handshake.");
        default:
            return QVariant();
        }
    case Qt::TextAlignmentRole:
        if (column == Received || column == Sent)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant();
    case Qt::FontRole:
        // A short node id lines up in a fixed font; a name reads better in the normal one.
        if (column == NodeId
            && resolveNode(m_names, row->network, row->nodeId, row->address, row->name, row->nameSource)
                   .source.isEmpty())
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return QVariant();
    case KeyRole:
        return row->key();
    case NetworkRole:
        return row->network;
    case NodeIdRole:
        return row->nodeId;
    case AddressRole:
        return row->address;
    default:
        break;
    }
    return QVariant();
}

QVariant PeerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NodeId:
        return tr("Node");
    case Address:
        return tr("Address");
    case Network:
        return tr("Network");
    case Claims:
        return tr("Claims");
    case ConnectedSince:
        return tr("Connected since");
    case Received:
        return tr("Received");
    case Sent:
        return tr("Sent");
    case Crypto:
        return tr("Encryption");
    default:
        return QVariant();
    }
}

void PeerModel::setPeers(const QJsonArray &peers, const QString &network)
{
    // Entries that are not a valid Peer are left out; the others are shown.
    QList<Protocol::Peer> valid;
    valid.reserve(peers.size());
    for (const QJsonValue &v : peers) {
        Result<Protocol::Peer> peer = Protocol::Peer::fromJson(v.toObject());
        if (v.isObject() && peer)
            valid.append(std::move(peer).value());
    }
    setPeers(valid, network);
}

void PeerModel::setPeers(const QList<Protocol::Peer> &peers, const QString &network)
{
    QList<PeerRow> rows;
    rows.reserve(peers.size());
    for (const Protocol::Peer &peer : peers) {
        if (!network.isEmpty() && peer.network != network)
            continue;
        if (peer.nodeId.isEmpty() && peer.address.isEmpty())
            continue;
        if (m_names)
            m_names->learn(peer);
        rows.append(PeerRow::fromPeer(peer));
    }
    if (network.isEmpty())
        replaceScope(rows, {});
    else
        replaceScope(rows, [network](const PeerRow &r) { return r.network == network; });
}

void PeerModel::upsertPeer(const QJsonObject &peer)
{
    if (const Result<Protocol::Peer> parsed = Protocol::Peer::fromJson(peer))
        upsertPeer(*parsed);
}

void PeerModel::upsertPeer(const Protocol::Peer &peer)
{
    const PeerRow row = PeerRow::fromPeer(peer);
    if (row.nodeId.isEmpty() && row.address.isEmpty())
        return;
    if (m_names)
        m_names->learn(peer);
    // A peer that reconnects from a new address keeps its node id; one without an id is keyed by address.
    upsert(row);
}

bool PeerModel::removePeer(const QString &network, const QString &nodeId, const QString &address)
{
    if (removeKey(PeerRow::keyFor(network, nodeId, address)))
        return true;
    // The helper may know the id only at disconnect time; fall back to the address.
    for (const PeerRow &row : std::as_const(m_rows)) {
        if (row.network == network && !address.isEmpty() && row.address == address)
            return removeKey(row.key());
    }
    return false;
}

void PeerModel::removeNetwork(const QString &network)
{
    replaceScope({}, [network](const PeerRow &r) { return r.network == network; });
}

void PeerModel::clear()
{
    clearRows();
}

const PeerRow *PeerModel::findPeer(const QString &network, const QString &nodeId, const QString &address) const
{
    // Compare keys: while rows are being removed the index may still point at the old rows.
    const QString key = PeerRow::keyFor(network, nodeId, address);
    const int r = rowOf(key);
    if (r >= 0 && r < m_rows.size() && m_rows.at(r).key() == key)
        return &m_rows.at(r);
    for (const PeerRow &row : m_rows) {
        if (row.key() == key)
            return &row;
        if (row.network == network && !address.isEmpty() && row.address == address)
            return &row;
    }
    return nullptr;
}

void PeerModel::setNodeNames(NodeNames *names)
{
    if (names && names != m_names) {
        for (const PeerRow &row : std::as_const(m_rows))
            names->learn(row.network, row.nodeId, row.address, row.name, row.nameSource, row.claims);
    }
    bindNodeNames(m_names, names, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, NodeId), index(rowCount() - 1, NodeId));
    });
}

int PeerModel::peerCount(const QString &network) const
{
    int n = 0;
    for (const PeerRow &row : m_rows) {
        if (row.network == network)
            ++n;
    }
    return n;
}

} // namespace Nimbus
