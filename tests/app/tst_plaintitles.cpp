// A title's inline TeX ("H$_2$O: Heavy-Hitter Oracle ...", from the seed lists) shown as
// Unicode ("H₂O: ...") wherever a title is plain text: the paper table, the page's
// heading, the Kernels window and the baseline graph.

#include "apptestsupport.h"
#include "baselinegraphview.h"
#include "kernelsoverview.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "playgroundentry.h"

#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QTextDocumentFragment>
#include <QTreeWidgetItem>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

const QString kShown = QStringLiteral("H₂O: Heavy-Hitter Oracle");

} // namespace

class TestPlainTitles : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;

    qint64 h2o() { return Library(m_lib->db).paperByKey(QStringLiteral("H2O"))->id; }

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { m_lib = testing::makeTestLibrary(); }
    void cleanup() { m_lib.reset(); }

    // The library holds the TeX (BibTeX and the note page typeset it): only the display changes.
    void libraryKeepsTheTex() { QVERIFY(Library(m_lib->db).paper(h2o())->title.startsWith(QLatin1String("H$_2$O:"))); }

    void tableAndPageShowUnicode()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_COMPARE(w.model()->rowCount(), w.library().paperCount());
        const qint64 id = h2o();
        QString cell, highlighted;
        for (int row = 0; row < w.model()->rowCount(); ++row) {
            const QModelIndex i = w.model()->index(row, PaperTableModel::Title);
            if (i.data(PaperTableModel::IdRole).toLongLong() == id) {
                cell = i.data().toString();
                highlighted = i.data(PaperTableModel::HighlightedTitleRole).toString();
            }
        }
        QVERIFY2(cell.startsWith(kShown), qPrintable(cell));
        QVERIFY2(QTextDocumentFragment::fromHtml(highlighted).toPlainText().startsWith(kShown),
                 qPrintable(highlighted));

        QVERIFY(w.selectPaperByKey(QStringLiteral("H2O")));
        const auto *title = w.page()->findChild<QLabel *>(QStringLiteral("paperTitle"));
        QVERIFY(title);
        const QString heading = QTextDocumentFragment::fromHtml(title->text()).toPlainText();
        QVERIFY2(heading.startsWith(kShown), qPrintable(heading));
    }

    void kernelsWindowShowsUnicode()
    {
        Library library(m_lib->db);
        std::unique_ptr<playground::KernelsOverview> view(playground::createKernelsOverview(library));
        const qint64 id = h2o();
        QStringList shown;
        for (int i = 0; i < view->topLevelItemCount(); ++i)
            for (int c = 0; c < view->topLevelItem(i)->childCount(); ++c)
                if (const QTreeWidgetItem *item = view->topLevelItem(i)->child(c);
                    item->data(0, Qt::UserRole).toLongLong() == id)
                    shown << item->text(0) << item->toolTip(0);
        QVERIFY2(!shown.isEmpty(), "H2O is listed under its kernel");
        for (const QString &text : std::as_const(shown))
            QVERIFY2(text.startsWith(kShown), qPrintable(text));
    }

    void baselineGraphShowsUnicode()
    {
        Library library(m_lib->db);
        BaselineGraphView view(library);
        view.setPaper(h2o());
        QStringList texts;
        for (QGraphicsItem *item : view.scene()->items())
            if (auto *text = qgraphicsitem_cast<QGraphicsTextItem *>(item))
                texts << text->toPlainText();
        QVERIFY2(texts.filter(kShown).size() == 1, qPrintable(texts.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestPlainTitles)
#include "tst_plaintitles.moc"
