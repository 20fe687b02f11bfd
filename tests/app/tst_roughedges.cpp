// The rough edges a new user hit (issue 15), each driven as the user met it: pasted titles,
// quoted phrases, Enter, "&" in the header, the dark theme at run time, File > Open Library,
// the tag field, Tab and the arrow keys, a paper the search left out, export notices.

#include "colourlabel.h"
#include "exportmenu.h"
#include "exportnotice.h"
#include "facetpanel.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "papertableview.h"
#include "runchartview.h"
#include "theme.h"
#include "themetesting.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPointer>
#include <QTextDocumentFragment>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

// What a label shows: rich text rendered to plain text, plain text as it is.
QString shownText(const QLabel *label)
{
    const bool rich = label->textFormat() == Qt::RichText ||
                      (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
    return rich ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : label->text();
}

QAction *menuAction(QMainWindow &w, const QString &text)
{
    for (QAction *a : w.findChildren<QAction *>())
        if (a->text() == text)
            return a;
    return nullptr;
}

using testing::isDark;

// The colour in the middle of a chart's plot, where no series is drawn yet.
QColor plotBackground(playground::RunChartView &chart)
{
    return testing::paintedColour(chart.findChild<QWidget *>(QStringLiteral("speedPlot")));
}

} // namespace

class TestRoughEdges : public testing::ThemedLibraryTest {
    Q_OBJECT

    qint64 addPaper(const QString &title, const QStringList &institutions = {})
    {
        Library lib(m_lib->db);
        PaperRecord r;
        r.title = title;
        r.institutions = institutions;
        r.authors = {QStringLiteral("Ada Lovelace")};
        r.year = 2024;
        return lib.addPaper(r);
    }

