#include "recordjson.h"

#include "claimjson.h"

#include <QJsonArray>

namespace paperlab {
namespace {

void putString(QJsonObject &o, const char *name, const QString &v)
{
    if (!v.isEmpty())
        o.insert(QLatin1String(name), v);
}

void putList(QJsonObject &o, const char *name, const QStringList &v)
{
    if (!v.isEmpty())
        o.insert(QLatin1String(name), QJsonArray::fromStringList(v));
}

QStringList getList(const QJsonObject &o, const char *name)
{
    QStringList out;
    for (const auto &v : o.value(QLatin1String(name)).toArray())
        out.append(v.toString());
    return out;
}

QString getString(const QJsonObject &o, const char *name)
{
    return o.value(QLatin1String(name)).toString();
}

} // namespace

QJsonObject recordToJson(const PaperRecord &r)
{
    QJsonObject o;
    putString(o, "format", r.source.format);
    putString(o, "file", r.source.file);
    if (r.source.line)
        o.insert(QLatin1String("line"), r.source.line);
    putString(o, "key", r.key);
    putString(o, "title", r.title);
    putString(o, "abbr", r.abbr);
    putList(o, "authors", r.authors);
    putList(o, "institutions", r.institutions);
    putString(o, "venue_raw", r.venueRaw);
    putString(o, "venue", r.venue);
    if (r.year)
        o.insert(QLatin1String("year"), r.year);
    putString(o, "arxiv_id", r.arxivId);
    putString(o, "doi", r.doi);
    putString(o, "url", r.paperUrl);
    putString(o, "code_url", r.codeUrl);
    putString(o, "openreview_url", r.openReviewUrl);
    putString(o, "slides_url", r.slidesUrl);
    putList(o, "topics", r.topics);
    putString(o, "cover", r.coverPath);
    putString(o, "note_path", r.notePath);
    putString(o, "note", r.noteMarkdown);
    putList(o, "highlights", r.highlights);
    putString(o, "bibtex_key", r.bibtexKey);
    putList(o, "baseline", r.baselineMethods);
    if (r.rating)
        o.insert(QLatin1String("rating"), r.rating);
    if (r.updateTime)
        o.insert(QLatin1String("update_time"), r.updateTime);
    putString(o, "extra_fields", r.extraFields);
    if (!r.claims.isEmpty())
        o.insert(QLatin1String("claims"), claimsToJson(r.claims));
    putList(o, "keyword_words", r.keywordWords);
    putString(o, "as_written", r.fieldsAsWritten);
    if (r.status)
        o.insert(QLatin1String("status"), readingStatusName(*r.status));
    if (r.noteWritten)
        o.insert(QLatin1String("note_written"), true);
    if (r.slidesMade)
        o.insert(QLatin1String("slides_made"), true);
    return o;
}

PaperRecord recordFromJson(const QJsonObject &o)
{
    PaperRecord r;
    r.source = {getString(o, "format"), getString(o, "file"), o.value(QLatin1String("line")).toInt()};
    r.key = getString(o, "key");
    r.title = getString(o, "title");
    r.abbr = getString(o, "abbr");
    r.authors = getList(o, "authors");
    r.institutions = getList(o, "institutions");
    r.venueRaw = getString(o, "venue_raw");
    r.venue = getString(o, "venue");
    r.year = o.value(QLatin1String("year")).toInt();
    r.arxivId = getString(o, "arxiv_id");
    r.doi = getString(o, "doi");
    r.paperUrl = getString(o, "url");
    r.codeUrl = getString(o, "code_url");
    r.openReviewUrl = getString(o, "openreview_url");
    r.slidesUrl = getString(o, "slides_url");
    r.topics = getList(o, "topics");
    r.coverPath = getString(o, "cover");
    r.notePath = getString(o, "note_path");
    r.noteMarkdown = getString(o, "note");
    r.highlights = getList(o, "highlights");
    r.bibtexKey = getString(o, "bibtex_key");
    r.baselineMethods = getList(o, "baseline");
    r.rating = o.value(QLatin1String("rating")).toInt();
    r.updateTime = o.value(QLatin1String("update_time")).toInteger();
    r.extraFields = getString(o, "extra_fields");
    r.claims = claimsFromJson(o.value(QLatin1String("claims")).toArray());
    r.keywordWords = getList(o, "keyword_words");
    r.fieldsAsWritten = getString(o, "as_written");
    if (o.contains(QLatin1String("status")))
        r.status = readingStatusFromName(getString(o, "status"));
    r.noteWritten = o.value(QLatin1String("note_written")).toBool();
    r.slidesMade = o.value(QLatin1String("slides_made")).toBool();
    return r;
}

} // namespace paperlab
