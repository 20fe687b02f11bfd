#pragma once
// The Sweep box: which parameter a run sweeps and over which values (a typed list, or a
// linear or log range in steps). It knows nothing of runs; run() asks it for the values.

#include "kernelinfo.h"
#include "sweep.h"

#include <QGroupBox>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace paperlab::playground {

class SweepEditor : public QGroupBox {
    Q_OBJECT
public:
    explicit SweepEditor(QWidget *parent = nullptr);

    // Offers the kernel's numeric parameters (and "none: one point").
    void setKernel(const KernelInfo &kernel);
    // The starting sweep for a device (devicedefaults): the parameter and its values.
    void applyDefaults(const QString &param, const SweepSpec &spec);
    // A typed list over one parameter (the tests and the demo set sweeps this way).
    void setList(const QString &param, const QString &valuesList);
    QString param() const; // empty: no sweep, one point
    // The values to run, or an error naming what is wrong with the entry.
    SweepValues values(bool integers) const;

signals:
    void paramChanged(const QString &param);

private:
    void refreshControls();

    QComboBox *m_param;
    QComboBox *m_mode;
    QLineEdit *m_list;
    QDoubleSpinBox *m_from;
    QDoubleSpinBox *m_to;
    QSpinBox *m_steps;
};

} // namespace paperlab::playground
