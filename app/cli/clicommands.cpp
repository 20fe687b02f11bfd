#include "clicommands.h"

#include "defaultlibrary.h"
#include "exporters/bibtexwriter.h"
#include "exporters/csljsonwriter.h"
#include "exporters/csvwriter.h"
#include "exporters/efficientpaperwriter.h"
#include "exporters/readmeviewwriter.h"
#include "htmldeckwriter.h"
#include "indexrebuild.h"
#include "paperselection.h"
#include "pdfdeckwriter.h"
#include "safefile.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace paperlab::cli {
namespace {

// "1 paper", "2 papers": the counts the CLI prints, in English (it has no translations).
QString counted(qsizetype n, const char *noun)
{
    return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(noun)).arg(n == 1 ? "" : "s");
}

void printJson(Context &ctx, const QJsonValue &v)
{
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    ctx.out << doc.toJson(QJsonDocument::Indented);
}

QJsonObject summaryJson(const PaperSummary &s)
{
    return {{"id", s.id},
            {"key", s.key},
            {"title", s.title},
            {"abbr", s.abbr},
            {"venue", s.venue},
            {"year", s.year},
            {"institutions", s.institutions},
            {"topics", s.topics},
            {"code", s.codeUrl},
            {"status", readingStatusName(s.status)},
            {"rating", s.rating}};
}

QJsonObject diagnosticJson(const Diagnostic &d)
{
    return {{"severity", d.severity == Diagnostic::Severity::Error ? "error" : "warning"},
            {"file", d.file},
            {"line", d.line},
            {"column", d.column},
            {"message", d.message}};
}

std::optional<Facet> facetFromName(const QString &name)
{
    for (Facet f :
         {Facet::Institution, Facet::Venue, Facet::Year, Facet::Topic, Facet::Status, Facet::Tag, Facet::Author})
        if (facetName(f) == name)
            return f;
    return std::nullopt;
}

std::optional<Paper> requirePaper(Context &ctx, Library &lib, const QString &key)
{
    auto p = lib.paperByKey(key);
    if (!p)
        ctx.err << "no paper with key " << key << "\n";
    return p;
}

} // namespace

int exitCodeFor(FailureKind kind)
{
    switch (kind) {
    case FailureKind::Busy:
        return IndexBusy;
    case FailureKind::ReadOnly:
        return IndexReadOnly;
    case FailureKind::Damaged:
        return IndexDamaged;
    case FailureKind::NotPaperLab:
        return NotAnIndex;
    case FailureKind::NewerSchema:
        return IndexTooNew;
    case FailureKind::Other:
        break;
    }
    return LibraryFailure;
}

int runImport(Context &ctx, const QStringList &args)
{
    if (args.isEmpty()) {
        ctx.err << "import: give one or more folders or files\n";
        return Usage;
    }
    Library lib(ctx.dbPath); // no first-run bundle: the user is choosing what goes in
    const ImportReport r = lib.importPaths(args);
    if (ctx.json) {
        QJsonArray diags;
        for (const auto &d : r.diagnostics)
            diags.append(diagnosticJson(d));
        printJson(ctx, QJsonObject{{"added", r.added},
                                   {"merged", r.merged},
                                   {"unchanged", r.unchanged},
                                   {"skipped", r.skipped},
                                   {"warnings", r.warnings()},
                                   {"errors", r.errors()},
                                   {"diagnostics", diags},
                                   {"papers", lib.paperCount()}});
    } else {
        for (const auto &d : r.diagnostics)
            ctx.err << d.toString() << "\n";
        ctx.out << "added " << r.added << ", merged " << r.merged << ", unchanged " << r.unchanged << ", skipped "
                << r.skipped << ", warnings " << r.warnings() << ", errors " << r.errors() << " ("
                << counted(lib.paperCount(), "paper") << " in " << lib.path() << ")\n";
    }
    return r.errors() ? ImportHadErrors : Ok;
}

int runSearch(Context &ctx, const QStringList &args)
{
    auto lib = openLibrary(ctx.dbPath);
    QList<qint64> ids;
    try {
        ids = lib->findIds(args.join(QLatin1Char(' ')));
    } catch (const LibraryError &e) {
        ctx.err << "search: " << e.message() << "\n";
        return BadQuery;
    }
    const auto rows = lib->summaries(ids);
    if (ctx.json) {
        QJsonArray arr;
        for (const auto &s : rows)
            arr.append(summaryJson(s));
        printJson(ctx, arr);
    } else {
        for (const auto &s : rows)
            ctx.out << s.key << "\t" << s.year << "\t" << s.venue << "\t" << s.title << "\n";
        ctx.out << counted(rows.size(), "paper") << "\n";
    }
    return Ok;
}

