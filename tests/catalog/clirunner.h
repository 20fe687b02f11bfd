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
    int code = -1; // -1: did not finish in time; -2: killed by a signal
    QByteArray out;
    QByteArray err;
    bool finished = false;
    bool crashed = false; // a signal (SIGABRT from an uncaught exception), not an exit code
};

// The environment a test's CLI runs with: a first run fills a new default index from this
// checkout's library, whatever the developer's own environment says; a test may override it.
inline QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
#ifdef PAPERLAB_LIBRARY_DIR
    env.insert(QStringLiteral("PAPERLAB_LIBRARY"), QStringLiteral(PAPERLAB_LIBRARY_DIR));
#endif
    return env;
}

struct CliOptions {
    QProcessEnvironment env = cliEnvironment();
    // Run as an unprivileged user (root ignores file permissions, so a read-only file is
    // only read-only to someone else).
    bool unprivileged = false;
    QString program = QStringLiteral(PAPERLAB_CLI); // a copy where `unprivileged` can reach it
    int timeoutMs = 120000;
};

// `db` empty: no --db, so the CLI opens its default index ($PAPERLAB_DB or the data folder).
inline CliRun runCli(const QString &db, const QStringList &args, CliOptions options = {})
{
    QProcess p;
    p.setProcessEnvironment(options.env);
    QString program = options.program;
    QStringList all = db.isEmpty() ? args : QStringList{QStringLiteral("--db"), db} + args;
    if (options.unprivileged && ::geteuid() == 0) {
        all = QStringList{QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                          QStringLiteral("--clear-groups"), program} +
              all;
        program = QStringLiteral("setpriv");
    }
    p.start(program, all);
    if (!p.waitForFinished(options.timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    CliRun r;
    r.finished = true;
    r.crashed = p.exitStatus() != QProcess::NormalExit; // an uncaught exception aborts: SIGABRT
    r.code = r.crashed ? -2 : p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace paperlab::testing
