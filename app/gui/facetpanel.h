#pragma once
// The left pane: "All papers", "Recently added/edited", saved searches, then one group per
// facet (institutions, authors, venues, years, topics, reading status, tags) with paper
// counts. Selecting several values narrows the table: values of one facet are OR-ed, facets
// AND-ed. The counts follow the search and the other facets' choices, as in the catalogue
// tools people know: a value's count is what choosing it would add to the list.

#include "library.h"

#include <QTreeWidget>

#include <functional>
#include <optional>

namespace paperlab::gui {

// What the facet counts are asked for: the search, the choices in the tree, and the ids the
// table already holds for exactly these (then no facet without a choice of its own searches again).
struct FacetRequest {
    QString searchText; // without one-letter words, trimmed
    QList<FacetFilter> chosen;
    bool recentOnly = false;
    std::optional<QList<qint64>> idsInHand;
};

class FacetPanel : public QTreeWidget {
    Q_OBJECT
public:
    enum ItemKind { AllPapers = 1, Recent, SavedSearchGroup, SavedSearch, FacetGroup, FacetValueItem };
    enum Role { KindRole = Qt::UserRole + 1, FacetRole, ValueRole };

    explicit FacetPanel(QWidget *parent = nullptr);

    // Re-reads counts and saved searches, keeping what was selected and expanded. Counts are
    // among the papers `searchText` finds (all papers when empty), within the other facets'
    // choices; values without papers there are hidden, unless chosen.
    // `idsInHand`: every id the search and all the current choices return (the table's complete
    // list), when the caller holds it: the facets without a choice of their own count among
    // those instead of running the search again (most of the time under a search at 100,000 papers).
    void reload(Library &library, const QString &searchText = {}, const QList<qint64> *idsInHand = nullptr);
    // reload() in two halves, for counting on another thread (FacetCounter): what to count,
    // the counting (throws LibraryError on an invalid search; returns nothing once `stale`
    // says a newer request waits), and showing the counts.
    FacetRequest request(const QString &searchText, const QList<qint64> *idsInHand = nullptr) const;
    static QHash<int, FacetCounts> countFacets(Library &library, const FacetRequest &request,
                                               const std::function<bool()> &stale = {});
    void applyCounts(Library &library, const QHash<int, FacetCounts> &counts, const FacetRequest &request);
    // The tree without any facet value ("All papers", saved searches): what the first paint
    // shows while the counts, which read every paper, wait for reload().
    void showWithoutCounts(Library &library);
    bool hasCounts() const { return m_hasCounts; }
    // What a list of ids answers (search text, choices, "recent"): ids in hand count for
    // reload() only while this is unchanged.
    QString scopeOf(const QString &searchText) const;
    // Takes one choice back (a filter chip's ×); emits filtersChanged.
    void deselect(Facet facet, const QString &value);
    void deselectRecent();
    // What a chosen value is called in the tree ("Reading", "Tri Dao").
    QString labelOf(Facet facet, const QString &value) const;
    QList<FacetFilter> filters() const;
    bool recentOnly() const;
    // The item for a facet value, for tests and keyboard navigation; nullptr when absent.
    QTreeWidgetItem *findValue(Facet facet, const QString &value) const;
    QTreeWidgetItem *allPapersItem() const { return m_all; }

    static constexpr int kMaxValuesPerFacet = 400; // huge libraries: the most common ones

signals:
    void filtersChanged(const QList<paperlab::FacetFilter> &filters, bool recentOnly);
    void savedSearchActivated(const QString &query);
    void deleteSavedSearchRequested(const QString &name);

private:
    void onSelectionChanged();
    void rebuild(Library &library, const QHash<int, FacetCounts> &counts, const QList<FacetFilter> &chosen);
    void showContextMenu(const QPoint &pos);

    QTreeWidgetItem *m_all = nullptr;
    QTreeWidgetItem *m_recent = nullptr;
    QTreeWidgetItem *m_saved = nullptr;
    bool m_reloading = false;
    bool m_hasCounts = false;
};

} // namespace paperlab::gui
