#pragma once
// The paper table's columns until the user arranges them: a default width for each, and as
// many of them as fit the table's width, the title taking the room the others leave. At
// 1400 px the defaults had no chance in the 400-800 px a table gets: a horizontal scroll
// bar cut the Short column off.

class QHeaderView;

namespace paperlab::gui {

// The default widths and order on `header` (over PaperTableModel's columns), all shown.
void setDefaultColumns(QHeaderView *header);

// Shows the default columns that fit in `width`, dropping the least needed first (Code,
// Tags, Authors, Institutions, Topics, Rating, Status, Year, Venue), while the title would get less than
// its minimum; the title then takes the rest. Hidden ones stay in the header's menu.
void fitDefaultColumns(QHeaderView *header, int width);

} // namespace paperlab::gui
