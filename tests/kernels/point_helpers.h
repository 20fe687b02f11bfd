// Helpers for CPU tests that run one point of a registry kernel directly: the kernel's
// defaults overridden by `set`, its relation checks first (as prepareRun does), then runPoint.
#pragma once

#include "core/registry.h"

#include <cmath>
#include <map>
#include <string>

namespace paperlab::kernels::testing {

inline double metricOf(const PointOutcome &o, const std::string &id)
{
    for (const auto &m : o.metrics)
        if (m.id == id)
            return m.value;
    return std::nan("");
}

// Any variant, run in this process as the runner would (a CUDA variant in a build without
// CUDA answers with its refusal).
inline PointOutcome runVariantPoint(const std::string &kernel, const std::string &variant,
                                    const std::map<std::string, std::string> &set)
{
    const KernelSpec *k = findKernel(kernel);
    PointContext ctx;
    ctx.variant = variant;
    ctx.repetitions = 1;
    ctx.warmup = 0;
    for (const auto &p : k->params)
        ctx.params.set(p.name, p.defaultValue);
    for (const auto &[name, value] : set)
        ctx.params.set(name, value);
    if (k->checkParams)
        if (auto err = k->checkParams(ctx.params)) {
            PointOutcome o;
            o.error = err;
            return o;
        }
    return k->runPoint(ctx);
}

inline PointOutcome runCpuPoint(const std::string &kernel, const std::map<std::string, std::string> &set)
{
    return runVariantPoint(kernel, "cpu", set);
}

} // namespace paperlab::kernels::testing
