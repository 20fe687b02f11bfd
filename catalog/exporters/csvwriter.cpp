#include "csvwriter.h"

namespace paperlab {

QString csvField(const QString &value)
{
    const bool quote = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"'))
                       || value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'));
    if (!quote) return value;
    QString v = value;
    v.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QString csvText(const QStringList &header, const QList<QStringList> &rows)
{
    QString out;
    auto line = [&out](const QStringList &cells) {
        QStringList quoted;
        quoted.reserve(cells.size());
        for (const QString &c : cells) quoted << csvField(c);
        out += quoted.join(QLatin1Char(',')) + QLatin1String("\r\n");
    };
    line(header);
    for (const QStringList &r : rows) line(r);
    return out;
}

QString papersCsv(const QList<Paper> &papers)
{
    const QString sep = QStringLiteral("; ");
    QList<QStringList> rows;
    rows.reserve(papers.size());
    for (const Paper &p : papers)
        rows << QStringList{p.key, p.title, p.abbr, p.authors.join(sep), p.institutionList.join(sep), p.venue,
                            p.year > 0 ? QString::number(p.year) : QString(), p.topicList.join(sep), p.arxivId,
                            p.doi, p.paperUrl, p.codeUrl, readingStatusName(p.status),
                            QString::number(p.rating), p.tags.join(sep)};
    return csvText({QStringLiteral("key"), QStringLiteral("title"), QStringLiteral("abbr"), QStringLiteral("authors"),
                    QStringLiteral("institutions"), QStringLiteral("venue"), QStringLiteral("year"),
                    QStringLiteral("topics"), QStringLiteral("arxiv"), QStringLiteral("doi"), QStringLiteral("url"),
                    QStringLiteral("code"), QStringLiteral("status"), QStringLiteral("rating"), QStringLiteral("tags")},
                   rows);
}

} // namespace paperlab
