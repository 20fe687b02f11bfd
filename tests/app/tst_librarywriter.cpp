// The GUI's one writer: edits made on the paper page while another connection holds the
// write lock (an import's transaction) are queued, shown as waiting, and land once the lock
// is free; a failing edit becomes a message, is kept, and lands on Retry. The window follows
// changes another process (paperlab-cli) makes to the index. Before, the page called the
// library on the GUI thread: a held lock froze it 5 s, then an uncaught SqlError aborted it.

#include "../catalog/clirunner.h"
#include "apptestsupport.h"
#include "librarywriter.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "papertableview.h"
#include "sqlitedb.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QToolButton>
#include <QtTest>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

QComboBox *statusBox(PaperPage *page)
{
    for (QComboBox *box : page->findChildren<QComboBox *>())
        if (box->toolTip() == QLatin1String("Reading status"))
            return box;
    return nullptr;
}

void addTag(PaperPage *page, const QString &tag)
{
    QTest::keyClicks(page->tagEdit(), tag);
    QTest::keyClick(page->tagEdit(), Qt::Key_Return);
}

// The status and tags the index holds, read by a connection of its own.
std::pair<ReadingStatus, QStringList> stored(const QString &db, qint64 id)
{
    Library lib(db);
    const auto p = lib.paper(id);
    return {p->status, p->tags};
}

} // namespace

class TestLibraryWriter : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<testing::TestLibrary> m_lib;

