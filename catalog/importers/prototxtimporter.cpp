// EfficientPaper library folders: meta/YEAR/KEY.prototxt (protobuf text format) with the
// note at notes/YEAR/KEY/note.md. Parsed with protobuf's own TextFormat so files that
// EfficientPaper's tools accept load unchanged here.

#include "../claimproto.h"
#include "../librarypaths.h"
#include "../openedlibraryroot.h"
#include "../textnormalize.h"
#include "../venue.h"
#include "importers.h"
#include "libraryschema.h"
#include "lineindex.h"
#include "markdownlines.h"
#include "paper.pb.h"
#include "textformatfields.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <functional>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <optional>

namespace paperlab {
namespace {

namespace pb = google::protobuf;

// Collects protobuf's parse errors and warnings as Diagnostics with 1-based positions.
// Warnings about top-level fields the importer keeps as they are (see keepUnknownFields) are
// left out: nothing of them is lost.
class DiagnosticCollector : public pb::io::ErrorCollector {
public:
    DiagnosticCollector(ImportBatch &batch, QString file, QSet<int> keptLines)
        : m_batch(batch)
        , m_file(std::move(file))
        , m_keptLines(std::move(keptLines))
    {}
    void AddError(int line, pb::io::ColumnNumber column, const std::string &message) override
    {
        m_batch.error(m_file, line + 1, QString::fromStdString(message), column + 1);
        ++errors;
    }
    void AddWarning(int line, pb::io::ColumnNumber column, const std::string &message) override
    {
        if (m_keptLines.contains(line + 1) && message.find("has no field named") != std::string::npos)
            return;
        m_batch.warn(m_file, line + 1, QString::fromStdString(message), column + 1);
    }
    int errors = 0;

private:
    ImportBatch &m_batch;
    QString m_file;
    QSet<int> m_keptLines;
};

// The enum Keyword.words uses in `schema`, or null when the schema has none.
const pb::EnumDescriptor *keywordEnum(const pb::Descriptor *info)
{
    const pb::FieldDescriptor *keyword = info->FindFieldByName("keyword");
    if (!keyword || !keyword->message_type())
        return nullptr;
    const pb::FieldDescriptor *words = keyword->message_type()->FindFieldByName("words");
    return words ? words->enum_type() : nullptr;
}

// Keyword words the schema does not know ("speculative_decoding") would fail the whole
// file in TextFormat. Blank them out (keeping every line and column where it was) and
// keep them as topics instead, with a warning.
QString extractUnknownKeywords(const QString &text, const QString &file, const pb::EnumDescriptor *wordEnum,
                               ImportBatch &batch, QStringList &unknownTopics)
{
    if (!wordEnum)
        return text;
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
        qsizetype from = 0; // each word is found after the one before: searching from the start was quadratic
        for (const QString &w : words.split(sep, Qt::SkipEmptyParts)) {
            const qsizetype at = words.indexOf(w, from);
            from = at + w.size();
            if (known(w))
                keep.append(w);
            else
                report(w, m.capturedStart(1) + at);
        }
        // Rewrite in place, padded to the same length; newlines inside stay newlines.
        QString replacement =
            keep.isEmpty() ? QString() : QStringLiteral("words: [%1]").arg(keep.join(QStringLiteral(", ")));
        const QString original = m.captured(0);
        QString padded;
        for (qsizetype i = 0; i < original.size(); ++i) {
            if (original[i] == QLatin1Char('\n'))
                padded.append(QLatin1Char('\n'));
            else
                padded.append(i < replacement.size() ? replacement[i] : QLatin1Char(' '));
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
    return m.hasMatch() ? LineIndex(text).line(m.capturedStart()) : 1; // once per file: linear
}

// A note or cover url, resolved as EfficientPaper's generator (scripts/generate_paper_list.py)
// does: notes/URL, then notes/YEAR/URL, then notes/YEAR/KEY/URL, the first that exists. Only files inside the library
// are accepted; a url leaving it (.., absolute, symlink) is refused with a warning.
struct Resolved {
    QString path; // the first candidate that exists, else the last one
    bool refused = false;
    OpenedLibraryRoot::File file; // `path` opened already, when the fast path found it
};

// The file `url` names below `base` when letter case is ignored ("sparsevit/index.md" for
// SparseViT/index.md), or empty: a library written on a case-insensitive disk (macOS, where
// EfficientPaper's generator finds it) spells some of its urls so.
QString existingIgnoringCase(const QString &base, const QString &url)
{
    QDir dir(base);
    const QStringList parts = QDir::cleanPath(url).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts[i] == u"..")
            return {};
        const QStringList entries = dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        const auto it = std::find_if(entries.cbegin(), entries.cend(),
                                     [&](const QString &e) { return e.compare(parts[i], Qt::CaseInsensitive) == 0; });
        if (it == entries.cend())
            return {};
        if (i == parts.size() - 1)
            return QFileInfo(dir.filePath(*it)).isFile() ? dir.filePath(*it) : QString();
        if (!dir.cd(*it))
            return {};
    }
    return {};
}

// `root` is canonical already (one canonicalization per file, not per candidate folder).
// `line` is asked for only when there is something to warn about (it searches the file).
Resolved resolveLibraryFile(const QStringList &baseDirs, const QString &root, const QString &url, const QString &file,
                            const std::function<int()> &line, const char *what, ImportBatch &batch,
                            const OpenedLibraryRoot *opened)
{
    Resolved out;
    if (url.contains(QLatin1String("://"))) {
        out.path = url;
        return out;
    }
    // A plain relative url (no "..") cannot leave the library by its spelling: a candidate
    // that is not there is passed over with one stat, and only the one found (or the last)
    // is canonicalized (a readlink per path component, the most of a parse's system calls).
    const QString clean = QDir::cleanPath(url);
    const bool plain = !QDir::isAbsolutePath(url) && !clean.split(QLatin1Char('/')).contains(u"..");
    // Faster still in an import: each candidate is opened beneath the library's descriptor
    // with no symlink allowed (openedlibraryroot.h); the first that is a regular file is the
    // answer, and anything the call cannot settle goes the general way below, from the start.
    if (opened && plain && root == opened->canonicalPath()) {
        const QString prefix = root + QLatin1Char('/');
        for (qsizetype i = 0; i < baseDirs.size(); ++i) {
            if (!baseDirs[i].startsWith(prefix))
                break;
            const QString relative = QDir::cleanPath(baseDirs[i].mid(prefix.size()) + QLatin1Char('/') + clean);
            const auto answer = opened->open(relative, &out.file);
            if (answer == OpenedLibraryRoot::Answer::RegularFile) {
                out.path = prefix + relative;
                return out;
            }
            // A missing last candidate is named as the general path names it.
            if (answer != OpenedLibraryRoot::Answer::Missing || i + 1 == baseDirs.size())
                break;
        }
    }
    for (qsizetype i = 0; i < baseDirs.size(); ++i) {
        const QString &base = baseDirs[i];
        if (plain && i + 1 < baseDirs.size() && !QFileInfo(QDir(base).filePath(url)).isFile())
            continue;
        const LibraryPath p = resolveInsideCanonicalLibrary(root, base, url);
        if (p.refused()) {
            batch.warn(file, line(), QStringLiteral("%1 url %2").arg(QLatin1String(what), p.refusal));
            out = {};
            out.refused = true;
            return out;
        }
        // When none exists, the last candidate (the paper's own notes/YEAR/KEY/) is named.
        out.path = p.path;
        if (QFileInfo(p.path).isFile())
            return out;
    }
    for (const QString &base : baseDirs) {
        const QString found = existingIgnoringCase(base, url);
        if (found.isEmpty())
            continue;
        const LibraryPath p = resolveInsideLibrary(root, base, QDir(base).relativeFilePath(found));
        if (!p.refused())
            out.path = p.path;
        return out;
    }
    return out;
}

// Reading a PaperInfo through reflection, so PaperLab's compiled schema and a library's own
// (a dynamic message) are read by the same code. A field the schema lacks reads as empty.
const pb::FieldDescriptor *fieldOf(const pb::Message &m, const char *name)
{
    return m.GetDescriptor()->FindFieldByName(name);
}

bool hasField(const pb::Message &m, const char *name)
{
    const pb::FieldDescriptor *f = fieldOf(m, name);
    if (!f)
        return false;
    return f->is_repeated() ? m.GetReflection()->FieldSize(m, f) > 0 : m.GetReflection()->HasField(m, f);
}

// A singular sub-message (its defaults when unset), or null when the schema has no such field.
const pb::Message *messageOf(const pb::Message &m, const char *name)
{
    const pb::FieldDescriptor *f = fieldOf(m, name);
    if (!f || f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
        return nullptr;
    return &m.GetReflection()->GetMessage(m, f);
}

QString stringOf(const pb::Message *m, const char *name)
{
    const pb::FieldDescriptor *f = m ? fieldOf(*m, name) : nullptr;
    if (!f || f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING)
        return {};
    return QString::fromStdString(m->GetReflection()->GetString(*m, f));
}

QStringList stringsOf(const pb::Message *m, const char *name)
{
    QStringList out;
    const pb::FieldDescriptor *f = m ? fieldOf(*m, name) : nullptr;
    if (!f || !f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING)
        return out;
    const pb::Reflection *refl = m->GetReflection();
    for (int i = 0; i < refl->FieldSize(*m, f); ++i)
        out.append(QString::fromStdString(refl->GetRepeatedString(*m, f, i)));
    return out;
}

qint64 integerOf(const pb::Message *m, const char *name)
{
    const pb::FieldDescriptor *f = m ? fieldOf(*m, name) : nullptr;
    if (!f || f->is_repeated())
        return 0;
    const pb::Reflection *refl = m->GetReflection();
    switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
        return refl->GetInt32(*m, f);
    case pb::FieldDescriptor::CPPTYPE_INT64:
        return refl->GetInt64(*m, f);
    case pb::FieldDescriptor::CPPTYPE_UINT32:
        return refl->GetUInt32(*m, f);
    case pb::FieldDescriptor::CPPTYPE_UINT64:
        return qint64(refl->GetUInt64(*m, f));
    default:
        return 0;
    }
}

bool boolOf(const pb::Message *m, const char *name)
{
    const pb::FieldDescriptor *f = m ? fieldOf(*m, name) : nullptr;
    return f && !f->is_repeated() && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_BOOL &&
           m->GetReflection()->GetBool(*m, f);
}

QStringList enumNamesOf(const pb::Message *m, const char *name)
{
    QStringList out;
    const pb::FieldDescriptor *f = m ? fieldOf(*m, name) : nullptr;
    if (!f || !f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_ENUM)
        return out;
    const pb::Reflection *refl = m->GetReflection();
    for (int i = 0; i < refl->FieldSize(*m, f); ++i)
        out.append(QString::fromStdString(refl->GetRepeatedEnum(*m, f, i)->name()));
    return out;
}

// The fields of one level of `text` (from..to) that `type`, PaperLab's own schema, has no
// place for, as the file wrote them: a field a newer EfficientPaper or a fork added, at the
// top level or inside paper {}, pub {}... Those inside a block come back wrapped in it
// (`paper {\n  venue_url: "..."\n}`), one wrapper per block, so an export can put them
// back where they were. The lines they start on go to `lines`.
QString keptFieldsOfLevel(const QString &text, qsizetype from, qsizetype to, const pb::Descriptor *type,
                          const LineIndex &index, QSet<int> &lines)
{
    const QString level = text.mid(from, to - from);
    QStringList parts;
    for (const TextField &f : textFormatFields(level)) {
        const pb::FieldDescriptor *known = type->FindFieldByName(f.name.toStdString());
        if (known && known->message_type() && !known->is_repeated() && f.isBlock()) {
            const QString inner =
                keptFieldsOfLevel(text, from + f.open + 1, from + f.close, known->message_type(), index, lines);
            if (!inner.isEmpty()) {
                QString wrapped = f.name + QLatin1String(" {\n");
                for (const QString &line : inner.split(QLatin1Char('\n')))
                    wrapped += QLatin1String("  ") + line + QLatin1Char('\n');
                parts.append(wrapped + QLatin1Char('}'));
            }
            continue;
        }
        if (known)
            continue;
        const qsizetype at = from + f.start;
        const qsizetype column = index.column(at) - 1; // not by searching back: one long line stays linear
        parts.append(dedentField(level.mid(f.start, f.end - f.start).trimmed(), column));
        lines.insert(index.line(at));
    }
    return parts.join(QLatin1Char('\n'));
}

QSet<int> keepUnknownFields(const QString &text, QString &kept)
{
    QSet<int> lines;
    const LineIndex index(text);
    kept = keptFieldsOfLevel(text, 0, text.size(), efficient_paper::PaperInfo::descriptor(), index, lines);
    return lines;
}

// The fields PaperLab reads as "nothing here" or keeps no column for, as the file set them
// (`abbr: ""`, `code { type: "Pytorch" }`, `note { url: "spdy/index.md" }`,
// `baseline { methods: "None" }`), and strings PaperLab reads otherwise than they are
// spelled (`url: " https://..."` read trimmed), in PaperLab's schema's text format: the
// exporter writes them back where the paper has nothing newer to say.
QString fieldsPaperLabReadsAsNothing(const pb::Message &info)
{
    efficient_paper::PaperInfo w;
    auto setEmpty = [](const pb::Message *m, const char *name, const std::function<void()> &set) {
        if (m && hasField(*m, name) && stringOf(m, name).trimmed().isEmpty())
            set();
    };
    // `read` is how the importer reads the field: a spelling it changes is kept as written.
    auto keepSpelling = [](const pb::Message *m, const char *name, QString (*read)(const QString &),
                           const std::function<void(const std::string &)> &set) {
        if (!m || !hasField(*m, name))
            return;
        const QString raw = stringOf(m, name);
        if (read(raw).isEmpty() || read(raw) != raw)
            set(raw.toStdString());
    };
    const pb::Message *paper = hasField(info, "paper") ? messageOf(info, "paper") : nullptr;
    keepSpelling(paper, "title", simplifiedText, [&w](const std::string &s) { w.mutable_paper()->set_title(s); });
    keepSpelling(paper, "abbr", trimmedText, [&w](const std::string &s) { w.mutable_paper()->set_abbr(s); });
    keepSpelling(paper, "url", trimmedText, [&w](const std::string &s) { w.mutable_paper()->set_url(s); });
    // Authors and institutions as spelled, twice where the library names two people alike
    // ("Chen Li", "Chen Li"): the index keeps each name once, in one spelling.
    for (const QString &a : stringsOf(paper, "authors"))
        w.mutable_paper()->add_authors(a.toStdString());
    for (const QString &i : stringsOf(paper, "institutions"))
        w.mutable_paper()->add_institutions(i.toStdString());
    if (const pb::Message *pub = hasField(info, "pub") ? messageOf(info, "pub") : nullptr)
        setEmpty(pub, "where", [&w] { w.mutable_pub()->set_where(""); });
    if (const pb::Message *code = hasField(info, "code") ? messageOf(info, "code") : nullptr) {
        if (hasField(*code, "type"))
            w.mutable_code()->set_type(stringOf(code, "type").toStdString());
        keepSpelling(code, "url", trimmedText, [&w](const std::string &s) { w.mutable_code()->set_url(s); });
    }
    if (const pb::Message *note = hasField(info, "note") ? messageOf(info, "note") : nullptr;
        note && hasField(*note, "url"))
        w.mutable_note()->set_url(stringOf(note, "url").toStdString());
    if (const pb::Message *cover = hasField(info, "cover") ? messageOf(info, "cover") : nullptr;
        cover && hasField(*cover, "url"))
        w.mutable_cover()->set_url(stringOf(cover, "url").toStdString());
    const QStringList methods =
        stringsOf(hasField(info, "baseline") ? messageOf(info, "baseline") : nullptr, "methods");
    const bool onlyNone = std::all_of(methods.cbegin(), methods.cend(), [](const QString &m) {
        return m.trimmed().isEmpty() || m.trimmed().compare(u"None", Qt::CaseInsensitive) == 0;
    });
    if (hasField(info, "baseline") && onlyNone) {
        w.mutable_baseline();
        for (const QString &m : methods)
            w.mutable_baseline()->add_methods(m.toStdString());
    }
    std::string out;
    pb::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(w, &out);
    return QString::fromStdString(out);
}

} // namespace

