// Merging imported records into the library: one paper, many sources; the user's state
// is never overwritten; every record is kept as provenance.

#include "bulkimport.h"
#include "claimstore.h"
#include "library_p.h"
#include "paperauthors.h"
#include "papermatcher.h"
#include "recordjson.h"
#include "recordstream.h"
#include "textnormalize.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <optional>

namespace paperlab {
namespace {

// The stored fields an import may fill or improve.
struct StoredPaper {
    QString key, title, abbr, authors, venue, venueRaw, arxivId, doi, url, codeUrl, openReviewUrl, slidesUrl, cover,
        notePath, note;
    int year = 0;
};

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
    const auto records = streamBatch(batch);
    return importStream(*records, progress, cancel);
}

ImportReport Library::importStream(RecordStream &records, const ProgressFn &progress, const std::atomic_bool *cancel)
{
    ImportReport report;
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
    // A record is identified by its paper, source file and line. Rows of the import's files
    // that no record of this import confirms are stale (the source changed) and go at the
    // end. The files are known as their records arrive, so every row's file is read here,
    // once, before anything is written (and before the bulk path drops provenance_file).
    QHash<QString, QList<qint64>> provenanceByFile;
    {
        auto st = db.prepare("SELECT id, file FROM provenance");
        while (st.step())
            provenanceByFile[st.text(1)].append(st.int64(0));
    }
    QSet<qint64> staleProvenance;
    auto noteStaleRows = [&](const QString &file) {
        for (qint64 id : provenanceByFile.take(file)) // once per file: its entry goes with it
            staleProvenance.insert(id);
    };
    // A large import writes its rows first and builds the indexes after (before any
    // statement below is prepared, so none of them is planned on an index that goes away).
    phases.lap("read the library's keys");
    const bool bulk = isBulkImport(records.expectedRecords(), keys.size());
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
    const int total = int(records.expectedRecords());
    auto cancelled = [&] {
        if (!cancel || !cancel->load())
            return false;
        report.cancelled = true;
        report.added = report.merged = report.unchanged = 0;
        return true; // the transaction rolls back: nothing of a cancelled import stays
    };
    QElapsedTimer waited;
    qint64 waitedNs = 0;
    PreparedRecord prepared;
    for (int i = 0;; ++i) {
        if (cancelled())
            return report;
        if (progress && (i % 256 == 0))
            progress(std::min(i, total), total);
        waited.start();
        const bool more = records.next(prepared);
        waitedNs += waited.nsecsElapsed();
        if (!more)
            break;
        PaperRecord &r = prepared.record;
        report.diagnostics.append(prepared.diagnostics);
        noteStaleRows(r.source.file);
        if (r.title.isEmpty() && r.key.isEmpty() && r.arxivId.isEmpty()) {
            report.diagnostics.append({Diagnostic::Severity::Warning, r.source.file, r.source.line, 0,
                                       QStringLiteral("record has no title, key or arXiv id; skipped")});
            ++report.skipped;
            continue;
        }
        const QString &json = prepared.provenance;
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
    // The stream stops early when cancelled: what it handed out is not the whole source.
    if (cancelled())
        return report;
    for (qint64 stale : staleProvenance)
        delProv.bind(1, stale).run();
    phases.lap("match, merge, write rows");
    // Of that lap, the time the writer waited for the parse (the two overlap on a stream).
    report.phases.append({"  of which waiting for records", waitedNs / 1e9, 0});
    std::optional<LargeFullTextBuffer> largeBuffer;
    if (bulk)
        largeBuffer.emplace(db);
    if (firstIndex) {
        rebuildFullTextIndex(db);
    } else if (!ftsPending.isEmpty()) {
        auto add = db.prepare("INSERT INTO paper_fts(rowid, title, abbr, authors, institutions, venue, topics, note) "
                              "SELECT id, title, abbr, authors, institutions, venue, topics, note FROM paper_search "
                              "WHERE id IN (SELECT value FROM json_each(?))");
        add.bind(1, idsJson(ftsPending)).run();
    }
    largeBuffer.reset();
    phases.lap("full-text index");
    if (deferredIndexes)
        deferredIndexes->restore();
    phases.lap("secondary indexes");
    if (progress)
        progress(total, total);
    tx.commit();
    phases.lap("commit");
    // The parse's own diagnostics first, in source order, as when it ran before the import.
    const ImportBatch &parsed = records.parseOutcome();
    report.diagnostics = parsed.diagnostics + report.diagnostics;
    report.skipped += parsed.skipped;
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
