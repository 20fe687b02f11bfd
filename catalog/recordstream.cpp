#include "recordstream.h"

#include "librarypaths.h"
#include "orderedparallelmap.h"
#include "recordjson.h"
#include "textnormalize.h"
#include "venue.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonDocument>

namespace paperlab {
namespace {

// Fills gaps the parser left: a venue from the raw string, "arXiv" for preprints, a year from the arXiv id.
PaperRecord completed(PaperRecord r)
{
    r.title = simplifiedText(r.title);
    if (r.arxivId.isEmpty())
        r.arxivId = arxivIdFrom(r.paperUrl);
    if (r.doi.isEmpty())
        r.doi = doiFrom(r.paperUrl);
    if (r.venue.isEmpty() && !r.venueRaw.isEmpty()) {
        const Venue v = normalizeVenue(r.venueRaw);
        r.venue = v.name;
        if (!r.year)
            r.year = v.year;
    }
    if (r.venue.isEmpty() && !r.arxivId.isEmpty())
        r.venue = QStringLiteral("arXiv");
    if (!r.year && !r.arxivId.isEmpty())
        r.year = 2000 + r.arxivId.left(2).toInt();
    // Only files that exist become the paper's note file or cover: a dangling link (a README
    // view without its notes/ folder) stays in provenance, and an edit then creates the
    // note in the library folder instead of beside a file that is not there.
    if (!r.notePath.isEmpty() && !QFileInfo(r.notePath).isFile())
        r.notePath.clear();
    if (!r.coverPath.isEmpty() && !r.coverPath.contains(QLatin1String("://")) && !QFileInfo(r.coverPath).isFile())
        r.coverPath.clear();
    return r;
}

// A note or cover a source names must lie inside the library it came from (or, for a
// single list file, the folder that file is in): a shared list cannot make PaperLab read
// or later overwrite "../../.bashrc". Refused paths are dropped with a warning; the paper
// still comes in. The EfficientPaper parser checks (with the line) and says so by setting
// libraryFolder; this catches every other format.
void confineToLibrary(PaperRecord &r, QList<Diagnostic> &diagnostics)
{
    if (r.source.format == u"manual")
        return; // typed in by the user, about his own files
    if (!r.libraryFolder.isEmpty())
        return;
    if (r.notePath.isEmpty() && (r.coverPath.isEmpty() || r.coverPath.contains(QLatin1String("://"))))
        return;
    const QString root = QFileInfo(r.source.file).absolutePath();
    auto check = [&](QString &path, const char *what) {
        if (path.isEmpty() || path.contains(QLatin1String("://")) || isInsideFolder(path, root))
            return;
        diagnostics.append({Diagnostic::Severity::Warning, r.source.file, r.source.line, 0,
                            QStringLiteral("%1 %2 lies outside the library folder %3; ignored")
                                .arg(QLatin1String(what), canonicalPathAllowingMissing(path), root)});
        path.clear();
    };
    check(r.notePath, "note file");
    check(r.coverPath, "cover");
}

// The record as provenance keeps it. A note that lives in its own file is kept as a hash
// (the file is the source; storing the text again would double the index for large libraries).
QString provenanceJson(const PaperRecord &r)
{
    if (r.notePath.isEmpty() || r.noteMarkdown.isEmpty())
        return QString::fromUtf8(QJsonDocument(recordToJson(r)).toJson(QJsonDocument::Compact));
    PaperRecord withoutNote = r;
    withoutNote.noteMarkdown.clear();
    QJsonObject o = recordToJson(withoutNote);
    o.insert(QLatin1String("note_sha1"),
             QString::fromLatin1(QCryptographicHash::hash(r.noteMarkdown.toUtf8(), QCryptographicHash::Sha1).toHex()));
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

PreparedRecord prepareRecord(PaperRecord record)
{
    PreparedRecord out;
    out.record = completed(std::move(record));
    confineToLibrary(out.record, out.diagnostics);
    out.provenance = provenanceJson(out.record);
    return out;
}

namespace {

// Below this many records a batch is prepared on the writer's thread as it goes: starting
// the pool costs more than it saves, and small imports (one list file) are most of them.
constexpr qsizetype kPrepareAheadRecords = 512;

class BatchStream final : public RecordStream {
public:
    explicit BatchStream(const ImportBatch &batch)
        : m_papers(batch.papers)
    {
        m_outcome.diagnostics = batch.diagnostics;
        m_outcome.skipped = batch.skipped;
        if (m_papers.size() >= kPrepareAheadRecords)
            m_prepared = std::make_unique<OrderedParallelMap<PreparedRecord>>(
                m_papers.size(), [this](qsizetype i) { return prepareRecord(m_papers[i]); });
    }
    qsizetype expectedRecords() const override { return m_papers.size(); }
    bool next(PreparedRecord &out) override
    {
        if (m_next >= m_papers.size())
            return false;
        const qsizetype i = m_next++;
        out = m_prepared ? m_prepared->takeNext() : prepareRecord(m_papers[i]);
        return true;
    }
    const ImportBatch &parseOutcome() const override { return m_outcome; }

private:
    const QList<PaperRecord> m_papers;
    ImportBatch m_outcome;
    std::unique_ptr<OrderedParallelMap<PreparedRecord>> m_prepared; // after m_papers: gone before it
    qsizetype m_next = 0;
};

// One file of a folder, parsed and prepared on a pool thread.
struct ParsedFile {
    QList<Diagnostic> diagnostics;
    int skipped = 0;
    QList<PreparedRecord> records;
};

class FolderStream final : public RecordStream {
public:
    FolderStream(const QString &root, CancelFlag cancel)
        : m_parser(root, cancel)
        , m_cancel(cancel)
    {
        m_outcome = m_parser.outcome();
        // The workers return an empty file once cancelled, so every index gets its result
        // and takeNext() never waits on one that will not come.
        m_files = std::make_unique<OrderedParallelMap<ParsedFile>>(m_parser.files().size(), [this](qsizetype i) {
            ParsedFile out;
            ImportBatch one = m_parser.parseFile(m_parser.files()[i]);
            out.diagnostics = std::move(one.diagnostics);
            out.skipped = one.skipped;
            out.records.reserve(one.papers.size());
            for (PaperRecord &r : one.papers)
                out.records.append(prepareRecord(std::move(r)));
            return out;
        });
    }
    qsizetype expectedRecords() const override { return m_parser.files().size(); }
    bool next(PreparedRecord &out) override
    {
        for (;;) {
            if (m_cancel && m_cancel->load(std::memory_order_relaxed))
                return false;
            if (m_inFile < m_current.records.size()) {
                out = std::move(m_current.records[m_inFile++]);
                return true;
            }
            if (m_nextFile >= m_parser.files().size())
                return false;
            m_current = m_files->takeNext();
            ++m_nextFile;
            m_inFile = 0;
            m_outcome.diagnostics.append(m_current.diagnostics);
            m_outcome.skipped += m_current.skipped;
        }
    }
    const ImportBatch &parseOutcome() const override { return m_outcome; }

private:
    EfficientPaperFolderParser m_parser;
    CancelFlag m_cancel;
    ImportBatch m_outcome;
    std::unique_ptr<OrderedParallelMap<ParsedFile>> m_files; // after m_parser: gone before it, as the workers read it
    ParsedFile m_current;
    qsizetype m_inFile = 0;
    qsizetype m_nextFile = 0;
};

} // namespace

std::unique_ptr<RecordStream> streamBatch(const ImportBatch &batch)
{
    return std::make_unique<BatchStream>(batch);
}

std::unique_ptr<RecordStream> streamSource(const QString &path, CancelFlag cancel)
{
    const SourceFormat format = detectFormat(path);
    if (format == SourceFormat::EfficientPaperFolder)
        return std::make_unique<FolderStream>(path, cancel);
    return streamBatch(parseSource(path, format, cancel));
}

} // namespace paperlab
