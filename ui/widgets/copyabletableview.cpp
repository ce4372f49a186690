#include "ui/widgets/copyabletableview.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>

using namespace Qt::Literals::StringLiterals;

namespace Nimbus
{

CopyableTableView::CopyableTableView(QWidget *parent) : QTableView(parent)
{
    setSortingEnabled(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTabKeyNavigation(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setHighlightSections(false);
    auto *copy = new QAction(tr("&Copy"), this);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &CopyableTableView::copySelection);
    addAction(copy);
}

CopyableTableView::~CopyableTableView() = default;

QString CopyableTableView::selectedText() const
{
    if (!model())
        return QString();
    QList<int> rows;
    const QModelIndexList selected = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    if (rows.isEmpty() && currentIndex().isValid())
        rows.append(currentIndex().row());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());

    const QHeaderView *header = horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns.append(logical);
    }
    QString out;
    for (const int row : std::as_const(rows)) {
        QStringList fields;
        for (const int column : std::as_const(columns))
            fields.append(model()->index(row, column).data(Qt::DisplayRole).toString());
        out += fields.join(u'\t') + u'\n';
    }
    return out;
}

void CopyableTableView::copySelection()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void CopyableTableView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

void CopyableTableView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    const bool fromKeyboard = event->reason() == QContextMenuEvent::Keyboard;
    const QModelIndex index = fromKeyboard ? currentIndex() : indexAt(event->pos());
    Q_EMIT contextMenuAboutToShow(&menu, index);
    if (!menu.isEmpty())
        menu.addSeparator();
    QAction *copy = menu.addAction(tr("&Copy"), this, &CopyableTableView::copySelection);
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(model() && model()->rowCount() > 0);
    menu.addAction(tr("Select &All"), this, &QAbstractItemView::selectAll);
    // From the keyboard (Menu key, Shift+F10) the menu opens at the current row, not where the mouse happens to be.
    const QPoint at = fromKeyboard && index.isValid() ? viewport()->mapToGlobal(visualRect(index).bottomLeft())
                                                      : event->globalPos();
    menu.exec(at);
}

} // namespace Nimbus
