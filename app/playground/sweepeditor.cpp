#include "sweepeditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace paperlab::playground {

SweepEditor::SweepEditor(QWidget *parent)
    : QGroupBox(tr("Sweep"), parent)
    , m_param(new QComboBox(this))
    , m_mode(new QComboBox(this))
    , m_list(new QLineEdit(this))
    , m_from(new QDoubleSpinBox(this))
    , m_to(new QDoubleSpinBox(this))
    , m_steps(new QSpinBox(this))
{
    setObjectName(QStringLiteral("sweepEditor"));
    m_param->setObjectName(QStringLiteral("sweepParam"));
    m_mode->addItem(tr("List"), int(SweepSpec::Mode::List));
    m_mode->addItem(tr("Range, linear steps"), int(SweepSpec::Mode::Linear));
    m_mode->addItem(tr("Range, log steps"), int(SweepSpec::Mode::Log));
    m_list->setObjectName(QStringLiteral("sweepList"));
    m_list->setPlaceholderText(tr("e.g. 512, 1024, 2048"));
    for (QDoubleSpinBox *s : {m_from, m_to}) {
        s->setRange(0, 1e9);
        s->setDecimals(0);
    }
    m_steps->setRange(2, 64);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Parameter"), m_param);
    form->addRow(tr("Values"), m_mode);
    form->addRow(tr("List"), m_list);
    form->addRow(tr("From"), m_from);
    form->addRow(tr("To"), m_to);
    form->addRow(tr("Steps"), m_steps);
    connect(m_param, &QComboBox::currentIndexChanged, this, [this] { emit paramChanged(param()); });
    connect(m_mode, &QComboBox::currentIndexChanged, this, &SweepEditor::refreshControls);
    refreshControls();
}

void SweepEditor::setKernel(const KernelInfo &kernel)
{
    m_param->clear();
    m_param->addItem(tr("(none: one point)"), QString());
    for (const ParamInfo &p : kernel.params)
        if (p.type != ParamInfo::Type::Bool)
            m_param->addItem(p.name, p.name);
}

void SweepEditor::applyDefaults(const QString &param, const SweepSpec &spec)
{
    const int p = m_param->findData(param);
    m_param->setCurrentIndex(p >= 0 ? p : 0);
    m_mode->setCurrentIndex(m_mode->findData(int(spec.mode)));
    m_from->setValue(spec.from);
    m_to->setValue(spec.to);
    m_steps->setValue(qMax(2, spec.steps));
    // The list shows the range's values, so switching to List starts from them.
    m_list->setText(sweepValues(spec, true).values.join(QStringLiteral(", ")));
    refreshControls();
}

void SweepEditor::setList(const QString &param, const QString &valuesList)
{
    m_param->setCurrentIndex(qMax(0, m_param->findData(param)));
    m_mode->setCurrentIndex(0);
    m_list->setText(valuesList);
}

QString SweepEditor::param() const
{
    return m_param->currentData().toString();
}

SweepValues SweepEditor::values(bool integers) const
{
    SweepSpec spec;
    spec.mode = SweepSpec::Mode(m_mode->currentData().toInt());
    spec.list = m_list->text();
    spec.from = m_from->value();
    spec.to = m_to->value();
    spec.steps = m_steps->value();
    return sweepValues(spec, integers);
}

void SweepEditor::refreshControls()
{
    const bool list = m_mode->currentData().toInt() == int(SweepSpec::Mode::List);
    m_list->setEnabled(list);
    m_from->setEnabled(!list);
    m_to->setEnabled(!list);
    m_steps->setEnabled(!list);
}

} // namespace paperlab::playground
