#include "runner/cli_mode.h"

#include "core/devices.h"
#include "core/registry.h"
#include "core/run_executor.h"
#include "runner/environment_json.h"
#include "runner/environment_probe.h"
#include "runner/json_writer.h"

#include <cstdio>
#include <iostream>

namespace paperlab::kernels::runner {

namespace {

std::string stringArray(const std::vector<std::string> &items)
{
    JsonArray a;
    for (const auto &s : items)
        a.raw(jsonString(s));
    return a.done();
}

std::string paramsJson(const ParamSet &p)
{
    JsonObject o;
    for (const auto &[k, v] : p.values())
        o.str(k, v);
    return o.done();
}

std::string pointJson(const PointResult &r)
{
    JsonObject metrics;
    for (const auto &m : r.metrics)
        metrics.num(m.id, m.value);
    JsonObject o;
    o.num("index", r.index).str("variant", r.variant).str("device", r.device);
    if (!r.sweepParam.empty())
        o.str("sweep_param", r.sweepParam).str("sweep_value", r.sweepValue);
    o.raw("params", paramsJson(r.params)).raw("metrics", metrics.done());
    o.raw("error", r.error ? errorJson(*r.error) : "null");
    if (r.mask) {
        // One "0101..." string per query block: readable in a terminal and in a diff.
        JsonArray rows;
        for (int i = 0; i < r.mask->rows; ++i) {
            std::string row(std::size_t(r.mask->cols), '0');
            for (int j = 0; j < r.mask->cols; ++j)
                row[std::size_t(j)] = r.mask->bits[std::size_t(i) * r.mask->cols + j] ? '1' : '0';
            rows.raw(jsonString(row));
        }
        o.raw("mask", JsonObject().num("rows", r.mask->rows).num("cols", r.mask->cols).raw("bits", rows.done()).done());
    }
    return o.done();
}

void printTextPoint(const PointResult &r)
{
    std::printf("%-10s %-10s %-14s", r.variant.c_str(), r.device.c_str(),
                r.sweepParam.empty() ? "-" : (r.sweepParam + "=" + r.sweepValue).c_str());
    for (const auto &m : r.metrics)
        std::printf(" %s=%.4g", m.id.c_str(), m.value);
    if (r.error)
        std::printf("  ERROR[%s] %s", errorCodeName(r.error->code), r.error->message.c_str());
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace

std::string errorJson(const RunError &e)
{
    return JsonObject()
        .str("code", errorCodeName(e.code))
        .str("parameter", e.parameter)
        .str("message", e.message)
        .done();
}

std::string kernelsJson()
{
    JsonArray kernels;
    for (const auto &k : allKernels()) {
        JsonArray params, variants, metrics;
        for (const auto &p : k.params)
            params.raw(JsonObject()
                           .str("name", p.name)
                           .str("type", paramTypeName(p.type))
                           .str("default", p.defaultValue)
                           .num("min", p.minValue)
                           .num("max", p.maxValue)
                           .raw("choices", stringArray(p.choices))
                           .str("unit", p.unit)
                           .str("description", p.description)
                           .done());
        for (const auto &v : k.variants)
            variants.raw(JsonObject()
                             .str("id", v.id)
                             .str("display_name", v.displayName)
                             .str("device", deviceKindName(v.device))
                             .str("description", v.description)
                             .str("unavailable", v.unavailable())
                             .raw("paper_keys", stringArray(v.paperKeys))
                             .done());
        for (const auto &m : k.metrics)
            metrics.raw(JsonObject().str("id", m.id).str("display_name", m.displayName).str("unit", m.unit).done());
        kernels.raw(JsonObject()
                        .str("id", k.id)
                        .str("display_name", k.displayName)
                        .raw("paper_keys", stringArray(k.paperKeys))
                        .str("description", k.description)
                        .raw("params", params.done())
                        .raw("variants", variants.done())
                        .raw("metrics", metrics.done())
                        .done());
    }
    return JsonObject().raw("kernels", kernels.done()).done();
}

std::string devicesJson()
{
    DeviceReport report = listDevices();
    JsonArray devices;
    for (const auto &d : report.devices)
        devices.raw(JsonObject()
                        .str("id", d.id)
                        .str("name", d.name)
                        .num("sm_count", d.smCount)
                        .num("memory_bytes", double(d.memoryBytes))
                        .str("compute_capability", std::to_string(d.ccMajor) + "." + std::to_string(d.ccMinor))
                        .done());
    return JsonObject().raw("devices", devices.done()).str("note", report.note).done();
}

int probeCli(const CliOptions &options)
{
    DeviceSelection device;
    const bool anyGpu = listDevices().cudaDeviceCount() > 0;
    const std::string wanted = options.deviceGiven ? options.request.device : anyGpu ? "cuda:0" : "cpu";
    if (auto err = parseDevice(wanted, device)) {
        std::cout << JsonObject().raw("error", errorJson(*err)).done() << "\n";
        return 2;
    }
    ProbeOptions probe;
    probe.reprobe = options.reprobe;
    probe.progress = [](const std::string &stage) { std::cerr << "paperlab-runner: " << stage << "\n"; };
    RunEnvironment env = beginEnvironment(device, probe);
    finishEnvironment(env);
    std::cout << environmentJson(env) << "\n";
    return 0;
}

int runCli(const CliOptions &options)
{
    PreparedRun run;
    if (auto err = prepareRun(options.request, run)) {
        if (options.json)
            std::cout << JsonObject().raw("error", errorJson(*err)).done() << "\n";
        else
            std::cerr << "paperlab-runner: " << err->message << "\n";
        return 2;
    }
    ProbeOptions probe;
    probe.warmup = run.request.warmup;
    probe.repetitions = run.request.repetitions;
    probe.progress = [&](const std::string &stage) {
        if (!options.json)
            std::printf("%s\n", stage.c_str());
        std::fflush(stdout);
    };
    RunEnvironment env = beginEnvironment(run.device, probe);
    JsonArray points;
    RunCallbacks callbacks;
    callbacks.point = [&](const PointResult &r) {
        if (options.json)
            points.raw(pointJson(r));
        else
            printTextPoint(r);
    };
    CancelToken never;
    RunSummary s = executeRun(run, callbacks, never);
    finishEnvironment(env);
    if (options.json) {
        std::cout << JsonObject()
                         .str("kernel", run.kernel->id)
                         .str("device", run.device.text())
                         .raw("environment", environmentJson(env))
                         .raw("points", points.done())
                         .raw("summary", JsonObject()
                                             .num("points", s.points)
                                             .num("failed", s.failed)
                                             .num("wall_seconds", s.wallSeconds)
                                             .done())
                         .done()
                  << "\n";
    } else {
        std::printf("%d point(s), %d failed, %.2f s\n", s.points, s.failed, s.wallSeconds);
    }
    return s.failed ? 1 : 0;
}

} // namespace paperlab::kernels::runner
