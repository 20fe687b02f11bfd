#include "readmeviewwriter.h"

#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

namespace paperlab {
namespace {

// Badge colours as EfficientPaper uses them for the common venues; others hash into a palette.
QString badgeColour(const QString &venue)
{
    static const QMap<QString, QString> known{
        {QStringLiteral("arxiv"), QStringLiteral("1E88E5")},  {QStringLiteral("icml"), QStringLiteral("FF8C00")},
        {QStringLiteral("iclr"), QStringLiteral("FF4500")},   {QStringLiteral("neurips"), QStringLiteral("FF1493")},
        {QStringLiteral("acl"), QStringLiteral("DC143C")},    {QStringLiteral("emnlp"), QStringLiteral("8A2BE2")},
        {QStringLiteral("osdi"), QStringLiteral("2E8B57")},   {QStringLiteral("sosp"), QStringLiteral("228B22")},
        {QStringLiteral("mlsys"), QStringLiteral("9932CC")},  {QStringLiteral("asplos"), QStringLiteral("9370DB")},
        {QStringLiteral("eurosys"), QStringLiteral("4169E1")}};
    if (const auto it = known.constFind(venue.toLower()); it != known.constEnd())
        return it.value();
    static const QStringList palette{QStringLiteral("1E90FF"), QStringLiteral("20B2AA"), QStringLiteral("DAA520"),
                                     QStringLiteral("CD5C5C"), QStringLiteral("6A5ACD"), QStringLiteral("2F4F4F")};
    return palette[int(qHash(venue.toLower(), 7) % palette.size())];
}

// Shields path escaping: '-' -> "--", '_' -> "__", ' ' -> '_'.
QString shieldsText(QString s)
{
    s.replace(QLatin1Char('-'), QLatin1String("--"));
    s.replace(QLatin1Char('_'), QLatin1String("__"));
    s.replace(QLatin1Char(' '), QLatin1Char('_'));
    return s;
}

QString htmlEscaped(QString s)
{
    return s.toHtmlEscaped();
}

// Table cells: '|' would end the cell, a line break the row.
QString cellText(QString s)
{
    s.replace(QLatin1Char('|'), QLatin1String("\\|"));
    return s.simplified();
}

QString yearFolder(const Paper &p)
{
    return p.year > 0 ? QString::number(p.year) : QStringLiteral("unknown");
}

QString row(const Paper &p)
{
    const QString year = yearFolder(p);
    const QString meta = QStringLiteral("[%1](./meta/%2/%3.prototxt)")
                             .arg(cellText(p.abbr.isEmpty() ? QStringLiteral("m") : p.abbr), year, p.key);
    const QString title =
        p.paperUrl.isEmpty() ? cellText(p.title) : QStringLiteral("[%1](%2)").arg(cellText(p.title), p.paperUrl);
    const QString cover =
        p.coverPath.isEmpty()
            ? QString()
            : QStringLiteral("![cover](./notes/%1/%2/%3)").arg(year, p.key, QFileInfo(p.coverPath).fileName());
    const QString publish = p.year > 0 && !p.venue.isEmpty()
                                ? QStringLiteral("![Publish](%1)").arg(publishBadgeUrl(p.year, p.venue))
                                : QString();
    QString code;
    if (!p.codeUrl.isEmpty()) {
        static const QRegularExpression github(QStringLiteral(R"(github\.com/([^/\s]+/[^/\s#?]+))"));
        const auto m = github.match(p.codeUrl);
        code = m.hasMatch() ? QStringLiteral("[![GitHub Repo stars](https://img.shields.io/github/stars/%1)](%2)")
                                  .arg(m.captured(1), p.codeUrl)
                            : QStringLiteral("[code](%1)").arg(p.codeUrl);
    }
    const QString note =
        p.note.isEmpty() ? QString() : QStringLiteral("[note](./notes/%1/%2/note.md)").arg(year, p.key);
    return QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |").arg(meta, title, cover, publish, code, note);
}

struct Group {
    QString name;
    QList<const Paper *> papers;
};

QStringList groupNames(const Paper &p, ReadmeGrouping g)
{
    switch (g) {
    case ReadmeGrouping::Institution:
        return p.institutionList;
    case ReadmeGrouping::Topic:
        return p.topicList;
    case ReadmeGrouping::Venue:
        return {p.venue.isEmpty() ? QString() : p.venue};
    case ReadmeGrouping::Year:
        return {p.year > 0 ? QString::number(p.year) : QString()};
    }
    return {};
}

const char *headingOf(ReadmeGrouping g)
{
    switch (g) {
    case ReadmeGrouping::Institution:
        return "institution";
    case ReadmeGrouping::Venue:
        return "venue";
    case ReadmeGrouping::Year:
        return "year";
    case ReadmeGrouping::Topic:
        return "topic";
    }
    return "";
}

void writeTable(QString &out, const QList<const Paper *> &papers)
{
    out += QLatin1String(
        "\n\n| Meta | Title | Cover | Publish | Code | Note |\n|:-----|:------|:------|:--------|:-----|:-----|\n");
    for (const Paper *p : papers)
        out += row(*p) + QLatin1Char('\n');
}

} // namespace

std::optional<ReadmeGrouping> readmeGroupingFromName(const QString &name)
{
    for (ReadmeGrouping g :
         {ReadmeGrouping::Institution, ReadmeGrouping::Venue, ReadmeGrouping::Year, ReadmeGrouping::Topic})
        if (name == QLatin1String(headingOf(g)))
            return g;
    return std::nullopt;
}

QString readmeGroupingName(ReadmeGrouping grouping)
{
    return QLatin1String(headingOf(grouping));
}

QString publishBadgeUrl(int year, const QString &venue)
{
    return QStringLiteral("https://img.shields.io/badge/%1-%2-%3")
        .arg(QString::number(year), shieldsText(venue), badgeColour(venue));
}

QString readmeViewText(const QList<Paper> &papers, ReadmeGrouping grouping)
{
    QList<const Paper *> sorted;
    for (const Paper &p : papers)
        sorted << &p;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Paper *a, const Paper *b) {
        if (a->year != b->year)
            return a->year < b->year;
        return a->title.compare(b->title, Qt::CaseInsensitive) < 0;
    });

    // Group by name, case-insensitively as the library's facets do; a paper without one
    // goes to a trailing section whose heading assigns nothing on re-import.
    QMap<QString, Group> groups;
    QList<const Paper *> ungrouped;
    for (const Paper *p : sorted) {
        bool any = false;
        for (const QString &n : groupNames(*p, grouping)) {
            if (n.trimmed().isEmpty())
                continue;
            Group &g = groups[n.toLower()];
            if (g.name.isEmpty())
                g.name = n;
            if (!g.papers.contains(p))
                g.papers << p;
            any = true;
        }
        if (!any)
            ungrouped << p;
    }
    QList<Group> ordered = groups.values();
    if (grouping == ReadmeGrouping::Year)
        std::reverse(ordered.begin(), ordered.end()); // newest first

    const QString heading = QLatin1String(headingOf(grouping));
    QString out = QStringLiteral("# Papers by %1\n\n%2 papers, generated by PaperLab from its library.\n\n")
                      .arg(heading)
                      .arg(papers.size());
    out += QStringLiteral("<details open><summary>\n\n### %1\n</summary>\n<p>\n\n").arg(heading);
    for (const Group &g : ordered) {
        out += QStringLiteral("<details open><summary><b>%1</b></summary>\n<p>").arg(htmlEscaped(g.name));
        writeTable(out, g.papers);
        out += QLatin1String("</p>\n</details>\n");
    }
    out += QLatin1String("</p>\n</details>\n");
    if (!ungrouped.isEmpty()) {
        out += QStringLiteral("\n### without %1\n").arg(heading);
        writeTable(out, ungrouped);
    }
    return out;
}

} // namespace paperlab
