#include "csljsonwriter.h"

#include "citationkeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace paperlab {
namespace {

QJsonArray authorsJson(const QStringList &authors)
{
    QJsonArray out;
    for (const QString &a : authors) {
        const PersonName n = splitPersonName(a);
        if (n.given.isEmpty())
            out.append(QJsonObject{{"literal", n.family}});
        else
            out.append(QJsonObject{{"family", n.family}, {"given", n.given}});
    }
    return out;
}

} // namespace

QByteArray cslJson(const QList<Paper> &papers)
{
    const CitationKeys keys(papers);
    QJsonArray items;
    for (const Paper &p : papers) {
        QJsonObject o{{"id", keys.keyOf(p)}, {"title", p.title}};
        const bool preprint = p.venue.compare(QLatin1String("arXiv"), Qt::CaseInsensitive) == 0 ||
                              (p.venue.isEmpty() && !p.arxivId.isEmpty());
        if (preprint) {
            // CSL 1.0.2 has no "preprint" type; "article" with the archive is how Zotero writes one.
            o.insert("type", "article");
            o.insert("publisher", "arXiv");
            if (!p.arxivId.isEmpty())
                o.insert("number", "arXiv:" + p.arxivId);
        } else if (!p.venue.isEmpty()) {
            o.insert("type", "paper-conference");
            o.insert("container-title", p.venue);
        } else {
            o.insert("type", "article");
        }
        if (!p.authors.isEmpty())
            o.insert("author", authorsJson(p.authors));
        if (p.year > 0)
            o.insert("issued", QJsonObject{{"date-parts", QJsonArray{QJsonArray{p.year}}}});
        if (!p.abbr.isEmpty())
            o.insert("title-short", p.abbr);
        if (!p.doi.isEmpty())
            o.insert("DOI", p.doi);
        if (!p.paperUrl.isEmpty())
            o.insert("URL", p.paperUrl);
        if (!p.topicList.isEmpty())
            o.insert("keyword", p.topicList.join(QLatin1String(", ")));
        items.append(o);
    }
    return QJsonDocument(items).toJson(QJsonDocument::Indented);
}

} // namespace paperlab
