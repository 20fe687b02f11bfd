#include "papersortproxy.h"

#include "papertablemodel.h"

namespace paperlab::gui {

void PaperSortProxy::sort(int column, Qt::SortOrder order)
{
    if (column == m_column && order == m_order)
        return;
    m_column = column;
    m_order = order;
    // Deliberately not QSortFilterProxyModel::sort(): the database orders the ids.
    emit sortRequested(PaperTableModel::sortKeyFor(column), order == Qt::DescendingOrder);
}

} // namespace paperlab::gui
