// The paper table at the window's default size and at the sizes people use: its default
// columns fit the table with a paper (and its playground) open beside it, so no horizontal
// scroll bar cuts the Short column off; the title keeps a useful width; a column the user
// resized stays as the user left it.

#include "apptestsupport.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "papertableview.h"

#include <QHeaderView>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>

using namespace paperlab;
using namespace paperlab::gui;

class TestTableColumns : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;

    static QString layout(const QHeaderView *h)
    {
        QStringList parts;
        for (int visual = 0; visual < h->count(); ++visual) {
            const int c = h->logicalIndex(visual);
            if (!h->isSectionHidden(c))
                parts << QStringLiteral("%1 %2")
                             .arg(h->model()->headerData(c, Qt::Horizontal).toString())
                             .arg(h->sectionSize(c));
        }
        return parts.join(QStringLiteral(", "));
    }

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init()
    {
        QSettings().clear(); // no header or window saved by another test
        m_lib = testing::makeTestLibrary();
    }
    void cleanup() { m_lib.reset(); }

    void defaultColumnsFit_data()
    {
        QTest::addColumn<QSize>("window");
        QTest::newRow("1600 x 1000") << QSize(1600, 1000);
        QTest::newRow("1500 x 900 (the default size)") << QSize(1500, 900);
        QTest::newRow("1024 x 700") << QSize(1024, 700);
    }
    void defaultColumnsFit()
    {
        QFETCH(QSize, window);
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resize(window);
        // H2O has a kernel: its playground tab is the page's largest.
        QVERIFY(w.selectPaperByKey(QStringLiteral("H2O")));
        QTRY_COMPARE(w.size(), window);
        QApplication::processEvents();
        auto *table = w.findChild<PaperTableView *>(QStringLiteral("papers"));
        const QHeaderView *h = table->horizontalHeader();
        const QString shown = QStringLiteral("%1 px table: %2").arg(table->viewport()->width()).arg(layout(h));
        QVERIFY2(h->length() <= table->viewport()->width(), qPrintable(shown));
        QVERIFY2(!table->horizontalScrollBar()->isVisible(), qPrintable(shown));
        QVERIFY2(!h->isSectionHidden(PaperTableModel::Abbr) &&
                     h->sectionSize(PaperTableModel::Abbr) >= h->sectionSizeHint(PaperTableModel::Abbr),
                 qPrintable(shown));
        QVERIFY2(h->sectionSize(PaperTableModel::Title) >= 240, qPrintable(shown));
    }

    // The playground needs more width than the page has by default: opened, it takes it from
    // the table (which still fits its columns); it never scrolls sideways at 1600 px.
    void playgroundTabWidensThePage()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resize(1600, 1000);
        QTRY_COMPARE(w.size(), QSize(1600, 1000));
        QVERIFY(w.selectPaperByKey(QStringLiteral("H2O")));
        QVERIFY(w.page()->showTab(QStringLiteral("Playground")));
        QApplication::processEvents();
        auto *scroll = w.page()->findChild<QScrollArea *>(QStringLiteral("playgroundScroll"));
        QVERIFY(scroll && scroll->widget());
        QTRY_VERIFY2(scroll->viewport()->width() >= scroll->widget()->minimumSizeHint().width(),
                     qPrintable(QStringLiteral("a %1 px playground in %2 px")
                                    .arg(scroll->widget()->minimumSizeHint().width())
                                    .arg(scroll->viewport()->width())));
        auto *table = w.findChild<PaperTableView *>(QStringLiteral("papers"));
        QVERIFY(table->horizontalHeader()->length() <= table->viewport()->width());
    }

    void resizedColumnStays()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.resize(1500, 900);
        QTRY_COMPARE(w.size(), QSize(1500, 900));
        auto *table = w.findChild<PaperTableView *>(QStringLiteral("papers"));
        QHeaderView *h = table->horizontalHeader();
        h->resizeSection(PaperTableModel::Venue, 150); // as a drag on the header does
        const int title = h->sectionSize(PaperTableModel::Title);
        w.resize(1200, 900);
        QTRY_COMPARE(w.size(), QSize(1200, 900));
        QApplication::processEvents();
        QCOMPARE(h->sectionSize(PaperTableModel::Venue), 150);
        QCOMPARE(h->sectionSize(PaperTableModel::Title), title);
    }

    // Before it is shown, a new window's size (no saved geometry) fits the screen.
    void defaultWindowFitsTheScreen()
    {
        MainWindow w(m_lib->db);
        const QSize screen = QGuiApplication::primaryScreen()->availableGeometry().size();
        QVERIFY2(w.width() <= screen.width() && w.height() <= screen.height(),
                 qPrintable(QStringLiteral("%1 x %2 on a %3 x %4 screen")
                                .arg(w.width())
                                .arg(w.height())
                                .arg(screen.width())
                                .arg(screen.height())));
    }
};

QTEST_MAIN(TestTableColumns)
#include "tst_tablecolumns.moc"
