#include "paramformmodel.h"

#include "devicedefaults.h"

namespace paperlab::playground {

bool hasRange(const ParamInfo &p)
{
    return p.maxValue > p.minValue;
}

ParamFormModel::ParamFormModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ParamFormModel::setKernel(const KernelInfo &kernel, bool cuda)
{
    beginResetModel();
    m_kernel = kernel;
    m_values.clear();
    for (const ParamInfo &p : kernel.params)
        m_values.insert(p.name, p.defaultValue);
    const DeviceDefaults defaults = defaultsFor(kernel, cuda);
    for (auto it = defaults.values.cbegin(); it != defaults.values.cend(); ++it)
        if (m_values.contains(it.key()))
            m_values.insert(it.key(), it.value());
    endResetModel();
}

int ParamFormModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_kernel.params.size(); ++i)
        if (m_kernel.params[i].name == name)
            return i;
    return -1;
}

bool ParamFormModel::accepts(const ParamInfo &p, const QString &value) const
{
    if (!p.choices.isEmpty())
        return p.choices.contains(value);
    switch (p.type) {
    case ParamInfo::Type::Bool:
        return value == QLatin1String("true") || value == QLatin1String("false");
    case ParamInfo::Type::Choice:
        return false; // a choice without choices accepts nothing
    case ParamInfo::Type::Int: {
        bool ok = false;
        const qint64 v = value.toLongLong(&ok);
        return ok && (!hasRange(p) || (v >= p.minValue && v <= p.maxValue));
    }
    case ParamInfo::Type::Float: {
        bool ok = false;
        const double v = value.toDouble(&ok);
        return ok && (!hasRange(p) || (v >= p.minValue && v <= p.maxValue));
    }
    }
    return false;
}

bool ParamFormModel::setValue(const QString &name, const QString &value)
{
    const int row = rowOf(name);
    if (row < 0 || !accepts(m_kernel.params[row], value))
        return false;
    if (m_values.value(name) == value)
        return true;
    m_values.insert(name, value);
    const QModelIndex idx = index(row, ValueColumn);
    emit dataChanged(idx, idx);
    return true;
}

int ParamFormModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_kernel.params.size());
}

int ParamFormModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ParamFormModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ParamInfo &p = m_kernel.params.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == NameColumn)
            return p.name;
        if (index.column() == ValueColumn)
            return m_values.value(p.name);
        return p.unit;
    case Qt::ToolTipRole:
        return p.description;
    case TypeRole:
        return int(p.type);
    case MinimumRole:
        return p.minValue;
    case MaximumRole:
        return p.maxValue;
    case ChoicesRole:
        return p.choices;
    case DefaultRole:
        return p.defaultValue;
    default:
        return {};
    }
}

bool ParamFormModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != ValueColumn || role != Qt::EditRole)
        return false;
    QString text = value.toString();
    if (value.typeId() == QMetaType::Bool)
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return setValue(m_kernel.params.at(index.row()).name, text);
}

Qt::ItemFlags ParamFormModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == ValueColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ParamFormModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Parameter");
    case ValueColumn:
        return tr("Value");
    case UnitColumn:
        return tr("Unit");
    default:
        return {};
    }
}

} // namespace paperlab::playground
