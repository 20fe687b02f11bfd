// The main window's first layout at common widths: the paper page gets a readable share
// (at 1024 px it had about 305 px, and a long title a fifth of its height), the table keeps
// room for its titles, the facets for their names, and a layout the user saved is restored as it was.

#include "apptestsupport.h"
#include "mainsplittershares.h"
#include "mainwindow.h"
#include "paperpage.h"

#include <QLabel>
#include <QSettings>
#include <QSplitter>

using namespace paperlab;
using namespace paperlab::gui;

class TestMainSplitter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { QSettings().remove(QStringLiteral("window")); }

    void firstLayoutSharesTheWidth_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024 x 700") << QSize(1024, 700);
        QTest::newRow("1366 x 768") << QSize(1366, 768);
        QTest::newRow("1600 x 1000") << QSize(1600, 1000);
    }
    void firstLayoutSharesTheWidth()
    {
        QFETCH(QSize, size);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.resize(size);
        // The Optimal BERT Surgeon: one of the longest titles of the seeds.
        QVERIFY(w.selectPaperByKey(QStringLiteral("oBERT")));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *splitter = w.findChild<QSplitter *>(QStringLiteral("mainSplitter"));
        QVERIFY(splitter);
        const QList<int> sizes = splitter->sizes();
        const int width = size.width();
        QVERIFY2(sizes[2] >= std::min(width * 38 / 100, 540), qPrintable(QStringLiteral("page %1 px").arg(sizes[2])));
        QVERIFY2(sizes[1] >= width * 38 / 100, qPrintable(QStringLiteral("table %1 px").arg(sizes[1])));
        QVERIFY2(sizes[0] >= 220, qPrintable(QStringLiteral("facets %1 px").arg(sizes[0])));
        auto *title = w.page()->findChild<QLabel *>(QStringLiteral("paperTitle"));
        QVERIFY(title);
        QVERIFY2(title->height() * 6 <= w.page()->height(),
                 qPrintable(QStringLiteral("title %1 of %2 px").arg(title->height()).arg(w.page()->height())));
    }

    void savedLayoutWins()
    {
        auto lib = testing::makeTestLibrary();
        QList<int> moved;
        {
            MainWindow w(lib->db);
            w.resize(1024, 700);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            auto *splitter = w.findChild<QSplitter *>(QStringLiteral("mainSplitter"));
            splitter->setSizes({200, 600, 200});
            moved = splitter->sizes();
            w.close(); // saves the layout
        }
        MainWindow again(lib->db);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("mainSplitter"))->sizes(), moved);
    }

    void sharesAddUpAndStayPositive_data()
    {
        QTest::addColumn<int>("width");
        for (int width : {300, 800, 1024, 1280, 1600, 2560})
            QTest::addRow("%d", width) << width;
    }
    void sharesAddUpAndStayPositive()
    {
        QFETCH(int, width);
        const QList<int> sizes = mainSplitterSizes(width);
        QCOMPARE(sizes.size(), 3);
        QVERIFY(sizes[0] > 0 && sizes[1] >= 0 && sizes[2] > 0);
        if (width >= 800)
            QCOMPARE(sizes[0] + sizes[1] + sizes[2], width);
    }
};

QTEST_MAIN(TestMainSplitter)
#include "tst_mainsplitter.moc"
