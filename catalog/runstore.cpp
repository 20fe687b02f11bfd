#include "runstore.h"

#include "library.h"
#include "sqlitedb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace paperlab {

namespace {

QString toJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
QJsonObject fromJson(const QString &s)
{
    return QJsonDocument::fromJson(s.toUtf8()).object();
}

QJsonObject setupJson(const RunRecord &r)
{
    QJsonObject fixed;
    for (auto it = r.setup.fixed.cbegin(); it != r.setup.fixed.cend(); ++it)
        fixed.insert(it.key(), it.value());
    QJsonObject o;
    o.insert(QStringLiteral("fixed"), fixed);
    o.insert(QStringLiteral("sweep_values"), QJsonArray::fromStringList(r.setup.sweepValues));
    o.insert(QStringLiteral("variants"), QJsonArray::fromStringList(r.setup.variants));
    o.insert(QStringLiteral("repetitions"), r.setup.repetitions);
    o.insert(QStringLiteral("device_name"), r.deviceName);
    if (!r.message.isEmpty())
        o.insert(QStringLiteral("message"), r.message);
    return o;
}

void readSetupJson(const QString &json, RunRecord &r)
{
    const QJsonObject o = fromJson(json);
    const QJsonObject fixed = o.value(QStringLiteral("fixed")).toObject();
    for (auto it = fixed.begin(); it != fixed.end(); ++it)
        r.setup.fixed.insert(it.key(), it.value().toString());
    for (const QJsonValue &v : o.value(QStringLiteral("sweep_values")).toArray())
        r.setup.sweepValues << v.toString();
    for (const QJsonValue &v : o.value(QStringLiteral("variants")).toArray())
        r.setup.variants << v.toString();
    r.setup.repetitions = o.value(QStringLiteral("repetitions")).toInt();
    r.deviceName = o.value(QStringLiteral("device_name")).toString();
    r.message = o.value(QStringLiteral("message")).toString();
}

QString pointJson(const RunPoint &p)
{
    QJsonObject o;
    for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it)
        o.insert(it.key(), it.value());
    o.insert(QStringLiteral("sweep_value"), p.sweepValue);
    o.insert(QStringLiteral("index"), p.index);
    if (!p.error.isEmpty())
        o.insert(QStringLiteral("error"), p.error);
    if (!p.mask.isEmpty())
        o.insert(QStringLiteral("mask"),
                 QJsonObject{{QStringLiteral("rows"), p.mask.rows},
                             {QStringLiteral("cols"), p.mask.cols},
                             {QStringLiteral("bits"), QString::fromLatin1(p.mask.bits.toBase64())}});
    return toJson(o);
}

RunPoint readPoint(const QString &variant, double x, const QString &json)
{
    RunPoint p;
    p.variant = variant;
    p.x = x;
    const QJsonObject o = fromJson(json);
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() == QLatin1String("sweep_value"))
            p.sweepValue = it.value().toString();
        else if (it.key() == QLatin1String("error"))
            p.error = it.value().toString();
        else if (it.key() == QLatin1String("index"))
            p.index = it.value().toInt();
        else if (it.key() == QLatin1String("mask")) {
            const QJsonObject m = it.value().toObject();
            p.mask = BlockMask{m.value(QStringLiteral("rows")).toInt(), m.value(QStringLiteral("cols")).toInt(),
                               QByteArray::fromBase64(m.value(QStringLiteral("bits")).toString().toLatin1())};
        } else if (it.value().isDouble())
            p.metrics.insert(it.key(), it.value().toDouble());
    }
    return p;
}

} // namespace

