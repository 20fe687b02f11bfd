#pragma once
// The paper table's view: highlighted titles, in-place editors for status and rating, and
// keyboard shortcuts that work on the selected rows (0-5 rate, Space toggles read).

#include "celltextcache.h"

#include <QStyledItemDelegate>
#include <QTableView>

class QMenu;

namespace paperlab::gui {

class PaperItemDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    mutable CellTextCache m_texts; // paint() is const; the cache is what it fills
};

class PaperTableView : public QTableView {
    Q_OBJECT
public:
    explicit PaperTableView(QWidget *parent = nullptr);

    // Sets status (0 unread, 1 reading, 2 read) or rating on every selected row.
    void setStatusOfSelection(int status);
    void setRatingOfSelection(int rating);
    // The selected rows (the proxy keeps the model's order: sorting happens in SQL).
    QList<int> selectedRows() const;
    // The header's context menu: one checkable entry per column (the title always stays).
    // What it hides is part of the header state MainWindow saves in the settings.
    QMenu *columnMenu();

    // The default columns, fitted to the table's width as it changes (tablecolumns.h) until
    // the user resizes or picks a column.
    void useDefaultColumns();
    // A header the user arranged (the saved one): kept as it is.
    void restoreColumns(const QByteArray &headerState);

    // What the table says while it has no rows (an empty library, a search that found
    // nothing): drawn in the middle of the viewport, so an empty table is never just blank.
    void setEmptyMessage(const QString &message);
    QString emptyMessage() const { return m_emptyMessage; }

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitColumns();

    QString m_emptyMessage;
    bool m_fitColumns = false;
    bool m_fitting = false;
};

} // namespace paperlab::gui
