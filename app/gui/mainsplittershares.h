#pragma once
// How the main window's width is first shared between facets, the paper table and the paper
// page. Fixed stretch factors gave the page two fifths of what the facets left: about 305 px
// of a 1024 px window, where a long title took a fifth of the page's height. The page gets
// two fifths of the whole width instead (up to 560 px), the facets 220 to 230 px,
// the table the rest.

#include <QList>

class QSplitter;

namespace paperlab::gui {

// Facets, table and page widths for a splitter `width` pixels wide.
QList<int> mainSplitterSizes(int width);
// Gives `splitter` those sizes when it first shows with its real width, when that is a
// narrow one (900 to 1399 px); wider windows keep the stretch factors' layout.
// Not called when a saved layout was restored: the user's own sizes win.
void shareWhenFirstShown(QSplitter *splitter);
// Cancels that: the sizes came from elsewhere after all (a window taking another's place).
void keepCurrentShares(QSplitter *splitter);

} // namespace paperlab::gui
