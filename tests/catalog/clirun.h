#pragma once
// paperlab-cli as a user runs it: a real process, its exit, output and errors.

#include <QProcess>
#include <QStringList>

#ifndef PAPERLAB_CLI
#error "PAPERLAB_CLI must name the paperlab-cli executable"
#endif

namespace paperlab::testing {

struct CliRun {
    bool finished = false;
    bool crashed = false;   // a signal (SIGABRT from an uncaught exception), not an exit code
    int code = -1;
    QByteArray out;
    QByteArray err;
};

// The environment a test's CLI runs with: the bundled library from this source tree.
inline QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PAPERLAB_LIBRARY"), QStringLiteral(PAPERLAB_LIBRARY_DIR));
    return env;
}

inline CliRun runCli(const QStringList &args, const QProcessEnvironment &env = cliEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PAPERLAB_CLI), args);
    CliRun r;
    r.finished = p.waitForFinished(120000);
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.code = r.finished && !r.crashed ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace paperlab::testing
