#pragma once
// Rebuilding an index from the library files while keeping the user's own state.
//
// Status, ratings, tags, personal notes, edited notes, saved searches and playground runs
// live only in the index, so "move the index aside and it is rebuilt" threw them away. Here
// they are read out of the old index first (table by table, so a damaged one loses only what
// is unreadable), a new index is built beside it from the files the papers came from (and,
// for papers whose file is gone or that were typed in, from the records provenance kept),
// the state is re-applied by paper key, and only then does the new file take the old one's
// name. The old file is kept beside it.

#include "library.h"

namespace paperlab {

struct RebuildReport {
    int papers = 0;        // in the rebuilt index
    int stateRestored = 0; // papers whose status, rating, tags or notes were re-applied
    QStringList stateLost; // keys with state but no paper in the rebuilt index
    QStringList sources;   // folders and files imported
    int recordsFromProvenance = 0;
    QStringList warnings; // tables of a damaged index that could not be read
    QString keptAs;       // where the old index now is
    ImportReport import;
};

// Throws LibraryError (with its FailureKind) when the old index is not PaperLab's, is newer,
// busy or cannot be replaced; the old file is then left where it was.
RebuildReport rebuildIndex(const QString &dbPath, const ProgressFn &progress = {});

} // namespace paperlab
