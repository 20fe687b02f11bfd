#pragma once
// EfficientPaper-style README views regenerated from the library: one <details> group per
// institution / venue / year / topic, each a "| Meta | Title | Cover | Publish | Code | Note |"
// table. Links follow the EfficientPaper folder layout (./meta/YEAR/KEY.prototxt,
// ./notes/YEAR/KEY/...), so the README belongs at the root of an `export library` folder,
// and PaperLab's readme-view importer reads it back.

#include "../library.h"

#include <QString>

namespace paperlab {

enum class ReadmeGrouping { Institution, Venue, Year, Topic };

// "institution", "venue", "year", "topic" (as `list --by` names them).
std::optional<ReadmeGrouping> readmeGroupingFromName(const QString &name);
QString readmeGroupingName(ReadmeGrouping grouping);

// The publish badge URL: https://img.shields.io/badge/2025-ICML-FF8C00 (shields escaping).
QString publishBadgeUrl(int year, const QString &venue);

// The whole README. Deterministic (no dates): regenerating an unchanged library
// gives an unchanged file, which keeps diffs in a repository clean.
QString readmeViewText(const QList<Paper> &papers, ReadmeGrouping grouping);

} // namespace paperlab
