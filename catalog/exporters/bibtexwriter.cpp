#include "bibtexwriter.h"

#include "citationkeys.h"
#include "textnormalize.h"

#include <QSet>

namespace paperlab {
namespace {

// Venues that publish journals; every other named venue is a conference or workshop.
bool isJournal(const QString &venue)
{
    static const QSet<QString> journals{
        QStringLiteral("tmlr"),   QStringLiteral("jmlr"),    QStringLiteral("tpami"), QStringLiteral("tacl"),
        QStringLiteral("nature"), QStringLiteral("science"), QStringLiteral("pvldb"), QStringLiteral("vldb journal"),
        QStringLiteral("tocs"),   QStringLiteral("taco"),    QStringLiteral("tcad"),  QStringLiteral("tpds")};
    return journals.contains(venue.toLower());
}

bool isPreprint(const Paper &p)
{
    return p.venue.compare(QLatin1String("arXiv"), Qt::CaseInsensitive) == 0 ||
           (p.venue.isEmpty() && !p.arxivId.isEmpty());
}

class EntryWriter {
public:
    void field(const char *name, const QString &value, bool escape = true)
    {
        if (value.trimmed().isEmpty())
            return;
        m_fields << QStringLiteral("  %1 = {%2}").arg(QLatin1String(name), escape ? latexEscaped(value) : value);
    }
    // Double braces keep the title's capitalisation ("FlashAttention", "LLM") in every style.
    void title(const QString &t)
    {
        if (!t.isEmpty())
            m_fields << QStringLiteral("  title = {{%1}}").arg(latexEscaped(t));
    }
    QString text(const QString &type, const QString &key) const
    {
        return QStringLiteral("@%1{%2,\n%3\n}\n").arg(type, key, m_fields.join(QStringLiteral(",\n")));
    }

private:
    QStringList m_fields;
};

} // namespace

QString latexEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('$')) {
            // Math the title already holds ("H$_2$O", "$O(n)$") is LaTeX: it goes in unchanged.
            if (const qsizetype end = inlineMathEnd(text, i); end > i) {
                out += QStringView(text).mid(i, end - i + 1);
                i = end;
                continue;
            }
        }
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\textbackslash{}");
            break;
        case '~':
            out += QLatin1String("\\textasciitilde{}");
            break;
        case '^':
            out += QLatin1String("\\textasciicircum{}");
            break;
        case '&':
        case '%':
        case '$':
        case '#':
        case '_':
        case '{':
        case '}':
            out += QLatin1Char('\\');
            out += c;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString bibtexText(const QList<Paper> &papers)
{
    const CitationKeys keys(papers);
    QStringList entries;
    for (const Paper &p : papers) {
        EntryWriter e;
        e.title(p.title);
        e.field("author", p.authors.join(QLatin1String(" and ")));
        QString type = QStringLiteral("misc");
        if (isPreprint(p)) {
            // biblatex reads eprint/archivePrefix; classic styles show howpublished.
            if (!p.arxivId.isEmpty()) {
                e.field("eprint", p.arxivId, false);
                e.field("archivePrefix", QStringLiteral("arXiv"), false);
                e.field("howpublished", QStringLiteral("arXiv:") + p.arxivId);
            } else {
                e.field("howpublished", QStringLiteral("arXiv"));
            }
        } else if (!p.venue.isEmpty()) {
            type = isJournal(p.venue) ? QStringLiteral("article") : QStringLiteral("inproceedings");
            e.field(type == u"article" ? "journal" : "booktitle", p.venue);
            if (!p.arxivId.isEmpty()) {
                e.field("eprint", p.arxivId, false);
                e.field("archivePrefix", QStringLiteral("arXiv"), false);
            }
        }
        if (p.year > 0)
            e.field("year", QString::number(p.year), false);
        e.field("doi", p.doi, false);
        e.field("url", p.paperUrl, false);
        e.field("shorttitle", p.abbr);
        // Topics, then the user's own tags: what reference managers file and filter by.
        QStringList keywords = p.topicList;
        for (const QString &tag : p.tags)
            if (!keywords.contains(tag, Qt::CaseInsensitive))
                keywords << tag;
        e.field("keywords", keywords.join(QLatin1String(", ")));
        entries << e.text(type, keys.keyOf(p));
    }
    return entries.join(QLatin1Char('\n'));
}

} // namespace paperlab
