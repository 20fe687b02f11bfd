#include "library_p.h"

#include "importers/importers.h"
#include "schema.h"
#include "textnormalize.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace paperlab {

int ImportReport::errors() const
{
    int n = 0;
    for (const auto &d : diagnostics) n += d.severity == Diagnostic::Severity::Error;
    return n;
}

int ImportReport::warnings() const { return int(diagnostics.size()) - errors(); }

QString facetName(Facet f)
{
    switch (f) {
    case Facet::Institution: return QStringLiteral("institution");
    case Facet::Venue: return QStringLiteral("venue");
    case Facet::Year: return QStringLiteral("year");
    case Facet::Topic: return QStringLiteral("topic");
    case Facet::Status: return QStringLiteral("status");
    case Facet::Tag: return QStringLiteral("tag");
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
    auto st = db.prepare("INSERT INTO paper_fts(rowid, title, abbr, authors, institutions, venue, topics, note) "
                         "SELECT id, title, abbr, authors, institutions, venue, topics, note FROM paper_search WHERE id = ?");
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

Library::Library(const QString &dbPath)
{
    try {
        d = std::make_unique<Impl>(dbPath);
        // The first real read: a file that is not a database fails here, before anything is written.
        d->db.exec("SELECT count(*) FROM sqlite_master");
        d->db.exec("PRAGMA foreign_keys = ON");
        d->db.exec("PRAGMA journal_mode = WAL");
        d->db.exec("PRAGMA synchronous = NORMAL");
        // A larger page cache and memory-mapped reads: a 100,000-paper index is a few hundred MiB.
        d->db.exec("PRAGMA cache_size = -262144");
        d->db.exec("PRAGMA mmap_size = 1073741824");
        m_backup = migrateSchema(d->db);
    } catch (const SqlError &e) {
        d.reset();
        throw LibraryError(QStringLiteral("%1 is not a usable PaperLab index (%2). The file was left as it is; "
                                          "move it aside and the index is rebuilt from the library folder.")
                               .arg(dbPath, e.message()));
    }
}

Library::~Library() = default;

QString Library::path() const { return d->db.path(); }
Database &Library::database() { return d->db; }

ImportReport Library::importPaths(const QStringList &paths, const ProgressFn &progress, const std::atomic_bool *cancel)
{
    ImportReport total;
    for (const QString &path : paths) {
        if (cancel && cancel->load()) {
            total.cancelled = true;
            break;
        }
        const ImportBatch batch = parseSource(path, SourceFormat::Unknown, cancel);
        if (cancel && cancel->load()) {   // the parser stopped part way: nothing of it is stored
            total.cancelled = true;
            break;
        }
        const ImportReport one = importBatch(batch, progress, cancel);
        total.added += one.added;
        total.merged += one.merged;
        total.unchanged += one.unchanged;
        total.cancelled = total.cancelled || one.cancelled;
        total.diagnostics.append(one.diagnostics);
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
        "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM institutions WHERE id IN (SELECT institution_id FROM paper_institutions)),"
        " (SELECT count(DISTINCT venue COLLATE NOCASE) FROM papers WHERE venue <> ''),"
        " (SELECT count(*) FROM topics WHERE id IN (SELECT topic_id FROM paper_topics)),"
        " (SELECT count(*) FROM tags WHERE id IN (SELECT tag_id FROM paper_tags)),"
        " (SELECT count(*) FROM paper_notes WHERE note <> ''), (SELECT count(*) FROM papers WHERE code_url <> ''),"
        " (SELECT count(*) FROM user_state WHERE status = 2), (SELECT count(*) FROM user_state WHERE status = 1),"
        " (SELECT count(DISTINCT file) FROM provenance)");
    if (st.step()) {
        s.papers = st.integer(0); s.institutions = st.integer(1); s.venues = st.integer(2); s.topics = st.integer(3);
        s.tags = st.integer(4); s.withNotes = st.integer(5); s.withCode = st.integer(6); s.read = st.integer(7);
        s.reading = st.integer(8); s.sources = st.integer(9);
    }
    return s;
}

namespace {
constexpr const char *kPaperColumns =
    "SELECT p.id, p.key, p.title, p.abbr, p.venue, p.year, "
    " (SELECT group_concat(name, '; ') FROM (SELECT i.name FROM paper_institutions pi JOIN institutions i ON i.id = pi.institution_id WHERE pi.paper_id = p.id ORDER BY pi.position)),"
    " (SELECT group_concat(name, '; ') FROM (SELECT t.name FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.paper_id = p.id ORDER BY t.name)),"
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
    QString json = QStringLiteral("[");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i) json += QLatin1Char(',');
        json += QString::number(ids[i]);
    }
    json += QLatin1Char(']');
    const QByteArray sql = QByteArray(kPaperColumns)
        + " FROM papers p LEFT JOIN user_state us ON us.paper_id = p.id WHERE p.id IN (SELECT value FROM json_each(?))";
    auto st = d->db.prepare(sql.constData());
    st.bind(1, json);
    QHash<qint64, PaperSummary> byId;
    while (st.step()) {
        PaperSummary s;
        readSummary(st, s);
        byId.insert(s.id, s);
    }
    out.reserve(ids.size());
    for (qint64 id : ids)
        if (const auto it = byId.constFind(id); it != byId.constEnd()) out.append(it.value());
    return out;
}

