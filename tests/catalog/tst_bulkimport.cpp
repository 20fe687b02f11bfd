// The bulk import path (catalog/bulkimport.*): a large import drops the secondary indexes,
// writes the rows, and builds the indexes and the full-text index after. What it stores
// must be what the row-by-row path stores: the same rows, the same indexes, a full-text
// index that passes FTS5's integrity check and finds the same papers; a cancelled bulk
// import loses nothing stored before (indexes included); a bulk re-import keeps user state.

#include "bulkimport.h"
#include "library.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

constexpr int kPapers = kBulkImportRecords + 500;

// Records of realistic shape, built in memory (no files): titles, authors, institutions,
// topics and a note each, from small word lists so that searches match many papers.
ImportBatch syntheticBatch(int papers)
{
    static const QStringList words = {"attention", "sparse",  "quantization", "cache",  "decoding", "kernel",
                                      "serving",   "pruning", "token",        "memory", "latency",  "rotation"};
    ImportBatch batch;
    for (int i = 0; i < papers; ++i) {
        PaperRecord r;
        r.source = {QStringLiteral("bibtex"), QStringLiteral("/bulk/papers.bib"), i + 1};
        r.key = QStringLiteral("K%1").arg(i, 5, 10, QLatin1Char('0'));
        // The number first: no title is a prefix of another (which the matcher would merge).
        r.title =
            QStringLiteral("Paper %1 on %2 %3 %4").arg(i).arg(words[i % 12], words[(i / 12) % 12], words[(i * 7) % 12]);
        r.authors = {QStringLiteral("Author%1 Smith").arg(i % 97), QStringLiteral("Author%1 Lee").arg(i % 31)};
        r.institutions = {QStringLiteral("Institute %1").arg(i % 13)};
        r.topics = {i % 2 ? QStringLiteral("KV Cache") : QStringLiteral("Quantization")};
        r.venueRaw = i % 3 ? QStringLiteral("ICML") : QStringLiteral("NeurIPS");
        r.year = 2018 + i % 8;
        r.noteMarkdown =
            QStringLiteral("# Note %1\n\nAbout %2 and %3.\n").arg(i).arg(words[(i * 5) % 12], words[(i * 11) % 12]);
        batch.papers.append(r);
    }
    return batch;
}

QStringList column(Database &db, const char *sql)
{
    QStringList out;
    auto st = db.prepare(sql);
    while (st.step())
        out << st.text(0);
    return out;
}

// What a reader sees: the keys each query finds, in order.
QStringList searchResults(Library &lib)
{
    QStringList out;
    for (const QString &q :
         {QStringLiteral("attention"), QStringLiteral("sparse cache"), QStringLiteral("\"kernel serving\""),
          QStringLiteral("rot*"), QStringLiteral("author:Author7 token"), QStringLiteral("topic:kv_cache latency"),
          QStringLiteral("institution:\"Institute 4\" memory"), QStringLiteral("note paper 2042")}) {
        SearchOptions top;
        top.limit = 50;
        QStringList keys;
        for (qint64 id : lib.findIds(q, top))
            keys << lib.paper(id)->key;
        out << q + QStringLiteral(": ") + keys.join(QLatin1Char(' '));
    }
    return out;
}

const char *const kIndexes =
    "SELECT name || ' ' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";

} // namespace

class TestBulkImport : public QObject {
    Q_OBJECT

private slots:
    void bulkIsForLargeImports()
    {
        QVERIFY(isBulkImport(kBulkImportRecords, 0));
        QVERIFY(!isBulkImport(kBulkImportRecords - 1, 0));
        QVERIFY(!isBulkImport(kBulkImportRecords, kBulkImportRecords + 1)); // a small part of a large library
    }

    void storesWhatRowByRowStores()
    {
        QTemporaryDir tmp;
        const ImportBatch all = syntheticBatch(kPapers);
        Library bulk(tmp.filePath(QStringLiteral("bulk.sqlite")));
        const ImportReport r = bulk.importBatch(all);
        QCOMPARE(r.added, kPapers);

        // The same records in slices below the bulk threshold: the row-by-row path.
        Library rows(tmp.filePath(QStringLiteral("rows.sqlite")));
        for (qsizetype at = 0; at < all.papers.size(); at += 400) {
            ImportBatch slice;
            slice.papers = all.papers.mid(at, 400);
            rows.importBatch(slice);
        }
        QCOMPARE(bulk.paperCount(), rows.paperCount());
        QCOMPARE(column(bulk.database(), kIndexes), column(rows.database(), kIndexes));
        QVERIFY(column(bulk.database(), kIndexes).size() >= 10);
        QCOMPARE(column(bulk.database(), "PRAGMA integrity_check"), QStringList{QStringLiteral("ok")});
        // Throws (SQLITE_CORRUPT_VTAB) when the index and the rows it was built from disagree.
        bulk.database().exec("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 1)");
        QCOMPARE(searchResults(bulk), searchResults(rows));
        QVERIFY(!bulk.findIds(QStringLiteral("attention")).isEmpty());
    }

