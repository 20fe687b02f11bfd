#pragma once
// The left pane: "All papers", "Recently added/edited", saved searches, then one group per
// facet (institutions, venues, years, topics, reading status, tags) with paper counts.
// Selecting several values narrows the table: values of one facet are OR-ed, facets AND-ed.

#include "library.h"

#include <QTreeWidget>

namespace paperlab::gui {

class FacetPanel : public QTreeWidget {
    Q_OBJECT
public:
    enum ItemKind { AllPapers = 1, Recent, SavedSearchGroup, SavedSearch, FacetGroup, FacetValueItem };
    enum Role { KindRole = Qt::UserRole + 1, FacetRole, ValueRole };

    explicit FacetPanel(QWidget *parent = nullptr);

    // Re-reads counts and saved searches, keeping what was selected and expanded.
    void reload(Library &library);
    QList<FacetFilter> filters() const;
    bool recentOnly() const;
    // The item for a facet value, for tests and keyboard navigation; nullptr when absent.
    QTreeWidgetItem *findValue(Facet facet, const QString &value) const;
    QTreeWidgetItem *allPapersItem() const { return m_all; }

    static constexpr int kMaxValuesPerFacet = 400;   // huge libraries: the most common ones

signals:
    void filtersChanged(const QList<paperlab::FacetFilter> &filters, bool recentOnly);
    void savedSearchActivated(const QString &query);
    void deleteSavedSearchRequested(const QString &name);

private:
    void onSelectionChanged();
    void showContextMenu(const QPoint &pos);

    QTreeWidgetItem *m_all = nullptr;
    QTreeWidgetItem *m_recent = nullptr;
    QTreeWidgetItem *m_saved = nullptr;
    bool m_reloading = false;
};

} // namespace paperlab::gui
