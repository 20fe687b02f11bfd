#pragma once
// A reading-group deck as laid-out slides: every block already has its place on a
// 1600x900 canvas, measured with the slide fonts. The PDF and HTML writers only paint
// what is here, so both show the same slides, and a long note flows onto more slides
// at a fixed, readable text size instead of shrinking.

#include "library.h"
#include "slidecharts.h"

#include <QColor>
#include <QDate>
#include <QRectF>
#include <QSizeF>

namespace paperlab {

inline constexpr QSizeF kSlideSize{1600, 900};

struct SlideBlock {
    enum class Kind { Text, Badge, Band, Image, Chart };
    Kind kind = Kind::Text;
    QRectF rect;
    QString text; // Text, Badge; a missing image's path. Plain: what the layout measured
    QString html; // Text from a note: the same words as inline HTML (emphasis, code,
                  // math as KaTeX spans); the HTML and PDF decks show this when set
    int pixelSize = 32;
    bool bold = false;
    bool italic = false;
    bool alignRight = false;
    bool mono = false;                        // code, set in the monospace slide font
    QColor colour = QColor(0x22, 0x22, 0x22); // text colour; fill of Band and Badge
    QString bullet;                           // glyph drawn left of a bullet's text
    QString url;                              // Text that is a link
    QString imagePath;                        // Image
    int chart = -1;                           // Chart: index into Deck::charts
};

struct Slide {
    enum class Kind { Deck, Paper, Content, Chart };
    Kind kind = Kind::Content;
    qint64 paperId = 0;
    QList<SlideBlock> blocks;
};

struct Deck {
    QString group;
    QString date;
    QList<Slide> slides;
    QList<RunChart> charts;
};

struct DeckOptions {
    QString group = QStringLiteral("Reading group");
    QDate date = QDate::currentDate();
};

// Pinned runs are read from the library's run store when a library is given.
Deck buildDeck(const QList<Paper> &papers, const DeckOptions &options, Library *runs = nullptr);

// The text of a block as a QFont.
QFont blockFont(const SlideBlock &block);

} // namespace paperlab
