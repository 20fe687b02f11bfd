#pragma once
// How the runner is started: an optional user prefix ("ssh gpu-box", "srun --gres=gpu:1")
// in front of the runner program and its arguments.

#include <QString>
#include <QStringList>

namespace paperlab::playground {

struct LaunchCommand {
    QString program;
    QStringList arguments;
    QString display() const; // for error messages: the whole command line
};

// What the user typed in the launcher field, as a prefix: a bare host name ("gpu-box",
// "me@gpu-box") that is no program on PATH means `ssh -o BatchMode=yes HOST` (BatchMode:
// a key that is refused fails with a message instead of waiting for a password nobody
// can type); anything else is taken as written.
QString launcherPrefixFor(const QString &typed);

// Splits `prefix` with shell-like quoting and prepends it. An empty prefix runs the runner
// directly. An unbalanced quote in the prefix is reported through `error`.
LaunchCommand buildLaunch(const QString &prefix, const QString &runnerPath, const QStringList &runnerArgs,
                          QString *error = nullptr);

} // namespace paperlab::playground
