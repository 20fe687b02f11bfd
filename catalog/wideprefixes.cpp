#include "wideprefixes.h"

#include "library.h"
#include "sqlitedb.h"

#include <algorithm>

namespace paperlab {
namespace {

constexpr int kMinPrefix = 4; // the index's own prefix indexes serve 1-3 letters (schema.cpp)

bool isAsciiWordChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

} // namespace

QString widePrefixKey(const QString &queryText)
{
    const QString word = queryText.trimmed();
    if (word.size() < kMinPrefix || !std::all_of(word.begin(), word.end(), isAsciiWordChar))
        return {};
    // Upper-case NEAR is an FTS5 keyword, not a word: keep it away from the word's page.
    if (word == u"NEAR")
        return {};
    return word.toLower();
}

namespace {

struct WidePrefix {
    QString prefix;
    int terms = 0;
};

QList<WidePrefix> widePrefixesWithCounts(Library &library, int minTerms, const std::atomic_bool *stop)
{
    Database &db = library.database();
    // fts5vocab lists the index's distinct terms in order, so the terms under one prefix are
    // consecutive: one pass counts the run under every prefix length at once.
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.paper_fts_terms USING fts5vocab(main, 'paper_fts', 'row')");
    auto st = db.prepare("SELECT term FROM temp.paper_fts_terms");
    QList<WidePrefix> wide;
    QList<QString> current; // per length from kMinPrefix: the prefix being counted
    QList<int> counts;
    auto close = [&](int level) {
        if (counts[level] >= minTerms)
            wide.append({current[level], counts[level]});
    };
    for (int n = 0; st.step(); ++n) {
        if (stop && n % 4096 == 0 && stop->load())
            break;
        const QString term = st.text(0);
        int ascii = 0; // how many leading characters are ASCII letters and digits
        while (ascii < term.size() && isAsciiWordChar(term[ascii]))
            ++ascii;
        const int levels = std::max(0, int(ascii) - kMinPrefix + 1);
        for (int level = 0; level < std::max(levels, int(current.size())); ++level) {
            const bool has = level < levels;
            if (level >= current.size()) {
                current.append(QString());
                counts.append(0);
            }
            const QStringView prefix = QStringView(term).left(has ? kMinPrefix + level : 0);
            if (has && current[level] == prefix) {
                ++counts[level];
                continue;
            }
            if (!current[level].isEmpty())
                close(level);
            current[level] = has ? prefix.toString() : QString();
            counts[level] = has ? 1 : 0;
        }
    }
    for (int level = 0; level < current.size(); ++level)
        if (!current[level].isEmpty())
            close(level);
    return wide;
}

} // namespace

QStringList wideSearchPrefixes(Library &library, int minTerms, const std::atomic_bool *stop)
{
    QStringList out;
    for (const WidePrefix &w : widePrefixesWithCounts(library, minTerms, stop))
        out.append(w.prefix);
    std::sort(out.begin(), out.end());
    return out;
}

WidePrefixPages firstPagesOfWidePrefixes(Library &library, int pageSize, const std::atomic_bool *stop, int minTerms,
                                         const std::function<void(const WidePrefixPages &)> &afterEach)
{
    WidePrefixPages pages;
    ReadTransaction snapshot(library.database());
    SearchOptions first;
    first.limit = pageSize;
    // The widest (slowest to type) first: a fill cut short by the next change has done those.
    QList<WidePrefix> wide = widePrefixesWithCounts(library, minTerms, stop);
    std::stable_sort(wide.begin(), wide.end(),
                     [](const WidePrefix &a, const WidePrefix &b) { return a.terms > b.terms; });
    for (const WidePrefix &w : wide) {
        if (stop && stop->load())
            break;
        pages.insert(w.prefix, library.findIds(w.prefix, first));
        if (afterEach)
            afterEach(pages);
    }
    return pages;
}

} // namespace paperlab
