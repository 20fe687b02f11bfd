#include "facetpanel.h"

#include "searchquery.h"

#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QSet>

#include <algorithm>

namespace paperlab::gui {
namespace {

QString groupTitle(Facet f)
{
    switch (f) {
    case Facet::Institution:
        return QObject::tr("Institutions");
    case Facet::Venue:
        return QObject::tr("Venues");
    case Facet::Year:
        return QObject::tr("Years");
    case Facet::Topic:
        return QObject::tr("Topics");
    case Facet::Status:
        return QObject::tr("Reading status");
    case Facet::Tag:
        return QObject::tr("Tags");
    case Facet::Author:
        return QObject::tr("Authors");
    }
    return {};
}

constexpr Facet kFacets[] = {Facet::Institution, Facet::Author, Facet::Venue, Facet::Year,
                             Facet::Topic,       Facet::Status, Facet::Tag};

QString selectionKey(const QList<FacetFilter> &filters)
{
    QString key;
    for (const FacetFilter &f : filters)
        key += QString::number(int(f.facet)) + QLatin1Char(':') + f.values.join(QChar(1)) + QChar(2);
    return key;
}

} // namespace

FacetPanel::FacetPanel(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderHidden(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setUniformRowHeights(true);
    setRootIsDecorated(true);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QTreeWidget::itemSelectionChanged, this, &FacetPanel::onSelectionChanged);
    connect(this, &QWidget::customContextMenuRequested, this, &FacetPanel::showContextMenu);
    // Enter or a click on a saved search runs it (it fills the search bar).
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, KindRole).toInt() == SavedSearch)
            emit savedSearchActivated(item->data(0, ValueRole).toString());
    });
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, KindRole).toInt() == SavedSearch)
            emit savedSearchActivated(item->data(0, ValueRole).toString());
    });
}

QString FacetPanel::scopeOf(const QString &searchText) const
{
    return withoutOneLetterWords(searchText.trimmed()) + QChar(3) + selectionKey(filters()) +
           QChar(recentOnly() ? '1' : '0');
}

FacetRequest FacetPanel::request(const QString &searchText, const QList<qint64> *idsInHand) const
{
    FacetRequest r;
    r.searchText = withoutOneLetterWords(searchText.trimmed());
    r.chosen = filters();
    r.recentOnly = recentOnly();
    if (idsInHand)
        r.idsInHand = *idsInHand;
    return r;
}

QHash<int, FacetCounts> FacetPanel::countFacets(Library &library, const FacetRequest &request,
                                                const std::function<bool()> &stale)
{
    // Each facet counts among the papers the search and the *other* facets' choices leave, so
    // a second venue can still be added to the first. Ids lists are shared between facets
    // that see the same choices; nothing narrowed: plain counts over every paper.
    const bool narrowed = !request.searchText.isEmpty() || !request.chosen.isEmpty() || request.recentOnly;
    QHash<QString, QList<qint64>> scopes;
    QHash<int, FacetCounts> counts;
    if (request.idsInHand)
        scopes.insert(selectionKey(request.chosen), *request.idsInHand);
    // The most common values and the chosen ones: an author facet has as many values as papers.
    auto countsOf = [&](Facet f, const QList<qint64> *within) {
        QStringList keep;
        for (const FacetFilter &filter : request.chosen)
            if (filter.facet == f)
                keep << filter.values;
        return library.facetTop(f, kMaxValuesPerFacet, keep, within);
    };
    for (Facet f : kFacets) {
        if (stale && stale())
            return {};
        if (!narrowed) {
            counts.insert(int(f), countsOf(f, nullptr));
            continue;
        }
        SearchOptions options;
        options.recentOnly = request.recentOnly;
        for (const FacetFilter &filter : request.chosen)
            if (filter.facet != f)
                options.facets << filter;
        const QString key = selectionKey(options.facets);
        if (!scopes.contains(key))
            scopes.insert(key, library.findIds(request.searchText, options));
        counts.insert(int(f), countsOf(f, &scopes[key]));
    }
    return counts;
}

