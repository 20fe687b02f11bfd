#include "kernelinfo.h"

#include "core/registry.h"
#include "runner/protocol.h"

namespace paperlab::playground {

namespace pb = paperlab::runner;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

ParamInfo::Type typeFromText(const std::string &t)
{
    if (t == "float")
        return ParamInfo::Type::Float;
    if (t == "bool")
        return ParamInfo::Type::Bool;
    if (t == "choice")
        return ParamInfo::Type::Choice;
    return ParamInfo::Type::Int;
}

} // namespace

const ParamInfo *KernelInfo::param(const QString &name) const
{
    for (const ParamInfo &p : params)
        if (p.name == name)
            return &p;
    return nullptr;
}

const VariantInfo *KernelInfo::variant(const QString &variantId) const
{
    for (const VariantInfo &v : variants)
        if (v.id == variantId)
            return &v;
    return nullptr;
}

bool DeviceReport::hasCuda() const
{
    for (const DeviceEntry &d : devices)
        if (d.cuda())
            return true;
    return false;
}

KernelInfo kernelFromProto(const pb::KernelSpec &spec)
{
    KernelInfo k;
    k.id = q(spec.id());
    k.displayName = q(spec.display_name());
    for (const auto &key : spec.paper_keys())
        k.paperKeys << q(key);
    k.description = q(spec.description());
    for (const auto &p : spec.params()) {
        ParamInfo info;
        info.name = q(p.name());
        info.type = typeFromText(p.type());
        info.defaultValue = q(p.default_value());
        info.minValue = p.min();
        info.maxValue = p.max();
        for (const auto &c : p.choices())
            info.choices << q(c);
        info.unit = q(p.unit());
        info.description = q(p.description());
        info.zeroMeans = q(p.zero_means());
        k.params << info;
    }
    for (const auto &v : spec.variants()) {
        VariantInfo info{q(v.id()),          q(v.display_name()), v.device() == "cuda",
                         q(v.description()), q(v.unavailable()),  {}};
        for (const auto &key : v.paper_keys())
            info.paperKeys << q(key);
        k.variants << info;
    }
    for (const auto &m : spec.metrics())
        k.metrics << MetricInfo{q(m.id()), q(m.display_name()), q(m.unit())};
    // An older runner sends no speed metric: its time is what every kernel has.
    if (!spec.speed_metric().empty())
        k.speedMetric = q(spec.speed_metric());
    return k;
}

DeviceReport devicesFromProto(const pb::DeviceList &list)
{
    DeviceReport r;
    for (const auto &d : list.devices())
        r.devices << DeviceEntry{q(d.id()), q(d.name()), d.sm_count(), qint64(d.memory_bytes()),
                                 QStringLiteral("%1.%2").arg(d.cc_major()).arg(d.cc_minor())};
    r.note = q(list.note());
    return r;
}

const QList<KernelInfo> &localKernels()
{
    // Through the wire form on purpose: one conversion path for local and remote specs.
    static const QList<KernelInfo> kernels = [] {
        QList<KernelInfo> out;
        for (const auto &spec : paperlab::kernels::allKernels())
            out << kernelFromProto(paperlab::kernels::runner::toProto(spec));
        return out;
    }();
    return kernels;
}

const KernelInfo *findLocalKernel(const QString &id)
{
    for (const KernelInfo &k : localKernels())
        if (k.id == id)
            return &k;
    return nullptr;
}

} // namespace paperlab::playground
