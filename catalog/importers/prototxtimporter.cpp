// EfficientPaper library folders: meta/YEAR/KEY.prototxt (protobuf text format) with the
// note at notes/YEAR/KEY/note.md. Parsed with protobuf's own TextFormat so files that
// EfficientPaper's tools accept load unchanged here.

#include "importers.h"

#include "../textnormalize.h"
#include "../venue.h"
#include "paper.pb.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentMap>

namespace paperlab {
namespace {

// Collects protobuf's parse errors and warnings as Diagnostics with 1-based positions.
class DiagnosticCollector : public google::protobuf::io::ErrorCollector {
public:
    DiagnosticCollector(ImportBatch &batch, QString file) : m_batch(batch), m_file(std::move(file)) {}
    void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string &message) override
    {
        m_batch.error(m_file, line + 1, QString::fromStdString(message), column + 1);
        ++errors;
    }
    void AddWarning(int line, google::protobuf::io::ColumnNumber column, const std::string &message) override
    {
        m_batch.warn(m_file, line + 1, QString::fromStdString(message), column + 1);
    }
    int errors = 0;

private:
    ImportBatch &m_batch;
    QString m_file;
};

int lineOf(const QString &text, qsizetype offset)
{
    return int(text.left(offset).count(QLatin1Char('\n'))) + 1;
}

// Keyword words the schema does not know ("speculative_decoding") would fail the whole
// file in TextFormat. Blank them out (keeping every line and column where it was) and
// keep them as topics instead, with a warning.
QString extractUnknownKeywords(const QString &text, const QString &file, ImportBatch &batch, QStringList &unknownTopics)
{
    const auto *wordEnum = efficient_paper::Keyword::Word_descriptor();
    auto known = [wordEnum](const QString &w) { return wordEnum->FindValueByName(w.toStdString()) != nullptr; };
    QString out = text;
    auto report = [&](const QString &word, qsizetype at) {
        unknownTopics.append(word);
        batch.warn(file, lineOf(text, at),
                   QStringLiteral("keyword '%1' is not in the schema's Keyword.Word list; kept as a topic").arg(word));
    };
    static const QRegularExpression single(QStringLiteral(R"(\bwords\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,;]?)"));
    for (auto it = single.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        if (known(m.captured(1)))
            continue;
        report(m.captured(1), m.capturedStart(1));
        for (qsizetype i = m.capturedStart(0); i < m.capturedEnd(0); ++i)
            out[i] = QLatin1Char(' ');
    }
    static const QRegularExpression list(QStringLiteral(R"(\bwords\s*:\s*\[([^\]]*)\])"));
    for (auto it = list.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        QStringList keep;
        static const QRegularExpression sep(QStringLiteral(R"([\s,]+)"));
        for (const QString &w : m.captured(1).split(sep, Qt::SkipEmptyParts)) {
            if (known(w))
                keep.append(w);
            else
                report(w, m.capturedStart(1) + m.captured(1).indexOf(w));
        }
        // Rewrite in place, padded to the same length; newlines inside stay newlines.
        QString replacement = keep.isEmpty() ? QString() : QStringLiteral("words: [%1]").arg(keep.join(QStringLiteral(", ")));
        const QString original = m.captured(0);
        QString padded;
        for (qsizetype i = 0; i < original.size(); ++i) {
            if (original[i] == QLatin1Char('\n')) padded.append(QLatin1Char('\n'));
            else padded.append(i < replacement.size() ? replacement[i] : QLatin1Char(' '));
        }
        if (replacement.size() > original.size() - original.count(QLatin1Char('\n')))
            continue; // cannot happen: the kept list is never longer than the original
        out.replace(m.capturedStart(0), original.size(), padded);
    }
    return out;
}

QString resolveBeside(const QString &dir, const QString &path)
{
    if (path.isEmpty() || path.contains(QLatin1String("://")))
        return path;
    return QDir::cleanPath(QDir(dir).absoluteFilePath(path));
}

} // namespace

ImportBatch parsePrototxtFile(const QString &path, const QString &libraryRoot)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        ImportBatch batch;
        batch.error(path, 0, QStringLiteral("cannot read file: %1").arg(f.errorString()));
        return batch;
    }
    return parsePrototxt(QString::fromUtf8(f.readAll()), path, libraryRoot);
}

