// The facet tree's counts: every value of a facet with the number of papers holding it,
// among all papers or among those the current search and filters leave.

#include "facetindex.h"
#include "library_p.h"

#include <algorithm>

namespace paperlab {
namespace {

// Authors are stored "; "-joined on the paper: they are split and counted here, in no order.
// facet() stays the plain SQL reading that facetTop's in-memory FacetIndex is tested against.
QList<FacetValue> authorCounts(Database &db, const QList<qint64> *within)
{
    auto st =
        db.prepare(within ? "SELECT authors FROM papers WHERE authors <> '' AND id IN (SELECT value FROM json_each(?))"
                          : "SELECT authors FROM papers WHERE authors <> ''");
    if (within)
        st.bind(1, idsJson(*within));
    QHash<QString, int> counts;
    while (st.step())
        for (const QString &name : st.text(0).split(QStringLiteral("; "), Qt::SkipEmptyParts))
            ++counts[name];
    QList<FacetValue> out;
    out.reserve(counts.size());
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out.append({it.key(), it.key(), it.value()});
    return out;
}

} // namespace

QString authorFacetCondition(qsizetype n)
{
    // Whole names only: "Tri Dao" must not pick "Tri Daon".
    QStringList any;
    for (qsizetype i = 0; i < n; ++i)
        any << QStringLiteral("instr('; ' || p.authors || '; ', '; ' || ? || '; ') > 0");
    return QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

QList<FacetValue> Library::facet(Facet f, const QList<qint64> *within)
{
    if (f == Facet::Author) {
        QList<FacetValue> out = authorCounts(d->db, within);
        std::sort(out.begin(), out.end(), facetMoreCommon);
        return out;
    }
    // %1: the scope, where one is given; %2 is the column holding the paper id.
    const char *sql = nullptr;
    const char *paperColumn = "p.id";
    switch (f) {
    case Facet::Institution:
        sql = "SELECT i.name, i.name, count(*) FROM paper_institutions pi JOIN institutions i ON i.id = "
              "pi.institution_id %1"
              "GROUP BY i.id ORDER BY count(*) DESC, i.name COLLATE NOCASE";
        paperColumn = "pi.paper_id";
        break;
    case Facet::Venue:
        sql = "SELECT venue, venue, count(*) FROM papers p WHERE venue <> '' %1GROUP BY venue COLLATE NOCASE ORDER BY "
              "count(*) DESC, venue COLLATE NOCASE";
        break;
    case Facet::Year:
        sql = "SELECT year, year, count(*) FROM papers p WHERE year > 0 %1GROUP BY year ORDER BY year DESC";
        break;
    case Facet::Topic:
        sql = "SELECT t.key, t.name, count(*) FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id %1"
              "GROUP BY t.id ORDER BY count(*) DESC, t.name COLLATE NOCASE";
        paperColumn = "pt.paper_id";
        break;
    case Facet::Status:
        sql = "SELECT COALESCE(us.status, 0), '', count(*) FROM papers p LEFT JOIN user_state us ON us.paper_id = p.id "
              "%1GROUP BY 1 ORDER BY 1";
        break;
    case Facet::Tag:
        sql = "SELECT g.name, g.name, count(*) FROM paper_tags pg JOIN tags g ON g.id = pg.tag_id %1GROUP BY g.id "
              "ORDER BY g.name COLLATE NOCASE";
        paperColumn = "pg.paper_id";
        break;
    case Facet::Author:
        break;
    }
    QString scope;
    if (within) {
        const bool hasWhere = f == Facet::Venue || f == Facet::Year;
        scope = QStringLiteral("%1 %2 IN (SELECT value FROM json_each(?)) ")
                    .arg(hasWhere ? QStringLiteral("AND") : QStringLiteral("WHERE"), QLatin1String(paperColumn));
    }
    const QByteArray statement = QString::fromLatin1(sql).arg(scope).toUtf8();
    QList<FacetValue> out;
    auto st = d->db.prepare(statement.constData());
    if (within)
        st.bind(1, idsJson(*within));
    while (st.step()) {
        FacetValue v{st.text(0), st.text(1), st.integer(2)};
        if (f == Facet::Status) {
            v.value = readingStatusName(ReadingStatus(st.integer(0)));
            v.label = v.value.left(1).toUpper() + v.value.mid(1);
        }
        out.append(v);
    }
    return out;
}

FacetCounts Library::facetTop(Facet f, int top, const QStringList &keep, const QList<qint64> *within)
{
    // The index is read again whenever the library changed since: another connection committed
    // (data_version) or this one wrote (total changes).
    const Impl::State now = d->state();
    if (!d->facetIndex || now != d->facetIndexState) {
        d->facetIndex.reset();
        d->facetIndex = std::make_unique<FacetIndex>(d->db);
        d->facetIndexState = now;
    }
    return d->facetIndex->top(d->db, f, top, keep, within);
}

QString idsJson(const QList<qint64> &ids)
{
    QString json = QStringLiteral("[");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            json += QLatin1Char(',');
        json += QString::number(ids[i]);
    }
    return json + QLatin1Char(']');
}

} // namespace paperlab
