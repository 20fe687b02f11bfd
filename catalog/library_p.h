#pragma once
// Internals shared by the Library's source files (open/read, import, search).

#include "facetindex.h"
#include "library.h"
#include "sqlitedb.h"

#include <memory>
#include <optional>
#include <vector>

namespace paperlab {

// External-content FTS5 forgets a row only when told its old values: read them from the
// view the index is built on, before the row changes.
inline constexpr const char *kFtsRemoveSql =
    "INSERT INTO paper_fts(paper_fts, rowid, title, abbr, authors, institutions, venue, topics, note) "
    "SELECT 'delete', id, title, abbr, authors, institutions, venue, topics, note FROM paper_search WHERE id = ?";

inline constexpr const char *kFtsAddSql =
    "INSERT INTO paper_fts(rowid, title, abbr, authors, institutions, venue, topics, note) "
    "SELECT id, title, abbr, authors, institutions, venue, topics, note FROM paper_search WHERE id = ?";

struct Library::Impl {
    explicit Impl(const QString &path)
        : db(path)
    {}
    Database db;
    // The library's content as this connection sees it: other connections' commits
    // (data_version) and this one's own writes (total changes). What a cache below read stays
    // right while the state is the one it was read at.
    struct State {
        qint64 version = -1;
        qint64 changes = -1;
        bool operator==(const State &) const = default;
    };
    State state() { return {db.dataVersion(), db.totalChanges()}; }
    // Every paper's facet values, for counts under a search (Library::facetTop), with the
    // library's state it was read at.
    std::unique_ptr<FacetIndex> facetIndex;
    State facetIndexState;
    // The ids of every paper that passes a search's filters other than its words, sorted: a
    // newest-first search that reads on past its newest matches (librarysearch.cpp) tests each
    // match against it. Typing changes the words, not the filters, so it is kept until the
    // filters change or the library does (State).
    struct FilterSet {
        QString conditions;
        QVariantList args;
        State state;
        std::vector<qint64> ids;
    };
    std::optional<FilterSet> filterSet;
    // The papers a long word of a search matches (sorted rowids), for the last few words: FTS5
    // merges the doclists of every term a word of four letters or more begins on each match,
    // so typing "kv cache quan" merged "cache*" again at every key (librarysearch.cpp).
    struct WordMatches {
        QString phrase;
        State state;
        std::shared_ptr<const std::vector<qint64>> ids;
    };
    std::vector<WordMatches> wordMatches;
    std::shared_ptr<const std::vector<qint64>> matchesOfWord(const QString &phrase, const State &now);

    // External-content FTS5 must be told the old values before a row changes.
    void ftsRemove(qint64 id);
    void ftsAdd(qint64 id);
    qint64 institutionId(const QString &name);
    qint64 topicId(const QString &name);
    qint64 tagId(const QString &name);
    void touchUserState(qint64 id);
    // Library::findIds, streaming its first rows (librarysearch.cpp).
    QList<qint64> findIds(const SearchQuery &q, const SearchOptions &options, int firstCount,
                          const std::function<bool(const QList<qint64> &)> &firstRows);
};

// Paper ids as a JSON array ("[3,1,2]"), bound to `IN (SELECT value FROM json_each(?))`:
// one parameter for any number of ids (libraryfacets.cpp).
QString idsJson(const QList<qint64> &ids);

// The WHERE condition of an author facet filter with n values (any of them, each one whole
// name of the "; "-joined authors), one bound parameter per value (libraryfacets.cpp).
QString authorFacetCondition(qsizetype n);

inline qint64 nowSecs()
{
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace paperlab
