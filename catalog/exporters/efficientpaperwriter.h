#pragma once
// Writes papers in EfficientPaper's folder layout (meta/YEAR/KEY.prototxt and
// notes/YEAR/KEY/note.md), the shareable, git-friendly form of a library.

#include "../library.h"

#include <QString>

namespace paperlab {

struct WriteReport {
    int papers = 0; // each once, also one its library filed under two folders
    int notes = 0;
    int settingsFiles = 0; // the source libraries' proto/, meta/search/ and notes/* files carried over
    QStringList errors;
};

// The text of meta/YEAR/KEY.prototxt for one paper.
QString paperInfoText(const Paper &paper);

// Writes every paper under `root`. Existing files for the same keys are replaced;
// nothing else in the folder is touched. A paper read from several EfficientPaper files
// goes back into each of them (see papersPerSourceFile). The own files (proto/, meta/search/) of the
// libraries the papers came from are copied where `root` has none.
WriteReport writeEfficientPaperFolder(const QList<Paper> &papers, const QString &root);

} // namespace paperlab
