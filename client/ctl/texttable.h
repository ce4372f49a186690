#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Nimbus
{

/// A plain text table with aligned columns (two spaces apart, the last column not padded), for nimbusctl.
class TextTable
{
public:
    explicit TextTable(const QStringList &headers);

    /// Adds a row; missing cells are empty, extra cells are dropped.
    void addRow(const QStringList &cells);
    bool isEmpty() const { return m_rows.isEmpty(); }
    /// The header line and the rows, each ending with a newline.
    QString toString() const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

} // namespace Nimbus