ImportBatch parsePrototxtWith(const QString &original, const QString &path, const QString &libraryRoot,
                              const LibrarySchema &schema, const OpenedLibraryRoot *opened)
{
    ImportBatch batch;
    QStringList unknownTopics;
    const pb::Descriptor *infoType = schema.prototype().GetDescriptor();
    const QString text = extractUnknownKeywords(original, path, keywordEnum(infoType), batch, unknownTopics);

    PaperRecord r;
    const QSet<int> keptLines = keepUnknownFields(text, r.extraFields);
    std::unique_ptr<pb::Message> info(schema.prototype().New());
    DiagnosticCollector collector(batch, path, keptLines);
    pb::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.AllowUnknownField(true); // unknown fields: kept (top level) or reported, the file still loads
    parser.AllowUnknownExtension(true);
    const std::string utf8 = text.toStdString();
    if (!parser.ParseFromString(utf8, info.get()) || collector.errors > 0) {
        if (collector.errors == 0)
            batch.error(path, 0, QStringLiteral("not a valid PaperInfo text file"));
        return batch; // the file is skipped; the rest of the import goes on
    }

    const QFileInfo fi(path);
    r.source = {QStringLiteral("efficientpaper"), path, 1};
    r.key = fi.completeBaseName();
    const pb::Message *paper = messageOf(*info, "paper");
    r.title = simplifiedText(stringOf(paper, "title"));
    r.abbr = stringOf(paper, "abbr").trimmed();
    r.paperUrl = stringOf(paper, "url").trimmed();
    for (const QString &a : stringsOf(paper, "authors"))
        r.authors.append(a.trimmed());
    for (const QString &i : stringsOf(paper, "institutions"))
        r.institutions.append(i.trimmed());
    if (r.title.isEmpty())
        batch.warn(path, 1, QStringLiteral("paper has no title"));

    // pub.where defaults to "arXiv", as in EfficientPaper.
    const pb::Message *pub = messageOf(*info, "pub");
    const QString where = pub ? stringOf(pub, "where") : QStringLiteral("arXiv");
    const Venue v = normalizeVenue(where);
    r.venue = v.name;
    r.venueRaw = hasField(*info, "venue_raw") ? stringOf(info.get(), "venue_raw") : where;
    r.year = pub && hasField(*pub, "year") ? int(integerOf(pub, "year")) : v.year;
    // The folder name is the year EfficientPaper filed it under.
    if (r.year == 0)
        r.year = fi.dir().dirName().toInt();

    r.codeUrl = stringOf(messageOf(*info, "code"), "url").trimmed();
    r.arxivId = hasField(*info, "arxiv_id") ? stringOf(info.get(), "arxiv_id") : arxivIdFrom(r.paperUrl);
    r.doi = doiFrom(r.paperUrl);
    if (const pb::FieldDescriptor *links = fieldOf(*info, "links");
        links && links->is_repeated() && links->message_type()) {
        const pb::Reflection *refl = info->GetReflection();
        for (int i = 0; i < refl->FieldSize(*info, links); ++i) {
            const pb::Message &l = refl->GetRepeatedMessage(*info, links, i);
            const QString kind = stringOf(&l, "kind");
            const QString url = stringOf(&l, "url");
            if (kind == u"openreview")
                r.openReviewUrl = url;
            else if (kind == u"slides")
                r.slidesUrl = url;
            else if (kind == u"doi")
                r.doi = url;
            else
                batch.warn(path, 1, QStringLiteral("link kind '%1' is not known; ignored").arg(kind));
        }
    }
    r.keywordWords = enumNamesOf(messageOf(*info, "keyword"), "words") + unknownTopics;
    for (const QString &w : std::as_const(r.keywordWords))
        if (w != u"none")
            r.topics.append(topicDisplayName(w));
    r.topics.append(stringsOf(info.get(), "topics"));
    r.highlights = stringsOf(info.get(), "highlights");
    if (hasField(*info, "reading")) {
        const pb::Message *reading = messageOf(*info, "reading");
        r.status = readingStatusFromName(stringOf(reading, "status"));
        r.noteWritten = boolOf(reading, "note_written");
        r.slidesMade = boolOf(reading, "slides_made");
    }
    // "None" is how EfficientPaper's template says a paper has no baseline.
    for (const QString &m : stringsOf(messageOf(*info, "baseline"), "methods"))
        if (!m.trimmed().isEmpty() && m.trimmed().compare(u"None", Qt::CaseInsensitive) != 0)
            r.baselineMethods.append(m.trimmed());
    r.fieldsAsWritten = fieldsPaperLabReadsAsNothing(*info);
    r.rating = int(std::clamp<qint64>(integerOf(info.get(), "rating"), 0, 5));
    r.updateTime = integerOf(info.get(), "update_time");
    r.claims = claimsFromPaperInfo(*info, original, path, batch);

    // Notes live under notes/ beside meta/; a lone file looks beside itself, and may name
    // nothing outside its own folder.
    const QString year = fi.dir().dirName();
    QStringList baseDirs;
    QString root;
    if (libraryRoot.isEmpty()) {
        root = canonicalPathAllowingMissing(fi.absolutePath());
        baseDirs = {root};
    } else {
        // An import opens the library once; a lone call canonicalizes it here.
        root = opened ? opened->canonicalPath() : canonicalPathAllowingMissing(libraryRoot);
        r.libraryFolder = root;
        const QDir notes(QDir(root).filePath(QStringLiteral("notes")));
        baseDirs = {notes.path(), notes.filePath(year), notes.filePath(QStringLiteral("%1/%2").arg(year, r.key))};
    }
    const QString coverUrl = stringOf(messageOf(*info, "cover"), "url").trimmed();
    if (!coverUrl.isEmpty()) {
        const Resolved cover = resolveLibraryFile(
            baseDirs, root, coverUrl, path, [&] { return blockLine(original, "cover"); }, "cover", batch, opened);
        r.coverPath = cover.path;
    }
    // An empty url is how EfficientPaper says "no note"; an unset one means note.md.
    const QString noteName = stringOf(messageOf(*info, "note"), "url").trimmed();
    if (!noteName.isEmpty()) {
        Resolved note = resolveLibraryFile(
            baseDirs, root, noteName, path, [&] { return blockLine(original, "note"); }, "note", batch, opened);
        QFile nf(note.path);
        const bool readable = note.file.isOpen()
                                  ? nf.open(note.file.release(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)
                                  // Only a regular file: opening a FIFO named note.md would wait for a writer forever.
                                  : !note.refused && !note.path.isEmpty() && QFileInfo(note.path).isFile() &&
                                        nf.open(QIODevice::ReadOnly);
        if (readable) {
            r.notePath = note.path;
            r.noteMarkdown = QString::fromUtf8(nf.readAll());
        } else if (!note.refused && hasField(*info, "note")) {
            batch.warn(path, blockLine(original, "note"), QStringLiteral("note file %1 not found").arg(note.path));
        }
    }
    batch.papers.append(r);
    return batch;
}

namespace {

// meta/YEAR/KEY.prototxt (PaperLab's exporter files a paper without a year under
// meta/unknown/): other folders under meta/ hold the library's settings (EfficientPaper's
// meta/search/ has its search words and reference lists), not papers.
bool isPaperFile(const QDir &metaDir, const QString &file)
{
    const QString rel = metaDir.relativeFilePath(file);
    const QStringList parts = rel.split(QLatin1Char('/'));
    if (parts.size() != 2)
        return false;
    static const QRegularExpression year(QStringLiteral("^\\d{4}$"));
    return year.match(parts.first()).hasMatch() || parts.first() == u"unknown";
}

} // namespace

ImportBatch parsePrototxtFile(const QString &path, const QString &libraryRoot)
{
    ImportBatch batch;
    const auto schema = LibrarySchema::forLibrary(libraryRoot, batch);
    ImportBatch one = parsePrototxtFileWith(path, libraryRoot, *schema);
    batch.papers.append(one.papers);
    batch.diagnostics.append(one.diagnostics);
    return batch;
}

ImportBatch parsePrototxtFileWith(const QString &path, const QString &libraryRoot, const LibrarySchema &schema,
                                  const OpenedLibraryRoot *opened)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        ImportBatch batch;
        batch.error(path, 0, QStringLiteral("cannot read file: %1").arg(f.errorString()));
        return batch;
    }
    return parsePrototxtWith(QString::fromUtf8(f.readAll()), path, libraryRoot, schema, opened);
}

