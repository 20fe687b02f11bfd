// ReadTransaction: the search thread reads a keystroke's first page and its complete list
// from one snapshot, so a paper another connection commits in between appears in neither,
// and the next keystroke (a new snapshot) sees it.

#include "library.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestReadSnapshot : public QObject {
    Q_OBJECT

    static qint64 addWombat(Library &lib, int n)
    {
        PaperRecord r;
        r.title = QStringLiteral("Wombat Paper %1").arg(n);
        return lib.addPaper(r);
    }

private slots:
    void readsInOneTransactionSeeOneMoment()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("snapshot.sqlite"));
        Library reader(path), writer(path);
        addWombat(writer, 1);
        QList<qint64> firstPage, complete, next;
        {
            ReadTransaction snapshot(reader.database());
            SearchOptions page;
            page.limit = 1;
            firstPage = reader.findIds(QStringLiteral("wombat"), page);
            addWombat(writer, 2); // committed by another connection between the two reads
            complete = reader.findIds(QStringLiteral("wombat"));
            QCOMPARE(reader.paperCount(), 1);
        }
        next = reader.findIds(QStringLiteral("wombat"));
        QCOMPARE(firstPage.size(), 1);
        QCOMPARE(complete.size(), 1);
        QCOMPARE(complete, firstPage);
        QCOMPARE(next.size(), 2);
        QCOMPARE(reader.paperCount(), 2);
    }

    // The writer is not kept waiting by the reader's snapshot (WAL): it commits at once.
    void aSnapshotDoesNotBlockAWriter()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("snapshot.sqlite"));
        Library reader(path), writer(path);
        writer.database().setBusyTimeout(0);
        addWombat(writer, 1);
        ReadTransaction snapshot(reader.database());
        QCOMPARE(reader.paperCount(), 1);
        QVERIFY(addWombat(writer, 2) > 0);
        QCOMPARE(writer.paperCount(), 2);
        QCOMPARE(reader.paperCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestReadSnapshot)
#include "tst_readsnapshot.moc"
