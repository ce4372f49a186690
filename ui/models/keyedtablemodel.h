#pragma once

#include <functional>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace Nimbus
{

/// Rows identified by a string key, updated incrementally: rows that vanish are removed, rows that
/// changed get dataChanged for their row only, new rows are appended in one insert.
/// `Row` needs `QString key() const` and `operator==`.
template<typename Row>
class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
    }

    /// The row with `key`, or -1.
    int rowOf(const QString &key) const { return m_index.value(key, -1); }

protected:
    const Row *rowAt(const QModelIndex &index) const
    {
        if (!index.isValid() || index.parent().isValid() || index.row() < 0 || index.row() >= m_rows.size())
            return nullptr;
        return &m_rows.at(index.row());
    }

    /// Makes the rows for which `inScope` is true equal to `incoming` (all rows if `inScope` is empty).
    void replaceScope(const QList<Row> &incoming, const std::function<bool(const Row &)> &inScope)
    {
        QHash<QString, qsizetype> wanted;
        QList<Row> unique;
        for (const Row &row : incoming) {
            const auto it = wanted.constFind(row.key());
            if (it != wanted.constEnd()) {
                unique[*it] = row;
            } else {
                wanted.insert(row.key(), unique.size());
                unique.append(row);
            }
        }
        // Remove vanished rows, grouping contiguous runs, from the end so indexes stay valid.
        int i = static_cast<int>(m_rows.size()) - 1;
        while (i >= 0) {
            const auto gone = [&](int r) {
                const Row &row = m_rows.at(r);
                return (!inScope || inScope(row)) && !wanted.contains(row.key());
            };
            if (!gone(i)) {
                --i;
                continue;
            }
            const int last = i;
            while (i - 1 >= 0 && gone(i - 1))
                --i;
            beginRemoveRows(QModelIndex(), i, last);
            m_rows.remove(i, last - i + 1);
            // Before endRemoveRows: its listeners may look rows up by key.
            rebuildIndex();
            endRemoveRows();
            --i;
        }
        QList<Row> appended;
        for (const Row &row : std::as_const(unique)) {
            const int r = rowOf(row.key());
            if (r < 0) {
                appended.append(row);
            } else if (!(m_rows.at(r) == row)) {
                m_rows[r] = row;
                Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
            }
        }
        appendRows(appended);
    }

    /// Inserts `row` or updates the row with the same key.
    void upsert(const Row &row)
    {
        const int r = rowOf(row.key());
        if (r < 0) {
            appendRows({row});
        } else if (!(m_rows.at(r) == row)) {
            m_rows[r] = row;
            Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
        }
    }

    bool removeKey(const QString &key)
    {
        const int r = rowOf(key);
        if (r < 0)
            return false;
        beginRemoveRows(QModelIndex(), r, r);
        m_rows.removeAt(r);
        rebuildIndex();
        endRemoveRows();
        return true;
    }

    void clearRows()
    {
        if (m_rows.isEmpty())
            return;
        beginRemoveRows(QModelIndex(), 0, static_cast<int>(m_rows.size()) - 1);
        m_rows.clear();
        m_index.clear();
        endRemoveRows();
    }

    QList<Row> m_rows;

private:
    void appendRows(const QList<Row> &rows)
    {
        if (rows.isEmpty())
            return;
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + static_cast<int>(rows.size()) - 1);
        for (const Row &row : rows) {
            m_index.insert(row.key(), static_cast<int>(m_rows.size()));
            m_rows.append(row);
        }
        endInsertRows();
    }

    void rebuildIndex()
    {
        m_index.clear();
        for (qsizetype r = 0; r < m_rows.size(); ++r)
            m_index.insert(m_rows.at(r).key(), static_cast<int>(r));
    }

    QHash<QString, int> m_index;
};

} // namespace Nimbus
