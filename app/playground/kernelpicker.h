#pragma once
// Which of the paper's kernels the playground runs: its own first, then related ones (marked
// so), with a line saying what the chosen one is and why it is offered.

#include "family.h"

#include <QWidget>

class QLabel;

namespace paperlab::playground {

class ElidingComboBox;

class KernelPicker : public QWidget {
    Q_OBJECT
public:
    explicit KernelPicker(const QList<PaperKernel> &kernels, QWidget *parent = nullptr);

    QString kernelId() const;
    const KernelInfo *kernel() const; // the local spec; null for an id this build lacks
    // The variant that implements the paper when it is one variant of the chosen kernel
    // (FlashAttention-3: flash_tma); empty otherwise.
    QString paperVariant() const;
    QString note() const; // the line under the box (for tests)
    bool select(const QString &kernelId);

signals:
    void kernelChanged();

private:
    void describe();

    QList<PaperKernel> m_kernels;
    ElidingComboBox *m_box;
    QLabel *m_note;
};

} // namespace paperlab::playground
