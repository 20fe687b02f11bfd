#include "variantpicker.h"

#include "mathtext.h"

#include <QCheckBox>
#include <QVBoxLayout>

namespace paperlab::playground {

VariantPicker::VariantPicker(QWidget *parent)
    : QGroupBox(tr("Variants"), parent)
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("variantPicker"));
}

void VariantPicker::setKernel(const KernelInfo &kernel)
{
    qDeleteAll(m_checks);
    m_checks.clear();
    for (const VariantInfo &var : kernel.variants) {
        auto *c = new QCheckBox(mathAsUnicode(var.displayName), this);
        c->setObjectName(QStringLiteral("variant_") + var.id);
        c->setProperty("variant", var.id);
        c->setToolTip(mathAsUnicode(QStringLiteral("%1\n%2").arg(var.displayName, var.description)));
        c->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed); // a long name must not widen the form
        m_layout->addWidget(c);
        m_checks << c;
    }
}

void VariantPicker::applyDevice(const KernelInfo &kernel, bool cuda, const QStringList &defaults,
                                const QMap<QString, QString> &unavailable)
{
    for (QCheckBox *c : m_checks) {
        const VariantInfo *var = kernel.variant(c->property("variant").toString());
        if (!var)
            continue;
        const QString why = unavailable.value(var->id);
        c->setChecked(defaults.contains(var->id) && why.isEmpty());
        // The CPU reference can run beside CUDA variants; a baseline the host lacks cannot run.
        c->setEnabled((var->cuda == cuda || !var->cuda) && why.isEmpty());
        const QString name = mathAsUnicode(var->displayName);
        c->setText(why.isEmpty() ? name : tr("%1 (unavailable)").arg(name));
        c->setToolTip(why.isEmpty() ? QStringLiteral("%1\n%2").arg(name, mathAsUnicode(var->description))
                                    : tr("%1\nUnavailable on the runner's host: %2").arg(name, why));
    }
}

QStringList VariantPicker::checked() const
{
    QStringList out;
    for (QCheckBox *c : m_checks)
        if (c->isChecked() && c->isEnabled())
            out << c->property("variant").toString();
    return out;
}

} // namespace paperlab::playground
