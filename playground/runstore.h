#pragma once
// Playground runs in the catalog's SQLite library (tables `runs` and `run_points`, schema
// version 2). `runs.params` holds the run's setup as JSON; `run_points.metrics` holds a
// point's metrics (numbers) plus, for a failed point, "error" (text) and the sweep value.

#include "runtypes.h"

#include <QList>

#include <optional>

namespace paperlab {
class Library;
}

namespace paperlab::playground {

class RunStore {
public:
    explicit RunStore(Library &library);

    // Inserts the run (without points); returns its id and sets record.id.
    qint64 create(RunRecord &record);
    void addPoint(qint64 runId, const RunPoint &point);
    // A whole run, points included, in one transaction (imports).
    qint64 insert(RunRecord &record);
    void finish(qint64 runId, RunStatus status, const QString &message = {});
    void setRunnerVersion(qint64 runId, const QString &version);
    void rename(qint64 runId, const QString &name);
    void remove(qint64 runId);

    // Newest first, without points.
    QList<RunRecord> runsForPaper(qint64 paperId);
    QList<RunRecord> runsForKernel(const QString &kernel);
    std::optional<RunRecord> load(qint64 runId);   // with points

    // Runs left "running" by an app that quit or crashed mid-run are marked failed.
    int markInterrupted();

private:
    QList<RunRecord> query(const char *sql, const QVariant &arg);
    Library &m_library;
};

} // namespace paperlab::playground
