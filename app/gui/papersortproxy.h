#pragma once
// The proxy between the paper table and its view. Sorting 100,000 rows in the GUI would
// mean loading them all, so sort() does not reorder here: it asks for the same search
// again with an SQL ORDER BY (the SearchController does that) and the source model resets.
// Filtering is also done in SQL; the proxy stays an identity mapping the view can rely on.

#include "library.h"

#include <QSortFilterProxyModel>

namespace paperlab::gui {

class PaperSortProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int requestedColumn() const { return m_column; }
    Qt::SortOrder requestedOrder() const { return m_order; }

signals:
    void sortRequested(paperlab::SortKey key, bool descending);

private:
    int m_column = -1;
    Qt::SortOrder m_order = Qt::AscendingOrder;
};

} // namespace paperlab::gui
