#pragma once
// Reads the runner's `--json` output (kernels/runner/cli_mode.cpp) as runs, so results
// measured elsewhere (a GPU box, kernels/bench) can be loaded into the library and plotted.
// Accepts one runner output, or an object whose members are runner outputs (bench.json).

#include "runtypes.h"

#include <QByteArray>
#include <QList>

namespace paperlab::playground {

struct ImportedRuns {
    QList<RunRecord> runs; // status Finished, not yet stored
    QString error;         // set when nothing could be read
};

ImportedRuns importRunnerJson(const QByteArray &json, const QString &fallbackName = {});
ImportedRuns importRunnerJsonFile(const QString &path);

} // namespace paperlab::playground
