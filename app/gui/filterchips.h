#pragma once
// The choices made in the facet tree, as chips beside the search bar ("Venue: ICML ×"), so a
// list of 0 papers never hides a forgotten filter; a chip's × takes its choice back.

#include "library.h"

#include <QWidget>

#include <functional>

class QHBoxLayout;

namespace paperlab::gui {

class FacetPanel;

class FilterChips : public QWidget {
    Q_OBJECT
public:
    // Follows `facets`: its filtersChanged rebuilds the chips; a × deselects in the tree.
    explicit FilterChips(FacetPanel *facets, QWidget *parent = nullptr);

    QStringList chipTexts() const; // what the chips say, in order (tests)

private:
    void rebuild(const QList<FacetFilter> &filters, bool recentOnly);
    void addChip(const QString &text, const QString &tip, std::function<void()> remove);

    FacetPanel *m_facets;
    QHBoxLayout *m_layout;
};

QString facetLabel(Facet facet); // "Venue", "Author", ...

} // namespace paperlab::gui
