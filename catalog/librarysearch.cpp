// Searching and browsing: the query language and facet filters become one SQL statement
// of fixed shape, with every value the user typed bound as a parameter.

#include "library_p.h"
#include "textnormalize.h"

#include <QRegularExpression>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>

namespace paperlab {
namespace {

// A substring the user typed, as a LIKE pattern that matches it literally: '%' and '_'
// are wildcards to LIKE ("author:%" matched every paper), so they are escaped with '\'
// (the statements say ESCAPE '\'), and so is '\' itself.
QString likeSubstring(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += QLatin1Char('%');
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QLatin1Char('%');
}

QString placeholders(qsizetype n)
{
    QStringList q;
    for (qsizetype i = 0; i < n; ++i)
        q.append(QStringLiteral("?"));
    return q.join(QLatin1Char(','));
}

// The order of a search with no words to rank, as papers_default_order (schema 8) holds it.
constexpr const char *kDefaultOrder = "p.year DESC, p.title COLLATE NOCASE";

const char *orderBy(SortKey key, bool hasFts)
{
    switch (key) {
    case SortKey::Relevance:
        return hasFts ? "bm25(paper_fts, 10.0, 8.0, 3.0, 2.0, 2.0, 3.0, 1.0)" : kDefaultOrder;
    case SortKey::Title:
        return "p.title COLLATE NOCASE";
    case SortKey::Abbr:
        return "p.abbr COLLATE NOCASE";
    case SortKey::Venue:
        return "p.venue COLLATE NOCASE";
    case SortKey::Year:
        return "p.year";
    case SortKey::Institutions:
        return "(SELECT i.name FROM paper_institutions pi JOIN institutions i ON i.id = pi.institution_id WHERE "
               "pi.paper_id = p.id ORDER BY pi.position LIMIT 1) COLLATE NOCASE";
    case SortKey::Topics:
        return "(SELECT min(t.name) FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id WHERE pt.paper_id = p.id) "
               "COLLATE NOCASE";
    case SortKey::Code:
        return "p.code_url = ''";
    case SortKey::Status:
        return "COALESCE(us.status, 0)";
    case SortKey::Rating:
        return "COALESCE(us.rating, 0)";
    case SortKey::Added:
        return "p.added_at";
    case SortKey::Updated:
        return "max(p.updated_at, COALESCE(us.updated_at, 0))";
    case SortKey::Authors:
        return "p.authors COLLATE NOCASE";
    case SortKey::Tags:
        return "(SELECT min(g.name) FROM paper_tags pg JOIN tags g ON g.id = pg.tag_id WHERE pg.paper_id = p.id) "
               "COLLATE NOCASE";
    }
    return "p.id";
}

// The phrases of an FTS expression made of phrases joined by the implicit AND alone, as bare
// words become ("kv"* "cache"* "quan"*); none when it holds an operator, a group, a column
// filter or a quoted phrase of the user's.
QStringList andedPhrases(const QString &fts)
{
    static const QRegularExpression phrase(QStringLiteral(R"(^"[^"\s]+"\*$)"));
    const QStringList parts = fts.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &p : parts)
        if (!phrase.match(p).hasMatch())
            return {};
    return parts;
}

// A word that FTS5 matches by merging the doclists of the terms it begins: the prefix indexes
// hold two and three letters (schema 7). `"word"*`: the word is 3 characters shorter.
bool mergesTerms(const QString &phrase)
{
    return phrase.size() - 3 >= 4;
}

} // namespace

QList<qint64> Library::findIds(const QString &queryText, const SearchOptions &options)
{
    return findIds(queryText, options, 0, {});
}

QList<qint64> Library::findIds(const QString &queryText, const SearchOptions &options, int firstCount,
                               const std::function<bool(const QList<qint64> &)> &firstRows)
{
    const QueryParse parsed = parseSearchQuery(queryText);
    if (!parsed.error.isEmpty())
        throw LibraryError(parsed.error);
    return d->findIds(parsed.query, options, firstCount, firstRows);
}

QList<qint64> Library::findIds(const SearchQuery &q, const SearchOptions &options)
{
    return d->findIds(q, options, 0, {});
}

QList<qint64> Library::Impl::findIds(const SearchQuery &q, const SearchOptions &options, int firstCount,
                                     const std::function<bool(const QList<qint64> &)> &firstRows)
{
    const QString userState = QStringLiteral(" LEFT JOIN user_state us ON us.paper_id = p.id");
    QString sql = QStringLiteral("SELECT p.id FROM papers p") + userState;
    QStringList where;
    QVariantList args;
    const bool hasFts = !q.fts.isEmpty();
    // Whether every filter reads only what papers_default_order holds (the year, the venue, the
    // id, checked against a set made once): see walkDefaultOrder below.
    bool indexHoldsFilters = true;
    if (hasFts) {
        sql = QStringLiteral("SELECT p.id FROM paper_fts CROSS JOIN papers p ON p.id = paper_fts.rowid") + userState;
        where << QStringLiteral("paper_fts MATCH ?");
        args << q.fts;
    }
    for (const QString &a : q.authors) {
        where << QStringLiteral("p.authors LIKE ? ESCAPE '\\'");
        args << likeSubstring(a);
        indexHoldsFilters = false;
    }
    for (const QString &v : q.venues) {
        where << QStringLiteral("p.venue = ? COLLATE NOCASE");
        args << v;
    }
    // A topic's papers as a set the plan can start from: checked paper by paper (EXISTS), a
    // half-typed "topic:kv" that names no topic read all 100,000 papers to find none (~33 ms).
    for (const QString &t : q.topics) {
        where << QStringLiteral("p.id IN (SELECT pt.paper_id FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id "
                                "WHERE t.key = ?)");
        args << t;
    }
    for (const QString &t : q.tags) {
        where << QStringLiteral("EXISTS (SELECT 1 FROM paper_tags pg JOIN tags g ON g.id = pg.tag_id WHERE pg.paper_id "
                                "= p.id AND g.name = ?)");
        args << t;
        indexHoldsFilters = false;
    }
    for (const QString &i : q.institutions) {
        where << QStringLiteral("EXISTS (SELECT 1 FROM paper_institutions pi JOIN institutions i ON i.id = "
                                "pi.institution_id WHERE pi.paper_id = p.id AND i.name LIKE ? ESCAPE '\\')");
        args << likeSubstring(i);
        indexHoldsFilters = false;
    }
    if (q.yearFrom) {
        where << QStringLiteral("p.year >= ?");
        args << q.yearFrom;
    }
    if (q.yearTo) {
        where << QStringLiteral("p.year <= ?");
        args << q.yearTo;
    }
    if (q.status) {
        where << QStringLiteral("COALESCE(us.status, 0) = ?");
        args << *q.status;
        indexHoldsFilters = false;
    }

    for (const FacetFilter &f : options.facets) {
        if (f.values.isEmpty())
            continue;
        const QString in = placeholders(f.values.size());
        switch (f.facet) {
        case Facet::Institution:
            where << QStringLiteral("p.id IN (SELECT pi.paper_id FROM paper_institutions pi JOIN institutions i ON "
                                    "i.id = pi.institution_id WHERE i.name IN (%1))")
                         .arg(in);
            break;
        case Facet::Venue:
            where << QStringLiteral("p.venue COLLATE NOCASE IN (%1)").arg(in);
            break;
        case Facet::Year:
            where << QStringLiteral("p.year IN (%1)").arg(in);
            break;
        case Facet::Topic:
            where << QStringLiteral("p.id IN (SELECT pt.paper_id FROM paper_topics pt JOIN topics t ON t.id = "
                                    "pt.topic_id WHERE t.key IN (%1))")
                         .arg(in);
            break;
        case Facet::Status:
            where << QStringLiteral("COALESCE(us.status, 0) IN (%1)").arg(in);
            indexHoldsFilters = false;
            break;
        case Facet::Tag:
            where << QStringLiteral("p.id IN (SELECT pg.paper_id FROM paper_tags pg JOIN tags g ON g.id = pg.tag_id "
                                    "WHERE g.name IN (%1))")
                         .arg(in);
            break;
        case Facet::Author:
            where << authorFacetCondition(f.values.size());
            indexHoldsFilters = false;
            break;
        }
        for (const QString &v : f.values) {
            if (f.facet == Facet::Year)
                args << v.toInt();
            else if (f.facet == Facet::Status)
                args << int(readingStatusFromName(v).value_or(ReadingStatus::Unread));
            else
                args << v;
        }
    }
    // The default order without words to rank, read off papers_default_order (schema 8), which
    // is that order (year DESC, title COLLATE NOCASE, id) and holds the venue: a statement with
    // a LIMIT stops after its first rows instead of sorting every match first (topic:kv_cache
    // at 100,000 papers sorted ~17,000 papers for a screen of 50). SQLite's plan reads such
    // filters' matches by id or venue and sorts them, whatever the LIMIT, hence INDEXED BY. A
    // filter matching nothing costs a walk of the whole index (~7 ms at 100,000 papers). A filter
    // the index does not hold (authors, status, ...) is left to SQLite's plan, which walks the
    // index reading each paper's row in its order (as it walked papers_year before, sorting each
    // year's papers by title); so is the complete list (no LIMIT: every match is read anyway).
    const bool walkDefaultOrder = indexHoldsFilters && !hasFts && options.sort == SortKey::Relevance &&
                                  !options.descending && !options.recentOnly;
    QString tail; // WHERE and ORDER BY
    if (!where.isEmpty())
        tail += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    // bm25 has to visit every match, a few microseconds each. Past this many matches the
    // list is ordered newest-added first instead (FTS5 walks its index in that order and
    // stops at the LIMIT), which keeps typing fluid in a library of 100,000 papers.
    constexpr int kMaxRankedMatches = 2000;
    bool rankByRecency = false;
    // The newest matches, read to tell which order applies. A word typed as a prefix is matched
    // by merging every term under it before the first row (e.g. "atte": every paper's
    // "attention"), so when these rows are the answer's first ones they are not read again.
    // The statement stays open: a newest-first search with filters beside its words reads on
    // from where it stopped (firstFromNewest below) instead of matching again.
    // Two or more bare words, one or more of them four letters or longer: the long words'
    // matches come from sets kept between keystrokes (matchesOfWord), intersected; the shorter
    // words, if any, are matched by the statement (their prefix indexes walk newest first and
    // stop early) and each row is kept when it is in the long words' intersection. A word
    // alone is matched as before: reading all its matches costs more than the first 2,001.
    // The library's state, read once for the kept sets below (a PRAGMA each time).
    std::optional<State> stateNow;
    auto currentState = [&] {
        if (!stateNow)
            stateNow = state();
        return *stateNow;
    };
    QList<qint64> newest;
    std::optional<Statement> matches;
    std::vector<qint64> longMatches; // sorted
    bool useLongWords = false;
    qsizetype longRead = 0;  // rows of longMatches read, newest first
    bool allMatched = false; // every match read: a finished statement stepped again starts over
    auto nextMatch = [&](qint64 &id) {
        if (allMatched)
            return false;
        if (!matches) {
            if (longRead < qsizetype(longMatches.size())) {
                id = longMatches[longMatches.size() - 1 - longRead++];
                return true;
            }
        } else {
            while (matches->step()) {
                id = matches->int64(0);
                if (!useLongWords || std::binary_search(longMatches.cbegin(), longMatches.cend(), id))
                    return true;
            }
        }
        allMatched = true;
        return false;
    };
    if (hasFts && options.sort == SortKey::Relevance) {
        QStringList longWords, shortWords;
        for (const QString &phrase : andedPhrases(q.fts))
            (mergesTerms(phrase) ? longWords : shortWords).append(phrase);
        if (longWords.size() >= 2 || (longWords.size() == 1 && !shortWords.isEmpty())) {
            try {
                const State now = currentState();
                std::vector<std::shared_ptr<const std::vector<qint64>>> sets;
                for (const QString &w : longWords)
                    sets.push_back(matchesOfWord(w, now));
                std::sort(sets.begin(), sets.end(), [](const auto &a, const auto &b) { return a->size() < b->size(); });
                longMatches = *sets.front();
                for (size_t i = 1; i < sets.size() && !longMatches.empty(); ++i) {
                    std::vector<qint64> both;
                    std::set_intersection(longMatches.cbegin(), longMatches.cend(), sets[i]->cbegin(), sets[i]->cend(),
                                          std::back_inserter(both));
                    longMatches.swap(both);
                }
                useLongWords = true;
            } catch (const SqlError &) {
                // an invalid word is reported by the main statement below
            }
        }
        const QString probed = useLongWords ? shortWords.join(QLatin1Char(' ')) : q.fts;
        try {
            if (!probed.isEmpty()) {
                matches.emplace(db.prepare("SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? ORDER BY rowid DESC"));
                matches->bind(1, probed);
            }
            qint64 id = 0;
            while (newest.size() <= kMaxRankedMatches && nextMatch(id))
                newest.append(id);
            rankByRecency = newest.size() > kMaxRankedMatches;
        } catch (const SqlError &) {
            // an invalid expression is reported by the main statement below
            matches.reset();
            useLongWords = false;
            newest.clear();
        }
    }
    const bool haveMatches = matches || useLongWords; // a source to read on from
    // In newest-first order with nothing but the words to match, the answer begins with those
    // rows: every indexed row is a paper's (the index is written with the papers, in their
    // transactions), and the joins add no condition.
    const bool newestAreFirst = rankByRecency && where.size() == 1 && !options.recentOnly;
    if (options.recentOnly) {
        tail += QStringLiteral(" ORDER BY max(p.updated_at, COALESCE(us.updated_at, 0)) DESC, p.id DESC LIMIT 50");
    } else {
        if (rankByRecency) {
            tail += QStringLiteral(" ORDER BY paper_fts.rowid DESC");
        } else {
            tail += QStringLiteral(" ORDER BY ") + QLatin1String(orderBy(options.sort, hasFts));
            if (options.descending)
                tail += QStringLiteral(" DESC");
            tail += QStringLiteral(", p.id");
        }
    }
    sql += tail;
    const QString walkedSql =
        walkDefaultOrder
            ? QStringLiteral("SELECT p.id FROM papers p INDEXED BY papers_default_order") + userState + tail
            : sql;
    // (The newest changes have their own LIMIT.)
    const bool limited = options.limit >= 0 && !options.recentOnly;
    const QString limitSuffix = limited ? QStringLiteral(" LIMIT %1").arg(options.limit) : QString();

    QList<qint64> ids;
    try {
        auto runWith = [&](const QString &text, const QVariantList &values) {
            const QByteArray utf8 = text.toUtf8();
            auto st = db.prepare(utf8.constData());
            for (int i = 0; i < values.size(); ++i)
                st.bind(i + 1, values[i]);
            QList<qint64> out;
            while (st.step())
                out.append(st.int64(0));
            return out;
        };
        auto run = [&](const QString &text) { return runWith(text, args); };
        // Newest first with other filters beside the words: the answer's first rows are the
        // newest matches that pass them, so they are filtered from the rows in hand instead of
        // matching again, which merges a typed prefix's doclists a second time (venue:ICML
        // sparse attenti: ~10 ms of a keystroke's 21 ms at 100,000 papers). When fewer than
        // `count` of the rows in hand pass, the open statement reads on (year:2024 decod passes
        // every 2025 and 2026 match first), each match tested against the set of papers that
        // pass the filters (filterSet), read once and kept while only the words change: testing
        // 4,096 matches a chunk in SQL (json_each, a papers row each) took ~1.7 µs a match, 21-42
        // ms of such a keystroke. Past kMaxFilteredWalk matches the full statement decides.
        constexpr qsizetype kMaxFilteredWalk = 65536;
        auto firstFromNewest = [&](int count) -> std::optional<QList<qint64>> {
            if (!rankByRecency || newestAreFirst || options.recentOnly || count > newest.size() || where.size() < 2)
                return std::nullopt;
            const QString conditions = QStringList(where.mid(1)).join(QStringLiteral(" AND "));
            const QVariantList filterArgs = args.mid(1); // where[0] is the MATCH, args[0] its text
            const State now = currentState();
            const bool setHeld = filterSet && filterSet->conditions == conditions && filterSet->args == filterArgs &&
                                 filterSet->state == now;
            QList<qint64> first;
            if (!setHeld) {
                // The newest matches alone, filtered in SQL: most filtered searches find a
                // screen among them, and the whole set can cost more than this (author:han
                // reads every paper's authors).
                QVariantList values{idsJson(newest)};
                values += filterArgs;
                values += QVariant(qint64(count));
                first = runWith(QStringLiteral("SELECT p.id FROM papers p") + userState +
                                    QStringLiteral(" WHERE p.id IN (SELECT value FROM json_each(?)) AND ") +
                                    conditions + QStringLiteral(" ORDER BY p.id DESC LIMIT ?"),
                                values);
                if (first.size() >= count)
                    return first;
                if (!haveMatches)
                    return std::nullopt;
                filterSet.reset();
                const QList<qint64> passing = runWith(QStringLiteral("SELECT p.id FROM papers p") + userState +
                                                          QStringLiteral(" WHERE ") + conditions,
                                                      filterArgs);
                FilterSet set{conditions, filterArgs, now, {passing.cbegin(), passing.cend()}};
                std::sort(set.ids.begin(), set.ids.end());
                filterSet = std::move(set);
            }
            const std::vector<qint64> &passes = filterSet->ids;
            auto pass = [&](qint64 id) { return std::binary_search(passes.cbegin(), passes.cend(), id); };
            if (setHeld)
                for (qsizetype i = 0; i < newest.size() && first.size() < count; ++i)
                    if (pass(newest[i]))
                        first.append(newest[i]);
            qsizetype read = newest.size();
            while (first.size() < count) {
                if (!haveMatches || read >= kMaxFilteredWalk)
                    return std::nullopt;
                qint64 id = 0;
                if (!nextMatch(id))
                    break; // every match read: these are all that pass
                ++read;
                if (pass(id))
                    first.append(id);
            }
            return first; // a screen, or every match read and these are all that pass
        };
        // The first screen from a statement with its own LIMIT: without one SQLite plans for
        // the whole list (a join order or a full sort before the first row), which measured
        // slower to the first rows at 100,000 papers (keystroke p99 42 ms against 31 ms).
        if (newestAreFirst && options.limit >= 0 && options.limit <= newest.size())
            return newest.mid(0, options.limit);
        if (limited)
            if (auto first = firstFromNewest(options.limit))
                return *first;
        const bool wantsFirst = firstRows && firstCount > 0 && !options.recentOnly && options.limit < 0;
        if (wantsFirst) {
            if (newestAreFirst && firstCount <= newest.size())
                ids = newest.mid(0, firstCount);
            else if (auto first = firstFromNewest(firstCount))
                ids = *first;
            else
                ids = run(walkedSql + QStringLiteral(" LIMIT %1").arg(firstCount));
            if (ids.size() < firstCount || !firstRows(ids))
                return ids; // complete already, or no longer wanted
        }
        ids = limited ? run(walkedSql + limitSuffix) : run(sql);
    } catch (const SqlError &e) {
        // Only a malformed query is the user's query's fault; busy, damaged or read-only
        // files go up as they are, to be explained (explainFailure) as such.
        if (e.primaryCode() != 1 /* SQLITE_ERROR */)
            throw;
        QString msg = e.message();
        if (msg.contains(QLatin1String("fts5")))
            msg = QStringLiteral("invalid search: %1").arg(msg.section(QLatin1String(": "), -1));
        throw LibraryError(msg);
    }
    return ids;
}

std::shared_ptr<const std::vector<qint64>> Library::Impl::matchesOfWord(const QString &phrase, const State &now)
{
    for (const WordMatches &w : wordMatches)
        if (w.phrase == phrase && w.state == now)
            return w.ids;
    auto st = db.prepare("SELECT rowid FROM paper_fts WHERE paper_fts MATCH ? ORDER BY rowid");
    st.bind(1, phrase);
    auto ids = std::make_shared<std::vector<qint64>>();
    while (st.step())
        ids->push_back(st.int64(0));
    // The words of the query being typed stay; older ones and those of another state go.
    std::erase_if(wordMatches, [&](const WordMatches &w) { return w.state != now; });
    constexpr size_t kWordsKept = 8;
    if (wordMatches.size() >= kWordsKept)
        wordMatches.erase(wordMatches.begin());
    wordMatches.push_back({phrase, now, ids});
    return ids;
}

QString Library::highlightedTitle(qint64 id, const QString &queryText)
{
    const QueryParse parsed = parseSearchQuery(queryText);
    QString title;
    if (!parsed.error.isEmpty() || parsed.query.fts.isEmpty()) {
        auto st = d->db.prepare("SELECT title FROM papers WHERE id = ?");
        st.bind(1, id);
        return st.step() ? st.text(0).toHtmlEscaped() : QString();
    }
    try {
        // Markers that cannot occur in a title, swapped for tags after escaping.
        auto st = d->db.prepare(
            "SELECT highlight(paper_fts, 0, char(1), char(2)) FROM paper_fts WHERE paper_fts MATCH ? AND rowid = ?");
        st.bind(1, parsed.query.fts).bind(2, id);
        if (st.step())
            title = st.text(0);
    } catch (const SqlError &) {
    }
    if (title.isEmpty()) {
        auto st = d->db.prepare("SELECT title FROM papers WHERE id = ?");
        st.bind(1, id);
        if (st.step())
            title = st.text(0);
    }
    return title.toHtmlEscaped().replace(QChar(1), QStringLiteral("<b>")).replace(QChar(2), QStringLiteral("</b>"));
}

} // namespace paperlab
