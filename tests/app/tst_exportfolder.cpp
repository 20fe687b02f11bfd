// Where an export goes: the file first offered is in the home folder, then in the folder of
// the last export, named for its format; a folder that cannot take the file is said in the
// slide dialog before any deck is made, and the dialog keeps what the user typed.

#include "apptestsupport.h"
#include "deckexportdialog.h"
#include "exportmenu.h"
#include "mainwindow.h"
#include "papertablemodel.h"
#include "windowopener.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
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

} // namespace

class TestExportFolder : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { QSettings().remove(QStringLiteral("export")); }

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
};

QTEST_MAIN(TestExportFolder)
#include "tst_exportfolder.moc"
