#include "ui/models/eventmodel.h"

#include <QBrush>
#include <QJsonDocument>

#include "core/protocol/events.h"
#include "ui/common/format.h"
#include "ui/models/nodenames.h"

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
        return Format::routeChangeKindText(u"failover"_s);
    case Kind::Reachable:
        return Format::routeChangeKindText(u"reachable"_s);
    case Kind::Switchback:
        return Format::routeChangeKindText(u"switchback"_s);
    case Kind::Move:
        return Format::routeChangeKindText(u"move"_s);
    case Kind::Lost:
        return Format::routeChangeKindText(u"lost"_s);
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
            return detailsOf(row);
        case Duration:
            if (row.kind == Kind::Failover && row.durationMs < 0)
                return Format::noPath(-1);
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
        if (column == Details || column == Event || column == Duration)
            return toolTipOf(row);
        return QVariant();
    case Qt::ForegroundRole:
        if (row.kind == Kind::Failover && column == Event)
            return QBrush(QColor(0xb3, 0x5c, 0x00));
        if ((row.kind == Kind::PeerDisconnected || row.kind == Kind::Lost) && column == Event)
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
        return tr("No path for");
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
        const QString kind = Format::routeChangeKind(*f);
        row.kind = kind == u"reachable" ? Kind::Reachable
            : kind == u"switchback"     ? Kind::Switchback
            : kind == u"move"           ? Kind::Move
            : kind == u"lost"           ? Kind::Lost
                                        : Kind::Failover;
        row.network = f->network;
        row.route = f;
        // The figure that leads is how long traffic had no path (-1: the helper could not see it).
        row.durationMs = f->noPathMs;
        if (m_names) {
            if (f->from)
                m_names->learn(f->network, *f->from);
            if (f->to)
                m_names->learn(f->network, *f->to);
        }
        break;
    }
    case EventType::PathRecovered: {
        const std::optional<PathRecoveredEvent> e = payload<PathRecoveredEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::Recovered;
        row.network = e->network;
        row.recovered = e;
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
        row.peer = p;
        if (m_names)
            m_names->learn(*p);
        break;
    }
    case EventType::PeerDisconnected: {
        const std::optional<PeerDisconnectedEvent> e = payload<PeerDisconnectedEvent>(data);
        if (!e)
            return false;
        row.kind = Kind::PeerDisconnected;
        row.network = e->network;
        row.left = e;
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

QString EventModel::nodeText(const QString &network, const std::optional<Protocol::NodeRef> &node) const
{
    return resolveNode(m_names, network, node).text;
}

QString EventModel::detailsOf(const Row &row) const
{
    if (const std::optional<Protocol::FailoverEvent> &f = row.route) {
        const QString kind = Format::routeChangeKind(*f);
        const QString from = nodeText(f->network, f->from);
        const QString address = f->address.isEmpty() ? f->range.section(u'/', 0, 0) : f->address;
        QString text
            = tr("%1: %2").arg(f->range, Format::routeChange(kind, from, nodeText(f->network, f->to), address));
        if (kind != u"reachable" && !f->reason.isEmpty())
            text += u" ("_s + Format::reason(f->reason) + u')';
        const QStringList facts = Format::routeChangeFacts(*f, kind, from, row.timeMs);
        if (!facts.isEmpty())
            text += u". "_s + facts.join(u"; "_s);
        return text;
    }
    if (const std::optional<Protocol::Peer> &p = row.peer) {
        const QString node = resolveNode(m_names, p->network, p->nodeId, p->address, p->name, p->nameSource).text;
        return p->algorithm.isEmpty() ? tr("%1 connected").arg(node)
                                      : tr("%1 connected, encryption %2").arg(node, p->algorithm);
    }
    if (const std::optional<Protocol::PeerDisconnectedEvent> &e = row.left) {
        const QString node = resolveNode(m_names, e->network, e->nodeId, e->address).text;
        return tr("%1 disconnected: %2").arg(node, Format::reason(e->reason));
    }
    if (const std::optional<Protocol::PathRecoveredEvent> &e = row.recovered) {
        const QString peer = nodeText(e->network, e->peer);
        if (e->cause == u"peer-roamed")
            return tr("%1 moved to another address (was %2); traffic follows it").arg(peer, e->previousAddress);
        if (e->cause == u"roamed")
            return tr("%1 reached again from this computer's new network").arg(peer);
        if (e->cause == u"resumed")
            return tr("%1 reached again after this computer woke up").arg(peer);
        return tr("%1 answers again after a silence").arg(peer);
    }
    return row.details;
}

QString EventModel::toolTipOf(const Row &row) const
{
    const std::optional<Protocol::FailoverEvent> &f = row.route;
    if (!f)
        return detailsOf(row);
    // One labelled fact a line, then who the nodes are.
    const QString kind = Format::routeChangeKind(*f);
    const NodeDisplay from = resolveNode(m_names, f->network, f->from);
    const NodeDisplay to = resolveNode(m_names, f->network, f->to);
    const QString address = f->address.isEmpty() ? f->range.section(u'/', 0, 0) : f->address;
    QStringList lines {Format::routeChange(kind, from.text, to.text, address), tr("Address: %1").arg(f->range)};
    if (kind != u"reachable" && !f->reason.isEmpty())
        lines.append(tr("Reason: %1").arg(Format::reason(f->reason)));
    lines += Format::routeChangeFacts(*f, kind, from.text, row.timeMs);
    if (f->from)
        lines.append(tr("%1: %2").arg(from.text, QString(from.toolTip).replace(u'\n', u", "_s)));
    if (f->to)
        lines.append(tr("%1: %2").arg(to.text, QString(to.toolTip).replace(u'\n', u", "_s)));
    return lines.join(u'\n');
}

std::optional<Protocol::FailoverEvent> EventModel::routeChangeAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return std::nullopt;
    return m_rows.at(row).route;
}

qint64 EventModel::timeAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).timeMs : 0;
}

void EventModel::setNodeNames(NodeNames *names)
{
    bindNodeNames(m_names, names, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    });
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
