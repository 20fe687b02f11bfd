// The paper table's highlighted titles: which words a search marks (the regex over the parsed
// query, non-ASCII and prefixes included), and that the cell paints exactly those words bold
// in the link colour with one QTextLayout (no HTML document per cell).

#include "apptestsupport.h"
#include "highlightedtext.h"
#include "papertablemodel.h"
#include "papertableview.h"
#include "titlehighlighter.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

QStringList matchedWords(const QString &title, const QList<TitleHighlighter::Match> &matches)
{
    QStringList words;
    for (const TitleHighlighter::Match &m : matches)
        words << title.mid(m.start, m.length);
    return words;
}

// The columns of `image` holding a pixel of `colour` (a highlighted glyph's ink).
QPair<int, int> inkColumns(const QImage &image, const QColor &colour)
{
    int first = -1, last = -1;
    for (int x = 0; x < image.width(); ++x)
        for (int y = 0; y < image.height(); ++y)
            if (image.pixelColor(x, y) == colour) {
                if (first < 0)
                    first = x;
                last = x;
                break;
            }
    return {first, last};
}

} // namespace

class TestTitleHighlighter : public QObject {
    Q_OBJECT

private slots:
    void matchesAreTheMatchedWords_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("word") << QStringLiteral("attention") << QStringLiteral("Efficient Attention for Long Sequences")
                              << QStringList{QStringLiteral("Attention")};
        QTest::newRow("prefix marks the whole word")
            << QStringLiteral("quant") << QStringLiteral("KV Cache Quantization and Quantized Weights")
            << QStringList{QStringLiteral("Quantization"), QStringLiteral("Quantized")};
        QTest::newRow("two words, any order")
            << QStringLiteral("cache kv") << QStringLiteral("SKVQ: Sliding-window Key and Value Cache for KV")
            << QStringList{QStringLiteral("Cache"), QStringLiteral("KV")};
        QTest::newRow("not inside a word")
            << QStringLiteral("tent") << QStringLiteral("Attention Is All") << QStringList{};
        QTest::newRow("phrase words") << QStringLiteral("\"flash attention\"")
                                      << QStringLiteral("FlashAttention vs Flash Attention-2")
                                      << QStringList{QStringLiteral("FlashAttention"), QStringLiteral("Flash"),
                                                     QStringLiteral("Attention")};
        QTest::newRow("field filter is not a title term")
            << QStringLiteral("author:smith sparse") << QStringLiteral("Smith's Sparse Attention")
            << QStringList{QStringLiteral("Sparse")};
        QTest::newRow("case-folded umlaut") << QStringLiteral("über") << QStringLiteral("Über-Attention: schöne Grüße")
                                            << QStringList{QStringLiteral("Über")};
        QTest::newRow("diacritic inside the word")
            << QStringLiteral("schön") << QStringLiteral("Über-Attention: schöne Grüße")
            << QStringList{QStringLiteral("schöne")};
        QTest::newRow("after a subscript") << QStringLiteral("oracle") << QStringLiteral("H₂O: Heavy-Hitter Oracle")
                                           << QStringList{QStringLiteral("Oracle")};
        QTest::newRow("after an astral character")
            << QStringLiteral("scaling") << QStringLiteral("𝒪(n) Scaling") << QStringList{QStringLiteral("Scaling")};
        QTest::newRow("invalid query marks nothing")
            << QStringLiteral("\"flash") << QStringLiteral("Flash") << QStringList{};
    }
    void matchesAreTheMatchedWords()
    {
        QFETCH(QString, query);
        QFETCH(QString, title);
        QFETCH(QStringList, words);
        const TitleHighlighter h(query);
        const QList<TitleHighlighter::Match> matches = h.matches(title);
        QCOMPARE(matchedWords(title, matches), words);
        // The HTML form (labels) marks the same words.
        const QString html = h.highlight(title);
        QCOMPARE(html.count(QLatin1String("<b>")), words.size());
        for (const QString &w : words)
            QVERIFY2(html.contains(QStringLiteral("<b>%1</b>").arg(w.toHtmlEscaped())), qPrintable(html));
    }

    // An elided title keeps its marks up to the cut, and none past it.
    void elisionClipsTheMarks()
    {
        const QString title = QStringLiteral("Attention attention attention attention attention attention");
        const TitleHighlighter h(QStringLiteral("attention"));
        const QFont font = QApplication::font();
        const qreal width = QFontMetricsF(font).horizontalAdvance(QStringLiteral("Attention atten"));
        const HighlightedLine line = elideHighlighted(title, h.matches(title), font, width, Qt::blue);
        QVERIFY2(line.text.endsWith(QChar(0x2026)), qPrintable(line.text));
        QVERIFY(line.text.size() < title.size());
        QVERIFY(!line.formats.isEmpty());
        for (const QTextLayout::FormatRange &f : line.formats) {
            QVERIFY(f.start + f.length <= line.text.size() - 1); // never over the "…"
            QCOMPARE(f.format.fontWeight(), int(QFont::Bold));
        }
        QCOMPARE(line.formats.first().start, 0);
        // Wide enough: untouched.
        const HighlightedLine whole = elideHighlighted(title, h.matches(title), font, 1e6, Qt::blue);
        QCOMPARE(whole.text, title);
        QCOMPARE(whole.formats.size(), 6);
    }

    // The model hands the delegate the matches of the real library's titles.
    void modelGivesMatches()
    {
        const auto lib = testing::makeTestLibrary();
        Library library(lib->db);
        PaperTableModel model(&library);
        model.setIds(library.findIds(QStringLiteral("sliding skvq")), QStringLiteral("sliding skvq"));
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex title = model.index(0, PaperTableModel::Title);
        const auto matches = title.data(PaperTableModel::TitleMatchesRole).value<QList<TitleHighlighter::Match>>();
        QCOMPARE(matchedWords(title.data().toString(), matches),
                 (QStringList{QStringLiteral("SKVQ"), QStringLiteral("Sliding")}));
        QVERIFY(!model.index(0, PaperTableModel::Venue).data(PaperTableModel::TitleMatchesRole).isValid());
        model.setIds(model.ids()); // no query: nothing marked
        QVERIFY(model.index(0, PaperTableModel::Title)
                    .data(PaperTableModel::TitleMatchesRole)
                    .value<QList<TitleHighlighter::Match>>()
                    .isEmpty());
    }

    // The table's cells skip optional shaping (the repaint after each keystroke was mostly
    // text shaping), and only that: the font of the window around them still reaches them.
    void cellsSkipOptionalShapingOnly()
    {
        QWidget window;
        auto *view = new PaperTableView(&window);
        QVERIFY(view->font().styleStrategy() & QFont::PreferNoShaping);
        QFont larger = window.font();
        larger.setPointSizeF(larger.pointSizeF() + 7);
        larger.setItalic(true);
        window.setFont(larger);
        QCOMPARE(view->font().pointSizeF(), larger.pointSizeF());
        QVERIFY(view->font().italic());
        QVERIFY(view->font().styleStrategy() & QFont::PreferNoShaping);
    }

    // Painted: the link colour's ink lies exactly under the matched word, not under the rest.
    void cellPaintsTheMatchedWord()
    {
        const auto lib = testing::makeTestLibrary();
        Library library(lib->db);
        PaperTableModel model(&library);
        const QString query = QStringLiteral("sliding");
        model.setIds(library.findIds(QStringLiteral("skvq")), query);
        const QModelIndex index = model.index(0, PaperTableModel::Title);
        const QString title = index.data().toString();
        QVERIFY2(title.startsWith(QLatin1String("SKVQ: Sliding")), qPrintable(title));

        PaperTableView view;
        QPalette palette = view.palette();
        palette.setColor(QPalette::Link, QColor(0, 0, 255));
        palette.setColor(QPalette::Text, QColor(0, 0, 0));
        palette.setColor(QPalette::Base, QColor(255, 255, 255));
        palette.setColor(QPalette::AlternateBase, QColor(255, 255, 255));
        view.setPalette(palette);
        QFont font = view.font();
        font.setStyleStrategy(QFont::NoAntialias); // ink exactly the pen's colour
        view.setFont(font);
        view.setModel(&model);
        view.resize(1600, 200);
        view.setColumnWidth(PaperTableModel::Title, 1200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QRect cell = view.visualRect(index);
        const QImage image = view.viewport()->grab(cell).toImage().convertToFormat(QImage::Format_RGB32);
        const auto [first, last] = inkColumns(image, QColor(0, 0, 255));
        QVERIFY2(first >= 0, "no highlighted ink");
        QFont bold = font;
        bold.setBold(true);
        const int wordStart = QFontMetrics(font).horizontalAdvance(QStringLiteral("SKVQ: "));
        const int wordEnd = wordStart + QFontMetrics(bold).horizontalAdvance(QStringLiteral("Sliding"));
        // Where the word sits, give or take the cell's text margin and the glyphs' side bearings.
        QVERIFY2(first >= wordStart && first <= wordStart + 10,
                 qPrintable(QStringLiteral("ink from %1, word from %2").arg(first).arg(wordStart)));
        QVERIFY2(last <= wordEnd + 10 && last >= wordEnd - 8,
                 qPrintable(QStringLiteral("ink to %1, word to %2").arg(last).arg(wordEnd)));
        // The unmatched text is painted too, in the text colour, before and after the word.
        const auto [plainFirst, plainLast] = inkColumns(image, QColor(0, 0, 0));
        QVERIFY(plainFirst >= 0 && plainFirst < first);
        QVERIFY(plainLast > last);
    }
};

QTEST_MAIN(TestTitleHighlighter)
#include "tst_titlehighlighter.moc"
