// An index is modified only once it is known to be PaperLab's and of a schema this build can
// migrate: another application's SQLite file, a newer PaperLab's index (in DELETE journal
// mode) and an index whose migration fails are refused byte-for-byte untouched, by the CLI
// (a real process) and by the Library. PaperLab's own indexes carry an application_id.

#include "clirunner.h"
#include "library.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

namespace {

QByteArray checksum(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// A small PaperLab index of the current schema, closed (no -wal left).
void makePaperLabIndex(const QString &path)
{
    Library lib(path);
    PaperRecord r;
    r.key = QStringLiteral("K1");
    r.title = QStringLiteral("A paper");
    r.year = 2024;
    lib.addPaper(r);
}

} // namespace

class TestIndexValidation : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

private slots:
    void refusedUntouched_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("failure");
        QTest::newRow("another app's SQLite file") << "foreign" << 9 << int(FailureKind::NotPaperLab);
        QTest::newRow("another app's, with its application_id") << "foreign-id" << 9 << int(FailureKind::NotPaperLab);
        QTest::newRow("a text file") << "text" << 9 << int(FailureKind::NotPaperLab);
        QTest::newRow("newer PaperLab, DELETE journal") << "newer" << 10 << int(FailureKind::NewerSchema);
        QTest::newRow("newer PaperLab made before application_id")
            << "newer-noid" << 10 << int(FailureKind::NewerSchema);
    }

    void refusedUntouched()
    {
        QFETCH(QString, kind);
        QFETCH(int, exitCode);
        QFETCH(int, failure);
        const QString path = m_tmp.filePath(kind + QStringLiteral(".sqlite"));
        if (kind == u"text") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("name,amount\nalice,3\n").repeated(200));
        } else if (kind.startsWith(u"foreign")) {
            Database db(path);
            db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES "
                    "('alice')");
            if (kind == u"foreign-id")
                db.setApplicationId(0x47504B47);
            db.setUserVersion(7);
        } else {
            makePaperLabIndex(path);
            Database db(path, false);
            db.exec("PRAGMA journal_mode = DELETE");
            db.setUserVersion(kSchemaVersion + 1);
            if (kind == u"newer-noid")
                db.setApplicationId(0);
        }
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
        const QByteArray before = checksum(path);
        const qint64 size = QFileInfo(path).size();

        const CliRun r = runCli(path, {QStringLiteral("stats")});
        QCOMPARE(r.code, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(path), r.err.constData());
        QVERIFY2(r.err.contains("untouched"), r.err.constData());
        try {
            Library lib(path);
            QFAIL("the Library opened a file it must refuse");
        } catch (const LibraryError &e) {
            QCOMPARE(int(e.kind()), failure);
            QVERIFY(e.message().contains(path));
        }
        QCOMPARE(QFileInfo(path).size(), size);
        QCOMPARE(checksum(path), before);
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    }

    void failedMigrationKeepsFileAndJournalMode()
    {
        const QString path = m_tmp.filePath(QStringLiteral("v1.sqlite"));
        makePaperLabIndex(path);
        {
            // A schema-1 index, from before application_id, whose version-2 migration cannot run
            // (a table of that name is in the way).
            Database db(path, false);
            db.exec("PRAGMA journal_mode = DELETE");
            db.exec("DROP TABLE run_points; DROP TABLE runs; CREATE TABLE runs (something TEXT)");
            db.setUserVersion(1);
            db.setApplicationId(0);
        }
        const QByteArray before = checksum(path);
        QVERIFY_THROWS_EXCEPTION(LibraryError, Library{path});
        QCOMPARE(checksum(path), before);
        Database db(path, false);
        QCOMPARE(db.journalMode(), QStringLiteral("delete"));
        QCOMPARE(db.userVersion(), 1);
    }

    void newAndOlderIndexesGetApplicationId()
    {
        const QString fresh = m_tmp.filePath(QStringLiteral("fresh.sqlite"));
        makePaperLabIndex(fresh);
        QCOMPARE(Database(fresh, false).applicationId(), Library::kApplicationId);

        // An index made before application_id existed is recognised by its tables.
        const QString older = m_tmp.filePath(QStringLiteral("older.sqlite"));
        makePaperLabIndex(older);
        Database(older, false).setApplicationId(0);
        Library lib(older);
        QCOMPARE(lib.paperCount(), 1);
        QCOMPARE(lib.database().applicationId(), Library::kApplicationId);
        QCOMPARE(lib.database().journalMode(), QStringLiteral("wal"));
    }
};

QTEST_GUILESS_MAIN(TestIndexValidation)
#include "tst_indexvalidation.moc"
