#include "paramform.h"

#include "wheelguard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace paperlab::playground {

ParamForm::ParamForm(ParamFormModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    connect(model, &QAbstractItemModel::modelReset, this, &ParamForm::rebuild);
    rebuild();
}

QWidget *ParamForm::editor(const QString &name) const
{
    return findChild<QWidget *>(QStringLiteral("param_") + name);
}

void ParamForm::setSwept(const QString &name)
{
    m_swept = name;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString param = m_model->param(row).name;
        if (QWidget *w = editor(param)) {
            w->setEnabled(param != name);
            w->setToolTip(param == name ? tr("Swept: set its values under Sweep") : m_model->param(row).description);
        }
    }
}

void ParamForm::rebuild()
{
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const ParamInfo &p = m_model->param(row);
        auto *label = new QLabel(p.name, this);
        label->setToolTip(p.description);
        m_layout->addRow(label, makeEditor(row));
    }
    setSwept(m_swept);
}

QWidget *ParamForm::makeEditor(int row)
{
    const ParamInfo &p = m_model->param(row);
    const QString name = p.name;
    const QString value = m_model->value(name);
    QWidget *w = nullptr;
    if (!p.choices.isEmpty()) {
        auto *box = new QComboBox(this);
        box->addItems(p.choices);
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
        box->setCurrentText(value);
        connect(box, &QComboBox::currentTextChanged, this,
                [this, name](const QString &t) { m_model->setValue(name, t); });
        w = box;
    } else if (p.type == ParamInfo::Type::Bool) {
        auto *box = new QCheckBox(this);
        box->setChecked(value == QLatin1String("true"));
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) {
            m_model->setValue(name, on ? QStringLiteral("true") : QStringLiteral("false"));
        });
        w = box;
    } else if (p.type == ParamInfo::Type::Int) {
        auto *spin = new QSpinBox(this);
        spin->setRange(hasRange(p) ? int(p.minValue) : 0,
                       hasRange(p) ? int(std::min(p.maxValue, 2147483647.0)) : 2147483647);
        spin->setValue(value.toInt());
        if (!p.unit.isEmpty())
            spin->setSuffix(QLatin1Char(' ') + p.unit);
        spin->setGroupSeparatorShown(true);
        if (!p.zeroMeans.isEmpty() && spin->minimum() == 0)
            spin->setSpecialValueText(p.zeroMeans); // "auto", not a bare 0
        connect(spin, &QSpinBox::valueChanged, this,
                [this, name](int v) { m_model->setValue(name, QString::number(v)); });
        w = spin;
    } else {
        auto *spin = new QDoubleSpinBox(this);
        spin->setDecimals(4);
        spin->setRange(hasRange(p) ? p.minValue : -1e12, hasRange(p) ? p.maxValue : 1e12);
        spin->setValue(value.toDouble());
        if (!p.unit.isEmpty())
            spin->setSuffix(QLatin1Char(' ') + p.unit);
        connect(spin, &QDoubleSpinBox::valueChanged, this,
                [this, name](double v) { m_model->setValue(name, QString::number(v, 'g', 12)); });
        if (!p.zeroMeans.isEmpty() && spin->minimum() == 0)
            spin->setSpecialValueText(p.zeroMeans);
        w = spin;
    }
    if (qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QComboBox *>(w)) {
        takeWheelOnlyWhenFocused(w);
        // A range up to 2^31 would size the box for ten digits and widen the whole form
        // past the tab: the box takes the width the form has.
        w->setMinimumWidth(60);
        w->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    }
    w->setObjectName(QStringLiteral("param_") + name);
    w->setToolTip(p.description);
    return w;
}

} // namespace paperlab::playground
