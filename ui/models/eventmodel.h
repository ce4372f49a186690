#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QSet>

#include "core/protocol/events.h"
#include "core/protocol/types.h"

namespace Nimbus
{

class NodeNames;

/// The events timeline: route changes (an address becoming reachable, failovers with when they were detected and
/// how long traffic had no path, switchbacks, moves, losses), peer connects and disconnects (with the reason),
/// network state changes, helper log lines and local notes. Nodes are named by NodeNames when set. Append-only,
/// bounded.
class EventModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventModel)

public:
    enum Column { Time, Network, Event, Details, Duration, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        KindRole,
    };
    enum class Kind {
        Failover, ///< the serving node failed; another serves the address
        Reachable, ///< an address got its first route
        Switchback, ///< back to a node preferred over the serving one
        Move, ///< a change with no failure (balancing, a more specific claim)
        Lost, ///< the serving node failed and nobody serves the address
        Recovered, ///< a path came back without a failover (path.recovered)
        LocalChange, ///< this computer changed networks or woke up (network.changed, network.resumed)
        PeerConnected,
        PeerDisconnected,
        NetworkState,
        Log,
        Local,
    };
    Q_ENUM(Kind)

    explicit EventModel(QObject *parent = nullptr);
    ~EventModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Adds a helper event if it belongs in the timeline; returns false for others (stats, claims.changed).
    bool addHelperEvent(const QString &name, qint64 timeMs, const QJsonObject &data);
    /// Adds the recent events of an events.subscribe snapshot ({event, time, data} objects), skipping
    /// those already shown (a re-subscribe repeats them).
    void addSnapshotEvents(const QJsonArray &events);
    void addSnapshotEvents(const QList<Protocol::RecentEvent> &events);
    /// A note from the GUI itself ("lost the connection to the helper").
    void addLocal(qint64 timeMs, const QString &text);
    /// Tab-separated text of the given rows, one line each, for the clipboard.
    QString rowsAsText(const QList<int> &rows) const;

    void setMaximumRows(int rows);
    int maximumRows() const;

    /// The route change shown in `row` (route.failover), or nullopt.
    std::optional<Protocol::FailoverEvent> routeChangeAt(int row) const;
    /// When the event in `row` happened (Unix epoch ms).
    qint64 timeAt(int row) const;
    /// Names nodes (Format::nodeName); learns the helper's names from route changes. May be null.
    void setNodeNames(NodeNames *names);

private:
    struct Row {
        qint64 timeMs = 0;
        QString network;
        Kind kind = Kind::Local;
        QString details; ///< for events that name no node
        qint64 durationMs = -1;
        QString fingerprint;
        // Events that name nodes keep their payload: the names are looked up when shown (a label may change).
        std::optional<Protocol::FailoverEvent> route;
        std::optional<Protocol::Peer> peer;
        std::optional<Protocol::PeerDisconnectedEvent> left;
        std::optional<Protocol::PathRecoveredEvent> recovered;
    };

    void append(const Row &row);
    void trim();
    QString kindText(Kind kind) const;
    QString detailsOf(const Row &row) const;
    QString toolTipOf(const Row &row) const;
    QString nodeText(const QString &network, const std::optional<Protocol::NodeRef> &node) const;

    QList<Row> m_rows;
    QSet<QString> m_fingerprints;
    QPointer<NodeNames> m_names;
    int m_maximumRows = 2000;
};

} // namespace Nimbus
