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

// The layout's text: `text` itself, or cut at `width` with "…" appended; `formats` clipped to it.
struct HighlightedLine {
    QString text;
    QList<QTextLayout::FormatRange> formats;
};
HighlightedLine elideHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches, const QFont &font,
                                 qreal width, const QColor &hit);

// The line laid out for `device` and elided at `width` (null when there is nothing to draw):
// what drawHighlighted draws, for callers that keep it and draw it again (CellTextCache).
std::shared_ptr<QTextLayout> layOutHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches,
                                               const QFont &font, qreal width, const QColor &hit, QPaintDevice *device);
// Draws a laid-out line vertically centred in `rect`, its unformatted runs in `textColour`.
void drawLaidOut(QPainter *painter, const QRect &rect, const QTextLayout &layout, const QColor &textColour);

// Draws the line vertically centred in `rect`, unmatched text in `text`, matches bold in `hit`.
void drawHighlighted(QPainter *painter, const QRect &rect, const QString &text,
                     const QList<TitleHighlighter::Match> &matches, const QFont &font, const QColor &textColour,
                     const QColor &hit);

} // namespace paperlab::gui
