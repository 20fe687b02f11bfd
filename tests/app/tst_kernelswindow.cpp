// View > Kernels Playground sized to its contents within the screen: on a large screen every
// title and venue shows whole (the fixed 720 x 480 window elided most titles and variant lists), on a
// small one it stays inside it. A paper opened from it opens on its playground.

#include "apptestsupport.h"
#include "kernelsoverview.h"
#include "mainwindow.h"
#include "paperpage.h"

#include <QApplication>
#include <QHeaderView>
#include <QScreen>
#include <QTabWidget>
#include <QTreeWidgetItemIterator>

using namespace paperlab;
using namespace paperlab::gui;

class TestKernelsWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { m_lib = testing::makeTestLibrary(); }
    void cleanup() { m_lib.reset(); }

    void fitsItsScreen_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::addColumn<bool>("whole"); // room for every title and venue
        QTest::newRow("1600 x 1000") << QSize(1600, 1000) << true;
        QTest::newRow("1024 x 700") << QSize(1024, 700) << false;
        QTest::newRow("800 x 600") << QSize(800, 600) << false;
    }
    void fitsItsScreen()
    {
        QFETCH(QSize, screen);
        QFETCH(bool, whole);
        Library library(m_lib->db);
        playground::KernelsOverview view(library);
        const QSize size = view.preferredSize(screen);
        QVERIFY2(size.width() <= screen.width() * 9 / 10 && size.height() <= screen.height() * 4 / 5,
                 qPrintable(QStringLiteral("%1 x %2").arg(size.width()).arg(size.height())));
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QAbstractItemView &items = view; // its size hints are public there
        if (!whole) {
            QVERIFY(size.width() >= std::min(720, screen.width() * 9 / 10));
            return;
        }
        QCOMPARE(view.columnWidth(0), items.sizeHintForColumn(0));
        // Every paper's venue shows whole; a kernel's list of variants may still be longer
        // than a screen (its tooltip holds it, one variant a line).
        for (QTreeWidgetItemIterator it(&view, QTreeWidgetItemIterator::NoChildren); *it; ++it) {
            const int needs = view.fontMetrics().horizontalAdvance((*it)->text(1));
            QVERIFY2(needs < view.header()->sectionSize(1), qPrintable(QStringLiteral("%1: %2 of %3 px")
                                                                           .arg((*it)->text(1))
                                                                           .arg(needs)
                                                                           .arg(view.header()->sectionSize(1))));
        }
    }

    // The menu's window takes the size for the screen it opens on.
    void menuOpensItAtThatSize()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showKernelsOverview();
        auto *view = w.findChild<playground::KernelsOverview *>();
        QVERIFY(view && view->isVisible());
        QCOMPARE(view->size(), view->preferredSize(w.screen()->availableGeometry().size()));
    }

    // A paper opened from the window (Enter, as a double-click) shows its playground, not
    // whichever tab its page had last; its tooltip says so.
    void aPaperOpensOnItsPlayground()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPaperByKey(QStringLiteral("H2O")));
        QVERIFY(w.page()->showTab(QStringLiteral("Note")));
        w.showKernelsOverview();
        auto *view = w.findChild<playground::KernelsOverview *>();
        QVERIFY(view && QTest::qWaitForWindowExposed(view));
        const auto fa2 = w.library().paperByKey(QStringLiteral("FlashAttention-2"));
        QVERIFY(fa2);
        QTreeWidgetItem *item = nullptr;
        for (QTreeWidgetItemIterator it(view); *it && !item; ++it)
            if ((*it)->data(0, Qt::UserRole).toLongLong() == fa2->id)
                item = *it;
        QVERIFY(item);
        QVERIFY2(item->toolTip(0).contains(QLatin1String("playground")), qPrintable(item->toolTip(0)));
        view->setCurrentItem(item);
        QApplication::setActiveWindow(view);
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_COMPARE(w.page()->paperId(), fa2->id);
        auto *tabs = w.page()->findChild<QTabWidget *>();
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(tabs->currentIndex()).remove(u'&'), QStringLiteral("Playground"));
    }

private:
    std::unique_ptr<testing::TestLibrary> m_lib;
};

QTEST_MAIN(TestKernelsWindow)
#include "tst_kernelswindow.moc"
