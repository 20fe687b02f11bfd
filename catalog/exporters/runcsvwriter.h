#pragma once
// A run's points as CSV: one row per (variant, sweep value), one column per metric.

#include "runtypes.h"

#include <QString>

namespace paperlab::playground {

QString runToCsv(const RunRecord &run);
bool writeRunCsv(const RunRecord &run, const QString &path, QString *error = nullptr);

} // namespace paperlab::playground
