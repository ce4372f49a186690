#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>

#include "core/protocol/events.h"

namespace Nimbus
{

/// The events timeline: failovers (with how long the range was unreachable), peer connects and disconnects
/// (with the reason), network state changes, helper log lines and local notes. Append-only, bounded.
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
        Failover,
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

private:
    struct Row {
        qint64 timeMs = 0;
        QString network;
        Kind kind = Kind::Local;
        QString details;
        qint64 durationMs = -1;
        QString fingerprint;
    };

    void append(const Row &row);
    void trim();
    QString kindText(Kind kind) const;

    QList<Row> m_rows;
    QSet<QString> m_fingerprints;
    int m_maximumRows = 2000;
};

} // namespace Nimbus
