#pragma once
// BibTeX import: a tolerant reader for the .bib files people keep (Zotero, Google Scholar,
// DBLP, hand-written). Records come out like every other importer's and are merged into
// existing papers by arXiv id, DOI, URL or title.

#include "../paperrecord.h"

#include <QString>

#include <atomic>

namespace paperlab {

// Parses `text`; `file` names the source in diagnostics ("refs.bib:12: error: ...").
// A broken entry is reported and skipped; the entries around it are still read.
// `cancel` (set from another thread) is looked at between entries.
ImportBatch parseBibTeX(const QString &text, const QString &file, const std::atomic_bool *cancel = nullptr);

// LaTeX markup of a field value reduced to plain text: braces dropped, \& -> &,
// accents ({\"o}, \'e) composed, ~ -> space, whitespace collapsed.
QString latexToPlain(const QString &value);

} // namespace paperlab
