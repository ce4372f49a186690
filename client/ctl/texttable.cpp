#include "client/ctl/texttable.h"

namespace Nimbus
{

TextTable::TextTable(const QStringList &headers) : m_headers(headers)
{
}

void TextTable::addRow(const QStringList &cells)
{
    QStringList row = cells.mid(0, m_headers.size());
    while (row.size() < m_headers.size())
        row.append(QString());
    m_rows.append(row);
}

QString TextTable::toString() const
{
    QList<qsizetype> widths;
    for (const QString &h : m_headers)
        widths.append(h.size());
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], row[i].size());
    }
    QString out;
    const auto appendLine = [&](const QStringList &cells) {
        QString line;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 < cells.size())
                line += cells[i].leftJustified(widths[i]) + QStringLiteral("  ");
            else
                line += cells[i];
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out += line + QLatin1Char('\n');
    };
    appendLine(m_headers);
    for (const QStringList &row : m_rows)
        appendLine(row);
    return out;
}

} // namespace Nimbus
