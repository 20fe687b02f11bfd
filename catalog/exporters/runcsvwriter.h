#pragma once
// A playground run's points as CSV: one row per (variant, sweep value), one column per
// metric, written by the catalog's one CSV writer (csvwriter.h).

#include "runtypes.h"

#include <QString>

namespace paperlab {

QString runToCsv(const RunRecord &run);
bool writeRunCsv(const RunRecord &run, const QString &path, QString *error = nullptr);

} // namespace paperlab
