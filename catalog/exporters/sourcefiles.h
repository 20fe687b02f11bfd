#pragma once
// The EfficientPaper files one paper was read from. A library may file one paper twice
// (Sparse-IFT under meta/2023/ and again under meta/2024/); the index holds it once,
// merged, and an export writes each file back from what that file itself said.

#include "../library.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <memory>

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

class LibrarySchema;
// Each library's schema (its own proto/ compiled once), by library folder.
using LibrarySchemas = QHash<QString, std::shared_ptr<const LibrarySchema>>;

// The text of the EfficientPaper file `paper` was read from (its first, in the library at
// `libraryRoot`) when that file, read again now, would be written as `written`: the paper
// says what the file says, so the file's own spelling goes back byte for byte (a blank
// line, a block order, a missing last newline, a space after a value). Empty otherwise:
// the file changed since the import, or the paper did (an edit, a field another source gave).
QString unchangedSourceText(const Paper &paper, const QString &libraryRoot, const QString &written,
                            LibrarySchemas &schemas);

} // namespace paperlab
