#include "schema.h"

#include "sqlitedb.h"

#include <QDateTime>
#include <QFile>

namespace paperlab {
namespace {

// Version 1: papers, their facets, user state, provenance and the full-text index.
const char *const kMigration1 = R"SQL(
CREATE TABLE papers (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    title         TEXT NOT NULL DEFAULT '',
    abbr          TEXT NOT NULL DEFAULT '',
    authors       TEXT NOT NULL DEFAULT '',
    venue         TEXT NOT NULL DEFAULT '',
    venue_raw     TEXT NOT NULL DEFAULT '',
    year          INTEGER NOT NULL DEFAULT 0,
    arxiv_id      TEXT NOT NULL DEFAULT '',
    doi           TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    url_norm      TEXT NOT NULL DEFAULT '',
    code_url      TEXT NOT NULL DEFAULT '',
    openreview_url TEXT NOT NULL DEFAULT '',
    slides_url    TEXT NOT NULL DEFAULT '',
    cover         TEXT NOT NULL DEFAULT '',
    note_path     TEXT NOT NULL DEFAULT '',
    norm_title    TEXT NOT NULL DEFAULT '',
    added_at      INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- Notes apart from the row: scans of papers (facets, author: filters) stay small.
CREATE TABLE paper_notes (
    paper_id INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    note     TEXT NOT NULL
);

CREATE INDEX papers_arxiv ON papers(arxiv_id) WHERE arxiv_id <> '';
CREATE INDEX papers_doi ON papers(doi) WHERE doi <> '';
CREATE INDEX papers_url ON papers(url_norm) WHERE url_norm <> '';
CREATE INDEX papers_norm_title ON papers(norm_title);
CREATE INDEX papers_venue ON papers(venue COLLATE NOCASE);
CREATE INDEX papers_year ON papers(year);
CREATE INDEX papers_updated ON papers(updated_at);

CREATE TABLE institutions (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE paper_institutions (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, institution_id)
) WITHOUT ROWID;
CREATE INDEX paper_institutions_inst ON paper_institutions(institution_id);

CREATE TABLE topics (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE paper_topics (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    PRIMARY KEY (paper_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX paper_topics_topic ON paper_topics(topic_id);

CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE paper_tags (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (paper_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX paper_tags_tag ON paper_tags(tag_id);

-- The user's own state: never written by an import once the user has touched it.
CREATE TABLE user_state (
    paper_id      INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    status        INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),
    rating        INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    note_written  INTEGER NOT NULL DEFAULT 0,
    slides_made   INTEGER NOT NULL DEFAULT 0,
    personal_note TEXT NOT NULL DEFAULT '',
    note_edited   INTEGER NOT NULL DEFAULT 0,
    state_by_user INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX user_state_status ON user_state(status);

-- Which source said what: every imported record, as JSON, per paper and source file.
CREATE TABLE provenance (
    id          INTEGER PRIMARY KEY,
    paper_id    INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    format      TEXT NOT NULL,
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL DEFAULT 0,
    record      TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    UNIQUE (paper_id, format, file, line)
);

CREATE INDEX provenance_file ON provenance(file);

CREATE TABLE saved_searches (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, query TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- What the full-text index reads: column names match the FTS table's exactly
-- (external-content FTS5 looks columns up by name).
CREATE VIEW paper_search AS
SELECT p.id AS id, p.title AS title, p.abbr AS abbr, p.authors AS authors,
       (SELECT group_concat(i.name, '; ') FROM paper_institutions pi JOIN institutions i ON i.id = pi.institution_id
         WHERE pi.paper_id = p.id) AS institutions,
       p.venue AS venue,
       (SELECT group_concat(t.name, '; ') FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id
         WHERE pt.paper_id = p.id) AS topics,
       (SELECT n.note FROM paper_notes n WHERE n.paper_id = p.id) AS note
FROM papers p;

CREATE VIRTUAL TABLE paper_fts USING fts5(
    title, abbr, authors, institutions, venue, topics, note,
    content='paper_search', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
)SQL";

// Version 2: playground runs linked to papers (the playground stores every point).
const char *const kMigration2 = R"SQL(
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    paper_id       INTEGER REFERENCES papers(id) ON DELETE SET NULL,
    kernel         TEXT NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    device         TEXT NOT NULL DEFAULT '',
    runner_version TEXT NOT NULL DEFAULT '',
    params         TEXT NOT NULL DEFAULT '{}',
    sweep_param    TEXT NOT NULL DEFAULT '',
    pinned         INTEGER NOT NULL DEFAULT 0,
    status         TEXT NOT NULL DEFAULT 'finished',
    created_at     INTEGER NOT NULL
);
CREATE INDEX runs_paper ON runs(paper_id);
CREATE INDEX runs_kernel ON runs(kernel);
CREATE TABLE run_points (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant  TEXT NOT NULL,
    x        REAL NOT NULL,
    metrics  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX run_points_run ON run_points(run_id);
)SQL";

// Version 3: the library folder each paper came from (one row per imported EfficientPaper
// folder), so a paper's new note is created in its own library, not wherever the index is.
// Papers imported before keep the one folder version 2 knew (the first run's library).
const char *const kMigration3 = R"SQL(
CREATE TABLE library_folders (id INTEGER PRIMARY KEY, folder TEXT NOT NULL UNIQUE);
CREATE TABLE paper_folders (
    paper_id  INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    folder_id INTEGER NOT NULL REFERENCES library_folders(id)
);
INSERT INTO library_folders(folder) SELECT value FROM settings WHERE key = 'library_folder' AND value <> '';
INSERT OR IGNORE INTO paper_folders(paper_id, folder_id)
    SELECT DISTINCT pr.paper_id, lf.id FROM provenance pr JOIN library_folders lf
     ON pr.format = 'efficientpaper' AND substr(pr.file, 1, length(lf.folder) + 1) = lf.folder || '/';
)SQL";

// Version 4: the claims of each paper (PaperInfo.claims in its prototxt), in the paper's
// order. A table of their own rather than a column of papers: a paper has several, and the
// playground asks for the claims of one kernel across papers (claims_kernel). The claim's
// fields are kept as the JSON of claimjson.h, so adding a field to Claim needs no migration;
// only the kernel, which is looked up, has a column.
const char *const kMigration4 = R"SQL(
CREATE TABLE paper_claims (
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kernel   TEXT NOT NULL DEFAULT '',
    claim    TEXT NOT NULL,
    PRIMARY KEY (paper_id, position)
) WITHOUT ROWID;
CREATE INDEX claims_kernel ON paper_claims(kernel) WHERE kernel <> '';
)SQL";

// Version 5: where each run was measured, one row per runner lane (a run fanned out over
// two GPUs has two): the runner's RunEnvironment as JSON (device, versions, clocks at start
// and end, measured ceilings, warm-up, repetitions, L2 flush).
const char *const kMigration5 = R"SQL(
CREATE TABLE run_environments (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    lane        INTEGER NOT NULL,
    environment TEXT NOT NULL,
    PRIMARY KEY (run_id, lane)
);
)SQL";

// Version 6: each paper's authors one row a name (papers.authors keeps the "; "-joined text
// the full-text index and the exporters read). The author facet counts names among a search's
// papers; splitting the joined text of every paper in hand was most of the facet tree's wait at
// 100,000 papers. Positions are those of QString::split("; ") with empty parts left out, as the
// import writes them; the rows are rebuilt here from the papers a library already holds.
const char *const kMigration6 = R"SQL(
CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE paper_authors (
    paper_id  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (paper_id, position)
) WITHOUT ROWID;
CREATE INDEX paper_authors_author ON paper_authors(author_id);
-- The author facet's tie order (facetindex.cpp reads author ids in it).
CREATE INDEX authors_order ON authors(name COLLATE NOCASE, name);
CREATE TEMP TABLE split_authors AS
WITH RECURSIVE split(paper_id, position, name, rest) AS (
    SELECT id, -1, '', authors || '; ' FROM papers WHERE authors <> ''
    UNION ALL
    SELECT paper_id, position + 1, substr(rest, 1, instr(rest, '; ') - 1), substr(rest, instr(rest, '; ') + 2)
      FROM split WHERE rest <> ''
)
SELECT paper_id, position, name FROM split WHERE name <> '';
INSERT OR IGNORE INTO authors(name) SELECT name FROM split_authors ORDER BY paper_id, position;
INSERT INTO paper_authors(paper_id, position, author_id)
    SELECT s.paper_id, s.position, a.id FROM split_authors s JOIN authors a ON a.name = s.name;
DROP TABLE temp.split_authors;
)SQL";

// Version 7: the full-text index without its one-letter prefix index. The search box drops
// one-letter words before searching (withoutOneLetterWords), so that index answered almost
// nothing, yet it held an entry for every token of every paper: a quarter of the prefix
// entries the import writes. A prefix query of one letter still finds the same papers (FTS5
// then reads the terms that begin with it). The index is built again from the papers.
const char *const kMigration7 = R"SQL(
DROP TABLE paper_fts;
CREATE VIRTUAL TABLE paper_fts USING fts5(
    title, abbr, authors, institutions, venue, topics, note,
    content='paper_search', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
INSERT INTO paper_fts(paper_fts) VALUES ('rebuild');
)SQL";

// Version 8: the papers in the search's default order (a search with no words to rank: newest
// year first, then title as ORDER BY year DESC, title COLLATE NOCASE, id sorts them) with
// their venue, so that the first screen of a filter such as topic:kv_cache is read off the
// index in order (librarysearch.cpp, INDEXED BY) instead of sorting every match: 17,000
// papers at 100,000. IF NOT EXISTS: a library made as version 8 and set back to an earlier
// version (as the migration tests make their old libraries) has it already.
const char *const kMigration8 = R"SQL(
CREATE INDEX IF NOT EXISTS papers_default_order ON papers(year DESC, title COLLATE NOCASE, id, venue COLLATE NOCASE);
)SQL";

struct Migration {
    int version;
    const char *sql;
};
const Migration kMigrations[] = {{1, kMigration1}, {2, kMigration2}, {3, kMigration3}, {4, kMigration4},
                                 {5, kMigration5}, {6, kMigration6}, {7, kMigration7}, {8, kMigration8}};
static_assert(std::size(kMigrations) == kSchemaVersion);

} // namespace

QString migrateSchema(Database &db)
{
    Q_ASSERT(kMigrations[std::size(kMigrations) - 1].version == kSchemaVersion);
    const int current = db.userVersion();
    if (current > kSchemaVersion)
        throw SqlError(QStringLiteral("%1: database schema version %2 is newer than this PaperLab (%3)")
                           .arg(db.path())
                           .arg(current)
                           .arg(kSchemaVersion));
    if (current == kSchemaVersion)
        return {};

    QString backup;
    if (current > 0) {
        // Fold the WAL into the main file so the copy is complete.
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        backup = QStringLiteral("%1.v%2-%3.bak")
                     .arg(db.path())
                     .arg(current)
                     .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddHHmmss")));
        if (!QFile::copy(db.path(), backup))
            throw SqlError(QStringLiteral("%1: cannot write backup %2 before migrating").arg(db.path(), backup));
    }
    for (const Migration &m : kMigrations) {
        if (m.version <= current)
            continue;
        try {
            Transaction tx(db);
            db.exec(m.sql);
            db.setUserVersion(m.version);
            tx.commit();
        } catch (const SqlError &e) {
            throw SqlError(QStringLiteral("migration to schema version %1 failed: %2").arg(m.version).arg(e.message()));
        }
    }
    return backup;
}

} // namespace paperlab
