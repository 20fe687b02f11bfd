// View > Kernels Playground sized to its contents within the screen: on a large screen every
// title and venue shows whole (the fixed 720 x 480 window elided most titles and variant lists), on a
// small one it stays inside it.

#include "apptestsupport.h"
#include "kernelsoverview.h"
#include "mainwindow.h"

#include <QHeaderView>
#include <QScreen>
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

private:
    std::unique_ptr<testing::TestLibrary> m_lib;
};

QTEST_MAIN(TestKernelsWindow)
#include "tst_kernelswindow.moc"
