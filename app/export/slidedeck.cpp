#include "slidedeck.h"

#include "linksafety.h"
#include "notehtml.h"
#include "notepoints.h"
#include "runstore.h"
#include "slidefonts.h"

#include <QFileInfo>
#include <QFontMetricsF>
#include <QImageReader>
#include <QRegularExpression>
#include <QTextLayout>

#include <functional>

namespace paperlab {
namespace {

// The canvas: margins, where the body of a slide starts and ends.
constexpr qreal kMargin = 80;
constexpr qreal kBodyWidth = 1600 - 2 * kMargin;
constexpr qreal kBodyBottom = 820;
constexpr qreal kBodyTop = 160; // about where a content slide's body starts, below its heading
constexpr int kTitleSize = 46;
constexpr int kBodySize = 32; // the smallest size body text is set in; never scaled down
constexpr qreal kGap = 14;
constexpr qreal kIndent = 52;
const QColor kAccent(0x1F, 0x4E, 0x79);
const QColor kMuted(0x66, 0x66, 0x66);
const QColor kLink(0x0B, 0x5C, 0xAD);

qreal textHeight(const QFont &font, qreal width, const QString &text)
{
    return QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, text).height();
}

// Splits `text` after as many wrapped lines as fit in `height`; returns {head, rest}.
std::pair<QString, QString> splitToHeight(const QFont &font, qreal width, const QString &text, qreal height)
{
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WordWrap); // as QPainter::drawText(Qt::TextWordWrap) wraps
    layout.setTextOption(option);
    layout.beginLayout();
    qreal y = 0;
    int cut = 0;
    while (true) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        y += line.height();
        if (y > height)
            break;
        cut = line.textStart() + line.textLength();
    }
    layout.endLayout();
    return {text.left(cut).trimmed(), text.mid(cut).trimmed()};
}

// Like splitToHeight, but the head ends after a sentence (or, failing that, a clause) when
// one ends in its second half: a point is never cut mid-sentence when it can be helped.
std::pair<QString, QString> splitAtSentence(const QFont &font, qreal width, const QString &text, qreal height)
{
    auto [head, rest] = splitToHeight(font, width, text, height);
    if (rest.isEmpty())
        return {head, rest};
    static const QRegularExpression sentence(QStringLiteral(R"((?:[.!?;:](?=\s)|[。！？；]))"));
    static const QRegularExpression clause(QStringLiteral(R"((?:,(?=\s)|[，、]))"));
    for (const auto *re : {&sentence, &clause}) {
        qsizetype cut = -1;
        for (auto it = re->globalMatch(head); it.hasNext();)
            cut = it.next().capturedEnd();
        if (cut > head.size() / 2)
            return {text.left(cut).trimmed(), text.mid(cut).trimmed()};
    }
    return {head, rest};
}

QString venueLine(const Paper &p)
{
    return QStringList{p.venue, p.year > 0 ? QString::number(p.year) : QString()}.join(QLatin1Char(' ')).trimmed();
}

QString shortName(const Paper &p)
{
    return p.abbr.isEmpty() ? p.title : p.abbr;
}

// Builds slides one after another; a body that runs past the bottom opens a continuation.
class DeckBuilder {
public:
    DeckBuilder(const DeckOptions &options, Library *runs)
        : m_runs(runs)
    {
        m_deck.group = options.group;
        m_deck.date = QLocale(QLocale::English).toString(options.date, QStringLiteral("d MMMM yyyy"));
    }

