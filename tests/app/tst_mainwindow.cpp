// The main window driven like a user would: typing in the search box, clicking facets,
// editing a note (and finding it again after a restart and on disk), importing a broken file.

#include "apptestsupport.h"
#include "facetpanel.h"
#include "importreportdialog.h"
#include "mainwindow.h"
#include "notebrowser.h"
#include "noteeditor.h"
#include "noteview.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "papertableview.h"
#include "searchcontroller.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace paperlab;
using namespace paperlab::gui;

class TestMainWindow : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;

    QStringList visibleTitles(MainWindow &w)
    {
        QStringList out;
        for (int r = 0; r < w.table()->model()->rowCount(); ++r)
            out << w.table()->model()->index(r, PaperTableModel::Title).data().toString();
        return out;
    }

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { m_lib = testing::makeTestLibrary(); }
    void cleanup() { m_lib.reset(); }

    void typingNarrowsTable_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("titles"); // prefixes of the expected rows, in any order
        QTest::newRow("abbreviation") << QStringLiteral("SKVQ") << QStringList{"SKVQ:"};
        QTest::newRow("prefix") << QStringLiteral("sagea")
                                << QStringList{"SageAttention:", "SageAttention2:", "SageAttention3:"};
        QTest::newRow("phrase and venue") << QStringLiteral("\"sliding-window\" venue:COLM") << QStringList{"SKVQ:"};
    }
    void typingNarrowsTable()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, titles);
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const int all = w.library().paperCount();
        QVERIFY(all >= 300);
        QTRY_COMPARE(w.table()->model()->rowCount(), all); // the first page, then the rest
        QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(w.searchEdit()->hasFocus());
        QTest::keyClicks(w.searchEdit(), typed);
        QTRY_COMPARE(w.table()->model()->rowCount(), titles.size());
        const QStringList shown = visibleTitles(w);
        for (const QString &prefix : titles)
            QVERIFY2(std::any_of(shown.begin(), shown.end(), [&](const QString &t) { return t.startsWith(prefix); }),
                     qPrintable(shown.join(QLatin1Char('\n'))));
        QVERIFY(w.searchMessage()->isHidden());
        // Clearing the box brings every paper back.
        w.searchEdit()->clear();
        QTRY_COMPARE(w.table()->model()->rowCount(), all);
    }

    void invalidQueryShowsMessage()
    {
        MainWindow w(m_lib->db);
        w.show();
        QTest::keyClicks(w.searchEdit(), QStringLiteral("SKVQ"));
        QTRY_COMPARE(w.table()->model()->rowCount(), 1);
        QTest::keyClicks(w.searchEdit(), QStringLiteral(" year:abc"));
        QTRY_VERIFY(w.searchMessage()->isVisible());
        QVERIFY(w.searchMessage()->text().contains(QLatin1String("year")));
        QCOMPARE(w.table()->model()->rowCount(), 1); // the last valid rows stay, with the reason shown
        QTest::keyClick(w.searchEdit(), Qt::Key_Backspace);
        QTest::keyClick(w.searchEdit(), Qt::Key_Backspace);
        QTest::keyClick(w.searchEdit(), Qt::Key_Backspace);
        QTest::keyClicks(w.searchEdit(), QStringLiteral("2024"));
        QTRY_VERIFY(w.searchMessage()->isHidden());
    }

    // An empty table says why: a search that found nothing names what was searched, an empty
    // library says how to import; the text is painted (the viewport is not blank).
    void emptyTableSaysWhy()
    {
        auto paintedPixels = [](QWidget *viewport) {
            const QImage image = viewport->grab().toImage();
            const QRgb background = image.pixel(2, 2);
            int painted = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    painted += image.pixel(x, y) != background;
            return painted;
        };
        {
            MainWindow w(m_lib->db);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QTRY_VERIFY(w.table()->model()->rowCount() > 0);
            QTest::keyClicks(w.searchEdit(), QStringLiteral("zzqxw"));
            QTRY_COMPARE(w.table()->model()->rowCount(), 0);
            QTRY_VERIFY(w.table()->emptyMessage().contains(QLatin1String("zzqxw")));
            QTRY_VERIFY(paintedPixels(w.table()->viewport()) > 50);
        }
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.sqlite"));
        Library(empty).setLibraryFolder(dir.path());
        MainWindow w(empty);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY(w.table()->emptyMessage().contains(QLatin1String("no papers yet")));
        QVERIFY(w.table()->emptyMessage().contains(QLatin1String("Import Folder")));
        QCOMPARE(w.table()->model()->rowCount(), 0);
        QTRY_VERIFY(paintedPixels(w.table()->viewport()) > 50);
    }

    void clickingFacetFilters()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        FacetPanel *facets = w.facets();
        QTRY_VERIFY(facets->hasCounts()); // they follow the first paint
        QTreeWidgetItem *kv = facets->findValue(Facet::Topic, QStringLiteral("kv_cache"));
        QVERIFY(kv);
        const int expected = kv->text(1).toInt();
        QVERIFY(expected > 0);
        facets->scrollToItem(kv);
        const QRect rect = facets->visualItemRect(kv);
        QTest::mouseClick(facets->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(w.table()->model()->rowCount(), expected);
        for (int r = 0; r < w.table()->model()->rowCount(); ++r)
            QVERIFY(w.table()
                        ->model()
                        ->index(r, PaperTableModel::Topics)
                        .data()
                        .toString()
                        .contains(QLatin1String("KV Cache")));

        // Ctrl+click a venue too: facets are AND-ed.
        QTreeWidgetItem *icml = facets->findValue(Facet::Venue, QStringLiteral("ICML"));
        QVERIFY(icml);
        icml->parent()->setExpanded(true);
        facets->scrollToItem(icml);
        QTest::mouseClick(facets->viewport(), Qt::LeftButton, Qt::ControlModifier,
                          facets->visualItemRect(icml).center());
        const int both = int(w.library()
                                 .findIds(QString(), SearchOptions{{FacetFilter{Facet::Topic, {"kv_cache"}},
                                                                    FacetFilter{Facet::Venue, {"ICML"}}}})
                                 .size());
        QTRY_COMPARE(w.table()->model()->rowCount(), both);
        QVERIFY(both < expected);

        // "All papers" clears the narrowing.
        facets->scrollToItem(facets->allPapersItem());
        QTest::mouseClick(facets->viewport(), Qt::LeftButton, {},
                          facets->visualItemRect(facets->allPapersItem()).center());
        QTRY_COMPARE(w.table()->model()->rowCount(), w.library().paperCount());
    }

    void savedSearchAndRecentInFacetTree()
    {
        {
            Library library(m_lib->db);
            library.saveSearch(QStringLiteral("KV cache papers"), QStringLiteral("topic:kv_cache cache"));
        }
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        FacetPanel *facets = w.facets();
        QTreeWidgetItem *saved = nullptr;
        for (QTreeWidgetItemIterator it(facets); *it; ++it)
            if ((*it)->data(0, FacetPanel::KindRole).toInt() == FacetPanel::SavedSearch)
                saved = *it;
        QVERIFY(saved);
        QCOMPARE(saved->text(0), QStringLiteral("KV cache papers"));
        facets->scrollToItem(saved);
        QTest::mouseClick(facets->viewport(), Qt::LeftButton, {}, facets->visualItemRect(saved).center());
        QCOMPARE(w.searchEdit()->text(), QStringLiteral("topic:kv_cache cache"));
        const int expected = int(w.library().findIds(QStringLiteral("topic:kv_cache cache")).size());
        QVERIFY(expected > 0);
        QTRY_COMPARE(w.table()->model()->rowCount(), expected);

        // "Recently added/edited" puts a just-rated paper first.
        w.searchEdit()->clear();
        const qint64 id = w.library().paperByKey(QStringLiteral("SKVQ"))->id;
        w.library().setRating(id, 5);
        QTreeWidgetItem *recent = facets->topLevelItem(1);
        QCOMPARE(recent->data(0, FacetPanel::KindRole).toInt(), int(FacetPanel::Recent));
        QTest::mouseClick(facets->viewport(), Qt::LeftButton, {}, facets->visualItemRect(recent).center());
        QTRY_COMPARE(w.table()->model()->index(0, 0).data(PaperTableModel::IdRole).toLongLong(), id);
    }

    void keyboardSetsRatingAndStatus()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        const qint64 id = w.page()->paperId();
        QVERIFY(id > 0);
        QTRY_COMPARE(w.table()->currentIndex().data(PaperTableModel::IdRole).toLongLong(), id);
        w.table()->setFocus();
        QTest::keyClick(w.table(), Qt::Key_4);
        QTest::keyClick(w.table(), Qt::Key_Space);
        // Edits land through the writer thread.
        QTRY_COMPARE(w.library().paper(id)->rating, 4);
        QTRY_COMPARE(w.library().paper(id)->status, ReadingStatus::Read);
        QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier); // Paper > Mark Reading
        QTRY_COMPARE(w.library().paper(id)->status, ReadingStatus::Reading);
    }

    void noteEditPersistsAcrossRestartAndOnDisk()
    {
        const QString text =
            QStringLiteral("##### Key-Point\n- [x] read the paper\n- <mark>2-bit keys</mark> with a sliding window\n");
        QString file;
        qint64 id = 0;
        {
            MainWindow w(m_lib->db);
            w.show();
            QVERIFY(QTest::qWaitForWindowActive(&w));
            QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
            id = w.page()->paperId();
            QTest::keyClick(&w, Qt::Key_E, Qt::ControlModifier);
            NoteEditor *editor = w.noteEditor();
            QVERIFY(editor);
            QTRY_VERIFY(editor->isVisible());
            editor->setAutosaveDelay(50);
            QSignalSpy saved(editor, &NoteEditor::noteSaved);
            editor->textEdit()->selectAll();
            QTest::keyClick(editor->textEdit(), Qt::Key_Delete);
            editor->textEdit()->insertPlainText(text);
            QTRY_VERIFY(saved.count() >= 1);
            file = saved.last().at(1).toString();
            // The preview is live and draws the checkbox.
            QTRY_VERIFY(editor->preview()->toPlainText().contains(QStringLiteral("☑")));
            // Undo works in the editor (and the redo brings the text back).
            editor->textEdit()->undo();
            QVERIFY(editor->textEdit()->toPlainText() != text);
            editor->textEdit()->redo();
            QCOMPARE(editor->textEdit()->toPlainText(), text);
            w.close();
        }
        // On disk: a new note file under the library folder (the paper had none).
        QVERIFY2(file.startsWith(m_lib->folder), qPrintable(file));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), text);
        // A new window on the same library shows the edited note.
        MainWindow again(m_lib->db);
        again.show();
        QVERIFY(again.selectPaper(id));
        QCOMPARE(again.page()->paperId(), id);
        QVERIFY(again.page()->noteView()->markdown().contains(QLatin1String("2-bit keys")));
    }

    void pendingNoteSaveFlushedOnExit()
    {
        qint64 id = 0;
        {
            MainWindow w(m_lib->db);
            w.show();
            QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
            id = w.page()->paperId();
            w.editNote();
            NoteEditor *editor = w.noteEditor();
            QVERIFY(editor);
            editor->setAutosaveDelay(60000); // still pending when the window goes away
            editor->textEdit()->moveCursor(QTextCursor::End);
            editor->textEdit()->insertPlainText(QStringLiteral("\n- written just before quitting\n"));
            QVERIFY(editor->hasPendingSave());
        }
        Library library(m_lib->db);
        QVERIFY(library.paper(id)->note.contains(QLatin1String("written just before quitting")));
    }

    void tagsAddedFromThePage()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        QTest::keyClicks(w.page()->tagEdit(), QStringLiteral("reading-group"));
        QTest::keyClick(w.page()->tagEdit(), Qt::Key_Return);
        QTRY_COMPARE(w.library().paper(w.page()->paperId())->tags, QStringList{QStringLiteral("reading-group")});
        QTRY_VERIFY(w.facets()->findValue(Facet::Tag, QStringLiteral("reading-group")));
    }

    void malformedImportShowsErrorAndKeepsLibrary()
    {
        const QString bad = m_lib->dir.filePath(QStringLiteral("Broken.prototxt"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("paper {\n  title: \"A broken paper\"\n  abbr: \"Broken\"\n  url: unquoted text here\n}\npub { where: "
                "\"ICML\" year: 2024 }\n");
        f.close();

        MainWindow w(m_lib->db);
        w.show();
        const int before = w.library().paperCount();
        w.importPaths({bad});
        QTRY_VERIFY_WITH_TIMEOUT(w.lastImportReport() != nullptr, 10000);
        ImportReportDialog *report = w.lastImportReport();
        QTRY_VERIFY(report->isVisible());
        const QString lines = report->diagnosticLines().join(QLatin1Char('\n'));
        QVERIFY2(lines.contains(QStringLiteral("Broken.prototxt:4")), qPrintable(lines));
        QVERIFY(report->summaryText().contains(QLatin1String("1 error")));
        QCOMPARE(w.library().paperCount(), before);
        QVERIFY(w.library().paperByKey(QStringLiteral("SKVQ")).has_value());
        report->close();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