std::optional<Paper> Library::paper(qint64 id)
{
    const QByteArray sql = QByteArray(kPaperColumns)
        + ", p.authors, p.venue_raw, p.arxiv_id, p.doi, p.url, p.openreview_url, p.slides_url, p.cover, p.note_path, COALESCE((SELECT note FROM paper_notes WHERE paper_id = p.id), ''),"
          " COALESCE(us.personal_note, ''), COALESCE(us.note_written, 0), COALESCE(us.slides_made, 0), COALESCE(us.note_edited, 0),"
          " p.added_at, max(p.updated_at, COALESCE(us.updated_at, 0))"
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
    p.addedAt = QDateTime::fromSecsSinceEpoch(st.int64(25));
    p.updatedAt = QDateTime::fromSecsSinceEpoch(st.int64(26));

    auto tags = d->db.prepare("SELECT t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id = ? ORDER BY t.name");
    tags.bind(1, id);
    while (tags.step()) p.tags.append(tags.text(0));
    auto prov = d->db.prepare("SELECT format, file, line, record, imported_at FROM provenance WHERE paper_id = ? ORDER BY id");
    prov.bind(1, id);
    while (prov.step())
        p.provenance.append({prov.text(0), prov.text(1), prov.integer(2), prov.text(3), QDateTime::fromSecsSinceEpoch(prov.int64(4))});
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
    while (st.step()) ids.append(st.int64(0));
    QList<Paper> out;
    out.reserve(ids.size());
    for (qint64 id : ids)
        if (auto p = paper(id)) out.append(std::move(*p));
    return out;
}

QStringList Library::allTags()
{
    QStringList out;
    auto st = d->db.prepare("SELECT name FROM tags ORDER BY name COLLATE NOCASE");
    while (st.step()) out.append(st.text(0));
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
    auto st = d->db.prepare("DELETE FROM paper_tags WHERE paper_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)");
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

QString Library::setNote(qint64 id, const QString &markdown)
{
    const auto p = paper(id);
    if (!p)
        throw LibraryError(QStringLiteral("no paper with id %1").arg(id));
    QString file = p->notePath;
    if (file.isEmpty()) {
        const QString folder = libraryFolder();
        if (folder.isEmpty())
            throw LibraryError(QStringLiteral("%1 has no note file and the library has no folder to create one in").arg(p->key));
        file = QDir(folder).filePath(QStringLiteral("notes/%1/%2/note.md").arg(p->year).arg(p->key));
    }
    // The file first: when it cannot be written, the index is left as it was.
    QDir().mkpath(QFileInfo(file).absolutePath());
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(markdown.toUtf8()) < 0 || !out.commit())
        throw LibraryError(QStringLiteral("%1: cannot write note: %2").arg(file, out.errorString()));

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
    while (st.step()) out.append({st.text(0), st.text(1)});
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