    Deck build(const QList<Paper> &papers)
    {
        deckTitle(papers);
        for (int i = 0; i < papers.size(); ++i) {
            paperTitle(papers[i], i + 1, int(papers.size()));
            notePages(papers[i]);
            chartPages(papers[i]);
        }
        footers();
        return std::move(m_deck);
    }

private:
    // --- slides -----------------------------------------------------------------------
    void deckTitle(const QList<Paper> &papers)
    {
        newSlide(Slide::Kind::Deck, 0);
        band(QRectF(0, 0, 1600, 12), kAccent);
        m_y = 150;
        text(m_deck.group, 72, true, kAccent);
        text(m_deck.date, 34, false, kMuted);
        m_y += 30;
        text(QStringLiteral("%1 papers").arg(papers.size()), 30, true);
        m_continuation = [this] {
            newSlide(Slide::Kind::Deck, 0);
            heading(m_deck.group + QStringLiteral(" · papers (cont.)"));
        };
        for (int i = 0; i < papers.size(); ++i) {
            const Paper &p = papers[i];
            // "SKVQ: Sliding-window ..." already names itself; other titles get their short name first.
            QString line = p.abbr.isEmpty() || p.title.startsWith(p.abbr)
                               ? p.title
                               : QStringLiteral("%1 — %2").arg(p.abbr, p.title);
            if (!venueLine(p).isEmpty())
                line += QStringLiteral(" (%1)").arg(venueLine(p));
            bulletText(line, 0, 28, QString::number(i + 1) + QLatin1Char('.'));
        }
    }

    void paperTitle(const Paper &p, int index, int count)
    {
        newSlide(Slide::Kind::Paper, p.id);
        band(QRectF(0, 0, 1600, 12), kAccent);
        m_y = 60;
        text(QStringLiteral("Paper %1 of %2").arg(index).arg(count), 24, false, kMuted);
        text(p.title, 52, true, kAccent);
        if (!venueLine(p).isEmpty())
            // White text on them reads at 5.7:1 and 5.1:1 (WCAG AA wants 4.5:1); the lighter
            // blue and orange they replace gave 3.7:1 and 3.9:1.
            badge(venueLine(p), p.venue.compare(QLatin1String("arXiv"), Qt::CaseInsensitive) == 0
                                    ? QColor(0x15, 0x65, 0xC0)
                                    : QColor(0xB8, 0x4E, 0x00));
        if (!p.institutionList.isEmpty())
            text(p.institutionList.join(QStringLiteral(" · ")), 32);
        if (!p.authors.isEmpty()) {
            QStringList a = p.authors.mid(0, 8);
            if (p.authors.size() > 8)
                a << QStringLiteral("et al.");
            text(a.join(QStringLiteral(", ")), 26, false, kMuted);
        }
        m_y += 10;
        link(QStringLiteral("Paper"), p.paperUrl);
        if (!p.arxivId.isEmpty() && !p.paperUrl.contains(p.arxivId))
            link(QStringLiteral("arXiv"), QStringLiteral("https://arxiv.org/abs/") + p.arxivId);
        link(QStringLiteral("Code"), p.codeUrl);
        if (p.openReviewUrl != p.paperUrl)
            link(QStringLiteral("OpenReview"), p.openReviewUrl);
        if (!p.coverPath.isEmpty() && QFileInfo::exists(p.coverPath) && kBodyBottom - m_y > 200)
            image(fileInPaperLibrary(p, p.coverPath), p.coverPath, false);
    }

    void notePages(const Paper &p)
    {
        const QList<NotePoint> points = notePoints(p.note, QFileInfo(p.notePath).absolutePath());
        if (points.isEmpty())
            return;
        const QString title = shortName(p) + QStringLiteral(" · key points");
        const int first = int(m_deck.slides.size());
        m_continuation = [this, title, &p] {
            newSlide(Slide::Kind::Content, p.id);
            heading(title);
        };
        m_continuation();
        for (const NotePoint &pt : points) {
            switch (pt.kind) {
            case NotePoint::Kind::Bullet:
                bulletText(
                    pt.text, pt.level, kBodySize,
                    QStringList{QStringLiteral("•"), QStringLiteral("–"), QStringLiteral("◦")}[qMin(pt.level, 2)],
                    inlineNoteHtml(pt.markdown));
                break;
            case NotePoint::Kind::Paragraph:
                bulletText(pt.text, 0, kBodySize, QString(), inlineNoteHtml(pt.markdown));
                break;
            case NotePoint::Kind::Heading:
                noteHeading(pt);
                break;
            case NotePoint::Kind::Quote:
                quote(pt);
                break;
            case NotePoint::Kind::Code:
                code(pt.text);
                break;
            case NotePoint::Kind::Math:
                displayMath(pt.text);
                break;
            case NotePoint::Kind::Image:
                image(fileInPaperLibrary(p, pt.imagePath), pt.text, true);
                break;
            }
        }
        numberContinuations(first, title);
    }

