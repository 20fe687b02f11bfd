#include "papermatcher.h"

#include "textnormalize.h"

namespace paperlab {

PaperMatcher::Entry PaperMatcher::entryFor(const PaperRecord &r)
{
    Entry e;
    e.arxivId = r.arxivId.isEmpty() ? arxivIdFrom(r.paperUrl) : r.arxivId;
    e.doi = r.doi.isEmpty() ? doiFrom(r.paperUrl) : r.doi.toLower();
    e.urlNorm = normalizedUrl(r.paperUrl);
    e.normTitle = normalizedTitle(r.title);
    e.normAbbr = normalizedTitle(r.abbr);
    e.key = r.key.toLower();
    return e;
}

bool PaperMatcher::compatible(const Entry &a, const Entry &b)
{
    auto differ = [](const QString &x, const QString &y) { return !x.isEmpty() && !y.isEmpty() && x != y; };
    if (differ(a.arxivId, b.arxivId) || differ(a.doi, b.doi))
        return false;
    // Different URLs are only a conflict when neither names the paper by arXiv id (the
    // same preprint is linked as abs/, pdf/ and with versions).
    if (a.arxivId.isEmpty() && b.arxivId.isEmpty() && differ(a.urlNorm, b.urlNorm))
        return false;
    if (a.normTitle.isEmpty() || b.normTitle.isEmpty() || a.normTitle == b.normTitle)
        return true;
    if (a.normTitle == b.normAbbr || b.normTitle == a.normAbbr)
        return true; // a short name standing for the title
    const QString &shorter = a.normTitle.size() < b.normTitle.size() ? a.normTitle : b.normTitle;
    const QString &longer = a.normTitle.size() < b.normTitle.size() ? b.normTitle : a.normTitle;
    return shorter.size() >= kMinPrefix && longer.startsWith(shorter);
}

namespace {

int titleBlemishes(const QString &t)
{
    int n = 0;
    if (t.contains(QLatin1String("://")))
        n += 8;
    if (t.trimmed().endsWith(QLatin1Char(')')))
        n += 2; // "(MIT)", "(@org)"
    if (t.contains(QLatin1Char('_')))
        n += 2;
    int upper = 0, lower = 0;
    for (const QChar c : t) {
        upper += c.isUpper();
        lower += c.isLower();
    }
    if (upper > 8 && upper > 3 * lower)
        n += 4; // "CAKE_CASCADING AND ADAPTIVE KV CACHE"
    return n;
}

} // namespace

QString PaperMatcher::cleanerTitle(const QString &a, const QString &b)
{
    if (a.isEmpty() || b.isEmpty())
        return a.isEmpty() ? b : a;
    const int ba = titleBlemishes(a), bb = titleBlemishes(b);
    if (ba != bb)
        return ba < bb ? a : b;
    const QString na = normalizedTitle(a), nb = normalizedTitle(b);
    if (na.size() != nb.size())
        return na.size() > nb.size() ? a : b;
    return a <= b ? a : b;
}

qint64 PaperMatcher::ifCompatible(qint64 id, const Entry &incoming) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.constEnd() || compatible(it.value(), incoming) ? id : 0;
}

void PaperMatcher::add(qint64 id, const Entry &e)
{
    m_entries.insert(id, e);
    if (!e.arxivId.isEmpty())
        m_arxiv.insert(e.arxivId, id);
    if (!e.doi.isEmpty())
        m_doi.insert(e.doi, id);
    if (!e.urlNorm.isEmpty())
        m_url.insert(e.urlNorm, id);
    if (!e.key.isEmpty())
        m_key.insert(e.key, id);
    if (!e.normTitle.isEmpty())
        m_titles.insert(e.normTitle, id);
    if (!e.normAbbr.isEmpty()) {
        auto &ids = m_abbr[e.normAbbr];
        if (!ids.contains(id))
            ids.append(id);
    }
}

qint64 PaperMatcher::byTitle(const QString &norm) const
{
    if (norm.isEmpty())
        return 0;
    if (const auto it = m_titles.constFind(norm); it != m_titles.constEnd())
        return it.value();
    if (norm.size() < kMinPrefix)
        return 0;
    // A stored title that starts with ours (ours was truncated)...
    if (auto it = m_titles.lowerBound(norm); it != m_titles.constEnd() && it.key().startsWith(norm))
        return it.value();
    // ...or a stored title that ours starts with (the stored one was truncated): walk back
    // from our position; candidates sort just before us.
    auto it = m_titles.upperBound(norm);
    while (it != m_titles.constBegin()) {
        --it;
        if (it.key().size() >= kMinPrefix && norm.startsWith(it.key()))
            return it.value();
        if (it.key().left(kMinPrefix) != norm.left(kMinPrefix))
            break;
    }
    return 0;
}

qint64 PaperMatcher::match(const PaperRecord &r) const
{
    const Entry e = entryFor(r);
    if (!e.arxivId.isEmpty())
        if (const qint64 id = m_arxiv.value(e.arxivId))
            return id;
    if (!e.doi.isEmpty())
        if (const qint64 id = m_doi.value(e.doi))
            return id;
    if (!e.urlNorm.isEmpty())
        if (const qint64 id = m_url.value(e.urlNorm))
            return id;
    if (!e.key.isEmpty())
        if (const qint64 id = ifCompatible(m_key.value(e.key), e))
            return id;
    if (const qint64 id = ifCompatible(byTitle(e.normTitle), e))
        return id;
    // A bare short name ("SageAttention") names the paper whose abbreviation it is, when
    // exactly one paper has that abbreviation. Long titles never match this way: two
    // different papers may share an abbreviation.
    if (!e.normTitle.isEmpty() && e.normTitle.size() < kMinPrefix) {
        for (const QString &name : {e.normTitle, e.normAbbr}) {
            const auto ids = m_abbr.value(name);
            if (!name.isEmpty() && ids.size() == 1)
                if (const qint64 id = ifCompatible(ids.first(), e))
                    return id;
        }
    }
    return 0;
}

} // namespace paperlab
