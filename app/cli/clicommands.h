#pragma once
// paperlab-cli's commands; each returns the process exit code.

#include <QStringList>
#include <QTextStream>

namespace paperlab::cli {

enum ExitCode {
    Ok = 0,
    ImportHadErrors = 1,   // the import ran; some files or records were skipped
    Usage = 2,
    NotFound = 3,
    BadQuery = 4,
    LibraryFailure = 5,    // the index could not be opened or written
};

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

} // namespace paperlab::cli
