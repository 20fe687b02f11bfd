#include "bulkimport.h"

#include "sqlitedb.h"

namespace paperlab {

bool isBulkImport(qsizetype records, qsizetype papersInLibrary)
{
    return records >= kBulkImportRecords && records >= papersInLibrary;
}

DeferredIndexes::DeferredIndexes(Database &db)
    : m_db(db)
{
    // Only indexes created by the schema (sql is NULL for the ones behind PRIMARY KEY and
    // UNIQUE, which the import's upserts and key checks need while it runs).
    auto st =
        db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                   "('papers', 'paper_institutions', 'paper_topics', 'provenance', 'user_state', 'paper_folders', "
                   "'paper_authors', 'authors')");
    QByteArrayList names;
    while (st.step()) {
        names.append(st.text(0).toUtf8());
        m_definitions.append(st.text(1).toUtf8());
    }
    st.reset();
    for (const QByteArray &name : names)
        db.exec(QByteArray("DROP INDEX \"" + name + '"').constData());
}

void DeferredIndexes::restore()
{
    for (const QByteArray &sql : m_definitions)
        m_db.exec(sql.constData());
    m_definitions.clear();
}

namespace {

constexpr qint64 kDefaultHashSize = 1024 * 1024; // FTS5's own default
constexpr qint64 kBulkHashSize = 64 * 1024 * 1024;

void setHashSize(Database &db, qint64 bytes)
{
    db.prepare("INSERT INTO paper_fts(paper_fts, rank) VALUES ('hashsize', ?)").bind(1, bytes).run();
}

} // namespace

LargeFullTextBuffer::LargeFullTextBuffer(Database &db)
    : m_db(db)
{
    auto st = db.prepare("SELECT v FROM paper_fts_config WHERE k = 'hashsize'");
    m_previous = st.step() ? st.int64(0) : kDefaultHashSize;
    st.reset();
    setHashSize(db, kBulkHashSize);
}

LargeFullTextBuffer::~LargeFullTextBuffer()
{
    try {
        setHashSize(m_db, m_previous);
    } catch (...) {
        // Only on the way out of a failed import, whose rollback takes the setting back too.
    }
}

void rebuildFullTextIndex(Database &db)
{
    db.exec("INSERT INTO paper_fts(paper_fts) VALUES ('rebuild')");
}

} // namespace paperlab
