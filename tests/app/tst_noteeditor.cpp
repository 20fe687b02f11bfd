// The note editor never throws typed text away: a paper without any library folder keeps
// its note in the index (and the editor says so); when a save fails, closing the editor
// asks, and "Cancel" keeps the window and the text; it opens within a small screen. Real widgets on a real index.

#include "apptestsupport.h"
#include "noteeditor.h"
#include "sqlitedb.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScreen>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

// Answers the next "note not saved" question with `button`; counts the questions asked.
void answerNextQuestion(QMessageBox::StandardButton button, int *asked)
{
    QTimer::singleShot(50, [button, asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != u"unsavedNoteQuestion") {
            answerNextQuestion(button, asked); // not shown yet
            return;
        }
        ++*asked;
        box->button(button)->click();
    });
}

} // namespace

class TestNoteEditor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void noteWithoutFolderStaysInIndex()
    {
        auto t = testing::makeTestLibrary();
        Library lib(t->db);
        lib.database().exec("DELETE FROM settings WHERE key = 'library_folder'"); // a list, no folder anywhere
        const auto p = lib.paperByKey(QStringLiteral("XAttention"));
        QVERIFY(p && p->notePath.isEmpty());

        NoteEditor editor(&lib);
        editor.openPaper(p->id);
        QVERIFY2(editor.stateText().contains(QLatin1String("index")), qPrintable(editor.stateText()));
        editor.textEdit()->setPlainText(QStringLiteral("typed into a paper from a list"));
        QVERIFY(editor.saveNow());
        QVERIFY2(editor.stateText().contains(QLatin1String("index")), qPrintable(editor.stateText()));
        QVERIFY(!editor.hasUnsavedText());
        QCOMPARE(lib.paper(p->id)->note, QStringLiteral("typed into a paper from a list"));
    }

    // A first start on a small screen: the editor opens within it, not past its edges.
    void opensWithinTheScreen()
    {
        auto t = testing::makeTestLibrary();
        Library lib(t->db);
        NoteEditor editor(&lib);
        const QSize screen = editor.screen()->availableGeometry().size();
        QVERIFY2(screen.width() < 1200 || screen.height() < 760, "the test screen is larger than the editor");
        QVERIFY2(editor.width() <= screen.width() && editor.height() <= screen.height(),
                 qPrintable(QStringLiteral("%1 x %2 on a %3 x %4 screen")
                                .arg(editor.width())
                                .arg(editor.height())
                                .arg(screen.width())
                                .arg(screen.height())));
    }

    void closingWithUnsavedTextAsks()
    {
        auto t = testing::makeTestLibrary();
        Library lib(t->db);
        const qint64 id = lib.paperByKey(QStringLiteral("SKVQ"))->id;
        // A note path outside the library (an index from before the check): saves fail.
        const QString outside = t->dir.filePath(QStringLiteral("outside.md"));
        auto st = lib.database().prepare("UPDATE papers SET note_path = ? WHERE id = ?");
        st.bind(1, outside).bind(2, id).run();

        auto *editor = new NoteEditor(&lib);
        editor->setAttribute(Qt::WA_DeleteOnClose, false);
        editor->openPaper(id);
        editor->show();
        editor->setAutosaveDelay(60000);
        editor->textEdit()->setPlainText(QStringLiteral("words that must not vanish"));
        QVERIFY(editor->hasUnsavedText());

        int asked = 0;
        answerNextQuestion(QMessageBox::Cancel, &asked);
        QVERIFY(!editor->close()); // Cancel: the editor stays …
        QCOMPARE(asked, 1);
        QVERIFY(editor->isVisible());
        QCOMPARE(editor->textEdit()->toPlainText(), QStringLiteral("words that must not vanish")); // … with the text
        QVERIFY(editor->stateText().startsWith(QLatin1String("Not saved")));
        QVERIFY(!QFileInfo::exists(outside));

        answerNextQuestion(QMessageBox::Discard, &asked);
        QVERIFY(editor->close()); // the user chose to let it go
        QCOMPARE(asked, 2);
        delete editor;
    }

    void closingAfterASaveDoesNotAsk()
    {
        auto t = testing::makeTestLibrary();
        Library lib(t->db);
        const qint64 id = lib.paperByKey(QStringLiteral("SKVQ"))->id;
        NoteEditor editor(&lib);
        editor.openPaper(id);
        editor.show();
        editor.setAutosaveDelay(60000);
        editor.textEdit()->setPlainText(QStringLiteral("saved on close"));
        QVERIFY(editor.close()); // the pending save succeeds: nothing to ask
        QCOMPARE(lib.paper(id)->note, QStringLiteral("saved on close"));
    }
};

QTEST_MAIN(TestNoteEditor)
#include "tst_noteeditor.moc"