void FacetPanel::reload(Library &library, const QString &searchText, const QList<qint64> *idsInHand)
{
    const FacetRequest r = request(searchText, idsInHand);
    QHash<int, FacetCounts> counts;
    try {
        counts = countFacets(library, r);
    } catch (const std::exception &) {
        // An invalid search (the bar says why) or a busy index: the counts stay as they were,
        // but the saved searches and totals below still need a first fill.
        if (m_hasCounts)
            return;
        counts = countFacets(library, FacetRequest());
    }
    applyCounts(library, counts, r);
}

void FacetPanel::applyCounts(Library &library, const QHash<int, FacetCounts> &counts, const FacetRequest &request)
{
    rebuild(library, counts, request.chosen);
    m_hasCounts = true;
}

void FacetPanel::showWithoutCounts(Library &library)
{
    rebuild(library, {}, filters());
    m_hasCounts = false;
}

void FacetPanel::rebuild(Library &library, const QHash<int, FacetCounts> &counts, const QList<FacetFilter> &chosen)
{
    // Remember the selection and expansion by (kind, facet, value) to restore them.
    QSet<QString> selected, expanded;
    auto keyOf = [](QTreeWidgetItem *i) {
        return QStringLiteral("%1|%2|%3")
            .arg(i->data(0, KindRole).toInt())
            .arg(i->data(0, FacetRole).toInt())
            .arg(i->data(0, ValueRole).toString());
    };
    // The facets open by default the first time they hold values (not in the tree without counts).
    const bool first = !m_hasCounts;
    // The counts change under the user's eyes as he types: keep his place in the tree.
    const QString current = currentItem() ? keyOf(currentItem()) : QString();
    const int scrolled = verticalScrollBar()->value();
    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        if ((*it)->isSelected())
            selected.insert(keyOf(*it));
        if ((*it)->isExpanded())
            expanded.insert(keyOf(*it));
    }

    m_reloading = true;
    clear();
    QFont bold = font();
    bold.setBold(true);

    m_all = new QTreeWidgetItem(this, {tr("All papers"), QString::number(library.paperCount())});
    m_all->setData(0, KindRole, AllPapers);
    m_recent = new QTreeWidgetItem(this, {tr("Recently added/edited")});
    m_recent->setData(0, KindRole, Recent);

    m_saved = new QTreeWidgetItem(this, {tr("Saved searches")});
    m_saved->setData(0, KindRole, SavedSearchGroup);
    m_saved->setFlags(Qt::ItemIsEnabled);
    m_saved->setFont(0, bold);
    for (const auto &[name, query] : library.savedSearches()) {
        auto *item = new QTreeWidgetItem(m_saved, {name});
        item->setData(0, KindRole, SavedSearch);
        item->setData(0, ValueRole, query);
        item->setToolTip(0, query);
        item->setFlags(Qt::ItemIsEnabled); // runs the query; not a narrowing to select
    }
    m_saved->setHidden(m_saved->childCount() == 0);

    for (Facet f : kFacets) {
        auto *group = new QTreeWidgetItem(this, {groupTitle(f)});
        group->setData(0, KindRole, FacetGroup);
        group->setData(0, FacetRole, int(f));
        group->setFlags(Qt::ItemIsEnabled);
        group->setFont(0, bold);
        QList<FacetValue> values = counts.value(int(f)).values;
        int distinct = counts.value(int(f)).distinct;
        // A chosen value stays in the tree (so it can be taken back) even where it counts 0.
        for (const FacetFilter &filter : chosen) {
            if (filter.facet != f)
                continue;
            for (const QString &v : filter.values)
                if (std::none_of(values.begin(), values.end(), [&](const FacetValue &x) { return x.value == v; })) {
                    values.prepend({v, f == Facet::Status ? v.left(1).toUpper() + v.mid(1) : v, 0});
                    ++distinct;
                }
        }
        int shown = 0;
        for (const FacetValue &v : values) {
            if (++shown > kMaxValuesPerFacet &&
                !selected.contains(QStringLiteral("%1|%2|%3").arg(int(FacetValueItem)).arg(int(f)).arg(v.value)))
                continue;
            auto *item = new QTreeWidgetItem(group, {v.label.isEmpty() ? v.value : v.label, QString::number(v.count)});
            item->setData(0, KindRole, FacetValueItem);
            item->setData(0, FacetRole, int(f));
            item->setData(0, ValueRole, v.value);
            item->setData(1, Qt::TextAlignmentRole, int(Qt::AlignRight | Qt::AlignVCenter));
            item->setToolTip(0, tr("%1 — %n paper(s)", nullptr, v.count).arg(item->text(0)));
        }
        group->setText(1, QString::number(distinct));
        group->setHidden(values.isEmpty());
        const bool open = first ? (f == Facet::Topic || f == Facet::Status) : expanded.contains(keyOf(group));
        group->setExpanded(open);
    }
    if (!first)
        m_saved->setExpanded(expanded.contains(keyOf(m_saved)));
    else
        m_saved->setExpanded(true);

    for (QTreeWidgetItemIterator it(this); *it; ++it) {
        if (selected.contains(keyOf(*it)))
            (*it)->setSelected(true);
        if (!current.isEmpty() && keyOf(*it) == current)
            setCurrentItem(*it, 0, QItemSelectionModel::NoUpdate);
    }
    if (selectedItems().isEmpty())
        m_all->setSelected(true);
    verticalScrollBar()->setValue(scrolled);
    m_reloading = false;
}