    // A bulk import into a library that already holds authors (the writer then reads every
    // name first and inserts the new ones without a conflict check): each paper's author rows
    // name the same authors, in the same order, as the row-by-row path writes, and no name
    // is stored twice.
    void bulkImportAddsToTheLibrarysAuthors()
    {
        QTemporaryDir tmp;
        ImportBatch all = syntheticBatch(kPapers);
        for (qsizetype i = 0; i < all.papers.size(); i += 7)
            all.papers[i].authors.append(QStringLiteral("Newcomer%1").arg(i % 50));
        ImportBatch first;
        first.papers = all.papers.mid(0, 40);
        const char *rowsSql = "SELECT p.key || ' ' || pa.position || ' ' || a.name FROM paper_authors pa"
                              " JOIN papers p ON p.id = pa.paper_id JOIN authors a ON a.id = pa.author_id"
                              " ORDER BY p.key, pa.position";

        Library bulk(tmp.filePath(QStringLiteral("bulk.sqlite")));
        bulk.importBatch(first);
        QVERIFY(isBulkImport(all.papers.size(), bulk.paperCount()));
        bulk.importBatch(all);

        Library rows(tmp.filePath(QStringLiteral("rows.sqlite")));
        for (qsizetype at = 0; at < all.papers.size(); at += 400) {
            ImportBatch slice;
            slice.papers = all.papers.mid(at, 400);
            rows.importBatch(slice);
        }
        const QStringList bulkRows = column(bulk.database(), rowsSql);
        QCOMPARE(bulkRows.size(), column(bulk.database(), "SELECT 1 FROM paper_authors").size()); // no dangling id
        QCOMPARE(bulkRows, column(rows.database(), rowsSql));
        QCOMPARE(column(bulk.database(), "SELECT name FROM authors ORDER BY name"),
                 column(rows.database(), "SELECT name FROM authors ORDER BY name"));
    }

    // The report says where an import's time went (the benchmark prints it), phase by phase.
    void reportSaysWhereTheTimeWent()
    {
        QTemporaryDir tmp;
        Library lib(tmp.filePath(QStringLiteral("phases.sqlite")));
        const ImportReport r = lib.importBatch(syntheticBatch(kPapers));
        QStringList names;
        for (const PhaseTime &p : r.phases) {
            names << QString::fromLatin1(p.name);
            QVERIFY(p.wallS >= 0);
            QVERIFY(p.cpuS >= 0);
        }
        QCOMPARE(names,
                 (QStringList{"read the library's keys", "match, merge, write rows", "  of which waiting for records",
                              "full-text index", "secondary indexes", "commit"}));
        double cpu = 0;
        for (const PhaseTime &p : r.phases)
            cpu += p.cpuS;
        QVERIFY(cpu > 0); // thousands of rows written: some CPU was spent
    }

    void cancelledBulkImportKeepsIndexesAndRows()
    {
        QTemporaryDir tmp;
        Library lib(tmp.filePath(QStringLiteral("cancel.sqlite")));
        ImportBatch first = syntheticBatch(kPapers);
        first.papers = first.papers.mid(0, 10);
        lib.importBatch(first);
        const QStringList indexes = column(lib.database(), kIndexes);
        const QStringList before = searchResults(lib);

        std::atomic_bool cancel{false};
        // Cancelled after the rows of the first records are written, with the indexes dropped.
        const ImportReport r = lib.importBatch(
            syntheticBatch(kPapers),
            [&cancel](int done, int) {
                if (done >= 512)
                    cancel = true;
            },
            &cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(lib.paperCount(), 10);
        QCOMPARE(column(lib.database(), kIndexes), indexes);
        QCOMPARE(searchResults(lib), before);
    }

    void bulkReimportKeepsUserState()
    {
        QTemporaryDir tmp;
        Library lib(tmp.filePath(QStringLiteral("again.sqlite")));
        lib.importBatch(syntheticBatch(kPapers));
        const qint64 id = lib.paperByKey(QStringLiteral("K00042"))->id;
        lib.setStatus(id, ReadingStatus::Read);
        lib.setRating(id, 5);

        ImportBatch changed = syntheticBatch(kPapers);
        for (PaperRecord &r : changed.papers)
            r.noteMarkdown += QStringLiteral("\nSecond reading: zanzibar.\n");
        changed.papers[42].status = ReadingStatus::Unread; // the source says unread; the user said read
        const ImportReport r = lib.importBatch(changed);
        QCOMPARE(r.merged, kPapers);
        QCOMPARE(lib.paperCount(), kPapers);
        const Paper p = *lib.paperByKey(QStringLiteral("K00042"));
        QCOMPARE(p.status, ReadingStatus::Read);
        QCOMPARE(p.rating, 5);
        // The full-text index follows the new notes (added to, not rebuilt: it was not empty).
        QCOMPARE(lib.findIds(QStringLiteral("zanzibar")).size(), qsizetype(kPapers));
        lib.database().exec("INSERT INTO paper_fts(paper_fts, rank) VALUES ('integrity-check', 1)");
    }
};

QTEST_GUILESS_MAIN(TestBulkImport)
#include "tst_bulkimport.moc"