    static void waitForAll(MainWindow &w)
    {
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_COMPARE(w.model()->rowCount(), w.library().paperCount());
    }

private slots:
    void pastedTitleAndQuotedPhraseFind_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::newRow("pasted title with a colon")
            << QStringLiteral("KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache");
        QTest::newRow("quoted phrase with a one-letter word") << QStringLiteral("\"KIVI: A Tuning-Free\"");
    }
    void pastedTitleAndQuotedPhraseFind()
    {
        QFETCH(QString, typed);
        const qint64 kivi = addPaper(QStringLiteral("KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache"));
        MainWindow w(m_lib->db);
        waitForAll(w);
        w.searchEdit()->setFocus();
        QTest::keyClicks(w.searchEdit(), typed);
        QTRY_COMPARE(w.model()->ids(), QList<qint64>{kivi});
        QVERIFY2(w.searchMessage()->isHidden(), qPrintable(w.searchMessage()->text()));
    }

    void enterNeverActsOnAStaleList()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        w.searchEdit()->setFocus();
        QTest::keyClicks(w.searchEdit(), QStringLiteral("SKVQ year:abc"));
        QTRY_VERIFY(w.searchMessage()->isVisible());
        QTest::keyClick(w.searchEdit(), Qt::Key_Return);
        // The rows are an earlier search's: Enter leaves the focus in the box.
        QTest::qWait(300);
        QVERIFY(w.searchEdit()->hasFocus());
        QVERIFY(!w.table()->hasFocus());
        // Once the text is valid and answered, Enter goes to the list.
        for (int i = 0; i < 9; ++i)
            QTest::keyClick(w.searchEdit(), Qt::Key_Backspace);
        QTest::keyClick(w.searchEdit(), Qt::Key_Return);
        QTRY_VERIFY(w.table()->hasFocus());
        QCOMPARE(w.model()->rowCount(), 1);
    }

    void ampersandShownAsAmpersand()
    {
        const qint64 id =
            addPaper(QStringLiteral("T3: Tracking & Triggering"), {QStringLiteral("Shanghai AI Lab & SJTU")});
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.selectPaper(id));
        QStringList shown;
        for (const QLabel *label : w.page()->findChildren<QLabel *>())
            if (label->isVisibleTo(w.page()))
                shown << shownText(label);
        const QString all = shown.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("T3: Tracking & Triggering")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("Shanghai AI Lab & SJTU")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("&amp;")), qPrintable(all));
    }

    void darkThemeAtRunTimeReachesEveryWidgetAndChart()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        // A chart made in the light theme must turn dark with the rest.
        playground::RunChartView chart(playground::RunChartView::Kind::Speed, &w);
        chart.show();
        QVERIFY(!isDark(plotBackground(chart)));
        QAction *dark = menuAction(w, tr("&Dark"));
        QVERIFY(dark);
        dark->trigger();
        QApplication::processEvents();
        QStringList light;
        for (QWidget *widget : w.findChildren<QWidget *>()) {
            // A badge or banner is coloured on purpose (tst_themecolours checks those).
            if (!widget->isVisible() || qobject_cast<playground::ColourLabel *>(widget))
                continue;
            const QPalette::ColorRole role = widget->backgroundRole();
            if (!isDark(widget->palette().color(role)))
                light << QStringLiteral("%1 %2 in %3")
                             .arg(QLatin1String(widget->metaObject()->className()), widget->objectName(),
                                  QLatin1String(widget->parentWidget()->metaObject()->className()));
        }
        QVERIFY2(light.isEmpty(), qPrintable(light.join(QLatin1Char('\n'))));
        QTRY_VERIFY(isDark(plotBackground(chart)));
        // PAPERLAB_SHOTS=DIR keeps what was checked, to look at (docs/ screenshots).
        if (const QString shots = qEnvironmentVariable("PAPERLAB_SHOTS"); !shots.isEmpty()) {
            w.page()->showTab(QStringLiteral("Playground"));
            QTest::qWait(500);
            w.grab().save(shots + QStringLiteral("/dark-at-run-time.png"));
            chart.grab().save(shots + QStringLiteral("/dark-chart.png"));
        }
    }

    void openLibraryOpensExistingFileAndReplacesWindow()
    {
        auto other = testing::makeTestLibrary();
        auto *w = new MainWindow(m_lib->db);
        w->showMaximized();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        w->showKernelsOverview();
        QPointer<QWidget> kernels;
        for (QWidget *top : QApplication::topLevelWidgets())
            if (top->windowTitle().startsWith(QLatin1String("Kernels")))
                kernels = top;
        QVERIFY(kernels && kernels->isVisible());
        QPointer<MainWindow> old = w;
        QFileDialog::FileMode mode = QFileDialog::AnyFile;
        QFileDialog::AcceptMode accept = QFileDialog::AcceptSave;
        QTimer::singleShot(300, this, [&] {
            auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            mode = dialog->fileMode();
            accept = dialog->acceptMode();
            // As the user types it (the file system model fills in asynchronously).
            auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            QVERIFY(name);
            name->setText(other->db);
            static_cast<QDialog *>(dialog)->done(QDialog::Accepted); // selectedFiles() is what it returns
        });
        QAction *open = w->findChild<QAction *>(QStringLiteral("open-library"));
        QVERIFY(open);
        open->trigger();
        QCOMPARE(accept, QFileDialog::AcceptOpen);
        QCOMPARE(mode, QFileDialog::ExistingFile); // a typo cannot create an empty library
        QTRY_VERIFY(old.isNull());                 // the old window is gone, not hidden
        QVERIFY(kernels.isNull() || !kernels->isVisible());
        MainWindow *now = nullptr;
        for (QWidget *top : QApplication::topLevelWidgets())
            if (auto *m = qobject_cast<MainWindow *>(top); m && m->isVisible())
                now = m;
        QVERIFY(now);
        QCOMPARE(now->databasePath(), other->db);
        QVERIFY(now->isMaximized());
        delete now;
    }

    void tagEnterTakesTheCompletion()
    {
        const qint64 tagged = addPaper(QStringLiteral("A paper already in the reading group"));
        Library(m_lib->db).addTag(tagged, QStringLiteral("reading-group"));
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        const qint64 id = w.page()->paperId();
        QLineEdit *tag = w.page()->tagEdit();
        tag->setFocus();
        QTest::keyClicks(tag, QStringLiteral("readi"));
        QTRY_VERIFY(tag->completer()->popup()->isVisible());
        QTest::keyClick(tag->completer()->popup(), Qt::Key_Return);
        QTRY_VERIFY(w.page()->paper()->tags.contains(QStringLiteral("reading-group")));
        QVERIFY(!w.page()->paper()->tags.contains(QStringLiteral("readi")));
        QTRY_VERIFY(Library(m_lib->db).paper(id)->tags.contains(QStringLiteral("reading-group")));
        QVERIFY(!Library(m_lib->db).paper(id)->tags.contains(QStringLiteral("readi")));
    }

    void tabAndArrowsCannotChangeStatus()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        const qint64 id = w.page()->paperId();
        w.searchEdit()->setFocus();
        QTest::keyClick(w.searchEdit(), Qt::Key_Tab);
        QTRY_VERIFY(w.table()->hasFocus());
        // On the status and rating combos arrows and the wheel change nothing.
        QComboBox *status = nullptr;
        for (QComboBox *box : w.page()->findChildren<QComboBox *>())
            if (box->toolTip() == tr("Reading status"))
                status = box;
        QVERIFY(status);
        const int before = status->currentIndex();
        status->setFocus();
        QTest::keyClick(status, Qt::Key_Down);
        QTest::keyClick(status, Qt::Key_Down);
        QWheelEvent wheel(QPointF(5, 5), status->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, -120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(status, &wheel);
        QCOMPARE(status->currentIndex(), before);
        QTest::qWait(200);
        QCOMPARE(int(Library(m_lib->db).paper(id)->status), before);
    }

    void pageLeavesAPaperTheSearchLeftOut()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        QVERIFY(w.page()->paperId() != 0);
        w.searchEdit()->setText(QStringLiteral("sagea"));
        QTRY_COMPARE(w.model()->rowCount(), 3);
        QTRY_COMPARE(w.page()->paperId(), qint64(0));
    }

    void exportSaysWhereTheFileWent()
    {
        MainWindow w(m_lib->db);
        waitForAll(w);
        auto *exporter = w.findChild<ExportMenu *>(QStringLiteral("exportMenu"));
        QVERIFY(exporter);
        const QString path = m_lib->dir.filePath(QStringLiteral("out/papers.bib"));
        QDir().mkpath(QFileInfo(path).absolutePath());
        QVERIFY(exporter->exportTo(QStringLiteral("bib"), path, w.model()->ids().mid(0, 3)));
        auto *notice = w.findChild<ExportNotice *>(QStringLiteral("exportNotice"));
        QVERIFY(notice);
        QVERIFY(notice->isVisible());
        QVERIFY2(notice->text().contains(path), qPrintable(notice->text()));
        QCOMPARE(notice->openButton()->text(), tr("Open"));
        QCOMPARE(notice->folderButton()->text(), tr("Show in Folder"));
        QCOMPARE(notice->fileUrl(), QUrl::fromLocalFile(path));
        QCOMPARE(notice->folderUrl(), QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        QVERIFY(QFileInfo(path).size() > 0);
    }
};

QTEST_MAIN(TestRoughEdges)
#include "tst_roughedges.moc"
