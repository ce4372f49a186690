#pragma once

#include <QTableView>

class QMenu;

namespace Nimbus
{

/// A sortable, keyboard-friendly table whose selected rows copy to the clipboard as tab-separated text
/// (Ctrl+C or the context menu).
class CopyableTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CopyableTableView)

public:
    explicit CopyableTableView(QWidget *parent = nullptr);
    ~CopyableTableView() override;

    /// The selected rows (or the current row if none is selected) as text, in view order.
    QString selectedText() const;

public Q_SLOTS:
    void copySelection();

Q_SIGNALS:
    /// The context menu for `index` (the current row's, when opened from the keyboard) is about to open: add to it.
    void contextMenuAboutToShow(QMenu *menu, const QModelIndex &index);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
};

} // namespace Nimbus
