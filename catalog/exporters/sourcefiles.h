#pragma once
// The EfficientPaper files one paper was read from. A library may file one paper twice
// (Sparse-IFT under meta/2023/ and again under meta/2024/); the index holds it once,
// merged, and an export writes each file back from what that file itself said.

#include "../library.h"

#include <QList>
#include <QStringList>

namespace paperlab {

// One paper per EfficientPaper file `paper` was read from (each file once), in provenance
// order, each with that file's own fields, note and cover. What the user set in PaperLab
// goes into every one: reading state, rating and claims when they differ from what the
// files together say. The one exception is an edited note: a paper has one note file, so
// the edit goes to the file the note was read from (the first file when none had one), and
// the others keep their own note or none. Empty when the paper came from fewer than two
// files: its fields are then written as the index holds them. A note that cannot be read
// back from its file is named in `errors`.
QList<Paper> papersPerSourceFile(const Paper &paper, QStringList &errors);

} // namespace paperlab
