#include "launcher.h"

#include <QRegularExpression>
#include <QStandardPaths>

namespace paperlab::playground {

QString LaunchCommand::display() const
{
    QStringList all{program};
    all += arguments;
    return all.join(QLatin1Char(' '));
}

namespace {

// POSIX-shell-like word splitting: whitespace separates, '...' is literal, "..." keeps
// spaces and honours \" and \\, a backslash outside quotes escapes the next character.
// (QProcess::splitCommand knows only double quotes; users type ssh prefixes with both.)
QStringList splitWords(const QString &text, QString *error)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quote == QLatin1Char('\'')) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (quote == QLatin1Char('"')) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && i + 1 < text.size() &&
                       (text[i + 1] == QLatin1Char('"') || text[i + 1] == QLatin1Char('\\'))) {
                word += text[++i];
            } else {
                word += c;
            }
        } else if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            word += text[++i];
            inWord = true;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (!quote.isNull() && error)
        *error = QStringLiteral("unbalanced quote in the launcher prefix: %1").arg(text);
    if (inWord)
        words << word;
    return words;
}

} // namespace

QString launcherPrefixFor(const QString &typed)
{
    const QString text = typed.trimmed();
    const bool oneWord = !text.isEmpty() && !text.contains(QRegularExpression(QStringLiteral("[\\s'\"/]")));
    if (!oneWord || !QStandardPaths::findExecutable(text).isEmpty())
        return text;
    return QStringLiteral("ssh -o BatchMode=yes ") + text;
}

LaunchCommand buildLaunch(const QString &prefix, const QString &runnerPath, const QStringList &runnerArgs,
                          QString *error)
{
    if (error)
        error->clear();
    QStringList parts = splitWords(prefix.trimmed(), error);
    parts << runnerPath << runnerArgs;
    LaunchCommand cmd;
    cmd.program = parts.takeFirst();
    cmd.arguments = parts;
    return cmd;
}

} // namespace paperlab::playground
