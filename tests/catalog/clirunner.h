#pragma once
// Runs paperlab-cli as a user would: a real process on a real index file.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <unistd.h>

#ifndef PAPERLAB_CLI
#error "PAPERLAB_CLI must name the paperlab-cli executable"
#endif

namespace paperlab::testing {

struct CliRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

struct CliOptions {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Run as an unprivileged user (root ignores file permissions, so a read-only file is
    // only read-only to someone else).
    bool unprivileged = false;
    QString program = QStringLiteral(PAPERLAB_CLI);   // a copy where `unprivileged` can reach it
    int timeoutMs = 120000;
};

inline CliRun runCli(const QString &db, const QStringList &args, CliOptions options = {})
{
    QProcess p;
#ifdef PAPERLAB_LIBRARY_DIR
    // A first run fills a new index from this checkout's library, whatever the caller's environment.
    options.env.insert(QStringLiteral("PAPERLAB_LIBRARY"), QStringLiteral(PAPERLAB_LIBRARY_DIR));
#endif
    p.setProcessEnvironment(options.env);
    QString program = options.program;
    QStringList all = QStringList{QStringLiteral("--db"), db} + args;
    if (options.unprivileged && ::geteuid() == 0) {
        all = QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                          QStringLiteral("--clear-groups"), program} + all;
        program = QStringLiteral("setpriv");
    }
    p.start(program, all);
    if (!p.waitForFinished(options.timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    // -2: killed by a signal (an uncaught exception aborts: SIGABRT).
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
            p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace paperlab::testing
