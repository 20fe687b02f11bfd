#include "devicedefaults.h"

namespace paperlab::playground {

namespace {

SweepSpec logSweep(double from, double to, int steps)
{
    SweepSpec s;
    s.mode = SweepSpec::Mode::Log;
    s.from = from;
    s.to = to;
    s.steps = steps;
    return s;
}

} // namespace

DeviceDefaults defaultsFor(const KernelInfo &kernel, bool cuda)
{
    DeviceDefaults d;
    for (const VariantInfo &v : kernel.variants)
        if (v.cuda == cuda)
            d.variants << v.id;
    if (kernel.id == QLatin1String("flash_attention")) {
        d.sweepParam = QStringLiteral("seq_len");
        if (cuda) {
            // 16k tokens per batch, model width 2048: batch and heads follow from seq_len.
            d.values = {{QStringLiteral("tokens"), QStringLiteral("16384")},
                        {QStringLiteral("model_dim"), QStringLiteral("2048")},
                        {QStringLiteral("head_dim"), QStringLiteral("128")}};
            d.sweep = logSweep(512, 16384, 6);
        } else {
            d.values = {{QStringLiteral("batch"), QStringLiteral("1")},
                        {QStringLiteral("q_heads"), QStringLiteral("2")}};
            d.sweep = logSweep(64, 512, 4);
        }
        return d;
    }
    if (kernel.id == QLatin1String("flash_decoding")) {
        d.sweepParam = QStringLiteral("kv_len");
        if (cuda) {
            d.values = {{QStringLiteral("batch"), QStringLiteral("16")}};
            d.sweep = logSweep(4096, 131072, 6);
        } else {
            d.values = {{QStringLiteral("q_heads"), QStringLiteral("8")},
                        {QStringLiteral("kv_heads"), QStringLiteral("2")}};
            d.sweep = logSweep(512, 8192, 5);
        }
        return d;
    }
    if (kernel.id == QLatin1String("block_sparse_attention")) {
        // Sparsity pays off with length: sweep it (the first int parameter would be batch).
        d.sweepParam = QStringLiteral("seq_len");
        if (cuda) {
            // 128-token blocks: the only size sparse_tma (the Hopper pipeline) walks; the
            // other CUDA variants take it too.
            d.values = {{QStringLiteral("block_size"), QStringLiteral("128")}};
            d.sweep = logSweep(4096, 131072, 6);
        } else {
            d.values = {{QStringLiteral("batch"), QStringLiteral("1")},
                        {QStringLiteral("q_heads"), QStringLiteral("2")}};
            d.sweep = logSweep(256, 1024, 3);
        }
        return d;
    }
    // Unknown kernel: the spec defaults (small by convention) and a sweep over the first
    // numeric parameter around its default.
    for (const ParamInfo &p : kernel.params) {
        if (p.type != ParamInfo::Type::Int || !p.choices.isEmpty())
            continue;
        const double def = qMax(1.0, p.defaultValue.toDouble());
        d.sweepParam = p.name;
        d.sweep = logSweep(qMax(p.minValue, def / 4), p.maxValue > 0 ? qMin(p.maxValue, def * 4) : def * 4, 3);
        break;
    }
    return d;
}

DeviceCeiling knownCeiling(const QString &deviceName)
{
    // Vendor figures: dense fp16/bf16 tensor-core peak and HBM bandwidth.
    if (deviceName.contains(QLatin1String("H100")) && deviceName.contains(QLatin1String("PCIe")))
        return {756, 2000};
    if (deviceName.contains(QLatin1String("H100")))
        return {989, 3350};
    if (deviceName.contains(QLatin1String("H200")))
        return {989, 4800};
    if (deviceName.contains(QLatin1String("A100")))
        return {312, 2039};
    return {};
}

} // namespace paperlab::playground