    void chartPages(const Paper &p)
    {
        if (!m_runs)
            return;
        RunStore store(*m_runs);
        for (const RunChart &c : pinnedRunCharts(store, p.id)) {
            newSlide(Slide::Kind::Chart, p.id);
            heading(shortName(p) + QStringLiteral(" · ") + c.title);
            text(c.caption, 24, false, kMuted);
            SlideBlock b;
            b.kind = SlideBlock::Kind::Chart;
            b.chart = int(m_deck.charts.size());
            b.rect = QRectF(kMargin, m_y + 10, kBodyWidth, kBodyBottom - m_y - 10);
            m_deck.charts << c;
            add(b);
        }
    }

    // "Title (2/3)" on each slide of a note that took more than one.
    void numberContinuations(int first, const QString &title)
    {
        const int n = int(m_deck.slides.size()) - first;
        if (n < 2)
            return;
        for (int i = 0; i < n; ++i)
            for (SlideBlock &b : m_deck.slides[first + i].blocks)
                if (b.kind == SlideBlock::Kind::Text) { // the heading: the first text of the slide
                    b.text = QStringLiteral("%1 (%2/%3)").arg(title).arg(i + 1).arg(n);
                    break;
                }
    }

    void footers()
    {
        const int n = int(m_deck.slides.size());
        for (int i = 0; i < n; ++i) {
            SlideBlock left, right;
            left.rect = QRectF(kMargin, 850, 1000, 30);
            left.text = m_deck.group + QStringLiteral(" · ") + m_deck.date;
            right.rect = QRectF(1600 - kMargin - 200, 850, 200, 30);
            right.text = QStringLiteral("%1 / %2").arg(i + 1).arg(n);
            for (SlideBlock *b : {&left, &right}) {
                b->pixelSize = 20;
                b->colour = kMuted;
            }
            right.alignRight = true;
            m_deck.slides[i].blocks << left << right;
        }
    }

    // --- blocks -----------------------------------------------------------------------
    void newSlide(Slide::Kind kind, qint64 paperId)
    {
        m_deck.slides.append(Slide{kind, paperId, {}});
        m_y = 60;
        m_bodyStart = m_y;
    }
    void add(const SlideBlock &b) { m_deck.slides.last().blocks.append(b); }
    // Nothing below the heading yet: moving on to another slide would not make more room.
    bool freshSlide() const { return m_y <= m_bodyStart + 1; }

    void heading(const QString &title)
    {
        band(QRectF(0, 0, 1600, 12), kAccent);
        text(title, kTitleSize, true, kAccent);
        band(QRectF(kMargin, m_y, kBodyWidth, 3), QColor(0xCC, 0xCC, 0xCC));
        m_y += 24;
        m_bodyStart = m_y;
    }

    void band(const QRectF &r, const QColor &c)
    {
        SlideBlock b;
        b.kind = SlideBlock::Kind::Band;
        b.rect = r;
        b.colour = c;
        add(b);
    }

    // Unbroken text across the body (titles, lines of the title slides).
    void text(const QString &t, int size, bool bold = false, const QColor &colour = QColor(0x22, 0x22, 0x22))
    {
        if (t.trimmed().isEmpty())
            return;
        SlideBlock b;
        b.text = t;
        b.pixelSize = size;
        b.bold = bold;
        b.colour = colour;
        const qreal h = textHeight(blockFont(b), kBodyWidth, t);
        b.rect = QRectF(kMargin, m_y, kBodyWidth, h);
        add(b);
        m_y += h + kGap;
    }

    void link(const QString &label, const QString &url)
    {
        if (url.isEmpty())
            return;
        text(label + QStringLiteral(": ") + url, 26, false, kLink);
        // A javascript:, file: or data: URL from an imported record is shown, not linked.
        if (isOpenableLink(url))
            m_deck.slides.last().blocks.last().url = url;
    }

