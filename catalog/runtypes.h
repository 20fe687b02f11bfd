#pragma once
// Value types of a playground run: what it asked for and what came back. Mirrors
// runner.proto loosely; these are what the run store, the charts, the CSV and the slides use.

#include "runenvironment.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace paperlab {

// The block mask of a block-sparse point (batch 0, head 0): rows = query blocks, cols = key
// blocks, one byte per block row-major, non-zero = computed. Empty for other kernels.
struct BlockMask {
    int rows = 0;
    int cols = 0;
    QByteArray bits;
    bool isEmpty() const { return rows <= 0 || cols <= 0 || bits.size() != qsizetype(rows) * cols; }
    bool kept(int i, int j) const { return bits.at(qsizetype(i) * cols + j) != 0; }
};

struct RunPoint {
    int index = 0;
    QString variant;
    QString device;
    QString sweepValue; // as sent; x is its numeric value
    double x = 0;
    QMap<QString, double> metrics; // metric id -> value
    QString error;                 // non-empty when this point failed
    BlockMask mask;                // only when the run asked for masks (block-sparse kernels)
};

// What the user asked the runner for.
struct RunSetup {
    QString kernel;
    QMap<QString, QString> fixed; // parameter -> value text
    QString sweepParam;           // empty: one point
    QStringList sweepValues;
    QStringList variants; // empty: every variant for the device
    QString device = QStringLiteral("cpu");
    int repetitions = 0;   // 0: runner default
    bool wantMask = false; // ask a block-sparse kernel for each point's block mask
};

enum class RunStatus { Running, Finished, Cancelled, Failed };

QString runStatusName(RunStatus s);
RunStatus runStatusFromName(const QString &name);

struct RunRecord {
    qint64 id = 0;
    qint64 paperId = 0; // 0: not linked to a paper
    QString name;
    QString deviceName; // e.g. "NVIDIA H100 80GB HBM3" or "CPU"
    QString runnerVersion;
    RunSetup setup;
    RunStatus status = RunStatus::Running;
    QString message;     // the run's error, when it failed
    bool pinned = false; // shown on the paper's slides
    QDateTime createdAt;
    QList<RunPoint> points;
    // One per runner lane that reported one (a run over 2 GPUs has 2), in lane order; empty
    // for runs stored before environments were (schema 5) or from runners that send none.
    QList<RunEnvironment> environments;
};

} // namespace paperlab
