#pragma once
// Which papers an export is about: a search query, a tag ("reading-group-2026-11"),
// or the whole library. Shared by the CLI and the app's export actions.

#include "library.h"

#include <QString>

namespace paperlab {

struct PaperSelection {
    enum class Kind { All, Query, Tag };
    Kind kind = Kind::All;
    QString value; // the query text or the tag name
};

// Full records in search order (library order for All). Throws LibraryError for a bad query.
QList<Paper> selectPapers(Library &library, const PaperSelection &selection);

} // namespace paperlab