ImportBatch parsePrototxt(const QString &original, const QString &path, const QString &libraryRoot)
{
    ImportBatch batch;
    QStringList unknownTopics;
    const QString text = extractUnknownKeywords(original, path, batch, unknownTopics);

    efficient_paper::PaperInfo info;
    DiagnosticCollector collector(batch, path);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.AllowUnknownField(true);       // unknown fields: reported as warnings, file still loads
    parser.AllowUnknownExtension(true);
    const std::string utf8 = text.toStdString();
    if (!parser.ParseFromString(utf8, &info) || collector.errors > 0) {
        if (collector.errors == 0)
            batch.error(path, 0, QStringLiteral("not a valid PaperInfo text file"));
        return batch;   // the file is skipped; the rest of the import goes on
    }

    const QFileInfo fi(path);
    PaperRecord r;
    r.source = {QStringLiteral("efficientpaper"), path, 1};
    r.key = fi.completeBaseName();
    const auto &p = info.paper();
    r.title = simplifiedText(QString::fromStdString(p.title()));
    r.abbr = QString::fromStdString(p.abbr()).trimmed();
    r.paperUrl = QString::fromStdString(p.url()).trimmed();
    for (const auto &a : p.authors()) r.authors.append(QString::fromStdString(a).trimmed());
    for (const auto &i : p.institutions()) r.institutions.append(QString::fromStdString(i).trimmed());
    if (r.title.isEmpty())
        batch.warn(path, 1, QStringLiteral("paper has no title"));

    // pub.where defaults to "arXiv", as in EfficientPaper.
    const Venue v = normalizeVenue(QString::fromStdString(info.pub().where()));
    r.venue = v.name;
    r.venueRaw = info.has_venue_raw() ? QString::fromStdString(info.venue_raw()) : QString::fromStdString(info.pub().where());
    r.year = info.pub().has_year() ? info.pub().year() : v.year;
    // The folder name is the year EfficientPaper filed it under.
    if (r.year == 0) r.year = fi.dir().dirName().toInt();

    r.codeUrl = QString::fromStdString(info.code().url()).trimmed();
    r.arxivId = info.has_arxiv_id() ? QString::fromStdString(info.arxiv_id()) : arxivIdFrom(r.paperUrl);
    r.doi = doiFrom(r.paperUrl);
    for (const auto &l : info.links()) {
        const QString kind = QString::fromStdString(l.kind());
        const QString url = QString::fromStdString(l.url());
        if (kind == u"openreview") r.openReviewUrl = url;
        else if (kind == u"slides") r.slidesUrl = url;
        else if (kind == u"doi") r.doi = url;
        else batch.warn(path, 1, QStringLiteral("link kind '%1' is not known; ignored").arg(kind));
    }
    for (int w : info.keyword().words()) {
        const auto *value = efficient_paper::Keyword::Word_descriptor()->FindValueByNumber(w);
        if (value && value->name() != "none")
            r.topics.append(topicDisplayName(QString::fromStdString(value->name())));
    }
    for (const QString &t : unknownTopics) r.topics.append(topicDisplayName(t));
    for (const auto &t : info.topics()) r.topics.append(QString::fromStdString(t));
    for (const auto &h : info.highlights()) r.highlights.append(QString::fromStdString(h));
    if (info.has_reading()) {
        r.status = readingStatusFromName(QString::fromStdString(info.reading().status()));
        r.noteWritten = info.reading().note_written();
        r.slidesMade = info.reading().slides_made();
    }

    // Notes live at notes/YEAR/KEY/ beside meta/; a lone file looks beside itself.
    const QString noteDir = libraryRoot.isEmpty()
        ? fi.absolutePath()
        : QDir(libraryRoot).filePath(QStringLiteral("notes/%1/%2").arg(fi.dir().dirName(), r.key));
    if (info.has_cover() && !info.cover().url().empty())
        r.coverPath = resolveBeside(noteDir, QString::fromStdString(info.cover().url()));
    const QString noteName = QString::fromStdString(info.note().url());   // default "note.md"
    const QString notePath = resolveBeside(noteDir, noteName);
    if (QFile nf(notePath); nf.open(QIODevice::ReadOnly)) {
        r.notePath = QFileInfo(notePath).absoluteFilePath();
        r.noteMarkdown = QString::fromUtf8(nf.readAll());
    } else if (info.has_note()) {
        batch.warn(path, 1, QStringLiteral("note file %1 not found").arg(notePath));
    }
    batch.papers.append(r);
    return batch;
}

ImportBatch parseEfficientPaperFolder(const QString &root)
{
    ImportBatch batch;
    const QDir metaDir(QDir(root).filePath(QStringLiteral("meta")));
    if (!metaDir.exists()) {
        batch.error(root, 0, QStringLiteral("no meta/ folder: not an EfficientPaper library"));
        return batch;
    }
    QStringList files;
    QDirIterator it(metaDir.absolutePath(), {QStringLiteral("*.prototxt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) files.append(it.next());
    files.sort();   // stable order: same import, same ids
    // Files parse independently; on every core at once (the order of the results is kept).
    const QList<ImportBatch> parts = QtConcurrent::blockingMapped(
        files, [&root](const QString &file) { return parsePrototxtFile(file, root); });
    batch.papers.reserve(parts.size());
    for (const ImportBatch &one : parts) {
        batch.papers.append(one.papers);
        batch.diagnostics.append(one.diagnostics);
    }
    return batch;
}

} // namespace paperlab
