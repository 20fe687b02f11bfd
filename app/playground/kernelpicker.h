#pragma once
// Which of the paper's kernels the playground runs: its own first, then related ones (marked
// so), with a line saying what the chosen one is and why it is offered.

#include "family.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace paperlab::playground {

class KernelPicker : public QWidget {
    Q_OBJECT
public:
    explicit KernelPicker(const QList<PaperKernel> &kernels, QWidget *parent = nullptr);

    QString kernelId() const;
    const KernelInfo *kernel() const; // the local spec; null for an id this build lacks
    bool select(const QString &kernelId);

signals:
    void kernelChanged();

private:
    void describe();

    QList<PaperKernel> m_kernels;
    QComboBox *m_box;
    QLabel *m_note;
};

} // namespace paperlab::playground
