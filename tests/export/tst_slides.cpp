// The reading-group deck: PDF pages and their text (read back with pdftotext), notes that
// flow onto several slides at a fixed size, CJK text, pinned-run charts and the HTML deck.

#include "exportfixtures.h"
#include "htmldeckwriter.h"
#include "htmlpdfprinter.h"
#include "pdfdeckwriter.h"
#include "runstore.h"
#include "sqlitedb.h"
#include "webengineprint.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace paperlab;
using namespace paperlab::testing;

namespace {

// Text of each page of a PDF, or an empty list when pdftotext is missing.
QStringList pdfPages(const QString &pdf)
{
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    QStringList pages = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\f'));
    if (!pages.isEmpty() && pages.last().trimmed().isEmpty())
        pages.removeLast();
    return pages;
}

int contentSlides(const Deck &deck, qint64 paperId)
{
    int n = 0;
    for (const Slide &s : deck.slides)
        n += s.kind == Slide::Kind::Content && s.paperId == paperId;
    return n;
}

} // namespace

class TestSlides : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Library> m_lib;

    QList<Paper> papers(const QStringList &keys)
    {
        QList<Paper> out;
        for (const QString &k : keys)
            out << *m_lib->paperByKey(k);
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_lib = bundledLibrary(m_tmp);
        setHtmlPdfPrinter(&printHtmlFileToPdf); // as the CLI does; the app gets it from its plugin
    }

    // The app before its web plugin is loaded (or without it): a clear refusal, no file.
    void pdfWithoutPrinterSaysWhy()
    {
        setHtmlPdfPrinter(nullptr);
        const QString pdf = m_tmp.filePath(QStringLiteral("no-printer.pdf"));
        QString error;
        const bool written = writePdfDeck(buildDeck({}, DeckOptions(), nullptr), pdf, &error);
        setHtmlPdfPrinter(&printHtmlFileToPdf);
        QVERIFY(!written);
        QVERIFY2(error.contains(pdf) && error.contains(QLatin1String("paperlab_web")), qPrintable(error));
        QVERIFY(!QFile::exists(pdf));
    }

    void pdfHasExpectedPagesAndText()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        DeckOptions options;
        options.group = QStringLiteral("LLM efficiency reading group");
        options.date = QDate(2026, 11, 12);
        const Deck deck = buildDeck(papers({QStringLiteral("SKVQ"), QStringLiteral("APE")}), options, m_lib.get());
        // Deck title; SKVQ title + key points; APE title + key points.
        QCOMPARE(deck.slides.size(), 5);
        const QString pdf = m_tmp.filePath(QStringLiteral("deck.pdf"));
        QString error;
        QVERIFY2(writePdfDeck(deck, pdf, &error), qPrintable(error));
        const QStringList pages = pdfPages(pdf);
        QCOMPARE(pages.size(), 5);
        QVERIFY(pages[0].contains(QLatin1String("LLM efficiency reading group")));
        QVERIFY(pages[0].contains(QLatin1String("12 November 2026")));
        QVERIFY(pages[0].contains(QLatin1String("SKVQ")));
        QVERIFY(pages[1].contains(QLatin1String("Sliding-window Key and Value")));
        QVERIFY(pages[1].contains(QLatin1String("COLM 2024")));
        QVERIFY(pages[1].contains(QLatin1String("Shanghai AI Lab")));
        QVERIFY(pages[2].contains(QLatin1String("key points")));
        QVERIFY(pages[2].contains(QLatin1String("per-token quantization")));
        // CJK text is text, not boxes. NFKC: Noto CJK shares glyphs with Kangxi radicals
        // (U+2F8F for 行), which pdftotext may report instead.
        QVERIFY2(pages[4].normalized(QString::NormalizationForm_KC).contains(QStringLiteral("并行编码")),
                 qPrintable(pages[4]));
        QVERIFY(pages[4].contains(QRegularExpression(QStringLiteral("5\\s*/\\s*5"))));
    }

    // Imported URLs reach the deck as text; only http and https become links (the HTML
    // deck's <a href>, the Deck's url that a PDF link would use).
    void deckLinksAreInert_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("linked");
        QTest::newRow("https") << "https://arxiv.org/abs/2405.06219" << true;
        QTest::newRow("http") << "http://example.org/paper" << true;
        QTest::newRow("javascript") << "javascript:alert(document.cookie)" << false;
        QTest::newRow("javascript, blank and case") << "  JavaScript:alert(1)" << false;
        QTest::newRow("vbscript") << "vbscript:msgbox(1)" << false;
        QTest::newRow("data") << "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" << false;
        QTest::newRow("file") << "file:///home/user/.ssh/id_rsa" << false;
    }

    void deckLinksAreInert()
    {
        QFETCH(QString, url);
        QFETCH(bool, linked);
        Paper p = *m_lib->paperByKey(QStringLiteral("SKVQ"));
        p.paperUrl = url;
        const Deck deck = buildDeck({p}, DeckOptions{});
        int shown = 0;
        for (const Slide &s : deck.slides)
            for (const SlideBlock &b : s.blocks)
                if (b.text == QStringLiteral("Paper: ") + url) {
                    ++shown;
                    QCOMPARE(b.url, linked ? url : QString());
                }
        QCOMPARE(shown, 1); // the URL is still there to read
        const QString html = htmlDeckText(deck);
        QCOMPARE(html.contains(QStringLiteral("href=\"%1\"").arg(url.toHtmlEscaped())), linked);
        if (!linked)
            QVERIFY(!html.contains(QLatin1String("href=\"") + url.trimmed().left(4)));

        // A Deck made by other code is checked again by the HTML writer.
        Deck raw;
        SlideBlock b;
        b.kind = SlideBlock::Kind::Text;
        b.text = QStringLiteral("link");
        b.url = url;
        raw.slides.append(Slide{});
        raw.slides.last().blocks.append(b);
        QCOMPARE(htmlDeckText(raw).contains(QLatin1String("<a href=")), linked);
    }

    void longNoteFlowsOntoMoreSlides()
    {
        Paper p = *m_lib->paperByKey(QStringLiteral("SKVQ"));
        QString note = QStringLiteral("##### Key-Point\n");
        for (int i = 1; i <= 40; ++i)
            note += QStringLiteral("- Point %1: a key point long enough to wrap onto a second line of the slide at the "
                                   "body size used for notes\n")
                        .arg(i);
        note += QStringLiteral("- ") + QString(QStringLiteral("一段很长的中文要点，")).repeated(60) + QLatin1Char('\n');
        p.note = note;
        const Deck deck = buildDeck({p}, DeckOptions{});
        const int n = contentSlides(deck, p.id);
        QVERIFY2(n >= 5, qPrintable(QString::number(n)));
        QString all;
        for (const Slide &s : deck.slides) {
            if (s.kind != Slide::Kind::Content)
                continue;
            for (const SlideBlock &b : s.blocks) {
                QVERIFY2(b.rect.bottom() <= kSlideSize.height(), qPrintable(b.text));
                if (b.rect.top() < 840)
                    QVERIFY2(b.rect.bottom() <= 830, qPrintable(b.text)); // the body stays above the footer
                if (!b.bullet.isEmpty())
                    QCOMPARE(b.pixelSize, 32); // never shrunk to fit
                if (!b.bullet.isEmpty() || b.pixelSize == 32)
                    all += b.text + QLatin1Char('\n');
            }
        }
        for (int i = 1; i <= 40; ++i)
            QVERIFY2(all.contains(QStringLiteral("Point %1:").arg(i)), qPrintable(QString::number(i)));
        QVERIFY(deck.slides[2].blocks[1].text.endsWith(QStringLiteral("(1/%1)").arg(n)));
    }

    // Slides from a real-shaped note with math (tests/fixtures/mathnotes, EfficientPaper
    // layout): the note's structure, never its H1 or a ">", no point cut, math as KaTeX spans.
    void slidesFollowTheNoteStructure()
    {
        QTemporaryDir dir;
        Library lib(dir.filePath(QStringLiteral("math.sqlite")));
        QCOMPARE(lib.importPaths({QStringLiteral(PAPERLAB_FIXTURES_DIR "/mathnotes")}).errors(), 0);
        const Paper fa = *lib.paperByKey(QStringLiteral("FlashAttention-2"));
        const Paper kivi = *lib.paperByKey(QStringLiteral("KIVI"));
        const Deck deck = buildDeck({fa, kivi}, DeckOptions{});
        QStringList headings, bullets, quotes, code, math, html;
        int images = 0;
        for (const Slide &s : deck.slides) {
            if (s.kind != Slide::Kind::Content)
                continue;
            for (const SlideBlock &b : s.blocks) {
                if (b.kind == SlideBlock::Kind::Image)
                    ++images;
                if (b.kind != SlideBlock::Kind::Text)
                    continue;
                QVERIFY2(!b.text.startsWith(QLatin1Char('>')), qPrintable(b.text));
                QVERIFY2(!b.text.contains(QLatin1String("A Tuning-Free")), qPrintable(b.text)); // KIVI's H1
                QVERIFY2(b.text != QLatin1String("FlashAttention-2"), qPrintable(b.text));
                if (b.html.isEmpty())
                    continue;
                html << b.html;
                if (b.mono)
                    code << b.text;
                else if (b.html.startsWith(QLatin1String("<span class=\"math display\">")))
                    math << b.text;
                else if (b.italic)
                    quotes << b.text;
                else if (b.bold)
                    headings << b.text;
                else if (!b.bullet.isEmpty())
                    bullets << b.text;
            }
        }
        QCOMPARE(headings, (QStringList{"Online softmax", "Parallelism", "Results"}));
        QCOMPARE(quotes, QStringList{"The key cache has a few fixed outlier channels, while the value cache has no "
                                     "obvious outlier pattern."});
        QCOMPARE(code.size(), 1);
        QVERIFY(code[0].contains(QLatin1String("a $ in code is no math\nv_q")));
        QCOMPARE(math.size(), 2);
        QVERIFY(math[1].contains(QLatin1String("\\left\\lfloor \\frac{X - z_X}{s_X}")));
        QCOMPARE(images, 1); // the picture that exists
        // KIVI's Key-Point section only: its "Questions" stay in the note.
        QVERIFY(!html.join(QString()).contains(QLatin1String("LongBench")));
        // Every point whole on one slide, its math as spans with the TeX as written.
        QCOMPARE(bullets.size(), 11);
        QVERIFY(html.contains(QStringLiteral(
            "Keys are quantized <strong>per-channel</strong>, values <strong>per-token</strong>: the outliers of "
            "<span class=\"math\">K</span> sit in a few fixed channels, so grouping along the channel keeps "
            "the error of <span class=\"math\">QK^\\top</span> small.")));
        QVERIFY(html.contains(QStringLiteral(
            "The latest <span class=\"math\">R</span> tokens stay in full precision (<code>R = 128</code>), "
            "so streaming decode never quantizes a half-filled group.")));

        // The bundled SKVQ note names ./pictures/SKQV.png, which is not there: no slide room, no notice.
        const Deck skvq = buildDeck({*m_lib->paperByKey(QStringLiteral("SKVQ"))}, DeckOptions{});
        for (const Slide &s : skvq.slides)
            for (const SlideBlock &b : s.blocks) {
                QVERIFY(b.kind != SlideBlock::Kind::Image);
                QVERIFY2(!b.text.contains(QLatin1String("SKQV")), qPrintable(b.text));
            }

        // The PDF is the HTML deck printed: one page a slide, the math typeset as text.
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        const QString pdf = dir.filePath(QStringLiteral("math.pdf"));
        QString error;
        QVERIFY2(writePdfDeck(deck, pdf, &error), qPrintable(error));
        const QStringList pages = pdfPages(pdf);
        QCOMPARE(pages.size(), deck.slides.size());
        const QString all = pages.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("rowmax")), qPrintable(all));          // \operatorname{rowmax} typeset
        QVERIFY2(!all.contains(QLatin1String("\\operatorname")), qPrintable(all)); // not the TeX source
        QVERIFY2(!all.contains(QLatin1String("$")) || all.contains(QLatin1String("a $ in code")), qPrintable(all));
        QVERIFY(all.contains(QLatin1String("Online softmax")));
        QVERIFY(all.contains(QLatin1String("per-channel")));
    }

    void pinnedRunsBecomeCharts()
    {
        const auto skvq = m_lib->paperByKey(QStringLiteral("SKVQ"));
        // Written and pinned through the run store, the tables' one owner, as the playground does.
        RunStore store(*m_lib);
        RunRecord sweep;
        sweep.paperId = skvq->id;
        sweep.name = QStringLiteral("Sweep");
        sweep.setup.kernel = QStringLiteral("flash_attention_fwd");
        sweep.setup.sweepParam = QStringLiteral("seq_len");
        sweep.setup.fixed.insert(QStringLiteral("head_dim"), QStringLiteral("64"));
        for (int x : {2048, 512, 1024}) // stored out of order: the chart sorts by x
            for (const char *v : {"naive", "flash"}) {
                RunPoint pt;
                pt.variant = QString::fromLatin1(v);
                pt.x = x;
                pt.metrics.insert(QStringLiteral("time_ms"), x / 100.0);
                sweep.points << pt;
            }
        RunRecord unpinned = sweep; // not pinned: stays out of the deck
        store.insert(sweep);
        store.insert(unpinned);
        QVERIFY(store.pinnedRuns(skvq->id).isEmpty());
        store.setPinned(sweep.id, true);
        QCOMPARE(store.pinnedRuns(skvq->id).size(), 1);
        QVERIFY(store.load(sweep.id)->pinned);
        QVERIFY(!store.load(unpinned.id)->pinned);
        const Deck deck = buildDeck({*skvq}, DeckOptions{}, m_lib.get());
        QCOMPARE(deck.charts.size(), 1);
        QCOMPARE(deck.charts[0].series.size(), 2);
        QCOMPARE(deck.charts[0].yLabel, QStringLiteral("time_ms"));
        QCOMPARE(deck.charts[0].series[0].points.first().x(), 512.0);
        QVERIFY(deck.charts[0].caption.contains(QLatin1String("head_dim=64")));
        store.setPinned(sweep.id, false);
        QVERIFY(buildDeck({*skvq}, DeckOptions{}, m_lib.get()).charts.isEmpty());
        QCOMPARE(deck.slides.last().kind, Slide::Kind::Chart);

        const QString html = htmlDeckText(deck);
        QCOMPARE(html.count(QLatin1String("<section class=\"slide\">")), deck.slides.size());
        QVERIFY(html.contains(QLatin1String("data:image/png;base64,")));
        QVERIFY(html.contains(QLatin1String("ArrowRight")));
        QVERIFY(!html.contains(QLatin1String("src=\"http"))); // self-contained
    }
};

QTEST_MAIN(TestSlides)
#include "tst_slides.moc"
