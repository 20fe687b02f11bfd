#pragma once
// Editors generated from a ParamFormModel: a spin box (with range and unit) per number,
// a combo box per choice, a check box per flag. Edits go straight into the model.

#include "paramformmodel.h"

#include <QWidget>

class QFormLayout;

namespace paperlab::playground {

class ParamForm : public QWidget {
    Q_OBJECT
public:
    explicit ParamForm(ParamFormModel *model, QWidget *parent = nullptr);
    // Disables the editor of the swept parameter (its values come from the sweep).
    void setSwept(const QString &name);
    QWidget *editor(const QString &name) const;

private:
    void rebuild();
    QWidget *makeEditor(int row);
    ParamFormModel *m_model;
    QFormLayout *m_layout;
    QString m_swept;
};

} // namespace paperlab::playground
