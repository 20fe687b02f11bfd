#pragma once
// One line of text with some ranges bold and coloured (a title's search matches), elided with
// "…" when it is wider than its cell. Drawn with one QTextLayout and format ranges: the table
// paints dozens of these per keystroke, and an HTML QTextDocument per cell cost ~0.5 ms each.

#include "titlehighlighter.h"

#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>
#include <QTextLayout>

#include <memory>

class QPaintDevice;
class QPainter;

namespace paperlab::gui {

// The line laid out for `device` and elided at `width` with "…" (bold glyphs are measured as
// bold), matches bold in `hit`; null when there is nothing to draw. CellTextCache keeps it and
// draws it with drawLaidOut.
std::shared_ptr<QTextLayout> layOutHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches,
                                               const QFont &font, qreal width, const QColor &hit, QPaintDevice *device);
// Draws a laid-out line vertically centred in `rect`, its unformatted runs in `textColour`.
void drawLaidOut(QPainter *painter, const QRect &rect, const QTextLayout &layout, const QColor &textColour);

// What layOutHighlighted lays out, as text and formats: `text` itself, or cut at `width` with
// "…" appended; `formats` clipped to it.
struct HighlightedLine {
    QString text;
    QList<QTextLayout::FormatRange> formats;
};
HighlightedLine elideHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches, const QFont &font,
                                 qreal width, const QColor &hit);

} // namespace paperlab::gui