ImportBatch parsePrototxt(const QString &text, const QString &path, const QString &libraryRoot)
{
    const LibrarySchema builtIn;
    return parsePrototxtWith(text, path, libraryRoot, builtIn);
}

EfficientPaperFolderParser::EfficientPaperFolderParser(const QString &root, CancelFlag cancel)
    : m_root(root)
    , m_cancel(cancel)
{
    const QDir metaDir(QDir(root).filePath(QStringLiteral("meta")));
    if (!metaDir.exists()) {
        m_outcome.error(root, 0, QStringLiteral("no meta/ folder: not an EfficientPaper library"));
        return;
    }
    m_schema = LibrarySchema::forLibrary(root, m_outcome);
    m_opened = std::make_unique<OpenedLibraryRoot>(root);
    QDirIterator it(metaDir.absolutePath(), {QStringLiteral("*.prototxt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext() && !md::cancelRequested(cancel)) {
        const QString file = it.next();
        if (isPaperFile(metaDir, file))
            m_files.append(file);
    }
    m_files.sort(); // stable order: same import, same ids
}

EfficientPaperFolderParser::~EfficientPaperFolderParser() = default;

ImportBatch EfficientPaperFolderParser::parseFile(const QString &file) const
{
    // Once cancelled, the files not started yet are skipped.
    return md::cancelRequested(m_cancel) ? ImportBatch{}
                                         : parsePrototxtFileWith(file, m_root, *m_schema, m_opened.get());
}

ImportBatch parseEfficientPaperFolder(const QString &root, CancelFlag cancel)
{
    EfficientPaperFolderParser parser(root, cancel);
    ImportBatch batch = parser.outcome();
    // Files parse independently; on every core at once (the order of the results is kept).
    const QList<ImportBatch> parts =
        QtConcurrent::blockingMapped(parser.files(), [&parser](const QString &file) { return parser.parseFile(file); });
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
