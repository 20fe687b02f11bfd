#include "indexrebuild.h"

#include "library_p.h"
#include "recordjson.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QSet>

namespace paperlab {
namespace {

struct PaperState {
    int status = 0, rating = 0, noteWritten = 0, slidesMade = 0, noteEdited = 0, byUser = 0;
    qint64 updatedAt = 0;
    QString personalNote;
    QStringList tags;
    QString note; // kept when the user edited it
    QString notePath;
};

struct RunRow {
    QString paperKey;
    QVariantList columns;       // kernel .. created_at, as stored
    QList<QVariantList> points; // variant, x, metrics
    qint64 oldId = 0;
    QList<std::pair<qint64, QString>> environments; // lane, environment JSON
};

struct Snapshot {
    QHash<QString, PaperState> papers; // by key
    QList<std::pair<QString, QString>> settings;
    QList<std::pair<QString, QString>> savedSearches;
    QList<RunRow> runs;
    QStringList sourceFiles;
    QList<std::pair<QString, QString>> provenance; // file, record JSON
    QStringList warnings;
};

constexpr const char *kRunColumns =
    "kernel, name, device, runner_version, params, sweep_param, pinned, status, created_at";
constexpr int kRunColumnCount = 9;

// Runs `read`, noting instead of throwing when a damaged table cannot be read.
template <typename Fn>
void readTable(Snapshot &s, const char *what, Fn read)
{
    try {
        read();
    } catch (const std::exception &e) {
        s.warnings << QStringLiteral("%1 could not be read: %2").arg(QLatin1String(what), QString::fromUtf8(e.what()));
    }
}

Snapshot takeSnapshot(Database &db)
{
    Snapshot s;
    readTable(s, "user state", [&] {
        auto st = db.prepare("SELECT p.key, us.status, us.rating, us.note_written, us.slides_made, us.note_edited, "
                             "us.state_by_user, us.updated_at, us.personal_note, p.note_path, "
                             "CASE WHEN us.note_edited THEN (SELECT note FROM paper_notes WHERE paper_id = p.id) END "
                             "FROM user_state us JOIN papers p ON p.id = us.paper_id");
        while (st.step()) {
            PaperState &p = s.papers[st.text(0)];
            p.status = st.integer(1);
            p.rating = st.integer(2);
            p.noteWritten = st.integer(3);
            p.slidesMade = st.integer(4);
            p.noteEdited = st.integer(5);
            p.byUser = st.integer(6);
            p.updatedAt = st.int64(7);
            p.personalNote = st.text(8);
            p.notePath = st.text(9);
            p.note = st.text(10);
        }
    });
    readTable(s, "tags", [&] {
        auto st = db.prepare("SELECT p.key, t.name FROM paper_tags pt JOIN papers p ON p.id = pt.paper_id "
                             "JOIN tags t ON t.id = pt.tag_id ORDER BY t.name");
        while (st.step())
            s.papers[st.text(0)].tags << st.text(1);
    });
    readTable(s, "settings", [&] {
        auto st = db.prepare("SELECT key, value FROM settings");
        while (st.step())
            s.settings.append({st.text(0), st.text(1)});
    });
    readTable(s, "saved searches", [&] {
        auto st = db.prepare("SELECT name, query FROM saved_searches");
        while (st.step())
            s.savedSearches.append({st.text(0), st.text(1)});
    });
    readTable(s, "playground runs", [&] {
        const QByteArray sql = QByteArray("SELECT r.id, COALESCE(p.key, ''), ") + kRunColumns +
                               " FROM runs r LEFT JOIN papers p ON p.id = r.paper_id ORDER BY r.id";
        auto st = db.prepare(sql.constData());
        auto pts = db.prepare("SELECT variant, x, metrics FROM run_points WHERE run_id = ? ORDER BY id");
        while (st.step()) {
            RunRow run;
            run.oldId = st.int64(0);
            run.paperKey = st.text(1);
            for (int c = 0; c < kRunColumnCount; ++c)
                run.columns << (c == 6   ? QVariant(st.int64(2 + c))
                                : c == 8 ? QVariant(st.int64(2 + c))
                                         : QVariant(st.text(2 + c)));
            pts.bind(1, st.int64(0));
            while (pts.step())
                run.points.append({pts.text(0), pts.real(1), pts.text(2)});
            pts.reset();
            s.runs.append(run);
        }
    });
    // Apart from the runs: an index older than schema 5 has no such table, and its runs
    // must still come across.
    readTable(s, "run environments", [&] {
        auto st = db.prepare("SELECT run_id, lane, environment FROM run_environments ORDER BY run_id, lane");
        while (st.step())
            for (RunRow &run : s.runs)
                if (run.oldId == st.int64(0))
                    run.environments.append({st.int64(1), st.text(2)});
    });
    readTable(s, "provenance", [&] {
        auto st = db.prepare("SELECT file, record FROM provenance ORDER BY id");
        while (st.step())
            s.provenance.append({st.text(0), st.text(1)});
    });
    return s;
}

QString settingValue(const Snapshot &s, const QString &key)
{
    for (const auto &[k, v] : s.settings)
        if (k == key)
            return v;
    return {};
}

// The library folder first, then whole EfficientPaper folders (the parent of meta/), then
// single files; a path already inside an earlier one is left to it.
QStringList sourcesOf(const Snapshot &s)
{
    QStringList roots;
    const QString folder = settingValue(s, QStringLiteral("library_folder"));
    if (!folder.isEmpty() && QDir(folder).exists())
        roots << QDir(folder).absolutePath();
    auto covered = [&roots](const QString &path) {
        for (const QString &r : roots)
            if (path == r || path.startsWith(r + QLatin1Char('/')))
                return true;
        return false;
    };
    QSet<QString> seen;
    for (const auto &[file, record] : s.provenance) {
        Q_UNUSED(record);
        if (seen.contains(file) || !QFileInfo(file).isFile() || covered(file))
            continue;
        seen.insert(file);
        const qsizetype meta = file.lastIndexOf(QLatin1String("/meta/"));
        const QString root = meta > 0 ? file.left(meta) : QString();
        if (!root.isEmpty() && QDir(root + QStringLiteral("/meta")).exists())
            roots << root;
        else
            roots << file;
    }
    return roots;
}

void applyState(Library &lib, const Snapshot &s, RebuildReport &report)
{
    Database &db = lib.database();
    Transaction tx(db);
    for (const auto &[key, value] : s.settings) {
        auto st = db.prepare(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        st.bind(1, key).bind(2, value).run();
    }
    for (const auto &[name, query] : s.savedSearches) {
        auto st = db.prepare("INSERT INTO saved_searches(name, query) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                             "query = excluded.query");
        st.bind(1, name).bind(2, query).run();
    }
    auto findId = db.prepare("SELECT id FROM papers WHERE key = ?");
    auto idOf = [&findId](const QString &key) -> qint64 {
        findId.bind(1, key);
        const qint64 id = findId.step() ? findId.int64(0) : 0;
        findId.reset();
        return id;
    };
    auto state = db.prepare(
        "INSERT OR REPLACE INTO user_state(paper_id, status, rating, note_written, slides_made, personal_note, "
        "note_edited, state_by_user, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto tag = db.prepare("INSERT OR IGNORE INTO paper_tags(paper_id, tag_id) VALUES (?, ?)");
    auto newTag = db.prepare("INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING");
    auto tagId = db.prepare("SELECT id FROM tags WHERE name = ?");
    auto note = db.prepare("UPDATE paper_notes SET note = ? WHERE paper_id = ? AND note <> ?1");
    auto insNote = db.prepare("INSERT OR IGNORE INTO paper_notes(paper_id, note) VALUES (?, ?)");
    auto ftsRemove = db.prepare(kFtsRemoveSql);
    auto ftsAdd = db.prepare(kFtsAddSql);
    for (auto it = s.papers.cbegin(); it != s.papers.cend(); ++it) {
        const qint64 id = idOf(it.key());
        if (!id) {
            report.stateLost << it.key();
            continue;
        }
        const PaperState &p = it.value();
        state.bind(1, id)
            .bind(2, p.status)
            .bind(3, p.rating)
            .bind(4, p.noteWritten)
            .bind(5, p.slidesMade)
            .bind(6, p.personalNote)
            .bind(7, p.noteEdited)
            .bind(8, p.byUser)
            .bind(9, p.updatedAt)
            .run();
        for (const QString &t : p.tags) {
            newTag.bind(1, t).run();
            tagId.bind(1, t);
            const qint64 tid = tagId.step() ? tagId.int64(0) : 0;
            tagId.reset();
            tag.bind(1, id).bind(2, tid).run();
        }
        if (p.noteEdited && !p.note.isNull()) {
            // The edited text is the user's, even where the note file says otherwise.
            ftsRemove.bind(1, id).run();
            note.bind(1, p.note).bind(2, id).run();
            insNote.bind(1, id).bind(2, p.note).run();
            ftsAdd.bind(1, id).run();
        }
        ++report.stateRestored;
    }
    auto run =
        db.prepare((QByteArray("INSERT INTO runs(paper_id, ") + kRunColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                       .constData());
    auto point = db.prepare("INSERT INTO run_points(run_id, variant, x, metrics) VALUES (?, ?, ?, ?)");
    auto environment = db.prepare("INSERT INTO run_environments(run_id, lane, environment) VALUES (?, ?, ?)");
    for (const RunRow &r : s.runs) {
        const qint64 paper = r.paperKey.isEmpty() ? 0 : idOf(r.paperKey);
        if (paper)
            run.bind(1, paper);
        else
            run.bindNull(1);
        for (int c = 0; c < kRunColumnCount; ++c)
            run.bind(2 + c, r.columns.value(c));
        run.run();
        const qint64 runId = db.lastInsertId();
        for (const QVariantList &pt : r.points)
            point.bind(1, runId).bind(2, pt.value(0)).bind(3, pt.value(1)).bind(4, pt.value(2)).run();
        for (const auto &[lane, json] : r.environments)
            environment.bind(1, runId).bind(2, lane).bind(3, json).run();
    }
    tx.commit();
}

void removeIndexFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace

RebuildReport rebuildIndex(const QString &dbPath, const ProgressFn &progress)
{
    RebuildReport report;
    if (!QFileInfo(dbPath).isFile())
        throw LibraryError(QStringLiteral("%1 does not exist: there is nothing to rebuild").arg(dbPath));
    Snapshot snapshot;
    {
        // Refuses foreign, newer and busy files as opening does; a damaged one opens and is
        // read as far as it can be.
        Library old(dbPath);
        snapshot = takeSnapshot(old.database());
    }
    report.warnings = snapshot.warnings;
    report.sources = sourcesOf(snapshot);

    const QString building = dbPath + QStringLiteral(".rebuilding");
    removeIndexFiles(building);
    try {
        Library fresh(building);
        report.import = fresh.importPaths(report.sources, progress);
        // Papers whose file is gone, or that were typed in: their records as provenance kept them.
        ImportBatch kept;
        for (const auto &[file, record] : snapshot.provenance) {
            if (QFileInfo(file).isFile())
                continue;
            PaperRecord r = recordFromJson(QJsonDocument::fromJson(record.toUtf8()).object());
            r.source.file = file;
            kept.papers.append(r);
        }
        report.recordsFromProvenance = int(kept.papers.size());
        if (!kept.papers.isEmpty()) {
            const ImportReport more = fresh.importBatch(kept);
            report.import.diagnostics.append(more.diagnostics);
        }
        applyState(fresh, snapshot, report);
        report.papers = fresh.paperCount();
        fresh.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception &e) {
        removeIndexFiles(building);
        throw LibraryError(QStringLiteral("%1 was not rebuilt, and was left as it was: %2")
                               .arg(dbPath, explainFailure(e, building).message()));
    }
    removeIndexFiles(building + QStringLiteral("-wal")); // the checkpoint folded it in

    // The swap: the old index (with a WAL another process may still hold) keeps its data
    // beside the new one, under a name that says when.
    report.keptAs = QStringLiteral("%1.before-rebuild-%2")
                        .arg(dbPath, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    for (const char *suffix : {"-wal", "-shm"})
        if (QFileInfo::exists(dbPath + QLatin1String(suffix)))
            QFile::rename(dbPath + QLatin1String(suffix), report.keptAs + QLatin1String(suffix));
    if (!QFile::rename(dbPath, report.keptAs) || !QFile::rename(building, dbPath)) {
        throw LibraryError(
            QStringLiteral("%1: the rebuilt index is ready as %2 but could not replace it (folder not writable?)")
                .arg(dbPath, building),
            FailureKind::ReadOnly);
    }
    QFile::remove(building + QStringLiteral("-shm"));
    return report;
}

} // namespace paperlab
