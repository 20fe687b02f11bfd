#include "csvwriter.h"

#include <QRegularExpression>

namespace paperlab {

namespace {

// A spreadsheet reads a cell starting with one of these as a formula (tab and CR too,
// after some importers strip them): "=HYPERLINK(...)" in an imported title would run
// when the CSV is opened. A plain number ("-1.5", "+3e2") is no formula and stays a number.
bool startsFormula(const QString &value)
{
    static const QRegularExpression number(QStringLiteral(R"(^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$)"));
    if (value.isEmpty() || !QStringLiteral("=+-@\t\r").contains(value.front()))
        return false;
    return !number.match(value).hasMatch();
}

} // namespace

QString csvField(const QString &value)
{
    // OWASP's advice: a leading apostrophe makes the cell text, and shows.
    const QString v = startsFormula(value) ? QLatin1Char('\'') + value : value;
    const bool quote = v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n')) ||
                       v.contains(QLatin1Char('\r'));
    if (!quote)
        return v;
    QString q = v;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString csvText(const QStringList &header, const QList<QStringList> &rows)
{
    QString out;
    auto line = [&out](const QStringList &cells) {
        QStringList quoted;
        quoted.reserve(cells.size());
        for (const QString &c : cells)
            quoted << csvField(c);
        out += quoted.join(QLatin1Char(',')) + QLatin1String("\r\n");
    };
    line(header);
    for (const QStringList &r : rows)
        line(r);
    return out;
}

QString papersCsv(const QList<Paper> &papers)
{
    const QString sep = QStringLiteral("; ");
    QList<QStringList> rows;
    rows.reserve(papers.size());
    for (const Paper &p : papers)
        rows << QStringList{p.key,
                            p.title,
                            p.abbr,
                            p.authors.join(sep),
                            p.institutionList.join(sep),
                            p.venue,
                            p.year > 0 ? QString::number(p.year) : QString(),
                            p.topicList.join(sep),
                            p.arxivId,
                            p.doi,
                            p.paperUrl,
                            p.codeUrl,
                            readingStatusName(p.status),
                            QString::number(p.rating),
                            p.tags.join(sep)};
    return csvText({QStringLiteral("key"), QStringLiteral("title"), QStringLiteral("abbr"), QStringLiteral("authors"),
                    QStringLiteral("institutions"), QStringLiteral("venue"), QStringLiteral("year"),
                    QStringLiteral("topics"), QStringLiteral("arxiv"), QStringLiteral("doi"), QStringLiteral("url"),
                    QStringLiteral("code"), QStringLiteral("status"), QStringLiteral("rating"), QStringLiteral("tags")},
                   rows);
}

} // namespace paperlab