QList<FacetFilter> FacetPanel::filters() const
{
    QList<FacetFilter> out;
    for (Facet f : kFacets) {
        FacetFilter filter{f, {}};
        for (QTreeWidgetItem *item : selectedItems())
            if (item->data(0, KindRole).toInt() == FacetValueItem && item->data(0, FacetRole).toInt() == int(f))
                filter.values << item->data(0, ValueRole).toString();
        if (!filter.values.isEmpty())
            out << filter;
    }
    return out;
}

void FacetPanel::deselect(Facet facet, const QString &value)
{
    if (QTreeWidgetItem *item = findValue(facet, value))
        item->setSelected(false);
    if (selectedItems().isEmpty())
        m_all->setSelected(true); // also emits filtersChanged
}

void FacetPanel::deselectRecent()
{
    if (m_recent)
        m_recent->setSelected(false);
    if (selectedItems().isEmpty())
        m_all->setSelected(true);
}

QString FacetPanel::labelOf(Facet facet, const QString &value) const
{
    const QTreeWidgetItem *item = findValue(facet, value);
    return item ? item->text(0) : value;
}

bool FacetPanel::recentOnly() const
{
    return m_recent && m_recent->isSelected();
}

QTreeWidgetItem *FacetPanel::findValue(Facet facet, const QString &value) const
{
    for (QTreeWidgetItemIterator it(const_cast<FacetPanel *>(this)); *it; ++it)
        if ((*it)->data(0, KindRole).toInt() == FacetValueItem && (*it)->data(0, FacetRole).toInt() == int(facet) &&
            (*it)->data(0, ValueRole).toString() == value)
            return *it;
    return nullptr;
}

void FacetPanel::onSelectionChanged()
{
    if (m_reloading)
        return;
    // "All papers" is exclusive with any narrowing: picking it clears the rest, and vice versa.
    const QList<QTreeWidgetItem *> sel = selectedItems();
    if (sel.size() > 1 && m_all->isSelected()) {
        m_reloading = true;
        if (currentItem() == m_all) {
            for (QTreeWidgetItem *i : sel)
                if (i != m_all)
                    i->setSelected(false);
        } else {
            m_all->setSelected(false);
        }
        m_reloading = false;
    }
    emit filtersChanged(filters(), recentOnly());
}

void FacetPanel::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = itemAt(pos);
    if (!item || item->data(0, KindRole).toInt() != SavedSearch)
        return;
    QMenu menu(this);
    const QString name = item->text(0);
    menu.addAction(tr("Delete saved search “%1”").arg(name), this,
                   [this, name] { emit deleteSavedSearchRequested(name); });
    menu.exec(viewport()->mapToGlobal(pos));
}

} // namespace paperlab::gui
