#include "runner/protocol.h"

namespace paperlab::kernels::runner {

std::string encodeMessage(const google::protobuf::MessageLite &message)
{
    return encodeFrame(message.SerializeAsString());
}

bool decodeMessage(std::string_view frame, google::protobuf::MessageLite &message)
{
    return message.ParseFromArray(frame.data(), int(frame.size()));
}

pb::RunRequest toProto(const RunRequest &r)
{
    pb::RunRequest p;
    p.set_kernel(r.kernel);
    for (const auto &[k, v] : r.fixed)
        (*p.mutable_fixed())[k] = v;
    p.mutable_sweep()->set_param(r.sweep.param);
    for (const auto &v : r.sweep.values)
        p.mutable_sweep()->add_values(v);
    for (const auto pos : r.sweep.positions)
        p.mutable_sweep()->add_positions(pos);
    for (const auto &v : r.variants)
        p.add_variants(v);
    p.set_device(r.device);
    p.set_repetitions(r.repetitions);
    p.set_warmup(r.warmup);
    p.set_seed(r.seed);
    p.set_want_mask(r.wantMask);
    return p;
}

RunRequest fromProto(const pb::RunRequest &p)
{
    RunRequest r;
    r.kernel = p.kernel();
    for (const auto &[k, v] : p.fixed())
        r.fixed[k] = v;
    r.sweep.param = p.sweep().param();
    r.sweep.values.assign(p.sweep().values().begin(), p.sweep().values().end());
    r.sweep.positions.assign(p.sweep().positions().begin(), p.sweep().positions().end());
    r.variants.assign(p.variants().begin(), p.variants().end());
    if (!p.device().empty())
        r.device = p.device();
    if (p.repetitions() != 0)
        r.repetitions = p.repetitions(); // out-of-range values are rejected by prepareRun
    if (p.has_warmup())
        r.warmup = p.warmup();
    if (p.seed() != 0)
        r.seed = p.seed();
    r.wantMask = p.want_mask();
    return r;
}

pb::Error toProto(const RunError &e, const std::string &requestId)
{
    pb::Error p;
    p.set_request_id(requestId);
    p.set_code(static_cast<pb::Error::Code>(int(e.code)));
    p.set_parameter(e.parameter);
    p.set_message(e.message);
    return p;
}

RunError fromProto(const pb::Error &p)
{
    return RunError{static_cast<ErrorCode>(int(p.code())), p.parameter(), p.message()};
}

pb::KernelSpec toProto(const KernelSpec &k, bool askAvailability)
{
    pb::KernelSpec p;
    p.set_id(k.id);
    p.set_display_name(k.displayName);
    for (const auto &key : k.paperKeys)
        p.add_paper_keys(key);
    p.set_description(k.description);
    p.set_speed_metric(k.speedMetric);
    for (const auto &s : k.params) {
        auto *ps = p.add_params();
        ps->set_name(s.name);
        ps->set_type(paramTypeName(s.type));
        ps->set_default_value(s.defaultValue);
        ps->set_min(s.minValue);
        ps->set_max(s.maxValue);
        for (const auto &c : s.choices)
            ps->add_choices(c);
        ps->set_unit(s.unit);
        ps->set_description(s.description);
        ps->set_zero_means(s.zeroMeans);
    }
    for (const auto &v : k.variants) {
        auto *vs = p.add_variants();
        vs->set_id(v.id);
        vs->set_display_name(v.displayName);
        vs->set_device(deviceKindName(v.device));
        vs->set_description(v.description);
        for (const auto &key : v.paperKeys)
            vs->add_paper_keys(key);
        if (askAvailability)
            vs->set_unavailable(v.unavailable());
    }
    for (const auto &m : k.metrics) {
        auto *ms = p.add_metrics();
        ms->set_id(m.id);
        ms->set_display_name(m.displayName);
        ms->set_unit(m.unit);
    }
    return p;
}

pb::DeviceList toProto(const DeviceReport &d)
{
    pb::DeviceList p;
    for (const auto &info : d.devices) {
        auto *x = p.add_devices();
        x->set_id(info.id);
        x->set_name(info.name);
        x->set_sm_count(info.smCount);
        x->set_memory_bytes(info.memoryBytes);
        x->set_cc_major(info.ccMajor);
        x->set_cc_minor(info.ccMinor);
    }
    p.set_note(d.note);
    return p;
}

pb::PointResult toProto(const PointResult &r, const std::string &requestId)
{
    pb::PointResult p;
    p.set_request_id(requestId);
    p.set_index(r.index);
    p.set_sweep_param(r.sweepParam);
    p.set_sweep_value(r.sweepValue);
    p.set_variant(r.variant);
    p.set_device(r.device);
    for (const auto &[k, v] : r.params.values())
        (*p.mutable_params())[k] = v;
    for (const auto &m : r.metrics) {
        auto *x = p.add_metrics();
        x->set_id(m.id);
        x->set_value(m.value);
        x->set_unit(m.unit);
    }
    if (r.error)
        *p.mutable_error() = toProto(*r.error, requestId);
    if (r.mask) {
        auto *m = p.mutable_mask();
        m->set_rows(r.mask->rows);
        m->set_cols(r.mask->cols);
        m->set_bits(std::string(r.mask->bits.begin(), r.mask->bits.end()));
    }
    return p;
}

PointResult fromProto(const pb::PointResult &p)
{
    PointResult r;
    r.index = p.index();
    r.sweepParam = p.sweep_param();
    r.sweepValue = p.sweep_value();
    r.variant = p.variant();
    r.device = p.device();
    for (const auto &[k, v] : p.params())
        r.params.set(k, v);
    for (const auto &m : p.metrics())
        r.metrics.push_back({m.id(), m.value(), m.unit()});
    if (p.has_error())
        r.error = fromProto(p.error());
    if (p.has_mask())
        r.mask = BlockMaskImage{p.mask().rows(), p.mask().cols(),
                                std::vector<std::uint8_t>(p.mask().bits().begin(), p.mask().bits().end())};
    return r;
}

pb::Summary toProto(const RunSummary &s, const std::string &requestId)
{
    pb::Summary p;
    p.set_request_id(requestId);
    p.set_points(s.points);
    p.set_failed(s.failed);
    p.set_wall_seconds(s.wallSeconds);
    p.set_cancelled(s.cancelled);
    return p;
}

namespace {

pb::ClockSample toProto(const ClockSample &s)
{
    pb::ClockSample p;
    if (s.smClockMhz >= 0)
        p.set_sm_clock_mhz(s.smClockMhz);
    if (s.memClockMhz >= 0)
        p.set_mem_clock_mhz(s.memClockMhz);
    if (s.powerWatts >= 0)
        p.set_power_w(s.powerWatts);
    return p;
}

ClockSample fromProto(const pb::ClockSample &p)
{
    ClockSample s;
    if (p.has_sm_clock_mhz())
        s.smClockMhz = p.sm_clock_mhz();
    if (p.has_mem_clock_mhz())
        s.memClockMhz = p.mem_clock_mhz();
    if (p.has_power_w())
        s.powerWatts = p.power_w();
    return s;
}

} // namespace

pb::RunEnvironment toProto(const RunEnvironment &e)
{
    pb::RunEnvironment p;
    p.set_device(e.device);
    p.set_device_name(e.deviceName);
    p.set_uuid(e.uuid);
    p.set_sm_count(e.smCount);
    p.set_driver_version(e.driverVersion);
    p.set_cuda_runtime_version(e.cudaRuntimeVersion);
    p.set_cuda_driver_version(e.cudaDriverVersion);
    p.set_host_cpu(e.hostCpu);
    p.set_host_cores(e.hostCores);
    *p.mutable_start() = toProto(e.start);
    *p.mutable_end() = toProto(e.end);
    if (e.powerLimitWatts >= 0)
        p.set_power_limit_w(e.powerLimitWatts);
    p.set_nvml_note(e.nvmlNote);
    for (const Ceiling &c : e.ceilings) {
        pb::Ceiling *pc = p.add_ceilings();
        pc->set_id(c.id);
        pc->set_value(c.value);
        pc->set_unit(c.unit);
        pc->set_how(c.how);
    }
    p.set_ceilings_measured_at(e.ceilingsMeasuredAt);
    p.set_ceilings_cached(e.ceilingsCached);
    p.set_ceilings_note(e.ceilingsNote);
    p.set_warmup(e.warmup);
    p.set_repetitions(e.repetitions);
    p.set_l2_flush(e.l2Flush);
    p.set_l2_flush_bytes(e.l2FlushBytes);
    return p;
}

RunEnvironment fromProto(const pb::RunEnvironment &p)
{
    RunEnvironment e;
    e.device = p.device();
    e.deviceName = p.device_name();
    e.uuid = p.uuid();
    e.smCount = p.sm_count();
    e.driverVersion = p.driver_version();
    e.cudaRuntimeVersion = p.cuda_runtime_version();
    e.cudaDriverVersion = p.cuda_driver_version();
    e.hostCpu = p.host_cpu();
    e.hostCores = p.host_cores();
    e.start = fromProto(p.start());
    e.end = fromProto(p.end());
    e.powerLimitWatts = p.has_power_limit_w() ? p.power_limit_w() : -1;
    e.nvmlNote = p.nvml_note();
    for (const pb::Ceiling &c : p.ceilings())
        e.ceilings.push_back({c.id(), c.value(), c.unit(), c.how()});
    e.ceilingsMeasuredAt = p.ceilings_measured_at();
    e.ceilingsCached = p.ceilings_cached();
    e.ceilingsNote = p.ceilings_note();
    e.warmup = p.warmup();
    e.repetitions = p.repetitions();
    e.l2Flush = p.l2_flush();
    e.l2FlushBytes = p.l2_flush_bytes();
    return e;
}

} // namespace paperlab::kernels::runner