int runList(Context &ctx, const QStringList &args)
{
    const int by = int(args.indexOf(QStringLiteral("--by")));
    const QString name = by >= 0 && by + 1 < args.size() ? args[by + 1] : QString();
    const auto f = facetFromName(name);
    if (!f) {
        ctx.err << "list: --by institution|venue|year|topic|status|tag|author\n";
        return Usage;
    }
    auto lib = openLibrary(ctx.dbPath);
    const auto values = lib->facet(*f);
    if (ctx.json) {
        QJsonArray arr;
        for (const auto &v : values)
            arr.append(QJsonObject{{"value", v.value}, {"label", v.label}, {"count", v.count}});
        printJson(ctx, arr);
    } else {
        for (const auto &v : values)
            ctx.out << v.count << "\t" << v.label << "\n";
    }
    return Ok;
}

int runShow(Context &ctx, const QStringList &args)
{
    if (args.size() != 1) {
        ctx.err << "show: give one paper key\n";
        return Usage;
    }
    auto lib = openLibrary(ctx.dbPath);
    const auto p = requirePaper(ctx, *lib, args.first());
    if (!p)
        return NotFound;
    if (ctx.json) {
        QJsonObject o = summaryJson(*p);
        o.insert("authors", QJsonArray::fromStringList(p->authors));
        o.insert("institution_list", QJsonArray::fromStringList(p->institutionList));
        o.insert("topic_list", QJsonArray::fromStringList(p->topicList));
        o.insert("tags", QJsonArray::fromStringList(p->tags));
        o.insert("venue_raw", p->venueRaw);
        o.insert("arxiv_id", p->arxivId);
        o.insert("url", p->paperUrl);
        o.insert("openreview", p->openReviewUrl);
        o.insert("cover", p->coverPath);
        o.insert("note_path", p->notePath);
        o.insert("note", p->note);
        o.insert("note_written", p->noteWritten);
        o.insert("slides_made", p->slidesMade);
        QJsonArray prov;
        for (const auto &e : p->provenance)
            prov.append(QJsonObject{{"format", e.format},
                                    {"file", e.file},
                                    {"line", e.line},
                                    {"record", QJsonDocument::fromJson(e.recordJson.toUtf8()).object()}});
        o.insert("provenance", prov);
        printJson(ctx, o);
        return Ok;
    }
    ctx.out << p->title << "\n";
    if (!p->abbr.isEmpty())
        ctx.out << "  short name:   " << p->abbr << "\n";
    ctx.out << "  key:          " << p->key << "\n";
    ctx.out << "  venue:        " << p->venue << " " << p->year
            << (p->venueRaw.isEmpty() ? "" : "  (\"" + p->venueRaw + "\")") << "\n";
    if (!p->authors.isEmpty())
        ctx.out << "  authors:      " << p->authors.join(", ") << "\n";
    if (!p->institutionList.isEmpty())
        ctx.out << "  institutions: " << p->institutionList.join(", ") << "\n";
    if (!p->topicList.isEmpty())
        ctx.out << "  topics:       " << p->topicList.join(", ") << "\n";
    if (!p->paperUrl.isEmpty())
        ctx.out << "  paper:        " << p->paperUrl << "\n";
    if (!p->codeUrl.isEmpty())
        ctx.out << "  code:         " << p->codeUrl << "\n";
    if (!p->openReviewUrl.isEmpty())
        ctx.out << "  open review:  " << p->openReviewUrl << "\n";
    ctx.out << "  status:       " << readingStatusName(p->status) << ", rating " << p->rating
            << (p->tags.isEmpty() ? QString() : ", tags " + p->tags.join(", ")) << "\n";
    ctx.out << "  sources:\n";
    for (const auto &e : p->provenance)
        ctx.out << "    " << e.format << "  " << e.file << ":" << e.line << "\n";
    if (!p->note.isEmpty())
        ctx.out << "\n" << p->note << "\n";
    return Ok;
}

