#include "filterchips.h"

#include "facetpanel.h"

#include <QHBoxLayout>
#include <QToolButton>

namespace paperlab::gui {

QString facetLabel(Facet facet)
{
    switch (facet) {
    case Facet::Institution:
        return QObject::tr("Institution");
    case Facet::Venue:
        return QObject::tr("Venue");
    case Facet::Year:
        return QObject::tr("Year");
    case Facet::Topic:
        return QObject::tr("Topic");
    case Facet::Status:
        return QObject::tr("Status");
    case Facet::Tag:
        return QObject::tr("Tag");
    case Facet::Author:
        return QObject::tr("Author");
    }
    return {};
}

FilterChips::FilterChips(FacetPanel *facets, QWidget *parent)
    : QWidget(parent)
    , m_facets(facets)
    , m_layout(new QHBoxLayout(this))
{
    setObjectName(QStringLiteral("filterChips"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(3);
    connect(facets, &FacetPanel::filtersChanged, this, &FilterChips::rebuild);
    rebuild(facets->filters(), facets->recentOnly());
}

QStringList FilterChips::chipTexts() const
{
    QStringList out;
    for (int i = 0; i < m_layout->count(); ++i)
        if (const auto *chip = qobject_cast<QToolButton *>(m_layout->itemAt(i)->widget()))
            out << chip->text();
    return out;
}

void FilterChips::rebuild(const QList<FacetFilter> &filters, bool recentOnly)
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater(); // may be the chip whose × is being handled
        }
        delete item;
    }
    if (recentOnly)
        addChip(tr("Recently added/edited"), tr("Show every paper again"), [this] { m_facets->deselectRecent(); });
    for (const FacetFilter &filter : filters) {
        for (const QString &value : filter.values) {
            const Facet facet = filter.facet;
            const QString label = m_facets->labelOf(facet, value);
            addChip(QStringLiteral("%1: %2").arg(facetLabel(facet), label), tr("Remove this filter"),
                    [this, facet, value] { m_facets->deselect(facet, value); });
        }
    }
    setVisible(m_layout->count() > 0);
}

void FilterChips::addChip(const QString &text, const QString &tip, std::function<void()> remove)
{
    auto *chip = new QToolButton(this);
    chip->setObjectName(QStringLiteral("filterChip"));
    chip->setText(text + QStringLiteral("  ×"));
    chip->setToolTip(tip);
    chip->setAutoRaise(false);
    connect(chip, &QToolButton::clicked, this, [remove] { remove(); });
    m_layout->addWidget(chip);
}

} // namespace paperlab::gui
