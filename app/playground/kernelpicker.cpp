#include "kernelpicker.h"

#include "elidingcombo.h"
#include "mathtext.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

namespace paperlab::playground {

KernelPicker::KernelPicker(const QList<PaperKernel> &kernels, QWidget *parent)
    : QWidget(parent)
    , m_kernels(kernels)
    , m_box(new ElidingComboBox(this))
    , m_note(new QLabel(this))
{
    m_box->setObjectName(QStringLiteral("kernelBox"));
    for (const PaperKernel &pk : m_kernels) {
        const KernelInfo *k = findLocalKernel(pk.kernelId);
        const QString name = k ? mathAsUnicode(k->displayName) : pk.kernelId; // "QKᵀ", not "QK^T"
        m_box->addItem(pk.own ? name : tr("%1 (related)").arg(name), pk.kernelId);
    }
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("kernelNote"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_box);
    layout->addWidget(m_note);
    connect(m_box, &QComboBox::currentIndexChanged, this, [this] {
        describe();
        emit kernelChanged();
    });
    describe();
}

QString KernelPicker::kernelId() const
{
    return m_box->currentData().toString();
}

const KernelInfo *KernelPicker::kernel() const
{
    return findLocalKernel(kernelId());
}

QString KernelPicker::paperVariant() const
{
    const int i = m_box->currentIndex();
    return i >= 0 && i < m_kernels.size() ? m_kernels.at(i).variant : QString();
}

QString KernelPicker::note() const
{
    return m_note->text();
}

bool KernelPicker::select(const QString &kernelId)
{
    const int i = m_box->findData(kernelId);
    if (i >= 0)
        m_box->setCurrentIndex(i);
    return i >= 0;
}

void KernelPicker::describe()
{
    const KernelInfo *k = kernel();
    if (!k || m_box->currentIndex() < 0) {
        m_note->clear();
        return;
    }
    const PaperKernel &pk = m_kernels.at(m_box->currentIndex());
    const QString description = mathAsUnicode(k->description);
    m_note->setText(pk.own ? tr("This paper's kernel (%1). %2").arg(pk.reason, description)
                           : tr("<i>Related, not this paper's own kernel</i> (%1). %2").arg(pk.reason, description));
}

} // namespace paperlab::playground
