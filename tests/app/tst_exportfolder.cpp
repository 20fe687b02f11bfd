// Where an export goes: the file first offered is in the home folder, then in the folder of
// the last export, named for its format; a folder that cannot take the file is said in the
// slide dialog before any deck is made, and the dialog keeps what the user typed. Where an
// import starts: the home folder, then the folder the last import came from; never the
// folder the app was started in.

#include "apptestsupport.h"
#include "deckexportdialog.h"
#include "exportmenu.h"
#include "lastfolder.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "playgroundwidget.h"
#include "windowopener.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

// The file a --open export's dialog first offers (the dialog is closed again).
QString offeredFile(MainWindow &w, const QString &name)
{
    WindowOpener opener(&w, name);
    QString offered = QStringLiteral("(no file dialog)");
    bool looked = false;
    QTimer::singleShot(400, &w, [&] {
        if (auto *dialog = qobject_cast<QFileDialog *>(opener.opened())) {
            offered = dialog->selectedFiles().value(0);
            dialog->close();
        } else if (auto *deck = qobject_cast<DeckExportDialog *>(opener.opened())) {
            offered = deck->path();
            deck->close();
        }
        looked = true;
    });
    opener.trigger();
    if (!QTest::qWaitFor([&] { return looked; }, 20000))
        return QStringLiteral("(no window after 20 s)");
    return offered;
}

// Triggers `action` and hands each modal dialog it opens to `answer` until that says it is
// done. Polled: a dialog's exec() runs inside this wait, and one left open would never return.
bool answerDialogs(QAction *action, const std::function<bool(QWidget *)> &answer)
{
    bool done = false;
    QTimer poll;
    poll.setInterval(100);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        QWidget *opened = QApplication::activeModalWidget();
        if (opened && !done && answer(opened)) {
            done = true;
            poll.stop();
        }
    });
    poll.start();
    QTimer::singleShot(0, action, &QAction::trigger);
    return QTest::qWaitFor([&] { return done; }, 20000);
}

// The same for the --open action `name`.
bool answerWindows(MainWindow &w, const QString &name, const std::function<bool(QWidget *)> &answer)
{
    auto *action = w.findChild<QAction *>(name);
    return action && answerDialogs(action, answer);
}

// The folder the file dialog `action` opens first shows (the dialog is closed again).
QString dialogFolder(QAction *action)
{
    QString shown = QStringLiteral("(no file dialog)");
    const bool answered = action && answerDialogs(action, [&](QWidget *opened) {
                              auto *dialog = qobject_cast<QFileDialog *>(opened);
                              if (!dialog)
                                  return false;
                              shown = dialog->directory().absolutePath();
                              dialog->close();
                              return true;
                          });
    return answered ? shown : QStringLiteral("(no file dialog after 20 s)");
}

// Types `path` into a file dialog's name field, as a user may, and accepts it.
void chooseInFileDialog(QFileDialog *dialog, const QString &path)
{
    if (auto *nameField = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
        nameField->setText(path);
    static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept, as its Open/Save button
}

// The folder a --open import's file dialog first shows; with `choose`, that file or folder is
// then chosen (and imported), else the dialog is closed.
QString offeredFolder(MainWindow &w, const QString &name, const QString &choose = QString())
{
    QString offered = QStringLiteral("(no file dialog)");
    const bool answered = answerWindows(w, name, [&](QWidget *opened) {
        auto *dialog = qobject_cast<QFileDialog *>(opened);
        if (!dialog)
            return false;
        offered = dialog->directory().absolutePath();
        if (choose.isEmpty())
            dialog->close();
        else
            chooseInFileDialog(dialog, choose);
        return true;
    });
    return answered ? offered : QStringLiteral("(no window after 20 s)");
}

} // namespace

