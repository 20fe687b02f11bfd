#include "kernelsoverview.h"

#include "kernelinfo.h"
#include "library.h"
#include "mathtext.h"
#include "paperreference.h"

#include <QHeaderView>
#include <QStyle>
#include <QTreeWidgetItemIterator>

#include <algorithm>

namespace paperlab::playground {

KernelsOverview::KernelsOverview(Library &library, QWidget *parent)
    : QTreeWidget(parent)
    , m_library(library)
{
    setObjectName(QStringLiteral("kernelsOverview"));
    setHeaderLabels({tr("Kernel / paper"), tr("Variants / venue")});
    // Sized to its longest title, the first column pushed variants and venues out of the
    // window: it takes what it needs up to three fifths, and long titles are elided (their
    // whole text in the tooltip).
    header()->setSectionResizeMode(0, QHeaderView::Interactive);
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const qint64 id = item->data(0, Qt::UserRole).toLongLong();
        if (id > 0)
            emit paperActivated(id);
    });
    reload();
}

void KernelsOverview::reload()
{
    clear();
    for (const KernelInfo &k : localKernels()) {
        QStringList variants;
        for (const VariantInfo &v : k.variants)
            variants << mathAsUnicode(v.displayName);
        // Plain text: "SageAttention (INT8 QKᵀ)", not "QK^T".
        auto *top = new QTreeWidgetItem(this, {mathAsUnicode(k.displayName), variants.join(QStringLiteral("; "))});
        top->setToolTip(0, mathAsUnicode(k.description));
        top->setToolTip(1, variants.join(QLatin1Char('\n')));
        top->setData(0, Qt::UserRole + 1, k.id);
        // The kernel's papers, then those of single variants (FlashAttention-3: flash_tma).
        QList<std::pair<QString, QString>> refs; // reference, variant id (empty: the kernel)
        for (const QString &ref : k.paperKeys)
            refs.append({ref, QString()});
        for (const VariantInfo &v : k.variants)
            for (const QString &ref : v.paperKeys)
                refs.append({ref, v.id});
        // A kernel's paper is found by identity (arXiv id, title, short name, key however
        // spelled), so a library that keys it differently from the bundle still lists it.
        for (const auto &[ref, variant] : std::as_const(refs)) {
            const auto id = findPaper(m_library, ref);
            const auto paper = id ? m_library.paper(*id) : std::nullopt;
            auto *child = new QTreeWidgetItem(top);
            if (!variant.isEmpty())
                child->setToolTip(0, tr("Implemented by the variant %1").arg(variant));
            if (paper) {
                const QString title = mathAsUnicode(paper->title); // "H₂O", not "H$_2$O"
                const QString opens = tr("Double-click or Enter: its playground");
                child->setToolTip(0, variant.isEmpty()
                                         ? tr("%1\n%2").arg(title, opens)
                                         : tr("%1\nImplemented by the variant %2\n%3").arg(title, variant, opens));
                child->setText(0, variant.isEmpty() ? title : tr("%1 (variant %2)").arg(title, variant));
                child->setText(1, QStringLiteral("%1 %2")
                                      .arg(paper->venue)
                                      .arg(paper->year ? QString::number(paper->year) : QString()));
                child->setData(0, Qt::UserRole, paper->id);
            } else {
                child->setText(0, variant.isEmpty() ? tr("%1 (not in this library)").arg(ref)
                                                    : tr("%1 (variant %2; not in this library)").arg(ref, variant));
                child->setDisabled(true);
            }
        }
        top->setExpanded(true);
    }
    fitColumns();
}

QSize KernelsOverview::preferredSize(const QSize &available) const
{
    int rows = 0;
    for (QTreeWidgetItemIterator it(const_cast<KernelsOverview *>(this)); *it; ++it)
        ++rows;
    const int frame = 2 * frameWidth();
    // The scroll bar's width is kept free: a shorter screen needs it.
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
    const int columnGap = 24; // between the title and the variants, not flush
    const QSize whole(frame + scrollBar + columnGap + sizeHintForColumn(0) + sizeHintForColumn(1),
                      frame + header()->sizeHint().height() + rows * std::max(1, sizeHintForRow(0)));
    const QSize most(available.width() * 9 / 10, available.height() * 4 / 5);
    return whole.expandedTo(QSize(720, 480)).boundedTo(most);
}

void KernelsOverview::resizeEvent(QResizeEvent *event)
{
    QTreeWidget::resizeEvent(event);
    fitColumns();
}

void KernelsOverview::fitColumns()
{
    setColumnWidth(0, std::min(sizeHintForColumn(0), viewport()->width() * 3 / 5));
}

} // namespace paperlab::playground
