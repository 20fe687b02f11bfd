#include "tablecolumns.h"

#include "papertablemodel.h"

#include <QHeaderView>

#include <algorithm>
#include <iterator>

namespace paperlab::gui {
namespace {

struct DefaultColumn {
    PaperTableModel::Column column;
    int width;
};

// In the order they are shown (the title is not among them: it takes the rest).
constexpr DefaultColumn kDefaults[] = {
    {PaperTableModel::Abbr, 110},  {PaperTableModel::Authors, 160},      {PaperTableModel::Venue, 80},
    {PaperTableModel::Year, 50},   {PaperTableModel::Institutions, 150}, {PaperTableModel::Topics, 130},
    {PaperTableModel::Tags, 100},  {PaperTableModel::Code, 90},          {PaperTableModel::Status, 70},
    {PaperTableModel::Rating, 80},
};

// Least needed first: the page shows each of these for the selected paper.
constexpr PaperTableModel::Column kDropOrder[] = {
    PaperTableModel::Code,         PaperTableModel::Tags,   PaperTableModel::Authors,
    PaperTableModel::Institutions, PaperTableModel::Topics, PaperTableModel::Rating,
    PaperTableModel::Status,       PaperTableModel::Year,   PaperTableModel::Venue,
};

constexpr int kTitleWidth = 380; // what the title gets when there is room
constexpr int kMinTitle = 260;   // below this a title shows a word or two

int defaultWidth(const QHeaderView *header, int column)
{
    for (const DefaultColumn &d : kDefaults)
        if (d.column == column)
            return std::max(d.width, header->sectionSizeHint(column)); // the heading's own width at least
    return kTitleWidth;
}

} // namespace

void setDefaultColumns(QHeaderView *header)
{
    header->resizeSection(PaperTableModel::Title, kTitleWidth);
    int visual = header->visualIndex(PaperTableModel::Title) + 1;
    for (const DefaultColumn &d : kDefaults) {
        header->setSectionHidden(d.column, false);
        header->resizeSection(d.column, defaultWidth(header, d.column));
        header->moveSection(header->visualIndex(d.column), visual++);
    }
}

void fitDefaultColumns(QHeaderView *header, int width)
{
    int others = 0;
    for (const DefaultColumn &d : kDefaults)
        others += defaultWidth(header, d.column);
    const auto *drop = std::begin(kDropOrder);
    QList<int> hidden;
    for (; width - others < kMinTitle && drop != std::end(kDropOrder); ++drop) {
        hidden << *drop;
        others -= defaultWidth(header, *drop);
    }
    for (const DefaultColumn &d : kDefaults) {
        header->setSectionHidden(d.column, hidden.contains(d.column));
        header->resizeSection(d.column, defaultWidth(header, d.column));
    }
    // Narrower than even the shortest row: the title keeps its minimum and the table scrolls.
    header->resizeSection(PaperTableModel::Title, std::max(kMinTitle / 2, width - others));
}

} // namespace paperlab::gui