int runStats(Context &ctx, const QStringList &)
{
    auto lib = openLibrary(ctx.dbPath);
    const Stats s = lib->stats();
    if (ctx.json) {
        printJson(ctx, QJsonObject{{"papers", s.papers},
                                   {"institutions", s.institutions},
                                   {"venues", s.venues},
                                   {"topics", s.topics},
                                   {"tags", s.tags},
                                   {"with_notes", s.withNotes},
                                   {"with_code", s.withCode},
                                   {"read", s.read},
                                   {"reading", s.reading},
                                   {"sources", s.sources},
                                   {"db", lib->path()}});
    } else {
        ctx.out << "papers        " << s.papers << "\ninstitutions  " << s.institutions << "\nvenues        "
                << s.venues << "\ntopics        " << s.topics << "\ntags          " << s.tags << "\nwith notes    "
                << s.withNotes << "\nwith code     " << s.withCode << "\nread          " << s.read << "\nreading       "
                << s.reading << "\nsource files  " << s.sources << "\nindex         " << lib->path() << "\n";
    }
    return Ok;
}

namespace {

// The value after `flag`, or empty; `found` tells an empty value from a missing flag.
QString optionValue(const QStringList &args, const QString &flag, bool *found = nullptr)
{
    const qsizetype i = args.indexOf(flag);
    if (found)
        *found = i >= 0;
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : QString();
}

bool writeText(Context &ctx, const QString &path, const QByteArray &data)
{
    QString error;
    if (writeFileAtomically(path, data, &error))
        return true;
    ctx.err << "export: " << error << "\n";
    return false;
}

} // namespace

int runExport(Context &ctx, const QStringList &args)
{
    const char *usage =
        "export: export slides|html|bib|csl|csv|readme|library (--query Q | --tag T | --all) -o PATH\n"
        "        [--by institution|venue|year|topic] (readme)  [--group NAME] [--date YYYY-MM-DD] (slides, html)\n";
    const QString what = args.value(0);
    const QString target = optionValue(args, QStringLiteral("-o"));
    if (what.isEmpty() || target.isEmpty()) {
        ctx.err << usage;
        return Usage;
    }

    bool hasQuery = false, hasTag = false;
    PaperSelection selection;
    const QString query = optionValue(args, QStringLiteral("--query"), &hasQuery);
    const QString tag = optionValue(args, QStringLiteral("--tag"), &hasTag);
    const bool all = args.contains(QStringLiteral("--all"));
    if (int(hasQuery) + int(hasTag) + int(all) > 1) {
        ctx.err << "export: give one of --query, --tag, --all\n";
        return Usage;
    }
    if (hasQuery)
        selection = {PaperSelection::Kind::Query, query};
    else if (hasTag)
        selection = {PaperSelection::Kind::Tag, tag};
    else if (!all && what != u"library") {
        ctx.err << "export: choose the papers with --query Q, --tag T or --all\n" << usage;
        return Usage;
    }

    auto lib = openLibrary(ctx.dbPath);
    QList<Paper> papers;
    try {
        papers = selectPapers(*lib, selection);
    } catch (const LibraryError &e) {
        ctx.err << "export: " << e.message() << "\n";
        return BadQuery;
    }
    if (papers.isEmpty() && what != u"library") {
        ctx.err << "export: no papers match\n";
        return NotFound;
    }

    bool ok = true;
    if (what == u"library") {
        const WriteReport r = writeEfficientPaperFolder(papers, target);
        for (const QString &e : r.errors)
            ctx.err << e << "\n";
        ctx.out << "wrote " << counted(r.papers, "paper") << " and " << counted(r.notes, "note") << " to " << target
                << "\n";
        return r.errors.isEmpty() ? Ok : LibraryFailure;
    } else if (what == u"bib") {
        ok = writeText(ctx, target, bibtexText(papers).toUtf8());
    } else if (what == u"csl") {
        ok = writeText(ctx, target, cslJson(papers));
    } else if (what == u"csv") {
        ok = writeText(ctx, target, papersCsv(papers).toUtf8());
    } else if (what == u"readme") {
        const auto by = readmeGroupingFromName(optionValue(args, QStringLiteral("--by")).isEmpty()
                                                   ? QStringLiteral("institution")
                                                   : optionValue(args, QStringLiteral("--by")));
        if (!by) {
            ctx.err << "export readme: --by institution|venue|year|topic\n";
            return Usage;
        }
        ok = writeText(ctx, target, readmeViewText(papers, *by).toUtf8());
    } else if (what == u"slides" || what == u"html") {
        DeckOptions options;
        if (const QString g = optionValue(args, QStringLiteral("--group")); !g.isEmpty())
            options.group = g;
        if (const QString d = optionValue(args, QStringLiteral("--date")); !d.isEmpty()) {
            options.date = QDate::fromString(d, Qt::ISODate);
            if (!options.date.isValid()) {
                ctx.err << "export: --date wants YYYY-MM-DD\n";
                return Usage;
            }
        }
        const Deck deck = buildDeck(papers, options, lib.get());
        QString error;
        ok = what == u"slides" ? writePdfDeck(deck, target, &error) : writeHtmlDeck(deck, target, &error);
        if (!ok)
            ctx.err << "export: " << error << "\n";
        if (ok)
            ctx.out << "wrote " << counted(deck.slides.size(), "slide") << " for " << counted(papers.size(), "paper")
                    << " to " << target << "\n";
        return ok ? Ok : LibraryFailure;
    } else {
        ctx.err << "export: unknown format " << what << " (slides, html, bib, csl, csv, readme, library)\n";
        return Usage;
    }
    if (ok)
        ctx.out << "wrote " << counted(papers.size(), "paper") << " to " << target << "\n";
    return ok ? Ok : LibraryFailure;
}

