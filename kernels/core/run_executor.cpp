#include "core/run_executor.h"

#include "core/devices.h"
#include "core/memory_check.h"
#include "core/parallel_for.h"
#include "core/param_validation.h"
#include "core/registry.h"
#include "core/timing_spread.h"

#include <algorithm>
#include <chrono>
#include <new>

namespace paperlab::kernels {

std::optional<RunError> prepareRun(const RunRequest &request, PreparedRun &out)
{
    out = PreparedRun{};
    out.request = request;
    out.kernel = findKernel(request.kernel);
    if (!out.kernel)
        return RunError{ErrorCode::UnknownKernel, "kernel", "unknown kernel '" + request.kernel + "'"};
    if (request.repetitions < 1 || request.repetitions > 100000)
        return RunError{ErrorCode::BadRequest, "repetitions", "repetitions must be in [1, 100000]"};
    if (request.warmup < 0 || request.warmup > 10000)
        return RunError{ErrorCode::BadRequest, "warmup", "warmup must be in [0, 10000]"};
    if (auto err = parseDevice(request.device, out.device))
        return err;

    const DeviceKind wanted = out.device.cuda ? DeviceKind::Cuda : DeviceKind::Cpu;
    if (request.variants.empty()) {
        for (const auto &v : out.kernel->variants)
            if (v.device == wanted && v.unavailable().empty())
                out.variants.push_back(v.id);
    }
    for (const auto &id : request.variants) {
        const VariantSpec *v = out.kernel->findVariant(id);
        if (!v)
            return RunError{ErrorCode::UnknownVariant, "variants",
                            "kernel '" + out.kernel->id + "' has no variant '" + id + "'"};
        if (const std::string why = v->unavailable(); !why.empty())
            return RunError{ErrorCode::UnknownVariant, "variants", "variant '" + id + "' is unavailable here: " + why};
        if (v->device != wanted)
            return RunError{ErrorCode::UnknownVariant, "variants",
                            "variant '" + id + "' runs on " + deviceKindName(v->device) + ", not on " +
                                out.device.text()};
        out.variants.push_back(id);
    }
    if (out.variants.empty())
        return RunError{ErrorCode::UnknownVariant, "variants",
                        "no variant of '" + out.kernel->id + "' runs on " + out.device.text()};

    const Sweep &sweep = request.sweep;
    if (sweep.param.empty()) {
        ParamSet p;
        if (auto err = resolveParams(*out.kernel, request.fixed, p))
            return err;
        out.points.push_back(p);
        out.pointErrors.emplace_back();
        out.sweepTexts.emplace_back();
        return std::nullopt;
    }
    if (!out.kernel->findParam(sweep.param))
        return RunError{ErrorCode::BadParameter, sweep.param,
                        "parameter '" + sweep.param + "': unknown parameter of kernel '" + out.kernel->id + "'"};
    if (request.fixed.count(sweep.param))
        return RunError{ErrorCode::BadParameter, sweep.param,
                        "parameter '" + sweep.param + "' is both fixed and swept"};
    if (sweep.values.empty())
        return RunError{ErrorCode::BadParameter, sweep.param, "parameter '" + sweep.param + "': sweep has no values"};
    if (!sweep.positions.empty() && sweep.positions.size() != sweep.values.size())
        return RunError{ErrorCode::BadParameter, sweep.param,
                        "parameter '" + sweep.param + "': the sweep has " + std::to_string(sweep.values.size()) +
                            " values but " + std::to_string(sweep.positions.size()) + " positions"};
    // A value the kernel refuses fails its own points; the request is refused only when no
    // value is left (then the cause is usually a fixed parameter, named by the first error).
    std::optional<RunError> firstError;
    for (const auto &value : sweep.values) {
        auto given = request.fixed;
        given[sweep.param] = value;
        ParamSet p;
        auto err = resolveParams(*out.kernel, given, p);
        if (err && !firstError)
            firstError = err;
        out.points.push_back(err ? ParamSet{} : p);
        out.pointErrors.push_back(std::move(err));
        out.sweepTexts.push_back(value);
    }
    if (std::all_of(out.pointErrors.begin(), out.pointErrors.end(), [](const auto &e) { return e.has_value(); }))
        return firstError;
    return std::nullopt;
}

RunSummary executeRun(const PreparedRun &run, const RunCallbacks &callbacks, const CancelToken &cancel)
{
    const auto start = std::chrono::steady_clock::now();
    RunSummary summary;
    const int total = int(run.points.size() * run.variants.size());
    int done = 0;
    const MemoryLimits limits = memoryLimits(run.device);
    for (std::size_t p = 0; p < run.points.size() && !cancel.cancelled(); ++p) {
        for (const auto &variant : run.variants) {
            if (cancel.cancelled())
                break;
            if (callbacks.progress)
                callbacks.progress(done, total, "running " + variant + " point " + std::to_string(p + 1));
            PointContext ctx;
            ctx.params = run.points[p];
            ctx.variant = variant;
            ctx.device = run.device;
            ctx.repetitions = run.request.repetitions;
            ctx.warmup = run.request.warmup;
            // Fresh inputs for every point, the same whichever runner of a fan-out measures it.
            ctx.seed = run.request.seed + (p < run.request.sweep.positions.size() ? run.request.sweep.positions[p] : p);
            // One mask per point is enough: every variant of a point selects from the same inputs.
            ctx.wantMask = run.request.wantMask && variant == run.variants.front();
            ctx.cancel = &cancel;
            PointOutcome outcome;
            if (p < run.pointErrors.size() && run.pointErrors[p]) {
                outcome.error = run.pointErrors[p];
            } else if (auto tooBig = checkPointMemory(*run.kernel, ctx.params, variant, limits)) {
                outcome.error = std::move(tooBig);
            } else {
                CancelScope scope(&cancel); // the references stop between tasks on a cancel
                try {
                    outcome = run.kernel->runPoint(ctx);
                } catch (const std::bad_alloc &) {
                    outcome = PointOutcome{};
                    outcome.error = allocationFailed(ctx.params, variant);
                }
                // Cancelled while it ran: its figures are of an unfinished computation.
                if (!outcome.error && cancel.cancelled())
                    outcome.error = RunError{ErrorCode::Cancelled, "", "cancelled"};
            }

            PointResult r;
            r.index = done;
            r.sweepParam = run.request.sweep.param;
            r.sweepValue = r.sweepParam.empty()                               ? ""
                           : p < run.pointErrors.size() && run.pointErrors[p] ? run.sweepTexts[p]
                                                                              : run.points[p].text(r.sweepParam);
            r.variant = variant;
            r.device = run.device.text();
            r.params = run.points[p];
            appendTimingSpread(outcome.metrics, outcome.timesMs, run.kernel->speedMetric);
            r.metrics = std::move(outcome.metrics);
            r.error = std::move(outcome.error);
            r.mask = std::move(outcome.mask);
            if (r.error && r.error->code == ErrorCode::Cancelled)
                break;
            ++summary.points;
            if (r.error)
                ++summary.failed;
            ++done;
            if (callbacks.point)
                callbacks.point(r);
        }
    }
    summary.cancelled = cancel.cancelled();
    if (callbacks.progress)
        callbacks.progress(done, total, summary.cancelled ? "cancelled" : "done");
    summary.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace paperlab::kernels
