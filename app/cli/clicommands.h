#pragma once
// paperlab-cli's commands; each returns the process exit code.

#include "library.h"

#include <QStringList>
#include <QTextStream>

namespace paperlab::cli {

enum ExitCode {
    Ok = 0,
    ImportHadErrors = 1, // the import ran; some files or records were skipped
    Usage = 2,
    NotFound = 3,
    BadQuery = 4,
    LibraryFailure = 5, // the index could not be opened or written (other causes)
    IndexBusy = 6,      // another process held the write lock past the busy timeout
    IndexReadOnly = 7,  // the index or its folder is not writable
    IndexDamaged = 8,   // the index is damaged inside: `rebuild` it
    NotAnIndex = 9,     // not a PaperLab index (another application's, or not SQLite)
    IndexTooNew = 10,   // made by a newer PaperLab
};

// The exit code that tells scripts what kind of trouble the index is in.
int exitCodeFor(FailureKind kind);

struct Context {
    QString dbPath;
    bool json = false;
    QTextStream &out;
    QTextStream &err;
};

int runImport(Context &ctx, const QStringList &args);
int runSearch(Context &ctx, const QStringList &args);
int runList(Context &ctx, const QStringList &args);
int runShow(Context &ctx, const QStringList &args);
int runStats(Context &ctx, const QStringList &args);
int runExport(Context &ctx, const QStringList &args);
int runTag(Context &ctx, const QStringList &args);
int runStatus(Context &ctx, const QStringList &args);
int runRebuild(Context &ctx, const QStringList &args);

} // namespace paperlab::cli