int runTag(Context &ctx, const QStringList &args)
{
    if (args.size() < 2) {
        ctx.err << "tag: tag KEY +TAG -TAG ...\n";
        return Usage;
    }
    auto lib = openLibrary(ctx.dbPath);
    const auto p = requirePaper(ctx, *lib, args.first());
    if (!p)
        return NotFound;
    for (const QString &t : args.mid(1)) {
        if (t.startsWith(QLatin1Char('-')))
            lib->removeTag(p->id, t.mid(1));
        else
            lib->addTag(p->id, t.startsWith(QLatin1Char('+')) ? t.mid(1) : t);
    }
    ctx.out << p->key << ": " << lib->paper(p->id)->tags.join(", ") << "\n";
    return Ok;
}

int runStatus(Context &ctx, const QStringList &args)
{
    if (args.size() != 2) {
        ctx.err << "status: status KEY unread|reading|read\n";
        return Usage;
    }
    const auto s = readingStatusFromName(args[1]);
    if (!s) {
        ctx.err << "status: '" << args[1] << "' is not one of unread, reading, read\n";
        return Usage;
    }
    auto lib = openLibrary(ctx.dbPath);
    const auto p = requirePaper(ctx, *lib, args.first());
    if (!p)
        return NotFound;
    lib->setStatus(p->id, *s);
    ctx.out << p->key << ": " << readingStatusName(*s) << "\n";
    return Ok;
}

} // namespace paperlab::cli

namespace paperlab::cli {

int runRebuild(Context &ctx, const QStringList &args)
{
    if (!args.isEmpty()) {
        ctx.err << "rebuild: takes no arguments (the index is --db)\n";
        return Usage;
    }
    const RebuildReport r = rebuildIndex(ctx.dbPath);
    for (const QString &w : r.warnings)
        ctx.err << "rebuild: " << ctx.dbPath << ": " << w << "\n";
    for (const auto &d : r.import.diagnostics)
        ctx.err << d.toString() << "\n";
    if (!r.stateLost.isEmpty())
        ctx.err << "rebuild: no paper left for the state of " << r.stateLost.join(QStringLiteral(", ")) << " (kept in "
                << r.keptAs << ")\n";
    if (ctx.json) {
        printJson(ctx, QJsonObject{{"papers", r.papers},
                                   {"state_restored", r.stateRestored},
                                   {"state_lost", QJsonArray::fromStringList(r.stateLost)},
                                   {"sources", QJsonArray::fromStringList(r.sources)},
                                   {"from_provenance", r.recordsFromProvenance},
                                   {"kept_as", r.keptAs}});
    } else {
        ctx.out << "rebuilt " << ctx.dbPath << ": " << counted(r.papers, "paper") << " from "
                << counted(r.sources.size(), "source")
                << (r.recordsFromProvenance ? QStringLiteral(" and %1 kept records").arg(r.recordsFromProvenance)
                                            : QString())
                << ", state restored for " << counted(r.stateRestored, "paper") << "; the old index is " << r.keptAs
                << "\n";
    }
    return r.stateLost.isEmpty() && r.warnings.isEmpty() ? Ok : ImportHadErrors;
}

} // namespace paperlab::cli
