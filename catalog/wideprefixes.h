#pragma once
// Search as you type's slowest keystrokes: a bare word that begins thousands of indexed terms
// ("auth" in a library with 20,000 author names spelled Author1…Author19999). The prefix
// indexes stop at 3 letters, so FTS5 reads and merges the doclist of every term under a
// longer prefix before it returns the first row: about 3.5 µs a term, 70 ms for 20,000 (and
// findIds runs the match again for a complete list or a ranked first screen). The first
// screen of each such prefix is computed ahead, off the GUI thread, once per library version.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace paperlab {

class Library;

// A prefix below this many terms costs a few milliseconds: not worth computing ahead.
constexpr int kWidePrefixMinTerms = 1000;

// The key a typed query has in the first-page table: the word lower-cased when the query is
// one bare word of 4 or more ASCII letters and digits (what FTS5 folds the same way in every
// build); empty otherwise.
QString widePrefixKey(const QString &queryText);

// Every prefix of 4 or more ASCII letters and digits that begins at least `minTerms` distinct
// terms of the search index, in term order; stops early (what it has) when `stop` is set.
QStringList wideSearchPrefixes(Library &library, int minTerms = kWidePrefixMinTerms,
                               const std::atomic_bool *stop = nullptr);

// The first `pageSize` ids Library::findIds returns for each wide prefix typed as a query with
// the default options (relevance order), read in one snapshot, the widest first. `afterEach`
// sees the pages computed so far after each prefix (the widest are the slowest to type: they
// can be used before the rest are done). Returns early (what it has) when `stop` is set.
using WidePrefixPages = QHash<QString, QList<qint64>>;
WidePrefixPages firstPagesOfWidePrefixes(Library &library, int pageSize, const std::atomic_bool *stop = nullptr,
                                         int minTerms = kWidePrefixMinTerms,
                                         const std::function<void(const WidePrefixPages &)> &afterEach = {});

} // namespace paperlab
