#pragma once
// CSL-JSON (the citation format Zotero, Pandoc and citeproc read) for a list of papers.
// Ids are the same citation keys the BibTeX writer uses.

#include "../library.h"

#include <QByteArray>

namespace paperlab {

QByteArray cslJson(const QList<Paper> &papers);

} // namespace paperlab
