#pragma once
// The Variants box: one check box per implementation of the kernel (the paper's, baselines,
// the CPU reference). Which can run depends on the device and on what the runner's host has.

#include "kernelinfo.h"

#include <QGroupBox>
#include <QMap>

class QCheckBox;
class QVBoxLayout;

namespace paperlab::playground {

class VariantPicker : public QGroupBox {
    Q_OBJECT
public:
    explicit VariantPicker(QWidget *parent = nullptr);

    void setKernel(const KernelInfo &kernel);
    // Checks `defaults`; disables CUDA variants on the CPU and those the host lacks
    // (`unavailable`: variant id -> why, from the runner's listing), saying why.
    void applyDevice(const KernelInfo &kernel, bool cuda, const QStringList &defaults,
                     const QMap<QString, QString> &unavailable);
    QStringList checked() const; // checked and enabled: what a run runs

private:
    QVBoxLayout *m_layout;
    QList<QCheckBox *> m_checks;
};

} // namespace paperlab::playground
