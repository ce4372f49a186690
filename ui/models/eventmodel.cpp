#include "ui/models/eventmodel.h"

#include <QBrush>
#include <QJsonDocument>

#include "core/protocol/events.h"
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

namespace
{

/// \a data read as T, or nullopt if it is not a valid T.
template<typename T>
std::optional<T> payload(const QJsonObject &data)
{
    Result<T> parsed = T::fromJson(data);
    if (!parsed)
        return std::nullopt;
    return std::move(parsed).value();
}

} // namespace

bool EventModel::addHelperEvent(const QString &name, qint64 timeMs, const QJsonObject &data)
{
    using namespace Protocol;
    const std::optional<EventType> type = eventTypeFromName(name);
    if (!type)
        return false;
    Row row;
    row.timeMs = timeMs;
    switch (*type) {
    case EventType::RouteFailover: {
        const std::optional<FailoverEvent> f = payload<FailoverEvent>(data);
        if (!f)
            return false;
        row.kind = Kind::Failover;
        row.network = f->network;
        row.details = tr("%1: %2 → %3 (%4)")
                          .arg(f->range, Format::node(f->from), Format::node(f->to), Format::reason(f->reason));
        row.durationMs = qMax<qint64>(0, f->unreachableMs);
        break;
    }
    case EventType::PathRecovered: {
        const std::optional<PathRecoveredEvent> e = payload<PathRecoveredEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::Recovered;
        row.network = e->network;
        const QString peer = Format::node(e->peer);
        if (e->cause == u"peer-roamed") {
            row.details = tr("%1 moved to another address (was %2); traffic follows it").arg(peer, e->previousAddress);
        } else if (e->cause == u"roamed") {
            row.details = tr("%1 reached again from this computer's new network").arg(peer);
        } else if (e->cause == u"resumed") {
            row.details = tr("%1 reached again after this computer woke up").arg(peer);
        } else {
            row.details = tr("%1 answers again after a silence").arg(peer);
        }
        row.durationMs = qMax<qint64>(0, e->gapMs);
        break;
    }
    case EventType::NetworkChanged: {
        const std::optional<NetworkChangedEvent> e = payload<NetworkChangedEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::LocalChange;
        row.network = e->network;
        row.details = tr("Network changed (%1): checking every connection").arg(e->what);
        break;
    }
    case EventType::NetworkResumed: {
        const std::optional<NetworkResumedEvent> e = payload<NetworkResumedEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::LocalChange;
        row.network = e->network;
        row.details = tr("Woke up after %1: checking every connection").arg(Format::duration(e->pausedMs));
        break;
    }
    case EventType::PeerConnected: {
        const std::optional<Peer> p = payload<Peer>(data);
        if (!p)
            return false;
        row.kind = Kind::PeerConnected;
        row.network = p->network;
        const QString nodeText = Format::node(p->nodeId, p->address);
        row.details = p->algorithm.isEmpty() ? tr("%1 connected").arg(nodeText)
                                             : tr("%1 connected, encryption %2").arg(nodeText, p->algorithm);
        break;
    }
    case EventType::PeerDisconnected: {
        const std::optional<PeerDisconnectedEvent> e = payload<PeerDisconnectedEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::PeerDisconnected;
        row.network = e->network;
        row.details = tr("%1 disconnected: %2").arg(Format::node(e->nodeId, e->address), Format::reason(e->reason));
        break;
    }
    case EventType::NetworkState: {
        const std::optional<NetworkStateEvent> e = payload<NetworkStateEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::NetworkState;
        row.network = e->network;
        row.details = e->error.isEmpty() ? Format::networkState(e->state)
                                         : tr("%1: %2").arg(Format::networkState(e->state), e->error);
        break;
    }
    case EventType::Log: {
        const std::optional<LogEvent> e = payload<LogEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::Log;
        row.network = e->network;
        row.details = e->message;
        break;
    }
    case EventType::ClaimsChanged:
    case EventType::Stats:
    case EventType::Resync:
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
        if (const std::optional<Protocol::RecentEvent> e = payload<Protocol::RecentEvent>(v.toObject()))
            addHelperEvent(e->event, e->time, e->data);
    }
}

void EventModel::addSnapshotEvents(const QList<Protocol::RecentEvent> &events)
{
    for (const Protocol::RecentEvent &e : events)
        addHelperEvent(e.event, e.time, e.data);
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
