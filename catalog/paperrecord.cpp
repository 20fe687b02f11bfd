#include "paperrecord.h"

namespace paperlab {

QString readingStatusName(ReadingStatus s)
{
    switch (s) {
    case ReadingStatus::Unread:
        return QStringLiteral("unread");
    case ReadingStatus::Reading:
        return QStringLiteral("reading");
    case ReadingStatus::Read:
        return QStringLiteral("read");
    }
    return QStringLiteral("unread");
}

std::optional<ReadingStatus> readingStatusFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"unread" || n == u"todo")
        return ReadingStatus::Unread;
    if (n == u"reading")
        return ReadingStatus::Reading;
    if (n == u"read" || n == u"done")
        return ReadingStatus::Read;
    return std::nullopt;
}

QString Diagnostic::toString() const
{
    QString where = file;
    if (line > 0) {
        where += QLatin1Char(':') + QString::number(line);
        if (column > 0)
            where += QLatin1Char(':') + QString::number(column);
    }
    const char *kind = severity == Severity::Error ? "error" : "warning";
    return QStringLiteral("%1: %2: %3").arg(where, QLatin1String(kind), message);
}

void ImportBatch::warn(const QString &file, int line, const QString &message, int column)
{
    diagnostics.append({Diagnostic::Severity::Warning, file, line, column, message});
}

void ImportBatch::error(const QString &file, int line, const QString &message, int column)
{
    diagnostics.append({Diagnostic::Severity::Error, file, line, column, message});
}

void ImportBatch::skip(const QString &file, int line, const QString &reason, Diagnostic::Severity severity)
{
    diagnostics.append({severity, file, line, 0, reason});
    ++skipped;
}

int ImportBatch::errorCount() const
{
    int n = 0;
    for (const auto &d : diagnostics)
        n += d.severity == Diagnostic::Severity::Error;
    return n;
}

int ImportBatch::warningCount() const
{
    return int(diagnostics.size()) - errorCount();
}

} // namespace paperlab
