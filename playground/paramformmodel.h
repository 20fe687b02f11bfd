#pragma once
// The parameter form of a kernel as a table model (one row per spec parameter: name, value,
// unit), so widgets can generate editors from it and tests can check it without widgets.
// Values start at the spec defaults overlaid with the device defaults.

#include "kernelinfo.h"

#include <QAbstractTableModel>
#include <QMap>

namespace paperlab::playground {

class ParamFormModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, UnitColumn, ColumnCount };
    enum Role {
        TypeRole = Qt::UserRole + 1, // int(ParamInfo::Type)
        MinimumRole,
        MaximumRole,
        ChoicesRole, // QStringList
        DefaultRole,
    };

    explicit ParamFormModel(QObject *parent = nullptr);

    // Resets every value to the defaults for the kernel on the device kind.
    void setKernel(const KernelInfo &kernel, bool cuda);
    const KernelInfo &kernel() const { return m_kernel; }
    const ParamInfo &param(int row) const { return m_kernel.params.at(row); }
    int rowOf(const QString &name) const;

    QString value(const QString &name) const { return m_values.value(name); }
    QMap<QString, QString> values() const { return m_values; }
    // Validated: an out-of-range number, an unknown choice or text for a number is refused.
    bool setValue(const QString &name, const QString &value);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool accepts(const ParamInfo &p, const QString &value) const;
    KernelInfo m_kernel;
    QMap<QString, QString> m_values;
};

// True when the parameter's numbers have a usable range (the spec gives 0..0 for none).
bool hasRange(const ParamInfo &p);

} // namespace paperlab::playground
