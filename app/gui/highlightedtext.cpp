#include "highlightedtext.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QTextLine>

namespace paperlab::gui {

namespace {

QList<QTextLayout::FormatRange> formatsFor(const QList<TitleHighlighter::Match> &matches, int length, const QColor &hit)
{
    QTextCharFormat bold;
    bold.setFontWeight(QFont::Bold);
    bold.setForeground(hit);
    QList<QTextLayout::FormatRange> formats;
    for (const TitleHighlighter::Match &m : matches) {
        const int end = qMin(m.start + m.length, length);
        if (m.start < end)
            formats.append({m.start, end - m.start, bold});
    }
    return formats;
}

// A single unwrapped line: a title cell never wraps (the view's rows have a fixed height).
QTextLine layOut(QTextLayout &layout)
{
    QTextOption option;
    option.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    layout.endLayout();
    return line;
}

} // namespace

// Where a too-wide line is cut: the character boundary nearest the right edge, leaving room for
// "…" (bold glyphs are wider, so it is measured on the formatted line, not the plain font);
// -1 when the line fits.
static int elisionCut(const QTextLine &line, const QFont &font, qreal width)
{
    if (!line.isValid() || line.naturalTextWidth() <= width)
        return -1;
    const qreal ellipsis = QFontMetricsF(font).horizontalAdvance(QChar(0x2026));
    return line.xToCursor(qMax<qreal>(0, width - ellipsis));
}

std::shared_ptr<QTextLayout> layOutHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches,
                                               const QFont &font, qreal width, const QColor &hit, QPaintDevice *device)
{
    // Laid out for the device (its DPI), and a second time only when elided.
    auto layout = std::make_shared<QTextLayout>(text, font, device);
    layout->setFormats(formatsFor(matches, int(text.size()), hit));
    QTextLine line = layOut(*layout);
    if (const int cut = elisionCut(line, font, width); cut >= 0) {
        layout->setText(text.left(cut) + QChar(0x2026));
        layout->setFormats(formatsFor(matches, cut, hit));
        line = layOut(*layout);
    }
    return line.isValid() ? layout : nullptr;
}

void drawLaidOut(QPainter *painter, const QRect &rect, const QTextLayout &layout, const QColor &textColour)
{
    const QTextLine line = layout.lineAt(0);
    painter->save();
    painter->setClipRect(rect);
    painter->setPen(textColour); // the unformatted runs take the painter's pen
    layout.draw(painter, QPointF(rect.left(), rect.top() + (rect.height() - line.height()) / 2));
    painter->restore();
}

HighlightedLine elideHighlighted(const QString &text, const QList<TitleHighlighter::Match> &matches, const QFont &font,
                                 qreal width, const QColor &hit)
{
    if (const auto layout = layOutHighlighted(text, matches, font, width, hit, nullptr))
        return {layout->text(), layout->formats()};
    return {text, formatsFor(matches, int(text.size()), hit)};
}

} // namespace paperlab::gui
