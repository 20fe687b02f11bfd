#include "celltextcache.h"

#include "highlightedtext.h"

#include <QFontMetrics>
#include <QPaintDevice>
#include <QPainter>
#include <QRect>

namespace paperlab::gui {

namespace {

// What every layout depends on besides its text: the font, the room, the device's resolution.
QString layoutKey(const QFont &font, int width, const QPaintDevice *device)
{
    QString key = font.key();
    for (int n : {width, device ? device->logicalDpiX() : 0, device ? device->logicalDpiY() : 0})
        key += QChar(0x1f) + QString::number(n);
    return key;
}

} // namespace

const QStaticText &CellTextCache::laidOut(const QString &text, int width, const QFont &font, const QPaintDevice *device)
{
    const QString key = layoutKey(font, width, device) + QChar(0x1e) + text;
    auto it = m_texts.find(key);
    if (it != m_texts.end())
        return *it;
    // Bounded memory however far the user scrolls: start again rather than track use order.
    if (m_texts.size() >= kCapacity)
        m_texts.clear();
    QStaticText laid(QFontMetrics(font, device).elidedText(text, Qt::ElideRight, width));
    laid.setTextFormat(Qt::PlainText);
    laid.prepare(QTransform(), font);
    return *m_texts.insert(key, laid);
}

void CellTextCache::draw(QPainter *painter, const QRect &rect, const QString &text, const QFont &font, int alignment)
{
    if (text.isEmpty() || rect.width() <= 0)
        return;
    const QStaticText &laid = laidOut(text, rect.width(), font, painter->device());
    const QSizeF size = laid.size();
    qreal x = rect.left(), y = rect.top();
    if (alignment & Qt::AlignRight)
        x = rect.right() + 1 - size.width();
    else if (alignment & Qt::AlignHCenter)
        x = rect.left() + (rect.width() - size.width()) / 2;
    if (alignment & Qt::AlignBottom)
        y = rect.bottom() + 1 - size.height();
    else if (!(alignment & Qt::AlignTop)) // vertically centred unless told otherwise, as cells are
        y = rect.top() + (rect.height() - size.height()) / 2;
    painter->save();
    painter->setFont(font);
    painter->setClipRect(rect, Qt::IntersectClip);
    painter->drawStaticText(QPointF(x, y), laid);
    painter->restore();
}

void CellTextCache::drawHighlighted(QPainter *painter, const QRect &rect, const QString &text,
                                    const QList<TitleHighlighter::Match> &matches, const QFont &font,
                                    const QColor &textColour, const QColor &hit)
{
    QPaintDevice *device = painter->device();
    QString key = layoutKey(font, rect.width(), device) + QChar(0x1f) + hit.name(QColor::HexArgb);
    for (const TitleHighlighter::Match &m : matches)
        key += QChar(0x1f) + QString::number(m.start) + QLatin1Char(':') + QString::number(m.length);
    key += QChar(0x1e) + text;
    auto it = m_lines.find(key);
    if (it == m_lines.end()) {
        if (m_lines.size() >= kCapacity)
            m_lines.clear();
        it = m_lines.insert(key, layOutHighlighted(text, matches, font, rect.width(), hit, device));
    }
    if (*it)
        drawLaidOut(painter, rect, **it, textColour);
}

} // namespace paperlab::gui