class TestExportFolder : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // A home of its own, apart from the folder the test runs in (the build tree), and
        // without the file dialog's own memory of earlier runs (Qt keeps it under HOME).
        QVERIFY(m_home.isValid());
        qputenv("HOME", QFile::encodeName(m_home.path()));
        QVERIFY(QDir::currentPath() != QDir::homePath());
        testing::isolateSettings();
    }
    void init()
    {
        QSettings().remove(QStringLiteral("export")); // folders and the README grouping
        QSettings().remove(QStringLiteral("import"));
    }

    void importStartsAtHomeThenWhereTheLastImportCameFrom_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("folder"); // the dialog picks a folder (an EfficientPaper library)
        QTest::newRow("Import File") << QStringLiteral("import-file") << false;
        QTest::newRow("Import Folder") << QStringLiteral("import-folder") << true;
    }
    void importStartsAtHomeThenWhereTheLastImportCameFrom()
    {
        QFETCH(QString, name);
        QFETCH(bool, folder);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        QCOMPARE(offeredFolder(w, name), QDir::homePath());

        // A reading list (or a library folder) two levels down in a folder of its own.
        QTemporaryDir papers;
        const QString lists = papers.filePath(QStringLiteral("group/lists"));
        QVERIFY(QDir().mkpath(lists));
        const QString list = QDir(lists).filePath(QStringLiteral("reading.md"));
        QFile file(list);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("- [X] [[2205.14135] FlashAttention: Fast and Memory-Efficient Exact Attention]"
                           "(https://arxiv.org/abs/2205.14135)\n") > 0);
        file.close();
        const QString chosen = folder ? lists : list;
        QCOMPARE(offeredFolder(w, name, chosen), QDir::homePath());
        QTRY_VERIFY_WITH_TIMEOUT(!w.importRunning(), 20000);

        // A file: its folder next time; a library folder: the folder holding it, beside its siblings.
        const QString expected = folder ? papers.filePath(QStringLiteral("group")) : lists;
        QCOMPARE(offeredFolder(w, name), QFileInfo(expected).absoluteFilePath());

        // That folder gone: home again, not a dialog showing a missing folder.
        QVERIFY(QDir(papers.filePath(QStringLiteral("group"))).removeRecursively());
        QCOMPARE(offeredFolder(w, name), QDir::homePath());
    }

    // The README view asks how to group in words ("Year, newest first"), by position (a
    // translated label cannot change the grouping), offers a file named for the grouping,
    // writes it grouped so, and offers the same grouping first next time.
    void readmeGroupingChoiceReachesTheFile_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<QString>("by");
        QTest::newRow("venue") << 1 << QStringLiteral("venue");
        QTest::newRow("year") << 2 << QStringLiteral("year");
        QTest::newRow("topic") << 3 << QStringLiteral("topic");
    }
    void readmeGroupingChoiceReachesTheFile()
    {
        QFETCH(int, choice);
        QFETCH(QString, by);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTemporaryDir out;
        const QString written = out.filePath(QStringLiteral("view.md"));

        QStringList labels;
        QString firstOffered, offered, fileDialogTitle;
        QVERIFY(answerWindows(w, QStringLiteral("export-readme"), [&](QWidget *opened) {
            if (auto *ask = qobject_cast<QInputDialog *>(opened)) {
                labels = ask->comboBoxItems();
                firstOffered = ask->textValue();
                ask->setTextValue(labels.value(choice));
                ask->accept();
                return false; // the file dialog comes next
            }
            auto *dialog = qobject_cast<QFileDialog *>(opened);
            if (!dialog)
                return false;
            offered = dialog->selectedFiles().value(0);
            fileDialogTitle = dialog->windowTitle();
            chooseInFileDialog(dialog, written);
            return true;
        }));
        QCOMPARE(labels.size(), 4);
        QCOMPARE(firstOffered, labels.value(0)); // institution, as the CLI's --by
        for (const QString &label : std::as_const(labels))
            QVERIFY2(label.at(0).isUpper(), qPrintable(label));
        QVERIFY2(QFileInfo(offered).fileName().startsWith(QStringLiteral("papers-by-") + by), qPrintable(offered));
        QVERIFY2(fileDialogTitle.contains(QStringLiteral("one table per ") + by), qPrintable(fileDialogTitle));

        QFile file(written);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readLine().startsWith("# Papers by " + by.toUtf8()));

        // Offered first next time.
        QString current;
        QVERIFY(answerWindows(w, QStringLiteral("export-readme"), [&](QWidget *opened) {
            auto *ask = qobject_cast<QInputDialog *>(opened);
            if (!ask)
                return false;
            current = ask->textValue();
            ask->reject();
            return true;
        }));
        QCOMPARE(current, labels.value(choice));
    }

    // The playground's file dialogs open where the app's imports and exports went: runner
    // JSON with the imports, charts and run CSVs with the exports (they opened in the
    // directory the app was started in).
    void playgroundDialogsOpenWhereImportsAndExportsWent()
    {
        QTemporaryDir imports, exports;
        playground::rememberFolder(u"import", imports.path());
        playground::rememberFolder(u"export", exports.path());
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.selectPaperByKey(QStringLiteral("FlashAttention-2")));
        QVERIFY(w.page()->showTab(QStringLiteral("Playground")));
        auto *playground = w.page()->findChild<playground::PlaygroundWidget *>();
        QVERIFY(playground);
        QAction *importJson = nullptr, *exportChart = nullptr, *exportAll = nullptr;
        for (QAction *a : playground->findChildren<QAction *>()) {
            if (a->text() == u"Import runner JSON…")
                importJson = a;
            else if (a->text() == u"Chart…")
                exportChart = a;
            else if (a->text() == u"All charts of this paper…")
                exportAll = a;
        }
        QCOMPARE(dialogFolder(importJson), QFileInfo(imports.path()).absoluteFilePath());
        QCOMPARE(dialogFolder(exportChart), QFileInfo(exports.path()).absoluteFilePath());
        QCOMPARE(dialogFolder(exportAll), QFileInfo(exports.path()).absoluteFilePath());
    }

    void offeredFileFollowsTheLastExport_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("BibTeX") << QStringLiteral("export-bibtex") << QStringLiteral(".bib");
        QTest::newRow("CSV") << QStringLiteral("export-csv") << QStringLiteral(".csv");
        QTest::newRow("slides") << QStringLiteral("export-slides") << QStringLiteral(".pdf");
    }
    void offeredFileFollowsTheLastExport()
    {
        QFETCH(QString, name);
        QFETCH(QString, suffix);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        const QString first = offeredFile(w, name);
        QVERIFY2(QFileInfo(first).absolutePath() == QDir::homePath() && first.endsWith(suffix), qPrintable(first));
        QVERIFY2(QFileInfo(first).fileName().size() > suffix.size() + 1, qPrintable(first)); // a name, not just ".bib"

        const QString elsewhere = lib->dir.filePath(QStringLiteral("exports/older.bib"));
        QVERIFY(QDir().mkpath(QFileInfo(elsewhere).absolutePath()));
        auto *exporter = w.findChild<ExportMenu *>(QStringLiteral("exportMenu"));
        QVERIFY(exporter->exportTo(QStringLiteral("bib"), elsewhere, w.model()->ids().mid(0, 2)));
        const QString next = offeredFile(w, name);
        QVERIFY2(QFileInfo(next).absolutePath() == QFileInfo(elsewhere).absolutePath() && next.endsWith(suffix),
                 qPrintable(next));
    }

    // Root may write into a read-only folder: that row only runs for other users.
    void deckDialogRefusesAFolderThatCannotTakeTheFile_data()
    {
        QTest::addColumn<QString>("file"); // relative to a temporary folder
        QTest::addColumn<QString>("said");
        QTest::newRow("missing folder") << QStringLiteral("nowhere/deck.pdf") << QStringLiteral("does not exist");
        QTest::newRow("a file as folder") << QStringLiteral("notes.txt/deck.pdf") << QStringLiteral("is a file");
        QTest::newRow("read-only folder") << QStringLiteral("locked/deck.pdf") << QStringLiteral("read-only");
    }
    void deckDialogRefusesAFolderThatCannotTakeTheFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, said);
        QTemporaryDir tmp;
        QFile notes(tmp.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("a file\n") > 0);
        notes.close();
        const QString locked = tmp.filePath(QStringLiteral("locked"));
        QVERIFY(QDir().mkpath(locked));
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner);
        if (file.startsWith(u"locked") && QFileInfo(locked).isWritable())
            QSKIP("this user (root) may write into a read-only folder");

        DeckExportDialog dialog(QStringLiteral("slides"), 3);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.titleEdit()->setText(QStringLiteral("Thursday group"));
        dialog.pathEdit()->setText(tmp.filePath(file));
        dialog.buttons()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dialog.isVisible()); // still open, the title kept
        QCOMPARE(dialog.titleEdit()->text(), QStringLiteral("Thursday group"));
        QVERIFY(dialog.pathProblem()->isVisible());
        const QString text = dialog.pathProblem()->text();
        QVERIFY2(text.contains(said) && text.contains(QFileInfo(tmp.filePath(file)).absolutePath()), qPrintable(text));

        dialog.pathEdit()->setText(tmp.filePath(QStringLiteral("deck.pdf"))); // a good folder
        QVERIFY(!dialog.pathProblem()->isVisible());
        dialog.buttons()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }

private:
    QTemporaryDir m_home;
};

QTEST_MAIN(TestExportFolder)
#include "tst_exportfolder.moc"
