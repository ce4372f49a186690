#include "ui/models/eventmodel.h"

#include <QBrush>
#include <QJsonDocument>

#include "ui/common/format.h"

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

EventModel::EventModel(QObject *parent) : QAbstractTableModel(parent)
{
}

EventModel::~EventModel() = default;

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventModel::kindText(Kind kind) const
{
    switch (kind) {
    case Kind::Failover:
        return tr("Failover");
    case Kind::Recovered:
        return tr("Connection recovered");
    case Kind::LocalChange:
        return tr("This computer");
    case Kind::PeerConnected:
        return tr("Peer connected");
    case Kind::PeerDisconnected:
        return tr("Peer disconnected");
    case Kind::NetworkState:
        return tr("Network state");
    case Kind::Log:
        return tr("Helper message");
    case Kind::Local:
        return tr("Nimbus");
    }
    return QString();
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= m_rows.size()
        || index.column() < 0 || index.column() >= ColumnCount)
        return QVariant();
    const Row &row = m_rows.at(index.row());
    const auto column = static_cast<Column>(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Time:
            return Format::timestamp(row.timeMs);
        case Network:
            return row.network;
        case Event:
            return kindText(row.kind);
        case Details:
            return row.details;
        case Duration:
            return row.durationMs >= 0 ? Format::duration(row.durationMs) : QString();
        case ColumnCount:
            break;
        }
        break;
    case SortRole:
        if (column == Time)
            return row.timeMs * 4096 + index.row() % 4096;
        if (column == Duration)
            return row.durationMs;
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        if (column == Details)
            return row.details;
        return QVariant();
    case Qt::ForegroundRole:
        if (row.kind == Kind::Failover && column == Event)
            return QBrush(QColor(0xb3, 0x5c, 0x00));
        if (row.kind == Kind::PeerDisconnected && column == Event)
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        return QVariant();
    case KindRole:
        return QVariant::fromValue(row.kind);
    default:
        break;
    }
    return QVariant();
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Network:
        return tr("Network");
    case Event:
        return tr("Event");
    case Details:
        return tr("Details");
    case Duration:
        return tr("Unreachable for");
    default:
        return QVariant();
    }
}

bool EventModel::addHelperEvent(const QString &name, qint64 timeMs, const QJsonObject &data)
{
    Row row;
    row.timeMs = timeMs;
    row.network = data.value(u"network"_s).toString();
    const QString nodeText = Format::node(data);
    if (name == u"route.failover") {
        row.kind = Kind::Failover;
        const QJsonValue from = data.value(u"from"_s);
        const QJsonValue to = data.value(u"to"_s);
        row.details = tr("%1: %2 → %3 (%4)")
                          .arg(data.value(u"range"_s).toString(),
                              Format::node(from.toObject()),
                              Format::node(to.toObject()),
                              Format::reason(data.value(u"reason"_s).toString()));
        row.durationMs = qMax<qint64>(0, static_cast<qint64>(data.value(u"unreachableMs"_s).toDouble()));
    } else if (name == u"path.recovered") {
        row.kind = Kind::Recovered;
        const QJsonObject peer = data.value(u"peer"_s).toObject();
        const QString cause = data.value(u"cause"_s).toString();
        if (cause == u"peer-roamed") {
            row.details = tr("%1 moved to another address (was %2); traffic follows it")
                              .arg(Format::node(peer), data.value(u"previousAddress"_s).toString());
        } else if (cause == u"roamed") {
            row.details = tr("%1 reached again from this computer's new network").arg(Format::node(peer));
        } else if (cause == u"resumed") {
            row.details = tr("%1 reached again after this computer woke up").arg(Format::node(peer));
        } else {
            row.details = tr("%1 answers again after a silence").arg(Format::node(peer));
        }
        row.durationMs = qMax<qint64>(0, static_cast<qint64>(data.value(u"gapMs"_s).toDouble()));
    } else if (name == u"network.changed") {
        row.kind = Kind::LocalChange;
        row.details = tr("Network changed (%1): checking every connection").arg(data.value(u"what"_s).toString());
    } else if (name == u"network.resumed") {
        row.kind = Kind::LocalChange;
        row.details = tr("Woke up after %1: checking every connection")
                          .arg(Format::duration(static_cast<qint64>(data.value(u"pausedMs"_s).toDouble())));
    } else if (name == u"peer.connected") {
        row.kind = Kind::PeerConnected;
        const QString algorithm = data.value(u"algorithm"_s).toString();
        row.details = algorithm.isEmpty() ? tr("%1 connected").arg(nodeText)
                                          : tr("%1 connected, encryption %2").arg(nodeText, algorithm);
    } else if (name == u"peer.disconnected") {
        row.kind = Kind::PeerDisconnected;
        row.details = tr("%1 disconnected: %2").arg(nodeText, Format::reason(data.value(u"reason"_s).toString()));
    } else if (name == u"network.state") {
        row.kind = Kind::NetworkState;
        const QString state = data.value(u"state"_s).toString();
        const QString error = data.value(u"error"_s).toString();
        row.details
            = error.isEmpty() ? Format::networkState(state) : tr("%1: %2").arg(Format::networkState(state), error);
    } else if (name == u"log") {
        row.kind = Kind::Log;
        row.details = data.value(u"message"_s).toString();
    } else {
        return false;
    }
    row.fingerprint = name + u'\x1f' + QString::number(timeMs) + u'\x1f'
        + QString::fromUtf8(QJsonDocument(data).toJson(QJsonDocument::Compact));
    if (m_fingerprints.contains(row.fingerprint))
        return true;
    append(row);
    return true;
}

void EventModel::addSnapshotEvents(const QJsonArray &events)
{
    for (const QJsonValue &v : events) {
        const QJsonObject e = v.toObject();
        addHelperEvent(e.value(u"event"_s).toString(),
            static_cast<qint64>(e.value(u"time"_s).toDouble()),
            e.value(u"data"_s).toObject());
    }
}

void EventModel::addLocal(qint64 timeMs, const QString &text)
{
    Row row;
    row.timeMs = timeMs;
    row.kind = Kind::Local;
    row.details = text;
    append(row);
}

QString EventModel::rowsAsText(const QList<int> &rows) const
{
    QString out;
    for (const int r : rows) {
        if (r < 0 || r >= m_rows.size())
            continue;
        QStringList fields;
        for (int c = 0; c < ColumnCount; ++c)
            fields.append(data(index(r, c), Qt::DisplayRole).toString());
        out += fields.join(u'\t') + u'\n';
    }
    return out;
}

void EventModel::setMaximumRows(int rows)
{
    m_maximumRows = qMax(1, rows);
    trim();
}

int EventModel::maximumRows() const
{
    return m_maximumRows;
}

void EventModel::append(const Row &row)
{
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows(QModelIndex(), first, first);
    m_rows.append(row);
    if (!row.fingerprint.isEmpty())
        m_fingerprints.insert(row.fingerprint);
    endInsertRows();
    trim();
}

void EventModel::trim()
{
    const qsizetype excess = m_rows.size() - m_maximumRows;
    if (excess <= 0)
        return;
    beginRemoveRows(QModelIndex(), 0, static_cast<int>(excess) - 1);
    for (qsizetype i = 0; i < excess; ++i)
        m_fingerprints.remove(m_rows.at(i).fingerprint);
    m_rows.remove(0, excess);
    endRemoveRows();
}

} // namespace Nimbus