QString runStatusName(RunStatus s)
{
    switch (s) {
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Finished:
        return QStringLiteral("finished");
    case RunStatus::Cancelled:
        return QStringLiteral("cancelled");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

RunStatus runStatusFromName(const QString &name)
{
    if (name == QLatin1String("running"))
        return RunStatus::Running;
    if (name == QLatin1String("finished"))
        return RunStatus::Finished;
    if (name == QLatin1String("cancelled"))
        return RunStatus::Cancelled;
    return RunStatus::Failed;
}

RunStore::RunStore(Library &library)
    : m_library(library)
{}

qint64 RunStore::create(RunRecord &r)
{
    Database &db = m_library.database();
    if (!r.createdAt.isValid())
        r.createdAt = QDateTime::currentDateTimeUtc();
    auto st = db.prepare("INSERT INTO runs(paper_id, kernel, name, device, runner_version, params, sweep_param, "
                         "status, created_at, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (r.paperId > 0)
        st.bind(1, r.paperId);
    else
        st.bindNull(1);
    st.bind(2, r.setup.kernel).bind(3, r.name).bind(4, r.setup.device).bind(5, r.runnerVersion);
    st.bind(6, toJson(setupJson(r))).bind(7, r.setup.sweepParam).bind(8, runStatusName(r.status));
    st.bind(9, r.createdAt.toMSecsSinceEpoch()).bind(10, r.pinned ? 1 : 0);
    st.run();
    r.id = db.lastInsertId();
    return r.id;
}

void RunStore::addPoint(qint64 runId, const RunPoint &p)
{
    auto st = m_library.database().prepare("INSERT INTO run_points(run_id, variant, x, metrics) VALUES (?, ?, ?, ?)");
    st.bind(1, runId).bind(2, p.variant).bind(3, p.x).bind(4, pointJson(p));
    st.run();
}

void RunStore::setEnvironment(qint64 runId, int lane, const RunEnvironment &env)
{
    auto st = m_library.database().prepare(
        "INSERT OR REPLACE INTO run_environments(run_id, lane, environment) VALUES (?, ?, ?)");
    st.bind(1, runId).bind(2, lane).bind(3, toJson(environmentToJson(env)));
    st.run();
}

qint64 RunStore::insert(RunRecord &record)
{
    Transaction tx(m_library.database());
    create(record);
    for (const RunPoint &p : record.points)
        addPoint(record.id, p);
    for (int lane = 0; lane < record.environments.size(); ++lane)
        setEnvironment(record.id, lane, record.environments.at(lane));
    tx.commit();
    return record.id;
}

void RunStore::finish(qint64 runId, RunStatus status, const QString &message)
{
    Database &db = m_library.database();
    auto st = db.prepare("UPDATE runs SET status = ? WHERE id = ?");
    st.bind(1, runStatusName(status)).bind(2, runId).run();
    if (message.isEmpty())
        return;
    // The message lives in the setup JSON (the table has no column for it).
    auto sel = db.prepare("SELECT params FROM runs WHERE id = ?");
    sel.bind(1, runId);
    if (!sel.step())
        return;
    QJsonObject o = fromJson(sel.text(0));
    o.insert(QStringLiteral("message"), message);
    auto upd = db.prepare("UPDATE runs SET params = ? WHERE id = ?");
    upd.bind(1, toJson(o)).bind(2, runId).run();
}

void RunStore::setRunnerVersion(qint64 runId, const QString &version)
{
    auto st = m_library.database().prepare("UPDATE runs SET runner_version = ? WHERE id = ?");
    st.bind(1, version).bind(2, runId).run();
}

void RunStore::rename(qint64 runId, const QString &name)
{
    auto st = m_library.database().prepare("UPDATE runs SET name = ? WHERE id = ?");
    st.bind(1, name).bind(2, runId).run();
}

void RunStore::setPinned(qint64 runId, bool pinned)
{
    auto st = m_library.database().prepare("UPDATE runs SET pinned = ? WHERE id = ?");
    st.bind(1, pinned ? 1 : 0).bind(2, runId).run();
}

void RunStore::remove(qint64 runId)
{
    Database &db = m_library.database();
    Transaction tx(db);
    // Explicit, so removal does not depend on the connection's foreign_keys setting.
    db.prepare("DELETE FROM run_points WHERE run_id = ?").bind(1, runId).run();
    db.prepare("DELETE FROM run_environments WHERE run_id = ?").bind(1, runId).run();
    db.prepare("DELETE FROM runs WHERE id = ?").bind(1, runId).run();
    tx.commit();
}

#define PAPERLAB_RUN_COLUMNS                                                                                           \
    "id, paper_id, kernel, name, device, runner_version, params, sweep_param, status, created_at, pinned"

QList<RunRecord> RunStore::query(const char *sql, const QVariant &arg)
{
    QList<RunRecord> out;
    auto st = m_library.database().prepare(sql);
    st.bind(1, arg);
    while (st.step()) {
        RunRecord r;
        r.id = st.int64(0);
        r.paperId = st.isNull(1) ? 0 : st.int64(1);
        r.setup.kernel = st.text(2);
        r.name = st.text(3);
        r.setup.device = st.text(4);
        r.runnerVersion = st.text(5);
        readSetupJson(st.text(6), r);
        r.setup.sweepParam = st.text(7);
        r.status = runStatusFromName(st.text(8));
        r.createdAt = QDateTime::fromMSecsSinceEpoch(st.int64(9), Qt::UTC);
        r.pinned = st.int64(10) != 0;
        out << r;
    }
    return out;
}

QList<RunRecord> RunStore::runsForPaper(qint64 paperId)
{
    return query("SELECT " PAPERLAB_RUN_COLUMNS " FROM runs WHERE paper_id = ? ORDER BY created_at DESC, id DESC",
                 paperId);
}

QList<RunRecord> RunStore::runsForKernel(const QString &kernel)
{
    return query("SELECT " PAPERLAB_RUN_COLUMNS " FROM runs WHERE kernel = ? ORDER BY created_at DESC, id DESC",
                 kernel);
}

std::optional<RunRecord> RunStore::load(qint64 runId)
{
    QList<RunRecord> found = query("SELECT " PAPERLAB_RUN_COLUMNS " FROM runs WHERE id = ?", runId);
    if (found.isEmpty())
        return std::nullopt;
    RunRecord r = found.takeFirst();
    loadPoints(r);
    return r;
}

void RunStore::loadPoints(RunRecord &r)
{
    auto st = m_library.database().prepare("SELECT variant, x, metrics FROM run_points WHERE run_id = ? ORDER BY id");
    st.bind(1, r.id);
    while (st.step())
        r.points << readPoint(st.text(0), st.real(1), st.text(2));
    auto env = m_library.database().prepare("SELECT environment FROM run_environments WHERE run_id = ? ORDER BY lane");
    env.bind(1, r.id);
    r.environments.clear();
    while (env.step())
        r.environments << environmentFromJson(fromJson(env.text(0)));
}

QList<RunRecord> RunStore::pinnedRuns(qint64 paperId)
{
    QList<RunRecord> runs = query("SELECT " PAPERLAB_RUN_COLUMNS " FROM runs WHERE paper_id = ? AND pinned <> 0 "
                                  "ORDER BY created_at, id",
                                  paperId);
    for (RunRecord &r : runs)
        loadPoints(r);
    return runs;
}

int RunStore::markInterrupted()
{
    Database &db = m_library.database();
    db.exec("UPDATE runs SET status = 'failed' WHERE status = 'running'");
    return db.changes();
}

} // namespace paperlab
