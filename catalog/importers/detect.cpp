// Format detection and the one entry point that reads any supported source.
// Text formats are told apart by counting the line shapes each one is made of, so a file
// that mixes shapes (the monthly list has "[x] ppt" sub-bullets) goes to its main shape.

#include "importers.h"
#include "bibteximporter.h"
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
    for (const QString &l : lines) n += re.match(l).hasMatch();
    return n;
}

SourceFormat sniffText(const QString &text)
{
    const QStringList lines = md::splitLines(text);
    static const QRegularExpression bibEntry(QStringLiteral(R"(^\s*@[A-Za-z]+\s*\{)"));
    static const QRegularExpression readmeHeader(QStringLiteral(R"(^\|\s*Meta\s*\|\s*Title\s*\|)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression metaRow(QStringLiteral(R"(^\|\s*\[[^\]]*\]\(\.?/?meta/)"));
    static const QRegularExpression keypointTitle(QStringLiteral(R"(^\s*#{1,4}\s*Title\s*:)"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression monthlyItem(QStringLiteral(R"(^[-*+]\s+\*\*[^*]+)"));
    static const QRegularExpression monthHeading(QStringLiteral(R"(^\s*>\s*\d{4}-\d{1,2}\s*$)"));
    static const QRegularExpression checkboxItem(QStringLiteral(R"(^[-*+]\s+\[[ xX]?\]\s+\S)"));
    static const QRegularExpression topicHeading(QStringLiteral(R"(^##\s+\S)"));

    if (countMatches(lines, bibEntry) > 0 && countMatches(lines, topicHeading) == 0)
        return SourceFormat::BibTeX;
    if (countMatches(lines, readmeHeader) > 0 || countMatches(lines, metaRow) > 0)
        return SourceFormat::ReadmeView;
    if (countMatches(lines, keypointTitle) > 0)
        return SourceFormat::KeyPointNotes;
    const int monthly = countMatches(lines, monthlyItem) + countMatches(lines, monthHeading);
    const int checkbox = countMatches(lines, checkboxItem);
    if (monthly > 0 && monthly >= checkbox)
        return SourceFormat::MonthlyList;
    if (checkbox > 0)
        return SourceFormat::CheckboxList;
    if (countMatches(lines, topicHeading) > 0)
        return SourceFormat::TopicList;
    return SourceFormat::Unknown;
}

} // namespace

QString sourceFormatName(SourceFormat f)
{
    switch (f) {
    case SourceFormat::Unknown: return QStringLiteral("unknown");
    case SourceFormat::EfficientPaperFolder: return QStringLiteral("efficientpaper");
    case SourceFormat::PrototxtFile: return QStringLiteral("prototxt");
    case SourceFormat::ReadmeView: return QStringLiteral("readme-view");
    case SourceFormat::MonthlyList: return QStringLiteral("monthly-list");
    case SourceFormat::CheckboxList: return QStringLiteral("checkbox-list");
    case SourceFormat::KeyPointNotes: return QStringLiteral("keypoint-notes");
    case SourceFormat::TopicList: return QStringLiteral("topic-list");
    case SourceFormat::BibTeX: return QStringLiteral("bibtex");
    }
    return QStringLiteral("unknown");
}

SourceFormat detectFormat(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QFileInfo(QDir(path).filePath(QStringLiteral("meta"))).isDir() ? SourceFormat::EfficientPaperFolder
                                                                             : SourceFormat::Unknown;
    const QString suffix = info.suffix().toLower();
    if (suffix == u"prototxt") return SourceFormat::PrototxtFile;
    if (suffix == u"bib") return SourceFormat::BibTeX;
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
    case SourceFormat::EfficientPaperFolder: return parseEfficientPaperFolder(path, cancel);
    case SourceFormat::PrototxtFile: return parsePrototxtFile(path);
    case SourceFormat::Unknown:
        if (!QFileInfo::exists(path))
            batch.error(path, 0, QStringLiteral("no such file or folder"));
        else
            batch.error(path, 0, QStringLiteral("could not recognise the format of this source"));
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
    case SourceFormat::ReadmeView: return parseReadmeView(text, path, baseDir, cancel);
    case SourceFormat::MonthlyList: return parseMonthlyList(text, path, cancel);
    case SourceFormat::CheckboxList: return parseCheckboxList(text, path, cancel);
    case SourceFormat::KeyPointNotes: return parseKeyPointNotes(text, path, baseDir, cancel);
    case SourceFormat::TopicList: return parseTopicList(text, path, cancel);
    case SourceFormat::BibTeX: return parseBibTeX(text, path, cancel);
    default: return batch;
    }
}

} // namespace paperlab