private slots:
    void initTestCase() { testing::isolateSettings(); }
    void init() { m_lib = testing::makeTestLibrary(); }
    void cleanup() { m_lib.reset(); }

    void editsDuringHeldLockAreQueuedAndLand()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        QComboBox *status = statusBox(w.page());
        QVERIFY(status);

        // Another connection holds the write lock, as an import's transaction does.
        Database holder(m_lib->db, false);
        holder.exec("BEGIN IMMEDIATE");
        status->setCurrentIndex(int(ReadingStatus::Read));
        emit status->activated(int(ReadingStatus::Read));
        addTag(w.page(), QStringLiteral("queued-tag"));
        QVERIFY(w.writer()->pendingCount() >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.writerState()->isVisible() && w.writerState()->text().contains(QLatin1String("Waiting")), 5000);
        // The page shows the edits meanwhile; the GUI thread was never blocked on the lock.
        QCOMPARE(w.page()->paper()->status, ReadingStatus::Read);
        QVERIFY(w.page()->paper()->tags.contains(QStringLiteral("queued-tag")));
        QCOMPARE(stored(m_lib->db, w.page()->paperId()).first, ReadingStatus::Unread);

        holder.exec("COMMIT");
        QTRY_COMPARE_WITH_TIMEOUT(w.writer()->pendingCount(), 0, 10000);
        const auto [s, tags] = stored(m_lib->db, w.page()->paperId());
        QCOMPARE(s, ReadingStatus::Read);
        QCOMPARE(tags, QStringList{QStringLiteral("queued-tag")});
        QTRY_VERIFY(!w.writerState()->isVisible());
    }

    void importWaitsForTheLock()
    {
        qputenv("PAPERLAB_BUSY_TIMEOUT_MS", "300"); // this process's connections give up sooner
        MainWindow w(m_lib->db);
        w.show();
        const QString bib = m_lib->dir.filePath(QStringLiteral("waited.bib"));
        QFile f(bib);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("@article{waited, title = {An Import That Waited}, author = {A. Person}, year = {2026}}\n");
        f.close();
        Database holder(m_lib->db, false);
        holder.exec("BEGIN IMMEDIATE");
        w.importPaths({bib});
        auto *progress = w.findChild<QProgressDialog *>(QStringLiteral("importProgress"));
        QVERIFY(progress);
        QTRY_VERIFY_WITH_TIMEOUT(progress->labelText().contains(QLatin1String("Waiting")), 5000);
        QVERIFY(w.importRunning());
        holder.exec("COMMIT");
        QTRY_VERIFY_WITH_TIMEOUT(!w.importRunning(), 10000);
        qunsetenv("PAPERLAB_BUSY_TIMEOUT_MS");
        QCOMPARE(w.library().findIds(QStringLiteral("\"An Import That Waited\"")).size(), 1);
    }

    void failedEditIsKeptAndRetried()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        Database(m_lib->db, false)
            .exec(
                "CREATE TRIGGER frozen BEFORE INSERT ON paper_tags BEGIN SELECT RAISE(ABORT, 'tags are frozen'); END");
        addTag(w.page(), QStringLiteral("kept"));
        QTRY_COMPARE(w.writer()->failedCount(), 1);
        QVERIFY2(w.writerState()->text().contains(QLatin1String("not saved")) &&
                     w.writerState()->text().contains(QLatin1String("tags are frozen")),
                 qPrintable(w.writerState()->text()));
        QVERIFY(w.page()->paper()->tags.contains(QStringLiteral("kept"))); // the edit is still on screen

        Database(m_lib->db, false).exec("DROP TRIGGER frozen");
        QToolButton *retry = nullptr;
        for (QToolButton *b : w.findChildren<QToolButton *>())
            if (b->text() == QLatin1String("Retry"))
                retry = b;
        QVERIFY(retry && retry->isVisible());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE(w.writer()->failedCount(), 0);
        QTRY_COMPARE(w.writer()->pendingCount(), 0);
        QCOMPARE(stored(m_lib->db, w.page()->paperId()).second, QStringList{QStringLiteral("kept")});
        QTRY_VERIFY(!w.writerState()->isVisible());
    }

    void followsChangesFromAnotherProcess()
    {
        MainWindow w(m_lib->db);
        w.show();
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        const qint64 id = w.page()->paperId();
        QCOMPARE(w.page()->paper()->status, ReadingStatus::Unread);
        const QString key = w.page()->paper()->key; // the seeds' key ("SKVQ" is its short name)
        const auto cli = [this](const QStringList &args) { return testing::runCli(m_lib->db, args).code; };
        QCOMPARE(cli({QStringLiteral("status"), key, QStringLiteral("read")}), 0);
        QCOMPARE(cli({QStringLiteral("tag"), key, QStringLiteral("+from-cli")}), 0);
        // The window polls PRAGMA data_version once a second.
        QTRY_COMPARE_WITH_TIMEOUT(w.page()->paper()->status, ReadingStatus::Read, 5000);
        QTRY_VERIFY(w.page()->paper()->tags.contains(QStringLiteral("from-cli")));
        const int row = w.model()->rowOf(id);
        QVERIFY(row >= 0);
        QTRY_COMPARE(w.model()->index(row, PaperTableModel::Status).data(Qt::EditRole).toInt(),
                     int(ReadingStatus::Read));

        // An import elsewhere adds a row to the list.
        const int rows = w.model()->rowCount();
        const QString bib = m_lib->dir.filePath(QStringLiteral("more.bib"));
        QFile f(bib);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("@article{elsewhere, title = {Imported Elsewhere}, author = {A. Person}, year = {2026}}\n");
        f.close();
        QCOMPARE(cli({QStringLiteral("import"), bib}), 0);
        QTRY_COMPARE_WITH_TIMEOUT(w.model()->rowCount(), rows + 1, 5000);
    }

    void rebuildIndexKeepsStateAndReopens()
    {
        auto *w = new MainWindow(m_lib->db);
        w->show();
        QVERIFY(w->selectPaperByKey(QStringLiteral("SKVQ")));
        const QString key = w->page()->paper()->key;
        QComboBox *status = statusBox(w->page());
        emit status->activated(int(ReadingStatus::Reading));
        addTag(w->page(), QStringLiteral("survives"));
        QTRY_COMPARE(w->writer()->pendingCount(), 0);

        QPointer<MainWindow> old(w);
        QTimer::singleShot(300, this, [] { // answer the confirmation
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        w->rebuildIndex();
        QTRY_VERIFY_WITH_TIMEOUT(!old, 10000);
        MainWindow *reopened = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((reopened =
                                      [] {
                                          for (QWidget *top : QApplication::topLevelWidgets())
                                              if (auto *m = qobject_cast<MainWindow *>(top); m && m->isVisible())
                                                  return m;
                                          return static_cast<MainWindow *>(nullptr);
                                      }()),
                                 30000);
        QVERIFY(!QDir(m_lib->dir.path())
                     .entryList({QStringLiteral("library.sqlite.before-rebuild-*")}, QDir::Files)
                     .isEmpty());
        const auto p = reopened->library().paperByKey(key);
        QVERIFY(p);
        QCOMPARE(p->status, ReadingStatus::Reading);
        QCOMPARE(p->tags, QStringList{QStringLiteral("survives")});
        delete reopened;
    }
};

QTEST_MAIN(TestLibraryWriter)
#include "tst_librarywriter.moc"
