#pragma once
// Kernel specs and devices as the playground sees them (Qt types). Built from the runner's
// wire messages, so the same code reads the local registry and a remote runner's list.

#include <QList>
#include <QString>
#include <QStringList>

namespace paperlab::runner {
class KernelSpec;
class DeviceList;
} // namespace paperlab::runner

namespace paperlab::playground {

struct ParamInfo {
    enum class Type { Int, Float, Bool, Choice };
    QString name;
    Type type = Type::Int;
    QString defaultValue;
    double minValue = 0;
    double maxValue = 0;
    QStringList choices; // Choice, or an Int limited to listed values
    QString unit;
    QString description;
    QString zeroMeans; // what 0 stands for ("auto"); empty: a plain number
    bool numeric() const { return type == Type::Int || type == Type::Float; }
};

struct VariantInfo {
    QString id;
    QString displayName;
    bool cuda = false; // runs on a CUDA device (else on the CPU)
    QString description;
    QString unavailable;   // empty: runs on the runner's host; else why not
    QStringList paperKeys; // papers it implements beyond the kernel's (see VariantSpec::paperKeys)
};

struct MetricInfo {
    QString id;
    QString displayName;
    QString unit;
};

struct KernelInfo {
    QString id;
    QString displayName;
    QStringList paperKeys; // the papers it implements, "ARXIVID Title" (see KernelSpec::paperKeys)
    QString description;
    QList<ParamInfo> params;
    QList<VariantInfo> variants;
    QList<MetricInfo> metrics;
    QString speedMetric = QStringLiteral("time_ms"); // the metric its speed is judged by

    const ParamInfo *param(const QString &name) const;
    const VariantInfo *variant(const QString &id) const;
};

struct DeviceEntry {
    QString id; // "cpu", "cuda:0"
    QString name;
    int smCount = 0;
    qint64 memoryBytes = 0;
    QString computeCapability;
    bool cuda() const { return id.startsWith(QLatin1String("cuda")); }
};

struct DeviceReport {
    QList<DeviceEntry> devices; // the CPU first
    QString note;               // e.g. "no CUDA device: ..."
    bool hasCuda() const;
};

KernelInfo kernelFromProto(const paperlab::runner::KernelSpec &spec);
DeviceReport devicesFromProto(const paperlab::runner::DeviceList &list);

// The kernels compiled into this process (the registry the bundled runner is built from).
const QList<KernelInfo> &localKernels();
const KernelInfo *findLocalKernel(const QString &id);

} // namespace paperlab::playground
