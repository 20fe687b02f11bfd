#include "efficientpaperwriter.h"

#include "../claimproto.h"
#include "../importers/textformatfields.h"
#include "../safefile.h"
#include "../textnormalize.h"
#include "../venue.h"
#include "librarysettings.h"
#include "paper.pb.h"
#include "sourcefiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>

#include <google/protobuf/text_format.h>

namespace paperlab {
namespace {

bool writeFile(const QString &path, const QByteArray &data, QStringList &errors)
{
    QString error;
    if (writeFileAtomicallyMakingFolders(path, data, &error))
        return true;
    errors.append(error);
    return false;
}

// Where the paper goes: meta/FOLDER/KEY.prototxt.
struct Place {
    QString folder, key;
    QString libraryRoot; // the library it came from; empty: none
};

// Where the paper's library filed it, when it came from one: the folder (a library may
// file by arXiv year a paper published the year after, and baselines name it
// "FOLDER/KEY") and the key (two libraries' papers may share one; the index then has
// told them apart as "DSA-2", which the library never wrote). Its year and index key
// otherwise.
Place libraryPlace(const Paper &p)
{
    for (const ProvenanceEntry &e : p.provenance) {
        if (e.format != u"efficientpaper")
            continue;
        const QFileInfo file(e.file);
        QDir folder = file.dir();
        const QString name = folder.dirName();
        if (folder.cdUp() && folder.dirName() == u"meta" && folder.cdUp())
            return {name, file.completeBaseName(), folder.absolutePath()};
    }
    return {p.year > 0 ? QString::number(p.year) : QStringLiteral("unknown"), p.key, {}};
}

// Where a note or cover goes, relative to the library root: where the paper's library had
// it when that is one of the places its url names (notes/URL, notes/FOLDER/URL,
// notes/FOLDER/KEY/URL, tried in that order when read), else notes/FOLDER/KEY/URL.
QString filePlace(const Place &place, const QString &sourceFile, const QString &url)
{
    const QString own = QStringLiteral("notes/%1/%2/%3").arg(place.folder, place.key, url);
    if (place.libraryRoot.isEmpty() || sourceFile.isEmpty())
        return own;
    const QString rel = QDir(place.libraryRoot).relativeFilePath(QFileInfo(sourceFile).absoluteFilePath());
    const QStringList candidates{QStringLiteral("notes/%1").arg(url),
                                 QStringLiteral("notes/%1/%2").arg(place.folder, url), own};
    // Ignoring case: the library's url may be spelled so (its author's disk ignores case).
    return candidates.contains(QDir::cleanPath(rel), Qt::CaseInsensitive) ? QDir::cleanPath(rel) : own;
}

// `written`, the list as the library spelled it, when it names the same as `stored`, the
// index's list (each name once, one spelling per institution); `stored` otherwise.
QStringList listAsWritten(const google::protobuf::RepeatedPtrField<std::string> &written, const QStringList &stored)
{
    QStringList own, once;
    for (const std::string &s : written) {
        const QString name = QString::fromStdString(s).trimmed();
        own.append(name);
        if (!once.contains(name, Qt::CaseInsensitive))
            once.append(name);
    }
    if (own.isEmpty() || once.size() != stored.size())
        return stored;
    for (qsizetype i = 0; i < once.size(); ++i)
        if (once[i].compare(stored[i], Qt::CaseInsensitive) != 0)
            return stored;
    return own;
}

// A relative url naming a file below the paper's notes/YEAR/KEY/ folder, as the library
// wrote it ("index.md", "fig/cover.png"); empty for anything else.
QString urlBelowPaperFolder(const QString &url)
{
    const QString clean = QDir::cleanPath(url);
    if (url.isEmpty() || url.contains(QLatin1String("://")) || QDir::isAbsolutePath(clean) ||
        clean.startsWith(QLatin1String("..")))
        return {};
    return clean;
}

efficient_paper::PaperInfo writtenFields(const Paper &p)
{
    efficient_paper::PaperInfo w;
    if (!p.fieldsAsWritten.isEmpty())
        google::protobuf::TextFormat::ParseFromString(p.fieldsAsWritten.toStdString(), &w);
    return w;
}

// The note's url and file name below notes/YEAR/KEY/: the library's own ("spdy/index.md"
// stays), note.md when it named none.
QString noteFileName(const Paper &p)
{
    const QString own = urlBelowPaperFolder(QString::fromStdString(writtenFields(p).note().url()));
    return own.isEmpty() ? QStringLiteral("note.md") : own;
}

// The cover's url: the library's own while it still names the paper's cover file.
QString coverFileName(const Paper &p)
{
    const QString own = urlBelowPaperFolder(QString::fromStdString(writtenFields(p).cover().url()));
    const QString name = QFileInfo(p.coverPath).fileName();
    return !own.isEmpty() && QFileInfo(own).fileName() == name ? own : name;
}

// The library's spelling of a value (" https://...", with the space the file has) while
// reading it the importer's way (`read`) still gives the paper's value; the value otherwise.
std::string asSpelled(const std::string &written, const QString &value, QString (*read)(const QString &))
{
    const QString spelled = QString::fromStdString(written);
    return !spelled.isEmpty() && read(spelled) == value ? written : value.toStdString();
}

} // namespace

QString paperInfoText(const Paper &p)
{
    // What the library wrote that PaperLab reads as nothing (abbr: "", code.type...): the
    // start, overwritten below by whatever the paper says now.
    const efficient_paper::PaperInfo asWritten = writtenFields(p);

    efficient_paper::PaperInfo info;
    auto *paper = info.mutable_paper();
    paper->set_title(asSpelled(asWritten.paper().title(), p.title, simplifiedText));
    if (!p.abbr.isEmpty())
        paper->set_abbr(asSpelled(asWritten.paper().abbr(), p.abbr, trimmedText));
    if (!p.paperUrl.isEmpty())
        paper->set_url(asSpelled(asWritten.paper().url(), p.paperUrl, trimmedText));
    // The library's own lists while they still say what the paper says (see sameNames).
    const QStringList authors = listAsWritten(asWritten.paper().authors(), p.authors);
    const QStringList institutions = listAsWritten(asWritten.paper().institutions(), p.institutionList);
    for (const QString &a : authors)
        paper->add_authors(a.toStdString());
    for (const QString &i : institutions)
        paper->add_institutions(i.toStdString());
    // The venue as the library spelled it ("ICLR oral", "Github") when that still reads as
    // the paper's venue; otherwise the canonical name, with the source's spelling beside it.
    // A library's `where: ""` stays while nothing said more than the "arXiv" an arXiv id implies.
    const bool emptyWhere =
        asWritten.pub().has_where() && p.venueRaw.isEmpty() && (p.venue.isEmpty() || p.venue == u"arXiv");
    if (emptyWhere) {
        info.mutable_pub()->set_where("");
    } else if (!p.venueRaw.isEmpty() && normalizeVenue(p.venueRaw).name == p.venue) {
        info.mutable_pub()->set_where(p.venueRaw.toStdString());
    } else {
        if (!p.venue.isEmpty())
            info.mutable_pub()->set_where(p.venue.toStdString());
        if (!p.venueRaw.isEmpty() && p.venueRaw != p.venue)
            info.set_venue_raw(p.venueRaw.toStdString());
    }
    if (p.year > 0)
        info.mutable_pub()->set_year(p.year);
    if (!p.codeUrl.isEmpty()) {
        if (!asWritten.code().has_type())
            info.mutable_code()->set_type("code");
        info.mutable_code()->set_url(asSpelled(asWritten.code().url(), p.codeUrl, trimmedText));
    }
    // A library that left the note block out relied on its default, note.md: so does the export.
    const bool defaultNote =
        !asWritten.has_note() && !libraryPlace(p).libraryRoot.isEmpty() && noteFileName(p) == u"note.md";
    if (!p.note.isEmpty() && !defaultNote)
        info.mutable_note()->set_url(noteFileName(p).toStdString());
    if (!p.coverPath.isEmpty())
        info.mutable_cover()->set_url(coverFileName(p).toStdString());
    const auto *words = efficient_paper::Keyword::Word_descriptor();
    // A parent topic PaperLab adds ("KV Cache" above "KV Cache Quantization") is not
    // written: EfficientPaper's own enum has no kv_cache word, and re-reading adds it again.
    QSet<QString> parents;
    for (const QString &t : p.topicList)
        parents.insert(topicParentKey(topicKey(t)));
    // The words the library named, in its order, while the paper still has their topic; a
    // word PaperLab's enum lacks (the library's own proto/ has it) goes back as text.
    QSet<QString> topicKeys, written;
    for (const QString &t : p.topicList)
        topicKeys.insert(topicKey(t));
    QString libraryOnlyWords;
    for (const QString &w : p.keywordWords) {
        const QString key = topicKey(topicDisplayName(w));
        if (w != u"none" && !topicKeys.contains(key))
            continue;
        written.insert(key);
        if (const auto *v = words->FindValueByName(w.toStdString()))
            info.mutable_keyword()->add_words(efficient_paper::Keyword::Word(v->number()));
        else
            libraryOnlyWords += QStringLiteral("  words: %1\n").arg(w);
    }
    for (const QString &t : p.topicList) {
        if (parents.contains(topicKey(t)) || written.contains(topicKey(t)))
            continue;
        if (const auto *v = words->FindValueByName(topicKey(t).toStdString()))
            info.mutable_keyword()->add_words(efficient_paper::Keyword::Word(v->number()));
        else
            info.add_topics(t.toStdString());
    }
    // An arXiv id the paper's url already says is not written twice.
    if (!p.arxivId.isEmpty() && arxivIdFrom(p.paperUrl) != p.arxivId)
        info.set_arxiv_id(p.arxivId.toStdString());
    auto addLink = [&info](const char *kind, const QString &url) {
        if (url.isEmpty())
            return;
        auto *l = info.add_links();
        l->set_kind(kind);
        l->set_url(url.toStdString());
    };
    addLink("openreview", p.openReviewUrl);
    addLink("slides", p.slidesUrl);
    if (p.status != ReadingStatus::Unread || p.noteWritten || p.slidesMade) {
        auto *r = info.mutable_reading();
        r->set_status(readingStatusName(p.status).toStdString());
        if (p.noteWritten)
            r->set_note_written(true);
        if (p.slidesMade)
            r->set_slides_made(true);
    }
    for (const QString &m : p.baselineMethods)
        info.mutable_baseline()->add_methods(m.toStdString());
    if (p.updateTime > 0)
        info.set_update_time(p.updateTime);
    if (p.rating > 0)
        info.set_rating(p.rating);
    for (const Claim &c : p.claims)
        claimToProto(c, info.add_claims());

    // Merging: the paper's singular fields win; a list the paper has replaces the written one.
    efficient_paper::PaperInfo out = asWritten;
    out.mutable_paper()->clear_authors(); // taken above, when still the paper's
    out.mutable_paper()->clear_institutions();
    out.clear_claims(); // the paper's claims replace the written ones
    out.MergeFrom(info);
    if (info.baseline().methods_size() > 0)
        *out.mutable_baseline()->mutable_methods() = info.baseline().methods();

    std::string printed;
    google::protobuf::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(out, &printed);
    // Fields PaperLab has no place for go back as the library wrote them, inside the block
    // they were in.
    QString kept = p.extraFields;
    if (!libraryOnlyWords.isEmpty())
        kept += QStringLiteral("\nkeyword {\n%1}\n").arg(libraryOnlyWords);
    return mergeTextFormat(QString::fromStdString(printed), kept);
}

namespace {

// Copies `from` to `to` unless they are one file (an export into the library itself).
void copyFile(const QString &from, const QString &to, QStringList &errors)
{
    if (QFileInfo(to).absoluteFilePath() == QFileInfo(from).absoluteFilePath())
        return;
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        errors.append(QStringLiteral("%1: cannot read it: %2").arg(from, in.errorString()));
    else
        writeFile(to, in.readAll(), errors);
}

// The folder of `file` when it is the paper's own folder in its library (notes/FOLDER/KEY/
// or below it), relative to the library; empty for notes/ and notes/FOLDER/, which many
// papers share, and for a file outside the library.
QString ownNotesFolder(const Place &place, const QString &file)
{
    if (place.libraryRoot.isEmpty() || file.isEmpty())
        return {};
    const QString root = QFileInfo(place.libraryRoot).canonicalFilePath();
    const QString rel = QDir::cleanPath(QDir(root).relativeFilePath(QFileInfo(file).canonicalPath()));
    const QStringList parts = rel.split(QLatin1Char('/'));
    return parts.size() >= 3 && parts.first() == u"notes" ? rel : QString();
}

// The other files of the folder the paper's note (else its cover) lies in, when that is the
// paper's own: the pictures the note shows (`![](./eq4.jpg)`), into the folder the note
// goes to. The note and cover themselves are written by the caller (the note perhaps edited).
void copyOwnNotesFolder(const Paper &p, const Place &place, const QString &noteTarget, const QString &coverTarget,
                        WriteReport &report)
{
    const bool byNote = !noteTarget.isEmpty();
    const QString from = ownNotesFolder(place, byNote ? p.notePath : p.coverPath);
    if (from.isEmpty())
        return;
    const QDir source(QDir(QFileInfo(place.libraryRoot).canonicalFilePath()).filePath(from));
    const QDir target(QFileInfo(byNote ? noteTarget : coverTarget).absolutePath());
    const QSet<QString> done{QFileInfo(p.notePath).canonicalFilePath(), QFileInfo(p.coverPath).canonicalFilePath()};
    QDirIterator it(source.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        // Only files of the paper's own library: never one a link points to elsewhere.
        const QString inside = fileInPaperLibrary(p, file);
        if (!inside.isEmpty() && !done.contains(inside))
            copyFile(file, target.filePath(source.relativeFilePath(file)), report.errors);
    }
}

// Writes one meta/FOLDER/KEY.prototxt with its note, cover and the note's pictures; false
// when the meta file could not be written. `written` holds the places taken so far.
bool writePaperFiles(const Paper &p, const QDir &dir, QSet<QString> &written, LibrarySchemas &schemas,
                     WriteReport &report)
{
    Place place = libraryPlace(p);
    // Two papers filed under one name by two libraries: the second keeps its index key.
    if (written.contains(place.folder + u'/' + place.key))
        place.key = p.key;
    written.insert(place.folder + u'/' + place.key);
    const QString &year = place.folder;
    const QString meta = dir.filePath(QStringLiteral("meta/%1/%2.prototxt").arg(year, place.key));
    QString text = paperInfoText(p);
    if (const QString own = unchangedSourceText(p, place.libraryRoot, text, schemas); !own.isEmpty())
        text = own;
    if (!writeFile(meta, text.toUtf8(), report.errors))
        return false;
    QString note, cover;
    if (!p.note.isEmpty()) {
        note = dir.filePath(filePlace(place, p.notePath, noteFileName(p)));
        if (writeFile(note, p.note.toUtf8(), report.errors))
            ++report.notes;
    }
    // Only a cover of the paper's own library is copied: never some other file it names.
    if (!fileInPaperLibrary(p, p.coverPath).isEmpty()) {
        cover = dir.filePath(filePlace(place, p.coverPath, coverFileName(p)));
        copyFile(p.coverPath, cover, report.errors);
    }
    copyOwnNotesFolder(p, place, note, cover, report);
    return true;
}

} // namespace

WriteReport writeEfficientPaperFolder(const QList<Paper> &papers, const QString &root)
{
    WriteReport report;
    const QDir dir(root);
    QSet<QString> written;
    LibrarySchemas schemas;
    for (const Paper &p : papers) {
        // A paper its library filed more than once goes back into each of its files.
        QList<Paper> files = papersPerSourceFile(p, report.errors);
        if (files.isEmpty())
            files.append(p);
        bool all = true;
        for (const Paper &file : std::as_const(files))
            all &= writePaperFiles(file, dir, written, schemas, report);
        if (all)
            ++report.papers;
    }
    for (const QString &library : sourceLibraries(papers))
        report.settingsFiles += copyLibrarySettings(library, root, report.errors);
    return report;
}

} // namespace paperlab
