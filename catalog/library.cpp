#include "importers/importers.h"
#include "library_p.h"
#include "librarypaths.h"
#include "recordjson.h"
#include "recordstream.h"
#include "safefile.h"
#include "schema.h"
#include "textnormalize.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <sqlite3.h>

namespace paperlab {

int ImportReport::errors() const
{
    int n = 0;
    for (const auto &d : diagnostics)
        n += d.severity == Diagnostic::Severity::Error;
    return n;
}

int ImportReport::warnings() const
{
    return int(diagnostics.size()) - errors();
}

QString facetName(Facet f)
{
    switch (f) {
    case Facet::Institution:
        return QStringLiteral("institution");
    case Facet::Venue:
        return QStringLiteral("venue");
    case Facet::Year:
        return QStringLiteral("year");
    case Facet::Topic:
        return QStringLiteral("topic");
    case Facet::Status:
        return QStringLiteral("status");
    case Facet::Tag:
        return QStringLiteral("tag");
    case Facet::Author:
        return QStringLiteral("author");
    }
    return {};
}

void Library::Impl::ftsRemove(qint64 id)
{
    auto st = db.prepare(kFtsRemoveSql);
    st.bind(1, id).run();
}

void Library::Impl::ftsAdd(qint64 id)
{
    auto st = db.prepare(kFtsAddSql);
    st.bind(1, id).run();
}

qint64 Library::Impl::institutionId(const QString &name)
{
    auto ins = db.prepare("INSERT INTO institutions(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
    ins.bind(1, name).run();
    auto sel = db.prepare("SELECT id FROM institutions WHERE name = ?");
    sel.bind(1, name);
    return sel.step() ? sel.int64(0) : 0;
}

qint64 Library::Impl::topicId(const QString &name)
{
    const QString key = topicKey(name);
    auto ins = db.prepare("INSERT INTO topics(key, name) VALUES (?, ?) ON CONFLICT(key) DO NOTHING");
    ins.bind(1, key).bind(2, topicDisplayName(name)).run();
    auto sel = db.prepare("SELECT id FROM topics WHERE key = ?");
    sel.bind(1, key);
    return sel.step() ? sel.int64(0) : 0;
}

qint64 Library::Impl::tagId(const QString &name)
{
    auto ins = db.prepare("INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
    ins.bind(1, name).run();
    auto sel = db.prepare("SELECT id FROM tags WHERE name = ?");
    sel.bind(1, name);
    return sel.step() ? sel.int64(0) : 0;
}

void Library::Impl::touchUserState(qint64 id)
{
    auto st = db.prepare("INSERT INTO user_state(paper_id, state_by_user, updated_at) VALUES (?, 1, ?) "
                         "ON CONFLICT(paper_id) DO UPDATE SET state_by_user = 1, updated_at = excluded.updated_at");
    st.bind(1, id).bind(2, nowSecs()).run();
}

namespace {

// Throws unless `db` is a PaperLab index this build can open, or an empty file to become one.
// Reads only: nothing may be written to a file before it is known to be ours.
void checkIsPaperLab(Database &db)
{
    const int appId = db.applicationId();
    const int version = db.userVersion();
    int objects = 0;
    {
        auto st = db.prepare("SELECT count(*) FROM sqlite_master");
        if (st.step())
            objects = st.integer(0);
    }
    if (appId != Library::kApplicationId) {
        if (appId != 0)
            throw LibraryError(QStringLiteral("%1 is not a PaperLab index: it belongs to another application "
                                              "(application_id 0x%2). It was left untouched; choose a PaperLab "
                                              "index, or a new file name, with --db.")
                                   .arg(db.path())
                                   .arg(uint(appId), 8, 16, QLatin1Char('0')),
                               FailureKind::NotPaperLab);
        const bool fresh = objects == 0 && version == 0;
        // Indexes made before application_id was set are recognised by their tables.
        const bool olderPaperLab =
            db.hasTable("papers") && db.hasTable("user_state") && db.hasTable("paper_fts") && db.hasTable("provenance");
        if (!fresh && !olderPaperLab)
            throw LibraryError(QStringLiteral("%1 is not a PaperLab index: it is an SQLite database of another "
                                              "application (%2 tables, views or indexes, none of PaperLab's). "
                                              "It was left untouched; choose a PaperLab index, or a new file "
                                              "name, with --db.")
                                   .arg(db.path())
                                   .arg(objects),
                               FailureKind::NotPaperLab);
    }
    if (version > kSchemaVersion)
        throw LibraryError(QStringLiteral("%1 was written by a newer PaperLab (index schema %2; this one reads up "
                                          "to %3). It was left untouched; open it with the newer PaperLab.")
                               .arg(db.path())
                               .arg(version)
                               .arg(kSchemaVersion),
                           FailureKind::NewerSchema);
}

QString withoutPathPrefix(QString detail, const QString &dbPath)
{
    const QString prefix = dbPath + QStringLiteral(": ");
    if (detail.startsWith(prefix))
        detail.remove(0, prefix.size());
    return detail;
}

} // namespace

LibraryError explainFailure(const std::exception &error, const QString &dbPath)
{
    if (const auto *known = dynamic_cast<const LibraryError *>(&error))
        return *known;
    if (dynamic_cast<const std::bad_alloc *>(&error))
        return LibraryError(
            QStringLiteral("%1: out of memory. Nothing was changed; close other programs and try again.").arg(dbPath));
    const auto *sql = dynamic_cast<const SqlError *>(&error);
    const QString detail = withoutPathPrefix(QString::fromUtf8(error.what()), dbPath);
    // %1 the index, %2 SQLite's words, %3 the busy timeout.
    struct Explanation {
        int code;
        FailureKind kind;
        const char *text;
    };
    static constexpr Explanation kExplanations[] = {
        {SQLITE_BUSY, FailureKind::Busy,
         "%1 is busy: another PaperLab (the app or paperlab-cli, often an import) held its "
         "write lock for longer than %3 s (%2). Nothing was changed; try again when it has finished."},
        {SQLITE_LOCKED, FailureKind::Busy, "%1 is busy (%2). Nothing was changed; try again in a moment."},
        {SQLITE_READONLY, FailureKind::ReadOnly,
         "%1 cannot be written (%2). Nothing was changed; make the file and its "
         "folder writable, or use another index with --db."},
        {SQLITE_PERM, FailureKind::ReadOnly,
         "%1 cannot be written (%2). Nothing was changed; make the file and its "
         "folder writable, or use another index with --db."},
        {SQLITE_CORRUPT, FailureKind::Damaged,
         "%1 is damaged (%2). Nothing was changed; rebuild it from the library files, "
         "keeping your status, ratings, tags and notes, with: paperlab-cli --db %1 "
         "rebuild (the damaged file is kept beside it)."},
        {SQLITE_NOTADB, FailureKind::NotPaperLab,
         "%1 is not a PaperLab index: it is not an SQLite database, or its first "
         "page is destroyed (%2). It was left untouched; choose a PaperLab index, "
         "or a new file name, with --db."},
        {SQLITE_FULL, FailureKind::Other,
         "%1: the disk is full (%2). Nothing was changed; free some space and try again."},
    };
    const int code = sql ? sql->primaryCode() : 0;
    for (const Explanation &e : kExplanations) {
        if (e.code != code)
            continue;
        const QString text =
            QString::fromUtf8(e.text).replace(QLatin1String("%3"), QString::number(Database::busyTimeoutMs() / 1000.0));
        return LibraryError(text.arg(dbPath, detail), e.kind);
    }
    return LibraryError(QStringLiteral("%1: %2").arg(dbPath, detail));
}

Library::Library(const QString &dbPath)
{
    try {
        d = std::make_unique<Impl>(dbPath);
        Database &db = d->db;
        // Settings of this connection only: none of them writes to the file.
        db.exec("PRAGMA foreign_keys = ON");
        db.exec("PRAGMA synchronous = NORMAL");
        // A larger page cache and memory-mapped reads: a 100,000-paper index is a few hundred MiB.
        db.exec("PRAGMA cache_size = -262144");
        db.exec("PRAGMA mmap_size = 1073741824");
        // Whose file is it, and can this build read its schema? Refused files stay byte-for-byte.
        checkIsPaperLab(db);
        if (!db.isReadOnly()) {
            m_backup = migrateSchema(db);
            if (db.applicationId() != kApplicationId)
                db.setApplicationId(kApplicationId); // a new index, or one made before the id existed
            // Last, so that a file whose migration failed keeps its journal mode too.
            if (db.journalMode() != u"wal")
                db.exec("PRAGMA journal_mode = WAL");
        } else if (db.userVersion() != kSchemaVersion) {
            throw SqlError(QStringLiteral("%1: read-only, and its schema %2 needs migrating to %3")
                               .arg(dbPath)
                               .arg(db.userVersion())
                               .arg(kSchemaVersion),
                           SQLITE_READONLY);
        }
    } catch (const std::exception &e) {
        d.reset();
        throw explainFailure(e, dbPath);
    }
}

Library::~Library() = default;

QString Library::path() const
{
    return d->db.path();
}
Database &Library::database()
{
    return d->db;
}

ImportReport Library::importPaths(const QStringList &paths, const ProgressFn &progress, const std::atomic_bool *cancel)
{
    ImportReport total;
    for (const QString &path : paths) {
        if (cancel && cancel->load()) {
            total.cancelled = true;
            break;
        }
        const auto records = streamSource(path, cancel);
        if (cancel && cancel->load()) { // the parser stopped part way: nothing of it is stored
            total.cancelled = true;
            break;
        }
        ImportReport one;
        try {
            one = importStream(*records, progress, cancel);
        } catch (const SqlError &e) {
            // A full disk or a lost lock mid-import: the transaction rolled back, so say that,
            // keeping the kind (busy, read-only, ...) that decides the CLI's exit code.
            const LibraryError why = explainFailure(e, d->db.path());
            throw LibraryError(
                QStringLiteral("Importing %1 failed; nothing of it was kept. %2").arg(path, why.message()), why.kind());
        }
        total.added += one.added;
        total.merged += one.merged;
        total.unchanged += one.unchanged;
        total.skipped += one.skipped;
        total.cancelled = total.cancelled || one.cancelled;
        total.diagnostics.append(one.diagnostics);
        total.phases.append(one.phases);
    }
    return total;
}

int Library::paperCount()
{
    auto st = d->db.prepare("SELECT count(*) FROM papers");
    return st.step() ? st.integer(0) : 0;
}

Stats Library::stats()
{
    Stats s;
    auto st = d->db.prepare(
        "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM institutions WHERE id IN (SELECT institution_id "
        "FROM paper_institutions)),"
        " (SELECT count(DISTINCT venue COLLATE NOCASE) FROM papers WHERE venue <> ''),"
        " (SELECT count(*) FROM topics WHERE id IN (SELECT topic_id FROM paper_topics)),"
        " (SELECT count(*) FROM tags WHERE id IN (SELECT tag_id FROM paper_tags)),"
        " (SELECT count(*) FROM paper_notes WHERE note <> ''), (SELECT count(*) FROM papers WHERE code_url <> ''),"
        " (SELECT count(*) FROM user_state WHERE status = 2), (SELECT count(*) FROM user_state WHERE status = 1),"
        " (SELECT count(DISTINCT file) FROM provenance)");
    if (st.step()) {
        s.papers = st.integer(0);
        s.institutions = st.integer(1);
        s.venues = st.integer(2);
        s.topics = st.integer(3);
        s.tags = st.integer(4);
        s.withNotes = st.integer(5);
        s.withCode = st.integer(6);
        s.read = st.integer(7);
        s.reading = st.integer(8);
        s.sources = st.integer(9);
    }
    return s;
}

namespace {
constexpr const char *kPaperColumns =
    "SELECT p.id, p.key, p.title, p.abbr, p.venue, p.year, "
    " (SELECT group_concat(name, '; ') FROM (SELECT i.name FROM paper_institutions pi JOIN institutions i ON i.id = "
    "pi.institution_id WHERE pi.paper_id = p.id ORDER BY pi.position)),"
    " (SELECT group_concat(name, '; ') FROM (SELECT t.name FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id "
    "WHERE pt.paper_id = p.id ORDER BY t.name)),"
    " p.code_url, COALESCE(us.status, 0), COALESCE(us.rating, 0)";

void readSummary(const Statement &st, PaperSummary &s)
{
    s.id = st.int64(0);
    s.key = st.text(1);
    s.title = st.text(2);
    s.abbr = st.text(3);
    s.venue = st.text(4);
    s.year = st.integer(5);
    s.institutions = st.text(6);
    s.topics = st.text(7);
    s.codeUrl = st.text(8);
    s.status = ReadingStatus(st.integer(9));
    s.rating = st.integer(10);
}

QStringList splitJoined(const QString &s)
{
    return s.isEmpty() ? QStringList() : s.split(QStringLiteral("; "));
}
} // namespace

QList<PaperSummary> Library::summaries(const QList<qint64> &ids)
{
    QList<PaperSummary> out;
    if (ids.isEmpty())
        return out;
    const QByteArray sql =
        QByteArray(kPaperColumns) +
        ", p.authors, (SELECT group_concat(name, '; ') FROM (SELECT g.name FROM paper_tags pg JOIN tags g ON g.id = "
        "pg.tag_id"
        " WHERE pg.paper_id = p.id ORDER BY g.name COLLATE NOCASE))"
        " FROM papers p LEFT JOIN user_state us ON us.paper_id = p.id WHERE p.id IN (SELECT value FROM json_each(?))";
    auto st = d->db.prepare(sql.constData());
    st.bind(1, idsJson(ids));
    QHash<qint64, PaperSummary> byId;
    while (st.step()) {
        PaperSummary s;
        readSummary(st, s);
        s.authorNames = st.text(11); // the columns after kPaperColumns
        s.tagNames = st.text(12);
        byId.insert(s.id, s);
    }
    out.reserve(ids.size());
    for (qint64 id : ids)
        if (const auto it = byId.constFind(id); it != byId.constEnd())
            out.append(it.value());
    return out;
}

std::optional<Paper> Library::paper(qint64 id)
{
    const QByteArray sql = QByteArray(kPaperColumns) +
                           ", p.authors, p.venue_raw, p.arxiv_id, p.doi, p.url, p.openreview_url, p.slides_url, "
                           "p.cover, p.note_path, COALESCE((SELECT note FROM paper_notes WHERE paper_id = p.id), ''),"
                           " COALESCE(us.personal_note, ''), COALESCE(us.note_written, 0), COALESCE(us.slides_made, "
                           "0), COALESCE(us.note_edited, 0), COALESCE(us.state_by_user, 0),"
                           " p.added_at, max(p.updated_at, COALESCE(us.updated_at, 0)),"
                           " COALESCE((SELECT lf.folder FROM paper_folders pf JOIN library_folders lf ON lf.id = "
                           "pf.folder_id WHERE pf.paper_id = p.id), '')"
                           " FROM papers p LEFT JOIN user_state us ON us.paper_id = p.id WHERE p.id = ?";
    auto st = d->db.prepare(sql.constData());
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    Paper p;
    readSummary(st, p);
    p.institutionList = splitJoined(p.institutions);
    p.topicList = splitJoined(p.topics);
    p.authors = splitJoined(st.text(11));
    p.venueRaw = st.text(12);
    p.arxivId = st.text(13);
    p.doi = st.text(14);
    p.paperUrl = st.text(15);
    p.openReviewUrl = st.text(16);
    p.slidesUrl = st.text(17);
    p.coverPath = st.text(18);
    p.notePath = st.text(19);
    p.note = st.text(20);
    p.personalNote = st.text(21);
    p.noteWritten = st.integer(22);
    p.slidesMade = st.integer(23);
    p.noteEdited = st.integer(24);
    p.stateByUser = st.integer(25);
    p.addedAt = QDateTime::fromSecsSinceEpoch(st.int64(26));
    p.updatedAt = QDateTime::fromSecsSinceEpoch(st.int64(27));
    p.libraryFolder = st.text(28);
    if (p.libraryFolder.isEmpty())
        p.libraryFolder = libraryFolder();

    auto tags = d->db.prepare(
        "SELECT t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id = ? ORDER BY t.name");
    tags.bind(1, id);
    while (tags.step())
        p.tags.append(tags.text(0));
    auto prov =
        d->db.prepare("SELECT format, file, line, record, imported_at FROM provenance WHERE paper_id = ? ORDER BY id");
    prov.bind(1, id);
    while (prov.step())
        p.provenance.append(
            {prov.text(0), prov.text(1), prov.integer(2), prov.text(3), QDateTime::fromSecsSinceEpoch(prov.int64(4))});
    // Baselines, update time, unknown fields and citation keys have no column: they are
    // what the paper's sources said, so they are read from its provenance (the first
    // source that says wins, as for the other fields).
    for (const ProvenanceEntry &e : std::as_const(p.provenance)) {
        const PaperRecord r = recordFromJson(QJsonDocument::fromJson(e.recordJson.toUtf8()).object());
        if (p.baselineMethods.isEmpty())
            p.baselineMethods = r.baselineMethods;
        if (!p.updateTime)
            p.updateTime = r.updateTime;
        if (p.extraFields.isEmpty())
            p.extraFields = r.extraFields;
        if (p.keywordWords.isEmpty())
            p.keywordWords = r.keywordWords;
        if (p.fieldsAsWritten.isEmpty())
            p.fieldsAsWritten = r.fieldsAsWritten;
        if (p.bibtexKey.isEmpty())
            p.bibtexKey = r.bibtexKey;
    }
    p.claims = claims(id);
    return p;
}

std::optional<Paper> Library::paperByKey(const QString &key)
{
    auto st = d->db.prepare("SELECT id FROM papers WHERE key = ?");
    st.bind(1, key);
    if (!st.step())
        return std::nullopt;
    return paper(st.int64(0));
}

QList<Paper> Library::allPapers()
{
    QList<qint64> ids;
    auto st = d->db.prepare("SELECT id FROM papers ORDER BY id");
    while (st.step())
        ids.append(st.int64(0));
    QList<Paper> out;
    out.reserve(ids.size());
    for (qint64 id : ids)
        if (auto p = paper(id))
            out.append(std::move(*p));
    return out;
}

QStringList Library::allTags()
{
    QStringList out;
    auto st = d->db.prepare("SELECT name FROM tags ORDER BY name COLLATE NOCASE");
    while (st.step())
        out.append(st.text(0));
    return out;
}

void Library::setStatus(qint64 id, ReadingStatus status)
{
    Transaction tx(d->db);
    d->touchUserState(id);
    auto st = d->db.prepare("UPDATE user_state SET status = ? WHERE paper_id = ?");
    st.bind(1, int(status)).bind(2, id).run();
    tx.commit();
}

void Library::setRating(qint64 id, int rating)
{
    if (rating < 0 || rating > 5)
        throw LibraryError(QStringLiteral("rating %1 is outside 0..5").arg(rating));
    Transaction tx(d->db);
    d->touchUserState(id);
    auto st = d->db.prepare("UPDATE user_state SET rating = ? WHERE paper_id = ?");
    st.bind(1, rating).bind(2, id).run();
    tx.commit();
}

void Library::setFlags(qint64 id, bool noteWritten, bool slidesMade)
{
    Transaction tx(d->db);
    d->touchUserState(id);
    auto st = d->db.prepare("UPDATE user_state SET note_written = ?, slides_made = ? WHERE paper_id = ?");
    st.bind(1, int(noteWritten)).bind(2, int(slidesMade)).bind(3, id).run();
    tx.commit();
}

void Library::setPersonalNote(qint64 id, const QString &text)
{
    Transaction tx(d->db);
    d->touchUserState(id);
    auto st = d->db.prepare("UPDATE user_state SET personal_note = ? WHERE paper_id = ?");
    st.bind(1, text).bind(2, id).run();
    tx.commit();
}

void Library::addTag(qint64 id, const QString &tag)
{
    const QString name = tag.trimmed();
    if (name.isEmpty())
        return;
    Transaction tx(d->db);
    const qint64 tagId = d->tagId(name);
    auto st = d->db.prepare("INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) VALUES (?, ?)");
    st.bind(1, id).bind(2, tagId).run();
    d->touchUserState(id);
    tx.commit();
}

void Library::removeTag(qint64 id, const QString &tag)
{
    Transaction tx(d->db);
    auto st =
        d->db.prepare("DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)");
    st.bind(1, id).bind(2, tag.trimmed()).run();
    d->db.exec("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM paper_tags)");
    d->touchUserState(id);
    tx.commit();
}

QString Library::libraryFolder()
{
    auto st = d->db.prepare("SELECT value FROM settings WHERE key = 'library_folder'");
    return st.step() ? st.text(0) : QString();
}

void Library::setLibraryFolder(const QString &folder)
{
    auto st = d->db.prepare("INSERT INTO settings(key, value) VALUES ('library_folder', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, QDir(folder).absolutePath()).run();
}

QString fileInPaperLibrary(const Paper &paper, const QString &path)
{
    if (path.isEmpty() || !QDir::isAbsolutePath(path))
        return {};
    QStringList roots;
    if (!paper.libraryFolder.isEmpty())
        roots << paper.libraryFolder;
    for (const ProvenanceEntry &e : paper.provenance)
        if (QFileInfo(e.file).isFile())
            roots << QFileInfo(e.file).absolutePath();
    for (const QString &root : std::as_const(roots))
        if (const QString inside = embeddableImage(root, {}, path); !inside.isEmpty())
            return inside;
    return {};
}

QString Library::setNote(qint64 id, const QString &markdown)
{
    const auto p = paper(id);
    if (!p)
        throw LibraryError(QStringLiteral("no paper with id %1").arg(id));
    QString file = p->notePath;
    if (!file.isEmpty()) {
        // The file the import found: inside the paper's library or beside the source that
        // named it (both checked at import). Checked again: a symlink may have changed since.
        if (fileInPaperLibrary(*p, file).isEmpty())
            throw LibraryError(QStringLiteral("%1: not written: the note file of %2 lies outside its library folder")
                                   .arg(file, p->key));
    } else if (!p->libraryFolder.isEmpty()) {
        const QString year = p->year > 0 ? QString::number(p->year) : QStringLiteral("unknown");
        file = QDir(p->libraryFolder).filePath(QStringLiteral("notes/%1/%2/note.md").arg(year, p->key));
        // A key is data too ("../../x" from a BibTeX file): the note stays in the library.
        if (!isInsideFolder(file, p->libraryFolder))
            throw LibraryError(
                QStringLiteral("%1: not written: the key %2 would put the note outside the library folder %3")
                    .arg(file, p->key, p->libraryFolder));
    }
    // The file first: when it cannot be written, the index is left as it was.
    if (!file.isEmpty()) {
        QString error;
        if (!writeFileAtomicallyMakingFolders(file, markdown.toUtf8(), &error))
            throw LibraryError(
                QStringLiteral("cannot save the note: %1; the note file and the index keep the previous text")
                    .arg(error));
    }

    Transaction tx(d->db);
    d->ftsRemove(id);
    auto st = d->db.prepare("UPDATE papers SET note_path = ?, updated_at = ? WHERE id = ?");
    st.bind(1, file).bind(2, nowSecs()).bind(3, id).run();
    auto note = d->db.prepare("INSERT INTO paper_notes(paper_id, note) VALUES (?, ?) "
                              "ON CONFLICT(paper_id) DO UPDATE SET note = excluded.note");
    note.bind(1, id).bind(2, markdown).run();
    d->touchUserState(id);
    auto edited = d->db.prepare("UPDATE user_state SET note_edited = 1, note_written = 1 WHERE paper_id = ?");
    edited.bind(1, id).run();
    d->ftsAdd(id);
    tx.commit();
    return file;
}

QList<std::pair<QString, QString>> Library::savedSearches()
{
    QList<std::pair<QString, QString>> out;
    auto st = d->db.prepare("SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE");
    while (st.step())
        out.append({st.text(0), st.text(1)});
    return out;
}

void Library::saveSearch(const QString &name, const QString &query)
{
    auto st = d->db.prepare("INSERT INTO saved_searches(name, query) VALUES (?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET query = excluded.query");
    st.bind(1, name).bind(2, query).run();
}

void Library::deleteSavedSearch(const QString &name)
{
    auto st = d->db.prepare("DELETE FROM saved_searches WHERE name = ?");
    st.bind(1, name).run();
}

} // namespace paperlab
