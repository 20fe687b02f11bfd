// Merging imported records into the library: one paper, many sources; the user's state
// is never overwritten; every record is kept as provenance.

#include "bulkimport.h"
#include "claimstore.h"
#include "library_p.h"
#include "librarypaths.h"
#include "paperauthors.h"
#include "papermatcher.h"
#include "recordjson.h"
#include "textnormalize.h"
#include "venue.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>

#include <optional>

namespace paperlab {
namespace {

// The stored fields an import may fill or improve.
struct StoredPaper {
    QString key, title, abbr, authors, venue, venueRaw, arxivId, doi, url, codeUrl, openReviewUrl, slidesUrl, cover,
        notePath, note;
    int year = 0;
};

// Fills gaps the parser left: a venue from the raw string, "arXiv" for preprints, a year from the arXiv id.
PaperRecord completed(PaperRecord r)
{
    r.title = simplifiedText(r.title);
    if (r.arxivId.isEmpty())
        r.arxivId = arxivIdFrom(r.paperUrl);
    if (r.doi.isEmpty())
        r.doi = doiFrom(r.paperUrl);
    if (r.venue.isEmpty() && !r.venueRaw.isEmpty()) {
        const Venue v = normalizeVenue(r.venueRaw);
        r.venue = v.name;
        if (!r.year)
            r.year = v.year;
    }
    if (r.venue.isEmpty() && !r.arxivId.isEmpty())
        r.venue = QStringLiteral("arXiv");
    if (!r.year && !r.arxivId.isEmpty())
        r.year = 2000 + r.arxivId.left(2).toInt();
    // Only files that exist become the paper's note file or cover: a dangling link (a README
    // view without its notes/ folder) stays in provenance, and an edit then creates the
    // note in the library folder instead of beside a file that is not there.
    if (!r.notePath.isEmpty() && !QFileInfo(r.notePath).isFile())
        r.notePath.clear();
    if (!r.coverPath.isEmpty() && !r.coverPath.contains(QLatin1String("://")) && !QFileInfo(r.coverPath).isFile())
        r.coverPath.clear();
    return r;
}

// A note or cover a source names must lie inside the library it came from (or, for a
// single list file, the folder that file is in): a shared list cannot make PaperLab read
// or later overwrite "../../.bashrc". Refused paths are dropped with a warning; the paper
// still comes in. The EfficientPaper parser checks (with the line) and says so by setting
// libraryFolder; this catches every other format.
void confineToLibrary(PaperRecord &r, QList<Diagnostic> &diagnostics)
{
    if (r.source.format == u"manual")
        return; // typed in by the user, about his own files
    if (!r.libraryFolder.isEmpty())
        return;
    if (r.notePath.isEmpty() && (r.coverPath.isEmpty() || r.coverPath.contains(QLatin1String("://"))))
        return;
    const QString root = QFileInfo(r.source.file).absolutePath();
    auto check = [&](QString &path, const char *what) {
        if (path.isEmpty() || path.contains(QLatin1String("://")) || isInsideFolder(path, root))
            return;
        diagnostics.append({Diagnostic::Severity::Warning, r.source.file, r.source.line, 0,
                            QStringLiteral("%1 %2 lies outside the library folder %3; ignored")
                                .arg(QLatin1String(what), canonicalPathAllowingMissing(path), root)});
        path.clear();
    };
    check(r.notePath, "note file");
    check(r.coverPath, "cover");
}

QString joinedUnion(const QString &existing, const QStringList &incoming)
{
    QStringList list = existing.isEmpty() ? QStringList() : existing.split(QStringLiteral("; "));
    for (const QString &s : incoming) {
        const QString t = s.trimmed();
        if (!t.isEmpty() && !list.contains(t, Qt::CaseInsensitive))
            list.append(t);
    }
    return list.join(QStringLiteral("; "));
}

bool fill(QString &field, const QString &incoming)
{
    if (field.isEmpty() && !incoming.isEmpty()) {
        field = incoming;
        return true;
    }
    return false;
}

// Applies what `r` adds to `p`; returns true when a stored field changed.
bool mergeInto(StoredPaper &p, const PaperRecord &r)
{
    bool changed = false;
    // The cleaner of the two, whichever came first (PaperMatcher::cleanerTitle says how).
    const QString title = PaperMatcher::cleanerTitle(p.title, r.title);
    changed |= title != p.title;
    p.title = title;
    changed |= fill(p.abbr, r.abbr);
    const QString authors = joinedUnion(p.authors, r.authors);
    changed |= authors != p.authors;
    p.authors = authors;
    // A peer-reviewed venue says more than "arXiv".
    const bool betterVenue = !r.venue.isEmpty() && r.venue != u"arXiv" && (p.venue.isEmpty() || p.venue == u"arXiv");
    if (betterVenue || (p.venue.isEmpty() && !r.venue.isEmpty())) {
        changed |= p.venue != r.venue;
        p.venue = r.venue;
        p.venueRaw = r.venueRaw;
        if (r.year) {
            changed |= p.year != r.year;
            p.year = r.year;
        }
    }
    if (!p.year && r.year) {
        p.year = r.year;
        changed = true;
    }
    changed |= fill(p.arxivId, r.arxivId);
    changed |= fill(p.doi, r.doi);
    changed |= fill(p.url, r.paperUrl);
    changed |= fill(p.codeUrl, r.codeUrl);
    changed |= fill(p.openReviewUrl, r.openReviewUrl);
    changed |= fill(p.slidesUrl, r.slidesUrl);
    changed |= fill(p.cover, r.coverPath);
    changed |= fill(p.notePath, r.notePath);
    return changed;
}

// The record as provenance keeps it. A note that lives in its own file is kept as a hash
// (the file is the source; storing the text again would double the index for large libraries).
QString provenanceJson(const PaperRecord &r)
{
    if (r.notePath.isEmpty() || r.noteMarkdown.isEmpty())
        return QString::fromUtf8(QJsonDocument(recordToJson(r)).toJson(QJsonDocument::Compact));
    PaperRecord withoutNote = r;
    withoutNote.noteMarkdown.clear();
    QJsonObject o = recordToJson(withoutNote);
    o.insert(QLatin1String("note_sha1"),
             QString::fromLatin1(QCryptographicHash::hash(r.noteMarkdown.toUtf8(), QCryptographicHash::Sha1).toHex()));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A note provenance holds by hash is read back from its file.
QString noteOf(const PaperRecord &r)
{
    if (!r.noteMarkdown.isEmpty() || r.notePath.isEmpty())
        return r.noteMarkdown;
    QFile f(r.notePath);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The note shown for a paper not edited by the user: the note file first, then what other
// sources wrote, each once (a text already contained in an earlier one is not repeated).
QString composeNote(const QList<PaperRecord> &records)
{
    QList<const PaperRecord *> ordered;
    for (const auto &r : records)
        if (r.source.format == u"efficientpaper")
            ordered.append(&r);
    for (const auto &r : records)
        if (r.source.format != u"efficientpaper")
            ordered.append(&r);
    QStringList parts;
    QString seen, onlyText; // one note alone is kept byte for byte, as its file has it
    for (const PaperRecord *r : ordered) {
        const QString full = noteOf(*r);
        const QString text = full.trimmed();
        const QString flat = simplifiedText(text);
        if (text.isEmpty() || seen.contains(flat))
            continue;
        parts.append(text);
        onlyText = full;
        seen += flat + QLatin1Char('\n');
    }
    if (parts.size() == 1)
        return onlyText;
    return parts.join(QStringLiteral("\n\n"));
}

// Binds the 17 stored fields in the column order both the INSERT and the UPDATE use.
void bindFields(Statement &st, const StoredPaper &p, qint64 now)
{
    st.bind(1, p.title)
        .bind(2, p.abbr)
        .bind(3, p.authors)
        .bind(4, p.venue)
        .bind(5, p.venueRaw)
        .bind(6, p.year)
        .bind(7, p.arxivId)
        .bind(8, p.doi)
        .bind(9, p.url)
        .bind(10, normalizedUrl(p.url))
        .bind(11, p.codeUrl)
        .bind(12, p.openReviewUrl)
        .bind(13, p.slidesUrl)
        .bind(14, p.cover)
        .bind(15, p.notePath)
        .bind(16, normalizedTitle(p.title))
        .bind(17, now);
}

} // namespace

ImportReport Library::importBatch(const ImportBatch &batch, const ProgressFn &progress, const std::atomic_bool *cancel)
{
    ImportReport report;
    report.diagnostics = batch.diagnostics;
    report.skipped = batch.skipped;
    Database &db = d->db;
    PhaseTimer phases(report.phases);
    Transaction tx(db);

    PaperMatcher matcher;
    QSet<QString> keys;
    {
        auto st = db.prepare("SELECT id, arxiv_id, doi, url_norm, norm_title, abbr, key FROM papers");
        while (st.step()) {
            matcher.add(st.int64(0), {st.text(1), st.text(2), st.text(3), st.text(4), normalizedTitle(st.text(5)),
                                      st.text(6).toLower()});
            keys.insert(st.text(6).toLower());
        }
    }
    // A record is identified by its paper, source file and line. Rows of the batch's files
    // that no record of this import confirms are stale (the source changed) and go at the end.
    QSet<qint64> staleProvenance;
    {
        QSet<QString> files;
        for (const auto &r : batch.papers)
            files.insert(r.source.file);
        auto st = db.prepare("SELECT id FROM provenance WHERE file = ?");
        for (const QString &file : files) {
            st.bind(1, file);
            while (st.step())
                staleProvenance.insert(st.int64(0));
            st.reset();
        }
    }
    // A large import writes its rows first and builds the indexes after (before any
    // statement below is prepared, so none of them is planned on an index that goes away).
    phases.lap("read the library's keys");
    const bool bulk = isBulkImport(batch.papers.size(), keys.size());
    const bool firstIndex = bulk && keys.isEmpty(); // an empty library: the full-text index is built whole
    std::optional<DeferredIndexes> deferredIndexes;
    if (bulk)
        deferredIndexes.emplace(db);
    auto selProv =
        db.prepare("SELECT id, record FROM provenance WHERE paper_id = ? AND format = ? AND file = ? AND line = ?");
    auto upsertProv = db.prepare(
        "INSERT INTO provenance(paper_id, format, file, line, record, imported_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(paper_id, format, file, line) DO UPDATE SET record = excluded.record, imported_at = "
        "excluded.imported_at "
        "RETURNING id");
    auto delProv = db.prepare("DELETE FROM provenance WHERE id = ?");
    // The library a paper came from, where its new note is created; the first one stays.
    auto insFolder = db.prepare("INSERT INTO library_folders(folder) VALUES (?) ON CONFLICT(folder) DO NOTHING");
    auto linkFolder = db.prepare("INSERT OR IGNORE INTO paper_folders(paper_id, folder_id) "
                                 "SELECT ?, id FROM library_folders WHERE folder = ?");
    QSet<QString> knownFolders;
    auto rememberFolder = [&](qint64 id, const PaperRecord &r) {
        if (r.libraryFolder.isEmpty())
            return;
        if (!knownFolders.contains(r.libraryFolder)) {
            insFolder.bind(1, r.libraryFolder).run();
            knownFolders.insert(r.libraryFolder);
        }
        linkFolder.bind(1, id).bind(2, r.libraryFolder).run();
    };
    auto allProv = db.prepare("SELECT record FROM provenance WHERE paper_id = ? ORDER BY id");
    auto insPaper = db.prepare(
        "INSERT INTO papers(title, abbr, authors, venue, venue_raw, year, arxiv_id, doi, url, url_norm, code_url,"
        " openreview_url, slides_url, cover, note_path, norm_title, updated_at, key, added_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    auto setNote = db.prepare("INSERT INTO paper_notes(paper_id, note) VALUES (?, ?) "
                              "ON CONFLICT(paper_id) DO UPDATE SET note = excluded.note");
    auto selPaper = db.prepare(
        "SELECT key, title, abbr, authors, venue, venue_raw, arxiv_id, doi, url, code_url, openreview_url, slides_url,"
        " cover, note_path, COALESCE((SELECT note FROM paper_notes WHERE paper_id = ?1), ''), year FROM papers WHERE "
        "id = ?1");
    auto updPaper = db.prepare(
        "UPDATE papers SET title=?, abbr=?, authors=?, venue=?, venue_raw=?, year=?, arxiv_id=?, doi=?, url=?, "
        "url_norm=?,"
        " code_url=?, openreview_url=?, slides_url=?, cover=?, note_path=?, norm_title=?, updated_at=? WHERE id = ?");
    auto linkInst =
        db.prepare("INSERT OR IGNORE INTO paper_institutions(paper_id, institution_id, position) VALUES (?, ?, "
                   "(SELECT count(*) FROM paper_institutions WHERE paper_id = ?1))");
    auto linkTopic = db.prepare("INSERT OR IGNORE INTO paper_topics(paper_id, topic_id) VALUES (?, ?)");
    auto selState = db.prepare("SELECT state_by_user, note_edited FROM user_state WHERE paper_id = ?");
    auto upsertState = db.prepare(
        "INSERT INTO user_state(paper_id, status, note_written, slides_made, rating, updated_at) VALUES (?, ?, ?, ?, "
        "?, 0) "
        "ON CONFLICT(paper_id) DO UPDATE SET status = max(status, excluded.status), note_written = max(note_written, "
        "excluded.note_written),"
        " slides_made = max(slides_made, excluded.slides_made),"
        " rating = CASE WHEN excluded.rating > 0 THEN excluded.rating ELSE rating END WHERE state_by_user = 0");
    QHash<QString, qint64> instIds, topicIds;
    AuthorRowWriter authorRows(db, bulk);
    PaperClaimsWriter claimRows(db);
    // FTS5 flushes its pending terms at the end of every statement; one INSERT for the whole
    // batch at the end keeps an import of 100,000 papers from writing 100,000 tiny segments.
    auto ftsRemove = db.prepare(kFtsRemoveSql);
    QList<qint64> ftsPending;
    QSet<qint64> ftsPendingSet;

    const qint64 now = nowSecs();
    const int total = int(batch.papers.size());
    for (int i = 0; i < total; ++i) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            report.added = report.merged = report.unchanged = 0;
            return report; // the transaction rolls back: nothing of a cancelled import stays
        }
        if (progress && (i % 256 == 0))
            progress(i, total);
        PaperRecord r = completed(batch.papers[i]);
        confineToLibrary(r, report.diagnostics);
        if (r.title.isEmpty() && r.key.isEmpty() && r.arxivId.isEmpty()) {
            report.diagnostics.append({Diagnostic::Severity::Warning, r.source.file, r.source.line, 0,
                                       QStringLiteral("record has no title, key or arXiv id; skipped")});
            ++report.skipped;
            continue;
        }
        const QString json = provenanceJson(r);
        qint64 id = matcher.match(r);
        bool userState = false, noteEdited = false;
        const bool isNew = id == 0;
        StoredPaper p;
        if (id) {
            selProv.bind(1, id).bind(2, r.source.format).bind(3, r.source.file).bind(4, r.source.line);
            bool same = false;
            if (selProv.step()) {
                staleProvenance.remove(selProv.int64(0));
                same = selProv.text(1) == json;
            }
            selProv.reset();
            if (same) {
                rememberFolder(id, r);
                ++report.unchanged;
                continue;
            }
            selPaper.bind(1, id);
            selPaper.step();
            p = {selPaper.text(0),  selPaper.text(1),  selPaper.text(2),  selPaper.text(3),
                 selPaper.text(4),  selPaper.text(5),  selPaper.text(6),  selPaper.text(7),
                 selPaper.text(8),  selPaper.text(9),  selPaper.text(10), selPaper.text(11),
                 selPaper.text(12), selPaper.text(13), selPaper.text(14), selPaper.integer(15)};
            selPaper.reset();
            selState.bind(1, id);
            if (selState.step()) {
                userState = selState.integer(0);
                noteEdited = selState.integer(1);
            }
            selState.reset();
            // A paper already waiting for the batch insert is not in the index yet.
            if (!ftsPendingSet.contains(id))
                ftsRemove.bind(1, id).run();
            ++report.merged;
        } else {
            QString key = r.key.isEmpty() ? keyFromTitle(r.abbr, r.title) : r.key;
            const QString base = key;
            for (int n = 2; keys.contains(key.toLower()); ++n)
                key = QStringLiteral("%1-%2").arg(base).arg(n);
            keys.insert(key.toLower());
            p.key = key;
            mergeInto(p, r);
            if (!r.noteMarkdown.trimmed().isEmpty())
                p.note = r.noteMarkdown;
            bindFields(insPaper, p, now);
            insPaper.bind(18, key).bind(19, now).run();
            id = db.lastInsertId();
            if (!p.note.isEmpty())
                setNote.bind(1, id).bind(2, p.note).run();
            ++report.added;
        }
        if (!isNew)
            mergeInto(p, r);

        upsertProv.bind(1, id)
            .bind(2, r.source.format)
            .bind(3, r.source.file)
            .bind(4, r.source.line)
            .bind(5, json)
            .bind(6, now);
        if (upsertProv.step())
            staleProvenance.remove(upsertProv.int64(0));
        upsertProv.reset();
        rememberFolder(id, r);
        // A paper's EfficientPaper file says what its claims are (the claim editor writes them there too).
        if (r.source.format == u"efficientpaper")
            claimRows.write(id, r.claims, isNew);
        if (isNew) {
            // Written whole by the INSERT above.
        } else if (!noteEdited) {
            QList<PaperRecord> sources;
            allProv.bind(1, id);
            while (allProv.step())
                sources.append(recordFromJson(QJsonDocument::fromJson(allProv.text(0).toUtf8()).object()));
            allProv.reset();
            p.note = composeNote(sources);
        } else if (r.source.format == u"efficientpaper" && simplifiedText(r.noteMarkdown) != simplifiedText(p.note)) {
            report.diagnostics.append(
                {Diagnostic::Severity::Warning, r.source.file, r.source.line, 0,
                 QStringLiteral("the note of %1 differs from the one you edited in PaperLab; kept yours "
                                "(the file's text is kept in the paper's provenance)")
                     .arg(p.key)});
        }

        if (!isNew) {
            bindFields(updPaper, p, now);
            updPaper.bind(18, id).run();
            setNote.bind(1, id).bind(2, p.note).run();
        }
        authorRows.write(id, p.authors, isNew);

        for (const QString &inst : r.institutions) {
            const QString name = inst.trimmed();
            if (name.isEmpty())
                continue;
            qint64 &iid = instIds[name.toLower()];
            if (!iid)
                iid = d->institutionId(name);
            linkInst.bind(1, id).bind(2, iid).run();
        }
        for (const QString &topic : withParentTopics(r.topics)) {
            const QString key = topicKey(topic);
            if (key.isEmpty())
                continue;
            qint64 &tid = topicIds[key];
            if (!tid)
                tid = d->topicId(topic);
            linkTopic.bind(1, id).bind(2, tid).run();
        }
        if (!userState && (r.status || r.noteWritten || r.slidesMade || r.rating)) {
            upsertState.bind(1, id)
                .bind(2, r.status ? int(*r.status) : 0)
                .bind(3, int(r.noteWritten))
                .bind(4, int(r.slidesMade))
                .bind(5, r.rating)
                .run();
        }
        if (!ftsPendingSet.contains(id)) {
            ftsPendingSet.insert(id);
            ftsPending.append(id);
        }
        PaperRecord stored = r;
        stored.key = p.key;
        stored.title = p.title;
        stored.abbr = p.abbr;
        stored.arxivId = p.arxivId;
        stored.doi = p.doi;
        stored.paperUrl = p.url;
        matcher.add(id, PaperMatcher::entryFor(stored));
    }
    for (qint64 stale : staleProvenance)
        delProv.bind(1, stale).run();
    phases.lap("match, merge, write rows");
    if (firstIndex) {
        rebuildFullTextIndex(db);
    } else if (!ftsPending.isEmpty()) {
        QStringList ids;
        ids.reserve(ftsPending.size());
        for (qint64 id : ftsPending)
            ids.append(QString::number(id));
        auto add = db.prepare("INSERT INTO paper_fts(rowid, title, abbr, authors, institutions, venue, topics, note) "
                              "SELECT id, title, abbr, authors, institutions, venue, topics, note FROM paper_search "
                              "WHERE id IN (SELECT value FROM json_each(?))");
        add.bind(1, QStringLiteral("[%1]").arg(ids.join(QLatin1Char(',')))).run();
    }
    phases.lap("full-text index");
    if (deferredIndexes)
        deferredIndexes->restore();
    phases.lap("secondary indexes");
    if (progress)
        progress(total, total);
    tx.commit();
    phases.lap("commit");
    return report;
}

qint64 Library::addPaper(const PaperRecord &record)
{
    PaperRecord r = record;
    if (r.source.format.isEmpty())
        r.source.format = QStringLiteral("manual");
    if (r.source.file.isEmpty())
        r.source.file = QStringLiteral("manual:%1").arg(QDateTime::currentMSecsSinceEpoch());
    if (simplifiedText(r.title).isEmpty() && r.arxivId.isEmpty())
        throw LibraryError(QStringLiteral("a paper needs a title or an arXiv id"));
    ImportBatch batch;
    batch.papers.append(r);
    importBatch(batch);
    auto st = d->db.prepare("SELECT paper_id FROM provenance WHERE format = ? AND file = ?");
    st.bind(1, r.source.format).bind(2, r.source.file);
    return st.step() ? st.int64(0) : 0;
}

} // namespace paperlab