    void badge(const QString &t, const QColor &colour)
    {
        SlideBlock b;
        b.kind = SlideBlock::Kind::Badge;
        b.text = t;
        b.pixelSize = 30;
        b.bold = true;
        b.colour = colour;
        const QFontMetricsF fm(blockFont(b));
        b.rect = QRectF(kMargin, m_y + 4, fm.horizontalAdvance(t) + 40, fm.height() + 16);
        add(b);
        m_y += b.rect.height() + kGap + 8;
    }

    // A bullet (or paragraph when `glyph` is empty) that flows onto continuation slides.
    // A point that fits on a slide of its own is never split: it moves to the next slide
    // whole. A longer one is split after a sentence (or clause) where one ends in the room.
    void bulletText(QString t, int level, int size, const QString &glyph, const QString &html = {}, bool bold = false,
                    const QColor &colour = QColor(0x22, 0x22, 0x22), bool italic = false)
    {
        SlideBlock b;
        b.pixelSize = size;
        b.bullet = glyph;
        b.bold = bold;
        b.italic = italic;
        b.colour = colour;
        b.html = html;
        const qreal left = kMargin + 40 + level * kIndent;
        const qreal width = 1600 - kMargin - left;
        const QFont font = blockFont(b);
        const qreal line = QFontMetricsF(font).lineSpacing();
        while (!t.isEmpty()) {
            const qreal room = kBodyBottom - m_y;
            const qreal h = textHeight(font, width, t);
            if (h <= room) {
                b.text = t;
                b.rect = QRectF(left, m_y, width, h);
                add(b);
                m_y += h + kGap;
                return;
            }
            if (h <= kBodyBottom - kBodyTop && !freshSlide()) {
                m_continuation();
                continue;
            } // whole, on the next slide
            if (room < line * 2 && !freshSlide()) {
                m_continuation();
                continue;
            } // no orphan lines
            auto [head, rest] = splitAtSentence(font, width, t, room);
            if (head.isEmpty()) {
                m_continuation();
                continue;
            }
            b.text = head;
            b.html = QString(); // a part of a point: plain text (its inline HTML cannot be cut safely)
            b.rect = QRectF(left, m_y, width, textHeight(font, width, head));
            add(b);
            b.bullet.clear(); // the rest continues the same point
            t = rest;
            m_continuation();
        }
    }

    // A heading of the note: bold, in the accent colour, a size by its level.
    void noteHeading(const NotePoint &pt)
    {
        const int size = pt.level <= 2 ? 38 : pt.level == 3 ? 35 : kBodySize + 1;
        if (kBodyBottom - m_y < 3 * size && !freshSlide())
            m_continuation(); // not alone at a slide's foot
        m_y += 6;
        bulletText(pt.text, 0, size, QString(), inlineNoteHtml(pt.markdown), true, kAccent);
        m_deck.slides.last().blocks.last().rect.moveLeft(kMargin);
    }

    void quote(const NotePoint &pt)
    {
        bulletText(pt.text, 0, kBodySize - 2, QString(), inlineNoteHtml(pt.markdown), false, kMuted, true);
        const QRectF r = m_deck.slides.last().blocks.last().rect;
        band(QRectF(r.left() - 24, r.top() + 2, 6, r.height()), QColor(0xC8, 0xD0, 0xD8));
    }

    // Code keeps its lines; a block taller than a slide is cut at a line.
    void code(const QString &source)
    {
        SlideBlock b;
        b.pixelSize = 24;
        b.mono = true;
        b.colour = QColor(0x24, 0x29, 0x2F);
        const QFont font = blockFont(b);
        const qreal lineH = QFontMetricsF(font).lineSpacing();
        QStringList lines = source.split(QLatin1Char('\n'));
        while (!lines.isEmpty()) {
            const int fit = int((kBodyBottom - m_y - 24) / lineH);
            if ((fit < 3 || fit < lines.size()) && !freshSlide() &&
                lines.size() * lineH <= kBodyBottom - kBodyTop - 24) {
                m_continuation();
                continue;
            }
            const int n = qMax(1, qMin(int(lines.size()), fit));
            b.text = lines.mid(0, n).join(QLatin1Char('\n'));
            b.html = QStringLiteral("<pre>%1</pre>").arg(b.text.toHtmlEscaped());
            b.rect = QRectF(kMargin + 40, m_y, kBodyWidth - 40, n * lineH + 24);
            add(b);
            m_y += b.rect.height() + kGap;
            lines = lines.mid(n);
            if (!lines.isEmpty())
                m_continuation();
        }
    }

