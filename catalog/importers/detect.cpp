// Format detection and the one entry point that reads any supported source.
// Text formats are told apart by counting the line shapes each one is made of, so a file
// that mixes shapes (the monthly list has "[x] ppt" sub-bullets) goes to its main shape.

#include "bibteximporter.h"
#include "importers.h"
#include "markdownlines.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace paperlab {
namespace {

// Only the head of a big file is looked at; the shapes show up early.
constexpr qint64 kSniffBytes = 64 * 1024;

int countMatches(const QStringList &lines, const QRegularExpression &re)
{
    int n = 0;
    for (const QString &l : lines)
        n += re.match(l).hasMatch();
    return n;
}

// Lines under topic headings that read as paper titles (short, no sentence end, not a
// bullet of links or a table) against lines of prose: a README with a few headings is not
// a topic list.
bool looksLikeTopicList(const QStringList &lines)
{
    static const QRegularExpression heading(QStringLiteral(R"(^#{2,6}\s+\S)"));
    static const QRegularExpression venueSuffix(QStringLiteral(R"(\s[-–—]\s+[A-Za-z]+'\d{2}\s*$)"));
    int headings = 0, titles = 0, prose = 0, withVenue = 0;
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        if (heading.match(t).hasMatch()) {
            ++headings;
            continue;
        }
        if (headings == 0 || t.isEmpty() || t.startsWith(QLatin1Char('#')))
            continue;
        const bool sentence = t.endsWith(QLatin1Char('.')) || t.endsWith(QChar(0x3002)) || t.size() > 200 ||
                              t.count(QLatin1Char(' ')) > 30;
        const bool markup = t.startsWith(QLatin1Char('|')) || t.startsWith(QLatin1Char('<')) ||
                            t.startsWith(QLatin1Char('>')) || t.startsWith(QLatin1String("```")) ||
                            t.startsWith(QLatin1String("!["));
        if (sentence || markup)
            ++prose;
        else if (t.size() >= 8) {
            ++titles;
            withVenue += venueSuffix.match(t).hasMatch();
        }
    }
    // One title is enough when it carries the list's "- VENUE'YY" suffix.
    return headings > 0 && (titles >= 2 || withVenue > 0) && titles > 2 * prose;
}

// Bullets, numbered items and table rows with a title link (a link whose text is words,
// not "pdf" or a badge), under headings.
int countAwesomeEntries(const QStringList &lines)
{
    static const QRegularExpression entry(
        QStringLiteral(R"(^\s*(?:[-*+]|\d+[.)]|\|)\s*.*?(?<!!)\[\**[^\]\[]{12,}\]\((?!#))"));
    static const QRegularExpression checkbox(QStringLiteral(R"(^\s*[-*+]\s+\[[ xX]?\]\s)"));
    int n = 0;
    for (const QString &l : lines)
        n += entry.match(l).hasMatch() && !checkbox.match(l).hasMatch();
    return n;
}

