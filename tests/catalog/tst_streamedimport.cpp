// An EfficientPaper folder imported as a stream (catalog/recordstream.*): the writer stores
// the first records while the rest are parsed on the other cores. What it stores must be
// what parsing the whole folder first and importing the batch stores: the same ids, rows,
// provenance, diagnostics (the parse's first, in file order) and search results. A cancel
// part way and an exception thrown from the progress callback lose nothing stored before
// and leave no parse thread running.

#include "importers/importers.h"
#include "library.h"
#include "librarycopy.h"
#include "recordstream.h"
#include "sqlitedb.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using paperlab::testing::writeText;

namespace {

// A folder of `papers` EfficientPaper files shaped like real ones (paper/pub/code/note/
// keyword/cover blocks, update_time, rating), some with a note file, some without, and a
// few out of the ordinary: a file that does not parse, one whose cover path leaves the
// library, one with no paper block (named by its file's key).
void writeFolder(const QString &root, int papers)
{
    static const char *const topics[] = {"kv_cache", "quantization", "attention_sparsity", "fusion"};
    for (int i = 0; i < papers; ++i) {
        const int year = 2020 + i % 6;
        const QString key = QStringLiteral("Paper%1").arg(i, 5, 10, QLatin1Char('0'));
        QByteArray meta = QStringLiteral("paper {\n  title: \"%1 %2: sparse cache decoding at scale %3\"\n"
                                         "  abbr: \"%1\"\n  url: \"https://arxiv.org/abs/%4.%5\"\n"
                                         "  authors: \"Author%6 Smith\"\n  authors: \"Author%7 Lee\"\n"
                                         "  institutions: \"Institute %8\"\n}\n"
                                         "pub {\n  where: \"%9\"\n  year: %10\n}\n")
                              .arg(key)
                              .arg(i % 7 ? QStringLiteral("Fast") : QStringLiteral("Efficient"))
                              .arg(i)
                              .arg(year % 100 * 100 + 1 + i % 12, 4, 10, QLatin1Char('0'))
                              .arg(i, 5, 10, QLatin1Char('0'))
                              .arg(i % 41)
                              .arg(i % 13)
                              .arg(i % 9)
                              .arg(i % 3 ? QStringLiteral("ICML") : QStringLiteral("arXiv"))
                              .arg(year)
                              .toUtf8();
        if (i % 2)
            meta += QStringLiteral("code {\n  type: \"Pytorch\"\n  url: \"https://github.com/lab/%1\"\n}\n")
                        .arg(key)
                        .toUtf8();
        meta += QByteArray("keyword {\n  words: ") + topics[i % 4] + "\n}\n";
        if (i % 5 == 0)
            meta += "rating: 4\nupdate_time: 1773369038\n";
        if (i % 3 == 0) {
            meta += "note {\n  url: \"note.md\"\n}\n";
            writeText(QStringLiteral("%1/notes/%2/%3/note.md").arg(root).arg(year).arg(key),
                      QStringLiteral("# %1\n\n- streams %2 records\n").arg(key).arg(i).toUtf8());
        }
        if (i == 7)
            meta = "paper {\n  title: \"Broken\n"; // an unterminated string: a parse error with its line
        if (i == 11)
            meta += "cover {\n  url: \"../../../../etc/passwd\"\n}\n"; // leaves the library
        if (i == 13)
            meta = "pub {\n  where: \"ICML\"\n}\n"; // no title: the file name is its key
        writeText(QStringLiteral("%1/meta/%2/%3.prototxt").arg(root).arg(year).arg(key), meta);
    }
}

// Everything an import stores that a reader could tell apart, ids included.
QStringList stored(Database &db)
{
    QStringList out;
    for (const char *sql : {
             "SELECT id || ' ' || key || ' ' || title || ' ' || authors || ' ' || venue || ' ' || year || ' ' || "
             "note_path || ' ' || cover || ' ' || code_url FROM papers ORDER BY id",
             "SELECT paper_id || ' ' || format || ' ' || substr(file, instr(file, '/meta/')) || ' ' || line || ' ' || "
             "length(record) FROM provenance ORDER BY id",
             "SELECT paper_id || ' ' || note FROM paper_notes ORDER BY paper_id",
             "SELECT paper_id || ' ' || institution_id || ' ' || position FROM paper_institutions ORDER BY 1",
             "SELECT paper_id || ' ' || topic_id FROM paper_topics ORDER BY 1",
             "SELECT paper_id || ' ' || position || ' ' || author_id FROM paper_authors ORDER BY 1",
             "SELECT paper_id || ' ' || rating FROM user_state ORDER BY 1",
             "SELECT rowid FROM paper_fts WHERE paper_fts MATCH 'sparse AND cach*' ORDER BY rank, rowid",
         }) {
        auto st = db.prepare(sql);
        while (st.step())
            out << st.text(0);
        out << QStringLiteral("--");
    }
    return out;
}

// A closed library's rows (a second connection in a process that still had the library
// open would drop its locks when closed).
QStringList storedAt(const QString &dbPath)
{
    Database db(dbPath);
    return stored(db);
}

// `root` imported into two new libraries in `dir`: parsed whole first (whole.sqlite) and
// streamed (streamed.sqlite); fails unless both store the same. Returns both reports.
std::pair<ImportReport, ImportReport> importBothWays(const QTemporaryDir &dir, const QString &root)
{
    ImportReport whole, streamed;
    {
        Library lib(dir.filePath(QStringLiteral("whole.sqlite")));
        whole = lib.importBatch(parseSource(root));
    }
    {
        Library lib(dir.filePath(QStringLiteral("streamed.sqlite")));
        streamed = lib.importPaths({root});
    }
    [&] {
        QCOMPARE(storedAt(dir.filePath(QStringLiteral("streamed.sqlite"))),
                 storedAt(dir.filePath(QStringLiteral("whole.sqlite"))));
    }();
    return {whole, streamed};
}

QStringList messages(const ImportReport &r, const QString &root)
{
    QStringList out;
    for (const Diagnostic &d : r.diagnostics)
        out << QStringLiteral("%1:%2: %3").arg(QString(d.file).remove(root)).arg(d.line).arg(d.message);
    return out;
}

} // namespace

