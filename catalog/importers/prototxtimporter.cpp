// EfficientPaper library folders: meta/YEAR/KEY.prototxt (protobuf text format) with the
// note at notes/YEAR/KEY/note.md. Parsed with protobuf's own TextFormat so files that
// EfficientPaper's tools accept load unchanged here.

#include "importers.h"
#include "lineindex.h"
#include "markdownlines.h"

#include "../librarypaths.h"
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

// Keyword words the schema does not know ("speculative_decoding") would fail the whole
// file in TextFormat. Blank them out (keeping every line and column where it was) and
// keep them as topics instead, with a warning.
QString extractUnknownKeywords(const QString &text, const QString &file, ImportBatch &batch, QStringList &unknownTopics)
{
    const auto *wordEnum = efficient_paper::Keyword::Word_descriptor();
    auto known = [wordEnum](const QString &w) { return wordEnum->FindValueByName(w.toStdString()) != nullptr; };
    QString out = text;
    const LineIndex lines(text);
    auto report = [&](const QString &word, qsizetype at) {
        unknownTopics.append(word);
        batch.warn(file, lines.line(at),
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
        const QString words = m.captured(1);
        qsizetype from = 0;   // each word is found after the one before: searching from the start was quadratic
        for (const QString &w : words.split(sep, Qt::SkipEmptyParts)) {
            const qsizetype at = words.indexOf(w, from);
            from = at + w.size();
            if (known(w))
                keep.append(w);
            else
                report(w, m.capturedStart(1) + at);
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

// The line of a `NAME {` block in the file, for warnings about what it holds.
int blockLine(const QString &text, const char *name)
{
    const QRegularExpression re(QStringLiteral("\\b%1\\s*\\{").arg(QLatin1String(name)));
    const auto m = re.match(text);
    return m.hasMatch() ? LineIndex(text).line(m.capturedStart()) : 1;   // once per file: linear
}

// A note or cover url, resolved as EfficientPaper's generator does: beside the paper's own
// notes/YEAR/KEY/ folder first, then notes/YEAR/ and notes/. Only files inside the library
// are accepted; a url leaving it (.., absolute, symlink) is refused with a warning.
struct Resolved {
    QString path;        // the first candidate that exists, else the paper's own folder's
    bool refused = false;
};

Resolved resolveLibraryFile(const QStringList &baseDirs, const QString &root, const QString &url, const QString &file,
                            int line, const char *what, ImportBatch &batch)
{
    Resolved out;
    if (url.contains(QLatin1String("://"))) {
        out.path = url;
        return out;
    }
    for (const QString &base : baseDirs) {
        const LibraryPath p = resolveInsideLibrary(root, base, url);
        if (p.refused()) {
            batch.warn(file, line, QStringLiteral("%1 url %2").arg(QLatin1String(what), p.refusal));
            out = {};
            out.refused = true;
            return out;
        }
        if (out.path.isEmpty()) out.path = p.path;
        if (QFileInfo(p.path).isFile()) {
            out.path = p.path;
            break;
        }
    }
    return out;
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

    // Notes live at notes/YEAR/KEY/ beside meta/; a lone file looks beside itself, and may
    // name nothing outside its own folder.
    const QString year = fi.dir().dirName();
    QStringList baseDirs;
    QString root;
    if (libraryRoot.isEmpty()) {
        root = fi.absolutePath();
        baseDirs = {root};
    } else {
        root = canonicalPathAllowingMissing(libraryRoot);
        r.libraryFolder = root;
        const QDir notes(QDir(root).filePath(QStringLiteral("notes")));
        baseDirs = {notes.filePath(QStringLiteral("%1/%2").arg(year, r.key)), notes.filePath(year), notes.path()};
    }
    if (info.has_cover() && !info.cover().url().empty()) {
        const Resolved cover = resolveLibraryFile(baseDirs, root, QString::fromStdString(info.cover().url()), path,
                                                  blockLine(original, "cover"), "cover", batch);
        r.coverPath = cover.path;
    }
    const QString noteName = QString::fromStdString(info.note().url());   // default "note.md"
    if (!noteName.isEmpty()) {
        const Resolved note = resolveLibraryFile(baseDirs, root, noteName, path, blockLine(original, "note"), "note", batch);
        if (QFile nf(note.path); !note.refused && !note.path.isEmpty() && nf.open(QIODevice::ReadOnly)) {
            r.notePath = note.path;
            r.noteMarkdown = QString::fromUtf8(nf.readAll());
        } else if (!note.refused && info.has_note()) {
            batch.warn(path, blockLine(original, "note"), QStringLiteral("note file %1 not found").arg(note.path));
        }
    }
    batch.papers.append(r);
    return batch;
}

ImportBatch parseEfficientPaperFolder(const QString &root, CancelFlag cancel)
{
    ImportBatch batch;
    const QDir metaDir(QDir(root).filePath(QStringLiteral("meta")));
    if (!metaDir.exists()) {
        batch.error(root, 0, QStringLiteral("no meta/ folder: not an EfficientPaper library"));
        return batch;
    }
    QStringList files;
    QDirIterator it(metaDir.absolutePath(), {QStringLiteral("*.prototxt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext() && !md::cancelRequested(cancel)) files.append(it.next());
    files.sort();   // stable order: same import, same ids
    // Files parse independently; on every core at once (the order of the results is kept).
    const QList<ImportBatch> parts = QtConcurrent::blockingMapped(
        files, [&root, cancel](const QString &file) {
            // Once cancelled, the files not started yet are skipped.
            return md::cancelRequested(cancel) ? ImportBatch{} : parsePrototxtFile(file, root);
        });
    if (md::cancelRequested(cancel))
        return batch;
    batch.papers.reserve(parts.size());
    for (const ImportBatch &one : parts) {
        batch.papers.append(one.papers);
        batch.diagnostics.append(one.diagnostics);
    }
    return batch;
}

} // namespace paperlab
