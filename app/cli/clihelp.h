#pragma once
// paperlab-cli's help texts, from one table of commands and options: the top-level usage
// (every command and every option) and each command's own help (`paperlab-cli CMD --help`).

#include <QString>
#include <QStringList>

namespace paperlab::cli {

// The whole usage: commands, their options, the global options and the exit codes.
QString usageText();
// One command's help; empty for a name that is no command.
QString commandHelp(const QString &command);
// Whether `args` (what follows the command) ask for help: --help or -h, before a "--".
bool asksForHelp(const QStringList &args);

} // namespace paperlab::cli
