// The table and the facet tree as in the catalogue tools people know: authors and tags
// columns, a column chooser that survives a restart, facet counts that follow the search
// and the other facets' choices, an author facet, and the choices shown as removable chips.

#include "apptestsupport.h"
#include "facetpanel.h"
#include "filterchips.h"
#include "mainwindow.h"
#include "papertablemodel.h"
#include "papertableview.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QToolButton>
#include <QTreeWidgetItem>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

int countOf(FacetPanel *facets, Facet facet, const QString &value)
{
    QTreeWidgetItem *item = facets->findValue(facet, value);
    return item && !item->isHidden() ? item->text(1).toInt() : -1;
}

// Clicks a value as the user does; `add` holds Ctrl to add it to what is chosen.
void choose(FacetPanel *facets, Facet facet, const QString &value, bool add = false)
{
    QTreeWidgetItem *item = facets->findValue(facet, value);
    QVERIFY2(item, qPrintable(value));
    item->parent()->setExpanded(true);
    facets->scrollToItem(item);
    QTest::mouseClick(facets->viewport(), Qt::LeftButton, add ? Qt::ControlModifier : Qt::KeyboardModifiers(),
                      facets->visualItemRect(item).center());
    QVERIFY(item->isSelected());
}

} // namespace

class TestTableFacets : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;
    qint64 m_first = 0, m_second = 0;

    static void waitForAll(MainWindow &w)
    {
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_COMPARE(w.model()->rowCount(), w.library().paperCount());
        QTRY_VERIFY(w.facets()->hasCounts());
    }

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init()
    {
        m_lib = testing::makeTestLibrary();
        Library lib(m_lib->db);
        PaperRecord a;
        a.title = QStringLiteral("Quokka Attention: the first");
        a.authors = {QStringLiteral("Ada Lovelace"), QStringLiteral("Grace Hopper")};
        a.venue = QStringLiteral("ICML");
        a.year = 2024;
        m_first = lib.addPaper(a);
        PaperRecord b;
        b.title = QStringLiteral("Quokka Decoding: the second");
        b.authors = {QStringLiteral("Ada Lovelace")};
        b.venue = QStringLiteral("NeurIPS");
        b.year = 2023;
        m_second = lib.addPaper(b);
        lib.addTag(m_first, QStringLiteral("reading-group"));
    }
    void cleanup() { m_lib.reset(); }

    void authorsAndTagsColumns()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        w.searchEdit()->setText(QStringLiteral("quokka attention"));
        QTRY_COMPARE(w.model()->ids(), QList<qint64>{m_first});
        QCOMPARE(w.model()->headerData(PaperTableModel::Authors, Qt::Horizontal).toString(), QStringLiteral("Authors"));
        QCOMPARE(w.model()->index(0, PaperTableModel::Authors).data().toString(),
                 QStringLiteral("Ada Lovelace, Grace Hopper"));
        QCOMPARE(w.model()->index(0, PaperTableModel::Tags).data().toString(), QStringLiteral("reading-group"));
        // Shown when the table has room for it (tablecolumns.cpp), else one pick in the header's menu.
        QHeaderView *header = w.table()->horizontalHeader();
        if (header->isSectionHidden(PaperTableModel::Authors)) {
            QMenu *menu = w.table()->columnMenu();
            for (QAction *a : menu->actions())
                if (a->data().toInt() == PaperTableModel::Authors)
                    a->trigger();
            delete menu;
        }
        QVERIFY(!header->isSectionHidden(PaperTableModel::Authors));
    }

    void columnChooserHidesAndRemembers()
    {
        QSettings().remove(QStringLiteral("window/tableHeader")); // test settings outlive a run
        bool shown = false;
        {
            MainWindow w(m_lib->db);
            waitForAll(w);
            QMenu *menu = w.table()->columnMenu();
            QAction *institutions = nullptr, *title = nullptr;
            for (QAction *a : menu->actions()) {
                if (a->data().toInt() == PaperTableModel::Institutions)
                    institutions = a;
                if (a->data().toInt() == PaperTableModel::Title)
                    title = a;
            }
            QVERIFY(institutions && title);
            QCOMPARE(menu->actions().size(), int(PaperTableModel::ColumnCount));
            QVERIFY(!title->isEnabled()); // the title always stays
            // Shown or not by default as the window's width allows: the pick flips it, and stays.
            shown = institutions->isChecked();
            institutions->trigger();
            QCOMPARE(w.table()->horizontalHeader()->isSectionHidden(PaperTableModel::Institutions), shown);
            delete menu;
            w.close(); // saves the header in the settings
        }
        MainWindow again(m_lib->db);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.table()->horizontalHeader()->isSectionHidden(PaperTableModel::Institutions), shown);
        QVERIFY(!again.table()->horizontalHeader()->isSectionHidden(PaperTableModel::Title));
    }

    void authorFacetCountsAndFilters()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        QCOMPARE(countOf(w.facets(), Facet::Author, QStringLiteral("Ada Lovelace")), 2);
        QCOMPARE(countOf(w.facets(), Facet::Author, QStringLiteral("Grace Hopper")), 1);
        choose(w.facets(), Facet::Author, QStringLiteral("Grace Hopper"));
        QTRY_COMPARE(w.model()->ids(), QList<qint64>{m_first});
        // The same papers as the author: search.
        QCOMPARE(w.library().findIds(QStringLiteral("author:\"Grace Hopper\"")), QList<qint64>{m_first});
    }

    // Under a search, the facets without a choice of their own are counted among the ids the
    // caller already holds (the table's list), not by running the search again: handed one
    // of the two papers "quokka" finds, the counts are that paper's alone. A facet with a
    // choice of its own still searches without it.
    void facetCountsComeFromTheIdsInHand()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        const QList<qint64> onlyFirst{m_first};
        w.facets()->reload(w.library(), QStringLiteral("quokka"), &onlyFirst);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("ICML")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("NeurIPS")), -1);
        QCOMPARE(countOf(w.facets(), Facet::Author, QStringLiteral("Ada Lovelace")), 1);
        // Without ids in hand the search runs: both papers count.
        w.facets()->reload(w.library(), QStringLiteral("quokka"));
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("NeurIPS")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Author, QStringLiteral("Ada Lovelace")), 2);
        // What the ids answer: the search text (one-letter words aside) and the choices.
        QCOMPARE(w.facets()->scopeOf(QStringLiteral("quokka")), w.facets()->scopeOf(QStringLiteral(" quokka a")));
        QVERIFY(w.facets()->scopeOf(QStringLiteral("quokka")) !=
                w.facets()->scopeOf(QStringLiteral("quokka decoding")));
    }

    // The window hands its complete list to the counts once the search has answered.
    void windowCountsAmongItsOwnList()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        w.searchEdit()->setText(QStringLiteral("quokka"));
        QTRY_COMPARE(w.model()->rowCount(), 2);
        QTRY_COMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("NeurIPS")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("ICML")), 1);
    }

    void facetCountsFollowTheSearch()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        const int allIcml = countOf(w.facets(), Facet::Venue, QStringLiteral("ICML"));
        QVERIFY(allIcml >= 1);
        w.searchEdit()->setText(QStringLiteral("quokka"));
        QTRY_COMPARE(w.model()->rowCount(), 2);
        QTRY_COMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("ICML")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("NeurIPS")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Year, QStringLiteral("2023")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Tag, QStringLiteral("reading-group")), 1);
        // A choice narrows the other facets, not its own: NeurIPS can still be added to ICML.
        choose(w.facets(), Facet::Venue, QStringLiteral("ICML"));
        QTRY_COMPARE(w.model()->ids(), QList<qint64>{m_first});
        QTRY_COMPARE(countOf(w.facets(), Facet::Year, QStringLiteral("2023")), -1); // no 2023 paper is left
        QCOMPARE(countOf(w.facets(), Facet::Year, QStringLiteral("2024")), 1);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("NeurIPS")), 1);
        QVERIFY(w.facets()->findValue(Facet::Venue, QStringLiteral("ICML"))->isSelected());
        // Clearing the search gives every paper's counts back.
        w.searchEdit()->clear();
        w.facets()->deselect(Facet::Venue, QStringLiteral("ICML"));
        QTRY_COMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("ICML")), allIcml);
    }

    // The first paint shows the rows and the tree without counts (they read every paper);
    // the counts follow it. Several hundred thousand authors: the most common ones and the
    // chosen ones are in the tree, the group says how many there are in all.
    void countsFollowTheFirstPaint()
    {
        {
            Library lib(m_lib->db);
            for (int i = 0; i < FacetPanel::kMaxValuesPerFacet + 5; ++i) {
                PaperRecord r;
                r.title = QStringLiteral("Wombat Kernel %1").arg(i);
                r.authors = {QStringLiteral("Ada Lovelace"), QStringLiteral("Solo Author %1").arg(i)};
                lib.addPaper(r);
            }
        }
        MainWindow w(m_lib->db);
        QVERIFY(w.model()->rowCount() > 0);
        QVERIFY(!w.facets()->hasCounts());
        QVERIFY(!w.facets()->findValue(Facet::Venue, QStringLiteral("ICML")));
        QVERIFY(w.facets()->allPapersItem());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY(w.facets()->hasCounts());
        int icml = 0;
        for (const FacetValue &v : w.library().facet(Facet::Venue))
            if (v.value == u"ICML")
                icml = v.count;
        QVERIFY(icml > 0);
        QCOMPARE(countOf(w.facets(), Facet::Venue, QStringLiteral("ICML")), icml);
        QCOMPARE(countOf(w.facets(), Facet::Author, QStringLiteral("Ada Lovelace")),
                 FacetPanel::kMaxValuesPerFacet + 7);
        QTreeWidgetItem *authors = w.facets()->findValue(Facet::Author, QStringLiteral("Ada Lovelace"))->parent();
        const QList<FacetValue> every = w.library().facet(Facet::Author);
        QVERIFY(every.size() > FacetPanel::kMaxValuesPerFacet + 5);
        QCOMPARE(authors->childCount(), FacetPanel::kMaxValuesPerFacet);
        QCOMPARE(authors->text(1).toInt(), int(every.size()));
        QCOMPARE(authors->child(FacetPanel::kMaxValuesPerFacet - 1)->text(0),
                 every[FacetPanel::kMaxValuesPerFacet - 1].label);
    }

    void chosenFiltersShownAsRemovableChips()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.filterChips()->chipTexts().isEmpty());
        QVERIFY(w.filterChips()->isHidden());
        choose(w.facets(), Facet::Venue, QStringLiteral("NeurIPS"));
        choose(w.facets(), Facet::Year, QStringLiteral("2023"), true);
        QTRY_COMPARE(w.filterChips()->chipTexts(),
                     (QStringList{QStringLiteral("Venue: NeurIPS  ×"), QStringLiteral("Year: 2023  ×")}));
        QVERIFY(w.filterChips()->isVisible());
        // The × takes the choice back: the tree and the list follow.
        QToolButton *year = nullptr;
        for (QToolButton *chip : w.filterChips()->findChildren<QToolButton *>())
            if (chip->text().startsWith(QLatin1String("Year")))
                year = chip;
        QVERIFY(year);
        year->click();
        QTRY_COMPARE(w.filterChips()->chipTexts(), QStringList{QStringLiteral("Venue: NeurIPS  ×")});
        QVERIFY(!w.facets()->findValue(Facet::Year, QStringLiteral("2023"))->isSelected());
        QTRY_VERIFY(w.model()->rowCount() >= 1);
    }
};

QTEST_MAIN(TestTableFacets)
#include "tst_tablefacets.moc"
