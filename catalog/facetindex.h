#pragma once
// The facet tree's counts under a search, in memory: every paper's facet values read once
// (one pass over each facet's table), then counted for any set of ids by walking the ids.
// At 100,000 papers the SQL GROUP BYs over a search's ids took 50–180 ms a facet (each reads
// a row per id, and the author facet split every paper's joined names); counting held value
// numbers takes a few milliseconds for all seven. Counts, values, labels and order are those
// of Library::facet(), which stays the reference (tst_facetindex compares them).

#include "library.h"

#include <QHash>

#include <vector>

namespace paperlab {

class Database;

// The author facet's order: most papers first; ties by name in SQLite's NOCASE order (ASCII
// letters folded, then UTF-8 bytes), then as spelled — the order of the authors_order index.
bool facetMoreCommon(const FacetValue &a, const FacetValue &b);

class FacetIndex {
public:
    // Reads every paper's values of every facet (one statement a facet; author names are read
    // only when shown).
    explicit FacetIndex(Database &db);

    // The first `top` values (all when negative) in Library::facet()'s order, then the values
    // of `keep` ranked below them; `within`: count among those papers only (ids not in the
    // library are ignored, as the SQL IN ignores them; a repeated id counts once). `db` is the
    // one the index was read from (author names).
    FacetCounts top(Database &db, Facet facet, int top, const QStringList &keep, const QList<qint64> *within);

private:
    // One facet: its values and, per paper slot, the indexes of the values it holds.
    struct Column {
        QList<FacetValue> values; // count unused; authors: empty until named (nameOf)
        std::vector<int> offsets; // per slot, into items; one more entry than slots
        std::vector<int> items;
        std::vector<int> rank;     // authors: the position in the tie order
        std::vector<qint64> rowId; // authors: the authors row of each value
    };
    Column &column(Facet f) { return m_columns[int(f)]; }
    int slotOf(qint64 id) const;
    const QString &nameOf(Database &db, int author);

    std::vector<int> m_slotById; // paper id -> slot, -1 where none
    int m_slots = 0;
    Column m_columns[7];
    QHash<qint64, int> m_authorByRowId;
};

} // namespace paperlab
