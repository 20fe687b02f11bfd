#pragma once
// Playground runs in the catalog's SQLite library (tables `runs` and `run_points`, schema
// version 2; `run_environments`, version 5: where each lane of a run was measured). `runs.params` holds the run's setup
// as JSON; `run_points.metrics` holds a point's metrics (numbers) plus, for a failed point, "error" (text) and the
// sweep value. The one owner of those tables: the playground, the chart exports and the slides read and write runs only
// through this class.

#include "runtypes.h"

#include <QList>

#include <optional>

namespace paperlab {

class Library;

class RunStore {
public:
    explicit RunStore(Library &library);

    // Inserts the run (without points); returns its id and sets record.id.
    qint64 create(RunRecord &record);
    void addPoint(qint64 runId, const RunPoint &point);
    // Where lane `lane` of the run measured (replaces what that lane stored before).
    void setEnvironment(qint64 runId, int lane, const RunEnvironment &env);
    // A whole run, points included, in one transaction (imports).
    qint64 insert(RunRecord &record);
    void finish(qint64 runId, RunStatus status, const QString &message = {});
    void setRunnerVersion(qint64 runId, const QString &version);
    void rename(qint64 runId, const QString &name);
    // Pinned runs are the ones the slide deck draws for their paper.
    void setPinned(qint64 runId, bool pinned);
    void remove(qint64 runId);

    // Newest first, without points.
    QList<RunRecord> runsForPaper(qint64 paperId);
    QList<RunRecord> runsForKernel(const QString &kernel);
    std::optional<RunRecord> load(qint64 runId); // with points and environments
    // The paper's pinned runs with their points, oldest first (the order slides show them).
    QList<RunRecord> pinnedRuns(qint64 paperId);

    // Runs left "running" by an app that quit or crashed mid-run are marked failed. Call it
    // once when the application starts, never per playground: a second playground opened
    // beside a running one would fail the run that is still streaming.
    int markInterrupted();

private:
    QList<RunRecord> query(const char *sql, const QVariant &arg);
    void loadPoints(RunRecord &run); // and the environments
    Library &m_library;
};

} // namespace paperlab
