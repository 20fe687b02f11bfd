#pragma once
// What makes a large import fast without changing what it stores: secondary indexes and the
// full-text index are built once, after the rows, instead of updated row by row. Everything
// happens inside the import's own transaction, so a failure or a cancel rolls the indexes
// back with the rows (nothing is lost, nothing half-built stays).

#include <QByteArrayList>

namespace paperlab {

class Database;

// An import of at least this many records (and at least as many as the library holds) takes
// the bulk path: below it, updating a handful of index entries per row is cheaper than
// rebuilding whole indexes.
inline constexpr int kBulkImportRecords = 2000;
bool isBulkImport(qsizetype records, qsizetype papersInLibrary);

// Drops the secondary indexes of the tables an import writes (never a UNIQUE constraint the
// import relies on) and creates them again, from their own stored definitions, in restore().
// Must be used inside a transaction; a rollback brings the dropped indexes back by itself.
class DeferredIndexes {
public:
    explicit DeferredIndexes(Database &db);
    void restore();
    DeferredIndexes(const DeferredIndexes &) = delete;
    DeferredIndexes &operator=(const DeferredIndexes &) = delete;

private:
    Database &m_db;
    QByteArrayList m_definitions;
};

// Indexes every paper in one pass (FTS5 'rebuild'): for an index that holds nothing yet, it
// writes each term list once, in order, instead of merging many small segments.
void rebuildFullTextIndex(Database &db);

// While it lives, FTS5 gathers up to 64 MiB of terms in memory before it writes a segment
// (its 'hashsize', 1 MiB by default), so a bulk write makes a few large segments instead of
// hundreds of small ones that it then merges again and again. The setting is stored in the
// index's config table, so it is set back before the import's transaction commits: other
// processes never see it, and a rollback takes it back with everything else.
class LargeFullTextBuffer {
public:
    explicit LargeFullTextBuffer(Database &db);
    ~LargeFullTextBuffer();
    LargeFullTextBuffer(const LargeFullTextBuffer &) = delete;
    LargeFullTextBuffer &operator=(const LargeFullTextBuffer &) = delete;

private:
    Database &m_db;
    qint64 m_previous = 0;
};

} // namespace paperlab
