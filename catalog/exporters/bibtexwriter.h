#pragma once
// BibTeX for a list of papers: arXiv preprints as @misc with eprint/archivePrefix,
// conference papers as @inproceedings with booktitle = venue, journals as @article.
// Text is UTF-8 (biber and modern bibtex read it); LaTeX specials are escaped.

#include "../library.h"

#include <QString>

namespace paperlab {

// "50% & more_x" -> "50\% \& more\_x": the ten characters LaTeX treats specially, except
// inside $…$ math ("H$_2$O"), which is LaTeX already and is kept as it is.
QString latexEscaped(const QString &text);

// One entry per paper, keys from CitationKeys, separated by blank lines.
QString bibtexText(const QList<Paper> &papers);

} // namespace paperlab
