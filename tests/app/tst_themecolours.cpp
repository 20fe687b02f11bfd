// Colours that had been picked for a white page, each checked in both themes: the venue
// badge (navy on the dark page was invisible), the playground's banners (a pale yellow patch
// glaring out of the dark window). Text on them reads at 4.5:1, badges stand out from the
// page at 3:1, and a banner is a tint of the page, light or dark with it.

#include "colourlabel.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "readablecolours.h"
#include "slidedeck.h"
#include "theme.h"
#include "themetesting.h"
#include "venuebadge.h"

#include <QApplication>
#include <QLabel>
#include <QSet>

using namespace paperlab;
using namespace paperlab::gui;
using playground::contrastRatio;

namespace {

// The colour a label is painted in, left of its text (inside the padding and the rounding).
QColor paintedBackground(QLabel *label)
{
    return testing::paintedColour(label, 3);
}

QColor textColour(const QLabel *label)
{
    return label->palette().color(label->foregroundRole());
}

QString describe(const QColor &a, const QColor &b)
{
    return QStringLiteral("%1 on %2: %3").arg(a.name(), b.name()).arg(contrastRatio(a, b), 0, 'f', 2);
}

} // namespace

class TestThemeColours : public testing::ThemedLibraryTest {
    Q_OBJECT

private slots:
    // The dimmed text (the table's "Unread" and unrated stars, the search bar's and the tag
    // field's hints) still reads at 4.5:1, on the plain and on the alternate rows.
    void dimmedTextReads_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::addColumn<int>("background"); // a QPalette::ColorRole
        for (const char *theme : {"light", "dark"}) {
            QTest::addRow("%s on the rows", theme) << QString::fromLatin1(theme) << int(QPalette::Base);
            QTest::addRow("%s on the alternate rows", theme)
                << QString::fromLatin1(theme) << int(QPalette::AlternateBase);
        }
    }
    void dimmedTextReads()
    {
        QFETCH(QString, theme);
        QFETCH(int, background);
        applyTheme(themeFromName(theme));
        const QPalette palette = QGuiApplication::palette();
        const QColor page = palette.color(QPalette::ColorRole(background));
        QColor dim = palette.color(QPalette::PlaceholderText);
        // Painted over the row: a translucent grey is what it leaves there.
        const double a = dim.alphaF();
        dim = QColor::fromRgbF(float(dim.redF() * a + page.redF() * (1 - a)),
                               float(dim.greenF() * a + page.greenF() * (1 - a)),
                               float(dim.blueF() * a + page.blueF() * (1 - a)));
        QVERIFY2(contrastRatio(dim, page) >= 4.5, qPrintable(describe(dim, page)));
        // Still dimmer than the text beside it.
        QVERIFY2(contrastRatio(palette.color(QPalette::Text), page) > contrastRatio(dim, page) + 2,
                 qPrintable(describe(palette.color(QPalette::Text), page)));
    }

    // Every venue of the seed library (and none), in both themes.
    void venueBadgeReadsAndStandsOut_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::addColumn<QString>("venue");
        QSet<QString> venues{QString()};
        for (const Paper &p : Library(testing::templateDatabase()).allPapers())
            venues.insert(p.venue);
        QStringList sorted(venues.begin(), venues.end());
        sorted.sort();
        for (const QString &theme : {QStringLiteral("light"), QStringLiteral("dark")})
            for (const QString &venue : std::as_const(sorted))
                QTest::addRow("%s %s", qPrintable(theme), qPrintable(venue)) << theme << venue;
    }
    void venueBadgeReadsAndStandsOut()
    {
        QFETCH(QString, theme);
        QFETCH(QString, venue);
        applyTheme(themeFromName(theme));
        const QPalette palette = QApplication::palette();
        const playground::ColourPair badge = venueBadgeColours(venue, palette);
        QVERIFY2(contrastRatio(badge.text, badge.background) >= 4.5,
                 qPrintable(describe(badge.text, badge.background)));
        const QColor window = palette.color(QPalette::Window);
        QVERIFY2(contrastRatio(badge.background, window) >= 3, qPrintable(describe(badge.background, window)));
    }

    // The exported slides keep a white page in either theme; their venue badges carry
    // white text (the HTML deck's .badge rule), which must read on every badge's fill.
    void slideBadgesRead()
    {
        QList<Paper> papers = Library(testing::templateDatabase()).allPapers();
        const Deck deck = buildDeck(papers, DeckOptions{});
        QSet<QString> checked;
        for (const Slide &slide : deck.slides)
            for (const SlideBlock &block : slide.blocks)
                if (block.kind == SlideBlock::Kind::Badge && !checked.contains(block.colour.name())) {
                    checked.insert(block.colour.name());
                    QVERIFY2(contrastRatio(Qt::white, block.colour) >= 4.5,
                             qPrintable(block.text + QLatin1String(": ") + describe(Qt::white, block.colour)));
                }
        QCOMPARE(checked.size(), 2); // arXiv's and the others'
    }

    // The page's badge as painted, after the theme changed at run time (FlashAttention-2's
    // ICLR badge was the navy one).
    void pageBadgeFollowsTheTheme()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPaperByKey(QStringLiteral("FlashAttention-2")));
        auto *badge = w.page()->findChild<QLabel *>(QStringLiteral("venueBadge"));
        QVERIFY(badge && badge->isVisible());
        for (const Theme theme : {Theme::Dark, Theme::Light}) {
            applyTheme(theme);
            QApplication::processEvents();
            const QColor background = paintedBackground(badge);
            const QColor window = w.page()->palette().color(QPalette::Window);
            QVERIFY2(contrastRatio(background, window) >= 3, qPrintable(describe(background, window)));
            QVERIFY2(contrastRatio(textColour(badge), background) >= 4.5,
                     qPrintable(describe(textColour(badge), background)));
        }
    }

    // The playground's CPU notice and error banner as painted, in both themes.
    void bannersAreTintsOfThePage_data()
    {
        QTest::addColumn<QString>("banner");
        QTest::newRow("no CUDA device") << QStringLiteral("cpuNotice");
        QTest::newRow("error") << QStringLiteral("errorBanner");
    }
    void bannersAreTintsOfThePage()
    {
        QFETCH(QString, banner);
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPaperByKey(QStringLiteral("H2O")));
        QVERIFY(w.page()->showTab(QStringLiteral("Playground")));
        auto *label = w.page()->findChild<QLabel *>(banner);
        QVERIFY(label);
        label->setText(QStringLiteral("A notice long enough to paint"));
        label->show();
        for (const Theme theme : {Theme::Dark, Theme::Light}) {
            applyTheme(theme);
            QApplication::processEvents();
            const QColor background = paintedBackground(label);
            const QColor window = QApplication::palette().color(QPalette::Window);
            QVERIFY2(testing::isDark(background) == testing::isDark(window),
                     qPrintable(QStringLiteral("%1 banner on a %2 window").arg(background.name(), window.name())));
            QVERIFY2(contrastRatio(textColour(label), background) >= 4.5,
                     qPrintable(describe(textColour(label), background)));
        }
    }
};

QTEST_MAIN(TestThemeColours)
#include "tst_themecolours.moc"
