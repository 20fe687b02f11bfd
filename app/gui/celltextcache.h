#pragma once
// The paper table's plain cells drawn from a cache of laid-out text. Every keystroke repaints
// the visible rows, and most of them are rows the last keystroke showed too (typing a word
// narrows the same newest papers); the style's own path lays each cell's text out twice per
// paint (once to elide, once to draw), which was half of the repaint in paperlab-app-bench.
// Here a cell's text is elided and laid out once per (text, width, font) and drawn from a
// QStaticText after that; a title's highlighted line once per (text, matches, width, font,
// colour of the matches, device resolution).

#include "titlehighlighter.h"

#include <QHash>
#include <QStaticText>
#include <QString>

#include <memory>

class QColor;
class QFont;
class QPaintDevice;
class QPainter;
class QRect;
class QTextLayout;

namespace paperlab::gui {

class CellTextCache {
public:
    // Draws `text` on one line inside `rect` with the painter's pen, elided at the right
    // ("…") when wider, placed by `alignment` (horizontal and vertical flags as Qt takes them).
    void draw(QPainter *painter, const QRect &rect, const QString &text, const QFont &font, int alignment);

    // A title's line with its search matches bold in `hit` (highlightedtext.h), from the cache.
    void drawHighlighted(QPainter *painter, const QRect &rect, const QString &text,
                         const QList<TitleHighlighter::Match> &matches, const QFont &font, const QColor &textColour,
                         const QColor &hit);

    // How many laid-out texts it holds (each kind is forgotten whole past kCapacity).
    int size() const { return int(m_texts.size() + m_lines.size()); }
    static constexpr int kCapacity = 4000;

private:
    const QStaticText &laidOut(const QString &text, int width, const QFont &font, const QPaintDevice *device);
    QHash<QString, QStaticText> m_texts;
    QHash<QString, std::shared_ptr<QTextLayout>> m_lines; // null: nothing to draw
};

} // namespace paperlab::gui
