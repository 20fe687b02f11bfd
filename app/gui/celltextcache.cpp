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

// The layout kept under `key`, made by `make` the first time. Bounded memory however far the
// user scrolls: past kCapacity the cache starts again rather than track use order.
template <class T, class Make>
const T &cached(QHash<QString, T> &cache, const QString &key, Make make)
{
    auto it = cache.find(key);
    if (it != cache.end())
        return *it;
    if (cache.size() >= CellTextCache::kCapacity)
        cache.clear();
    return *cache.insert(key, make());
}

} // namespace

const QStaticText &CellTextCache::laidOut(const QString &text, int width, const QFont &font, const QPaintDevice *device)
{
    return cached(m_texts, layoutKey(font, width, device) + QChar(0x1e) + text, [&] {
        QStaticText laid(QFontMetrics(font, device).elidedText(text, Qt::ElideRight, width));
        laid.setTextFormat(Qt::PlainText);
        laid.prepare(QTransform(), font);
        return laid;
    });
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
    const auto &laid =
        cached(m_lines, key, [&] { return layOutHighlighted(text, matches, font, rect.width(), hit, device); });
    if (laid)
        drawLaidOut(painter, rect, *laid, textColour);
}

} // namespace paperlab::gui