    // Display math: measured as its TeX would run (longer than the typeset formula), two
    // lines high at least, three for fractions, sums and matrices.
    void displayMath(const QString &tex)
    {
        SlideBlock b;
        b.pixelSize = kBodySize;
        b.text = tex;
        b.html = QStringLiteral("<span class=\"math display\">%1</span>").arg(tex.toHtmlEscaped());
        const QFont font = blockFont(b);
        const qreal lineH = QFontMetricsF(font).lineSpacing();
        static const QRegularExpression tall(QStringLiteral(R"(\\(?:frac|dfrac|sum|prod|int|begin|sqrt|over|binom))"));
        const int lines = qMax(tex.contains(tall) ? 3 : 2,
                               int(QFontMetricsF(font).horizontalAdvance(tex) / (kBodyWidth - 40) / 1.6) + 1);
        const qreal h = lines * lineH + 16; // typeset math stands taller than its line
        if (m_y + h > kBodyBottom && !freshSlide())
            m_continuation();
        b.rect = QRectF(kMargin + 40, m_y, kBodyWidth - 40, h);
        add(b);
        m_y += h + kGap;
    }

    // Images named by library data are embedded only from inside the paper's library
    // (fileInPaperLibrary): a shared note's ![](../../.ssh/id.png) stays out of decks.
    // `path` empty: refused as outside the library.
    void image(const QString &path, const QString &label, bool flow)
    {
        QImageReader reader(path);
        const QSize natural = path.isEmpty() ? QSize() : reader.size();
        if (!natural.isValid()) {
            // An image the note names but nobody has (a relative path of another machine)
            // gets no slide room. One refused as outside the library is said, so a shared
            // library's attempt shows.
            if (!path.isEmpty())
                return;
            SlideBlock b;
            b.text = QStringLiteral("[image outside the library, not embedded: %1]").arg(label);
            b.pixelSize = 22;
            b.italic = true;
            b.colour = kMuted;
            const qreal h = textHeight(blockFont(b), kBodyWidth, b.text);
            if (m_y + h > kBodyBottom && flow)
                m_continuation();
            b.rect = QRectF(kMargin + 40, m_y, kBodyWidth - 40, h);
            add(b);
            m_y += h + kGap;
            return;
        }
        const qreal maxH = kBodyBottom - 150;
        QSizeF size = QSizeF(natural).scaled(QSizeF(kBodyWidth - 40, qMin<qreal>(maxH, natural.height() * 1.5)),
                                             Qt::KeepAspectRatio);
        if (m_y + size.height() > kBodyBottom) {
            const qreal room = kBodyBottom - m_y;
            if (room >= 260 || !flow)
                size = size.scaled(QSizeF(kBodyWidth - 40, room), Qt::KeepAspectRatio);
            else
                m_continuation();
        }
        SlideBlock b;
        b.kind = SlideBlock::Kind::Image;
        b.imagePath = path;
        b.rect = QRectF(QPointF(kMargin + 40, m_y), size);
        add(b);
        m_y += size.height() + kGap;
    }

    Library *m_runs;
    Deck m_deck;
    qreal m_y = 0;
    qreal m_bodyStart = 0;
    std::function<void()> m_continuation;
};

} // namespace

QFont blockFont(const SlideBlock &block)
{
    QFont f = slideFont(block.pixelSize, block.bold);
    if (block.mono) {
        f.setFamilies(
            {QStringLiteral("DejaVu Sans Mono"), QStringLiteral("Noto Sans Mono CJK SC"), QStringLiteral("monospace")});
        f.setStyleHint(QFont::Monospace);
    }
    f.setItalic(block.italic);
    return f;
}

Deck buildDeck(const QList<Paper> &papers, const DeckOptions &options, Library *runs)
{
    return DeckBuilder(options, runs).build(papers);
}

} // namespace paperlab
