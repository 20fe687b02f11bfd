#pragma once
// Where the app and the CLI keep their index, and the bundled library a first run opens.

#include "library.h"

#include <memory>

namespace paperlab {

// $PAPERLAB_DB, else <user data dir>/library.sqlite.
QString defaultDatabasePath();
// $PAPERLAB_LIBRARY, else the data/library folder this build was made from.
QString bundledLibraryFolder();

// Opens `dbPath`; when the index is empty and has no library folder yet, imports the
// bundled library into it first (the first run). `firstRun` receives that import's report.
std::unique_ptr<Library> openLibrary(const QString &dbPath, ImportReport *firstRun = nullptr);

} // namespace paperlab
