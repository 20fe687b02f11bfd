#include "papertableview.h"

#include "highlightedtext.h"
#include "papertablemodel.h"
#include "tablecolumns.h"

#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QStyleOptionFocusRect>

namespace paperlab::gui {

namespace {

// The current cell's focus frame as QCommonStyle draws it for an item view's cell.
void drawFocusFrame(QStyle *style, const QStyleOptionViewItem &opt, QPainter *painter, const QWidget *w)
{
    QStyleOptionFocusRect frame;
    frame.QStyleOption::operator=(opt);
    frame.state |= QStyle::State_HasFocus | QStyle::State_KeyboardFocusChange | QStyle::State_Item;
    frame.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, w);
    const QPalette::ColorGroup cg = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    frame.backgroundColor =
        opt.palette.color(cg, opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
    style->drawPrimitive(QStyle::PE_FrameFocusRect, &frame, painter, w);
}

} // namespace

void PaperItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QList<TitleHighlighter::Match> matches =
        index.column() == PaperTableModel::Title
            ? index.data(PaperTableModel::TitleMatchesRole).value<QList<TitleHighlighter::Match>>()
            : QList<TitleHighlighter::Match>();
    // The style draws the cell (background, selection, focus) without its text, then the text:
    // a title's FTS matches as a highlighted line, any other text from the laid-out cache.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (opt.features & (QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDecoration) ||
        opt.textElideMode != Qt::ElideRight || opt.features & QStyleOptionViewItem::WrapText) {
        QStyledItemDelegate::paint(painter, option, index); // not a plain one-line cell
        return;
    }
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *w = option.widget;
    QStyle *style = w ? w->style() : QApplication::style();
    // A plain cell's focus frame goes over its text, as the style draws it (the frame tints
    // what lies under it); a highlighted title is drawn over the frame, so that its marked
    // words keep the link colour in the current cell.
    const bool focus = matches.isEmpty() && opt.state & QStyle::State_HasFocus;
    if (focus)
        opt.state &= ~QStyle::State_HasFocus;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, w);

    const bool selected = opt.state & QStyle::State_Selected;
    QPalette::ColorGroup group = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const QColor ink = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    // The text's room as the style gives it, less the margin the style keeps beside a cell's
    // text (QCommonStyle: the focus frame's margin + 1), so both paths place text as it would.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, w) + 1;
    const QRect r = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, w).adjusted(margin, 0, -margin, 0);
    if (!matches.isEmpty()) {
        const QColor hit = selected ? ink : opt.palette.color(QPalette::Link);
        m_texts.drawHighlighted(painter, r, text, matches, opt.font, ink, hit);
        return;
    }
    painter->save();
    painter->setPen(ink);
    m_texts.draw(painter, r, text, opt.font, int(opt.displayAlignment));
    painter->restore();
    if (focus)
        drawFocusFrame(style, opt, painter, w);
}

QWidget *PaperItemDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                         const QModelIndex &index) const
{
    if (index.column() == PaperTableModel::Status) {
        auto *box = new QComboBox(parent);
        box->addItems({statusLabel(ReadingStatus::Unread), statusLabel(ReadingStatus::Reading),
                       statusLabel(ReadingStatus::Read)});
        return box;
    }
    if (index.column() == PaperTableModel::Rating) {
        auto *box = new QComboBox(parent);
        for (int i = 0; i <= 5; ++i)
            box->addItem(ratingStars(i));
        return box;
    }
    return QStyledItemDelegate::createEditor(parent, option, index);
}

void PaperItemDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *box = qobject_cast<QComboBox *>(editor))
        box->setCurrentIndex(index.data(Qt::EditRole).toInt());
    else
        QStyledItemDelegate::setEditorData(editor, index);
}

void PaperItemDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    if (auto *box = qobject_cast<QComboBox *>(editor))
        model->setData(index, box->currentIndex());
    else
        QStyledItemDelegate::setModelData(editor, model, index);
}

