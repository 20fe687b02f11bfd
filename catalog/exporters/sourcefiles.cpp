#include "sourcefiles.h"

#include "../importers/libraryschema.h"
#include "../recordjson.h"
#include "efficientpaperwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace paperlab {
namespace {

struct SourceFile {
    ProvenanceEntry entry;
    PaperRecord record;
};

// The paper's EfficientPaper files, each once: a library imported twice, or from two
// paths, names its meta/YEAR/KEY.prototxt twice and gets one file back.
QList<SourceFile> efficientPaperSources(const Paper &p)
{
    QList<SourceFile> out;
    QSet<QString> places;
    for (const ProvenanceEntry &e : p.provenance) {
        if (e.format != u"efficientpaper")
            continue;
        const QFileInfo file(e.file);
        if (places.contains(file.dir().dirName() + u'/' + file.fileName()))
            continue;
        places.insert(file.dir().dirName() + u'/' + file.fileName());
        out.append({e, recordFromJson(QJsonDocument::fromJson(e.recordJson.toUtf8()).object())});
    }
    return out;
}

bool sameFile(const QString &a, const QString &b)
{
    return !a.isEmpty() && !b.isEmpty() && QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

// What the paper's files together give the index when the user has set nothing (the
// importer's rules: the last rating a file gives, the furthest reading state).
struct SourcesSay {
    int rating = 0;
    ReadingStatus status = ReadingStatus::Unread;
    bool noteWritten = false, slidesMade = false;
};

SourcesSay whatSourcesSay(const QList<SourceFile> &sources)
{
    SourcesSay say;
    for (const SourceFile &s : sources) {
        if (s.record.rating > 0)
            say.rating = s.record.rating;
        if (s.record.status && int(*s.record.status) > int(say.status))
            say.status = *s.record.status;
        say.noteWritten |= s.record.noteWritten;
        say.slidesMade |= s.record.slidesMade;
    }
    return say;
}

// The fields one file said, over the merged paper (which keeps its id, index key, tags,
// library folder).
Paper asFileSaid(const Paper &p, const SourceFile &s)
{
    const PaperRecord &r = s.record;
    Paper v = p;
    v.provenance = {s.entry}; // its place: meta/FOLDER/KEY as the library filed it
    v.title = r.title;
    v.abbr = r.abbr;
    v.authors = r.authors;
    v.institutionList = r.institutions;
    v.institutions = r.institutions.join(QStringLiteral("; "));
    v.venue = r.venue;
    v.venueRaw = r.venueRaw;
    v.year = r.year;
    v.arxivId = r.arxivId;
    v.doi = r.doi;
    v.paperUrl = r.paperUrl;
    v.codeUrl = r.codeUrl;
    v.openReviewUrl = r.openReviewUrl;
    v.slidesUrl = r.slidesUrl;
    v.topicList = r.topics;
    v.topics = r.topics.join(QStringLiteral("; "));
    v.keywordWords = r.keywordWords;
    v.coverPath = r.coverPath;
    v.baselineMethods = r.baselineMethods;
    v.updateTime = r.updateTime;
    v.extraFields = r.extraFields;
    v.fieldsAsWritten = r.fieldsAsWritten;
    v.claims = r.claims;
    v.rating = r.rating;
    v.status = r.status.value_or(ReadingStatus::Unread);
    v.noteWritten = r.noteWritten;
    v.slidesMade = r.slidesMade;
    v.notePath = r.notePath;
    v.note.clear();
    return v;
}

} // namespace

QList<Paper> papersPerSourceFile(const Paper &p, QStringList &errors)
{
    const QList<SourceFile> sources = efficientPaperSources(p);
    if (sources.size() < 2)
        return {};
    // The user's own settings are told from the files' by value: the index keeps no
    // per-field flag, and stateByUser alone is also set by a tag or a personal note.
    const SourcesSay say = whatSourcesSay(sources);
    const bool ratingSet = p.stateByUser && p.rating != say.rating;
    const bool readingSet =
        p.stateByUser && (p.status != say.status || p.noteWritten != say.noteWritten || p.slidesMade != say.slidesMade);
    const bool claimsSet = std::none_of(sources.cbegin(), sources.cend(),
                                        [&p](const SourceFile &s) { return s.record.claims == p.claims; });
    qsizetype noteSource = 0; // where an edited note goes
    for (qsizetype i = 0; i < sources.size(); ++i)
        if (sameFile(sources[i].record.notePath, p.notePath))
            noteSource = i;

    QList<Paper> out;
    for (qsizetype i = 0; i < sources.size(); ++i) {
        Paper v = asFileSaid(p, sources[i]);
        if (ratingSet)
            v.rating = p.rating;
        if (readingSet) {
            v.status = p.status;
            v.noteWritten = p.noteWritten;
            v.slidesMade = p.slidesMade;
        }
        if (claimsSet)
            v.claims = p.claims;
        if (p.noteEdited && i == noteSource) {
            v.notePath = p.notePath;
            v.note = p.note;
        } else if (!v.notePath.isEmpty()) {
            // The index holds the paper's note (several files' notes joined); each file's
            // own note is its file.
            QFile f(v.notePath);
            if (f.open(QIODevice::ReadOnly))
                v.note = QString::fromUtf8(f.readAll());
            else if (sameFile(v.notePath, p.notePath))
                v.note = p.note;
            else
                errors.append(QStringLiteral("%1: cannot read the note of %2 (%3): %4 is written without its note")
                                  .arg(v.notePath, p.key, f.errorString(), sources[i].entry.file));
        }
        out.append(v);
    }
    return out;
}

QString unchangedSourceText(const Paper &p, const QString &libraryRoot, const QString &written, LibrarySchemas &schemas)
{
    const auto entry = std::find_if(p.provenance.cbegin(), p.provenance.cend(),
                                    [](const ProvenanceEntry &e) { return e.format == u"efficientpaper"; });
    if (entry == p.provenance.cend() || libraryRoot.isEmpty())
        return {};
    QFile f(entry->file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    std::shared_ptr<const LibrarySchema> &schema = schemas[libraryRoot];
    if (!schema) {
        ImportBatch warnings; // the import reported them already
        schema = LibrarySchema::forLibrary(libraryRoot, warnings);
    }
    const ImportBatch now = parsePrototxtWith(text, entry->file, libraryRoot, *schema); // the text compared
    if (now.errorCount() > 0 || now.papers.size() != 1)
        return {};
    Paper fromFile = asFileSaid(p, {*entry, now.papers.first()});
    fromFile.note = now.papers.first().noteMarkdown; // only whether there is one counts here
    return paperInfoText(fromFile) == written ? text : QString();
}

} // namespace paperlab