SourceFormat sniffText(const QString &text)
{
    const QStringList lines = md::splitLines(text);
    static const QRegularExpression bibEntry(QStringLiteral(R"(^\s*@[A-Za-z]+\s*\{)"));
    static const QRegularExpression readmeHeader(QStringLiteral(R"(^\|\s*Meta\s*\|\s*Title\s*\|)"),
                                                 QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression metaRow(QStringLiteral(R"(^\|\s*\[[^\]]*\]\(\.?/?meta/)"));
    // "### Title: X", "### Title：X", "### Title*: X", "Title: X", "- Title: X"
    static const QRegularExpression keypointTitle(QStringLiteral(R"(^\s*(?:#{1,4}\s*|[-*+]\s+)?Title\**\s*[:：])"),
                                                  QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keypointHeading(QStringLiteral(R"(^\s*#{1,4}\s*Title\**\s*[:：])"),
                                                    QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keypointField(
        QStringLiteral(R"(^\s*(?:Institution|Conference|Paper\s+Link|Paper\s+List|Source\s+Code)\s*[:：])"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression weeklyAuthors(QStringLiteral(R"(^\*\*Authors:\*\*)"));
    static const QRegularExpression weeklyLink(QStringLiteral(R"(^\*\*Link:\*\*)"));
    // "- **Title**. Author et.al. ..." with tags before the title ("**tag**", "`tag`") and
    // leading spaces allowed; a bold line alone is not enough (awesome lists bold titles too).
    static const QRegularExpression monthlyItem(
        QStringLiteral(
            R"(^\s{0,3}[-*+]\s+(?:(?:\*\*[^*]+\*\*|`[^`]+`)\s+)*\*\*(?:[^*]+\*\*\.|[^*]+.*(?:et\.?\s*al|\(\[(?:link|pdf)\]\()))"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression monthHeading(QStringLiteral(R"(^\s*>\s*\d{4}-\d{1,2}\s*$)"));
    static const QRegularExpression checkboxItem(QStringLiteral(R"(^[-*+]\s+\[[ xX]?\]\s+\S)"));
    static const QRegularExpression topicHeading(QStringLiteral(R"(^##\s+\S)"));

    if (countMatches(lines, bibEntry) > 0 && countMatches(lines, topicHeading) == 0)
        return SourceFormat::BibTeX;
    if (countMatches(lines, readmeHeader) > 0 || countMatches(lines, metaRow) > 0)
        return SourceFormat::ReadmeView;
    if (countMatches(lines, weeklyAuthors) > 0 && countMatches(lines, weeklyLink) > 0)
        return SourceFormat::WeeklyList;
    // A "### Title:" heading says it alone; a bare "Title:" line needs the fields beside it.
    if (countMatches(lines, keypointHeading) > 0 ||
        (countMatches(lines, keypointTitle) > 0 && countMatches(lines, keypointField) > 0))
        return SourceFormat::KeyPointNotes;
    const int monthly = countMatches(lines, monthlyItem) + countMatches(lines, monthHeading);
    const int checkbox = countMatches(lines, checkboxItem);
    const int awesome = countAwesomeEntries(lines);
    if (monthly > 0 && monthly >= checkbox && monthly >= awesome)
        return SourceFormat::MonthlyList;
    if (checkbox > 0 && checkbox >= awesome)
        return SourceFormat::CheckboxList;
    if (awesome >= 2 && countMatches(lines, topicHeading) > 0)
        return SourceFormat::AwesomeList;
    if (looksLikeTopicList(lines))
        return SourceFormat::TopicList;
    return SourceFormat::Unknown;
}

} // namespace

QString sourceFormatName(SourceFormat f)
{
    switch (f) {
    case SourceFormat::Unknown:
        return QStringLiteral("unknown");
    case SourceFormat::EfficientPaperFolder:
        return QStringLiteral("efficientpaper");
    case SourceFormat::PrototxtFile:
        return QStringLiteral("prototxt");
    case SourceFormat::ReadmeView:
        return QStringLiteral("readme-view");
    case SourceFormat::MonthlyList:
        return QStringLiteral("monthly-list");
    case SourceFormat::CheckboxList:
        return QStringLiteral("checkbox-list");
    case SourceFormat::KeyPointNotes:
        return QStringLiteral("keypoint-notes");
    case SourceFormat::TopicList:
        return QStringLiteral("topic-list");
    case SourceFormat::BibTeX:
        return QStringLiteral("bibtex");
    case SourceFormat::AwesomeList:
        return QStringLiteral("awesome-list");
    case SourceFormat::WeeklyList:
        return QStringLiteral("weekly-list");
    }
    return QStringLiteral("unknown");
}

QString recognisedFormatsHint()
{
    return QStringLiteral(
        "PaperLab reads: an EfficientPaper folder (meta/YEAR/KEY.prototxt), a .prototxt or .bib file, or a Markdown "
        "list "
        "whose papers look like one of: \"| [KEY](./meta/2024/KEY.prototxt) | [Title](url) |\" (README view), "
        "\"- **Title**. Author et.al. **Venue**, **2024**, ([link](url))\" (monthly list), "
        "\"- [x] [Title](url)\" (checkbox list), \"### Title: Title\" with Institution:/Conference: lines (key-point "
        "notes), "
        "\"## Topic\" headings over one title per line (topic list), "
        "\"- [ICML'24] [Title](url) [[Code](url)]\" under headings (awesome list), "
        "\"## Title\" with \"**Authors:** ...\" and \"**Link:** ...\" (EfficientPaper weekly view).");
}

SourceFormat detectFormat(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QFileInfo(QDir(path).filePath(QStringLiteral("meta"))).isDir() ? SourceFormat::EfficientPaperFolder
                                                                              : SourceFormat::Unknown;
    const QString suffix = info.suffix().toLower();
    if (suffix == u"prototxt")
        return SourceFormat::PrototxtFile;
    if (suffix == u"bib")
        return SourceFormat::BibTeX;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return SourceFormat::Unknown;
    return sniffText(QString::fromUtf8(f.read(kSniffBytes)));
}

ImportBatch parseSource(const QString &path, SourceFormat format, CancelFlag cancel)
{
    if (format == SourceFormat::Unknown)
        format = detectFormat(path);

    ImportBatch batch;
    switch (format) {
    case SourceFormat::EfficientPaperFolder:
        return parseEfficientPaperFolder(path, cancel);
    case SourceFormat::PrototxtFile:
        return parsePrototxtFile(path);
    case SourceFormat::Unknown:
        if (!QFileInfo::exists(path))
            batch.error(path, 0, QStringLiteral("no such file or folder"));
        else
            batch.error(path, 0, QStringLiteral("not a recognised paper list. %1").arg(recognisedFormatsHint()));
        return batch;
    default:
        break;
    }

    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        batch.error(path, 0, QStringLiteral("cannot read: %1").arg(f.errorString()));
        return batch;
    }
    const QString text = QString::fromUtf8(f.readAll());
    const QString baseDir = QFileInfo(path).absolutePath();
    switch (format) {
    case SourceFormat::ReadmeView:
        return parseReadmeView(text, path, baseDir, cancel);
    case SourceFormat::MonthlyList:
        return parseMonthlyList(text, path, cancel);
    case SourceFormat::CheckboxList:
        return parseCheckboxList(text, path, cancel);
    case SourceFormat::KeyPointNotes:
        return parseKeyPointNotes(text, path, baseDir, cancel);
    case SourceFormat::TopicList:
        return parseTopicList(text, path, cancel);
    case SourceFormat::BibTeX:
        return parseBibTeX(text, path, cancel);
    case SourceFormat::AwesomeList:
        return parseAwesomeList(text, path, cancel);
    case SourceFormat::WeeklyList:
        return parseWeeklyList(text, path, cancel);
    default:
        return batch;
    }
}

} // namespace paperlab