PaperTableView::PaperTableView(QWidget *parent)
    : QTableView(parent)
{
    setItemDelegate(new PaperItemDelegate(this));
    // Cells are short runs of (mostly Latin) text repainted on every keystroke; shaping them
    // (kerning, ligatures) was the largest part of the table's repaint in paperlab-app-bench.
    // Scripts that need shaping to be legible still get it (Qt skips it only where optional).
    // A font that sets the strategy alone: family and size still follow the application's.
    QFont cells;
    cells.setStyleStrategy(QFont::PreferNoShaping);
    setFont(cells);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setSortingEnabled(true);
    setTabKeyNavigation(false);
    verticalHeader()->hide();
    // Fixed row height: the view never asks 100,000 rows for their size hints.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setSortIndicatorShown(true);
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint &pos) { columnMenu()->popup(horizontalHeader()->viewport()->mapToGlobal(pos)); });
    // A column the user resized is the user's layout from then on.
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting)
            m_fitColumns = false;
    });
}

void PaperTableView::useDefaultColumns()
{
    m_fitting = true;
    setDefaultColumns(horizontalHeader());
    m_fitting = false;
    m_fitColumns = true;
    fitColumns();
}

void PaperTableView::restoreColumns(const QByteArray &headerState)
{
    m_fitColumns = false;
    horizontalHeader()->restoreState(headerState);
}

void PaperTableView::setEmptyMessage(const QString &message)
{
    if (message == m_emptyMessage)
        return;
    m_emptyMessage = message;
    viewport()->update();
}

void PaperTableView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_emptyMessage.isEmpty() || !model() || model()->rowCount() > 0)
        return;
    QPainter painter(viewport());
    QColor colour = palette().color(QPalette::PlaceholderText);
    painter.setPen(colour);
    const QRect area = viewport()->rect().adjusted(24, 24, -24, -24);
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_emptyMessage);
}

void PaperTableView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    fitColumns();
}

void PaperTableView::fitColumns()
{
    if (!m_fitColumns || !model())
        return;
    m_fitting = true;
    fitDefaultColumns(horizontalHeader(), viewport()->width());
    m_fitting = false;
}

QMenu *PaperTableView::columnMenu()
{
    auto *menu = new QMenu(tr("Columns"), this);
    menu->setObjectName(QStringLiteral("columnMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QHeaderView *header = horizontalHeader();
    // In the order the user sees them (sections may have been moved).
    for (int visual = 0; visual < header->count(); ++visual) {
        const int column = header->logicalIndex(visual);
        QAction *a = menu->addAction(model()->headerData(column, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(column));
        a->setEnabled(column != PaperTableModel::Title);
        a->setData(column);
        connect(a, &QAction::toggled, this, [this, header, column](bool shown) {
            m_fitColumns = false; // the user's choice of columns stays
            header->setSectionHidden(column, !shown);
            if (shown && header->sectionSize(column) < 30)
                header->resizeSection(column, 100);
        });
    }
    return menu;
}

QList<int> PaperTableView::selectedRows() const
{
    QList<int> rows;
    if (!selectionModel())
        return rows;
    for (const QModelIndex &i : selectionModel()->selectedRows())
        rows << i.row();
    if (rows.isEmpty() && currentIndex().isValid())
        rows << currentIndex().row();
    return rows;
}

void PaperTableView::setStatusOfSelection(int status)
{
    for (int row : selectedRows())
        model()->setData(model()->index(row, PaperTableModel::Status), status);
}

void PaperTableView::setRatingOfSelection(int rating)
{
    for (int row : selectedRows())
        model()->setData(model()->index(row, PaperTableModel::Rating), rating);
}

void PaperTableView::keyPressEvent(QKeyEvent *event)
{
    if (state() != EditingState && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        const int key = event->key();
        if (key >= Qt::Key_0 && key <= Qt::Key_5) {
            setRatingOfSelection(key - Qt::Key_0);
            return;
        }
        if (key == Qt::Key_Space) {
            // Space: read <-> unread; the common gesture while triaging a list.
            const QModelIndex cur = model()->index(currentIndex().row(), PaperTableModel::Status);
            setStatusOfSelection(cur.data(Qt::EditRole).toInt() == int(ReadingStatus::Read) ? 0 : 2);
            return;
        }
    }
    QTableView::keyPressEvent(event);
}

} // namespace paperlab::gui