class TestStreamedImport : public QObject {
    Q_OBJECT
private slots:
    void sameAsParsingFirst_data()
    {
        QTest::addColumn<int>("papers");
        QTest::newRow("a few files") << 40;
        QTest::newRow("the bulk path") << 2600; // above kBulkImportRecords
    }
    void sameAsParsingFirst()
    {
        QFETCH(int, papers);
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("lib"));
        writeFolder(root, papers);

        const auto [whole, streamed] = importBothWays(dir, root);
        QCOMPARE(streamed.added, whole.added);
        QCOMPARE(streamed.added, papers - 1); // all but the broken file
        QCOMPARE(streamed.skipped, whole.skipped);
        QCOMPARE(messages(streamed, root), messages(whole, root));
        // The broken file's parse error names its file and line, and comes first.
        QVERIFY2(messages(streamed, root).value(0).contains(QLatin1String("Paper00007.prototxt:")),
                 qPrintable(messages(streamed, root).join(u'\n')));
        QVERIFY(messages(streamed, root).join(u'\n').contains(QLatin1String("outside the library")));
    }

    // Re-importing a changed folder: a removed file's provenance stays (it was not part of
    // this import), a changed file's old record is replaced, the user's rating is kept.
    void reimportKeepsWhatTheUserWrote()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("lib"));
        writeFolder(root, 30);
        Library lib(dir.filePath(QStringLiteral("lib.sqlite")));
        QCOMPARE(lib.importPaths({root}).added, 29);
        const qint64 id = lib.paperByKey(QStringLiteral("Paper00004"))->id;
        lib.setRating(id, 2);
        const QString file = root + QStringLiteral("/meta/2024/Paper00004.prototxt");
        QByteArray text = testing::readAll(file);
        text.replace("Institute 4", "Institute Changed");
        writeText(file, text);
        const ImportReport again = lib.importPaths({root});
        QCOMPARE(again.added, 0);
        QCOMPARE(again.merged, 1);
        QCOMPARE(again.unchanged, 28);
        const auto paper = lib.paperByKey(QStringLiteral("Paper00004"));
        QCOMPARE(paper->rating, 2);
        QVERIFY(paper->institutions.contains(QStringLiteral("Institute Changed")));
        auto st = lib.database().prepare("SELECT count(*) FROM provenance WHERE paper_id = ?");
        st.bind(1, id);
        QVERIFY(st.step());
        QCOMPARE(st.integer(0), 1); // the old record of the changed file is gone
    }

    // Stopped while the parse is still running, by Cancel or by an exception out of the
    // progress callback (a full disk in the caller, say): nothing of the import stays, what
    // was stored before does (the bulk path's dropped indexes included), importPaths returns
    // (the stream waits for its workers, which read its parser) and the library imports again.
    void interruptedImportLosesNothing_data()
    {
        QTest::addColumn<int>("at");
        QTest::addColumn<bool>("throws");
        QTest::newRow("cancelled at the first record") << 0 << false;
        QTest::newRow("cancelled part way") << 512 << false;
        QTest::newRow("an exception part way") << 768 << true;
    }
    void interruptedImportLosesNothing()
    {
        QFETCH(int, at);
        QFETCH(bool, throws);
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("lib"));
        writeFolder(root, 2600);
        Library lib(dir.filePath(QStringLiteral("lib.sqlite")));
        lib.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)});
        const QStringList before = stored(lib.database());
        std::atomic_bool cancel = false;
        int progressCalls = 0;
        auto progress = [&](int done, int) {
            ++progressCalls;
            if (done >= at && throws)
                throw std::runtime_error("stop");
            if (done >= at)
                cancel = true;
        };
        if (throws) {
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, lib.importPaths({root}, progress, &cancel));
        } else {
            const ImportReport r = lib.importPaths({root}, progress, &cancel);
            QVERIFY(r.cancelled);
            QCOMPARE(r.added, 0);
        }
        QVERIFY(progressCalls > 0);
        QCOMPARE(stored(lib.database()), before);
        // A synthetic arXiv id may name a bundled paper: merged, not added.
        const ImportReport again = lib.importPaths({root});
        QCOMPARE(again.added + again.merged, 2599);
    }

    // The bundled library (real EfficientPaper files) streams to the same index.
    void bundledLibrarySameAsParsingFirst()
    {
        QTemporaryDir dir;
        const auto [whole, streamed] = importBothWays(dir, QStringLiteral(PAPERLAB_LIBRARY_DIR));
        QVERIFY(streamed.added > 300);
        QCOMPARE(streamed.added, whole.added);
    }

    // A stream that is dropped before its end (the importer threw) cancels and waits.
    void droppedStreamWaitsForItsWorkers()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("lib"));
        writeFolder(root, 600);
        std::atomic_bool cancel = false;
        auto records = streamSource(root, &cancel);
        QCOMPARE(records->expectedRecords(), 600);
        PreparedRecord one;
        QVERIFY(records->next(one));
        QVERIFY(one.record.source.file.endsWith(QLatin1String("Paper00000.prototxt")));
        QVERIFY(!one.provenance.isEmpty());
        cancel = true;
        QVERIFY(!records->next(one));
        records.reset(); // returns once every worker is done
    }
};

QTEST_GUILESS_MAIN(TestStreamedImport)
#include "tst_streamedimport.moc"
