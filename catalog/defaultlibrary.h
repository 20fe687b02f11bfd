#pragma once
// Where the app and the CLI keep their index, and the bundled library a first run opens.

#include "library.h"

#include <memory>

namespace paperlab {

// $PAPERLAB_DB, else <user data dir>/library.sqlite.
QString defaultDatabasePath();
// $PAPERLAB_LIBRARY, else the installed library (share/paperlab/library beside the
// executable's bin/), else the data/library folder this build was made from.
QString bundledLibraryFolder();
// The installed bundled library for executables in `appDir`, or empty when none is there.
QString installedLibraryFolder(const QString &appDir);
// Whether `dbPath` names the default index (only that one is filled on its first run).
bool isDefaultDatabase(const QString &dbPath);

// Copies the bundled library into `folder` (unless a copy is there already: the user's
// edits of an earlier copy are kept), makes it the index's library folder and imports it.
// Notes are then edited in the copy, never in the installed or source tree. Throws
// LibraryError when the copy cannot be made.
ImportReport installBundledLibrary(Library &library, const QString &folder);

// Opens `dbPath`. The default index, on its first run (empty, no library folder yet), gets
// the bundled library, copied beside it into library/; `firstRun` receives that import's
// report. A default index made before that copy existed (its library folder is the bundled
// one) is moved onto the copy. Any other index, even an empty one, is opened as it is.
std::unique_ptr<Library> openLibrary(const QString &dbPath, ImportReport *firstRun = nullptr);

} // namespace paperlab
