#include "kernelsoverview.h"

#include "kernelinfo.h"
#include "library.h"
#include "paperreference.h"

#include <QHeaderView>

namespace paperlab::playground {

KernelsOverview::KernelsOverview(Library &library, QWidget *parent)
    : QTreeWidget(parent)
    , m_library(library)
{
    setObjectName(QStringLiteral("kernelsOverview"));
    setHeaderLabels({tr("Kernel / paper"), tr("Variants / venue")});
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
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
            variants << v.displayName;
        auto *top = new QTreeWidgetItem(this, {k.displayName, variants.join(QStringLiteral("; "))});
        top->setToolTip(0, k.description);
        top->setData(0, Qt::UserRole + 1, k.id);
        // A kernel's paper is found by identity (arXiv id, title, short name, key however
        // spelled), so a library that keys it differently from the bundle still lists it.
        for (const QString &ref : k.paperKeys) {
            const auto id = findPaper(m_library, ref);
            const auto paper = id ? m_library.paper(*id) : std::nullopt;
            auto *child = new QTreeWidgetItem(top);
            if (paper) {
                child->setText(0, paper->title);
                child->setText(1, QStringLiteral("%1 %2")
                                      .arg(paper->venue)
                                      .arg(paper->year ? QString::number(paper->year) : QString()));
                child->setData(0, Qt::UserRole, paper->id);
            } else {
                child->setText(0, tr("%1 (not in this library)").arg(ref));
                child->setDisabled(true);
            }
        }
        top->setExpanded(true);
    }
}

} // namespace paperlab::playground
