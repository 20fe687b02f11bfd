#include "core/param_validation.h"

#include <algorithm>
#include <sstream>

namespace paperlab::kernels {

RunError badParam(const std::string &name, const std::string &message)
{
    return RunError{ErrorCode::BadParameter, name, "parameter '" + name + "': " + message};
}

std::optional<RunError> checkDecodeHeadGroups(std::int64_t qHeads, std::int64_t kvHeads)
{
    if (qHeads % kvHeads != 0)
        return badParam("kv_heads", "kv_heads must divide q_heads");
    if (qHeads / kvHeads > 16)
        return badParam("q_heads", "at most 16 query heads per KV head");
    return std::nullopt;
}

namespace {

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string numberText(double v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

} // namespace

std::optional<RunError> validateValue(const ParamSpec &spec, const std::string &value)
{
    const bool listed = std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end();
    switch (spec.type) {
    case ParamType::Choice:
        if (!listed)
            return badParam(spec.name, "'" + value + "' is not one of " + joined(spec.choices));
        return std::nullopt;
    case ParamType::Bool: {
        bool b = false;
        if (!parseBool(value, b))
            return badParam(spec.name, "'" + value + "' is not a boolean (true/false)");
        return std::nullopt;
    }
    case ParamType::Int: {
        std::int64_t i = 0;
        if (!parseInt(value, i))
            return badParam(spec.name, "'" + value + "' is not an integer");
        if (!spec.choices.empty() && !listed)
            return badParam(spec.name, "'" + value + "' is not one of " + joined(spec.choices));
        if (spec.choices.empty() && (i < spec.minValue || i > spec.maxValue))
            return badParam(spec.name, value + " is outside [" + numberText(spec.minValue) + ", " +
                                           numberText(spec.maxValue) + "]");
        return std::nullopt;
    }
    case ParamType::Float: {
        double d = 0;
        if (!parseReal(value, d))
            return badParam(spec.name, "'" + value + "' is not a number");
        if (d < spec.minValue || d > spec.maxValue)
            return badParam(spec.name, value + " is outside [" + numberText(spec.minValue) + ", " +
                                           numberText(spec.maxValue) + "]");
        return std::nullopt;
    }
    }
    return badParam(spec.name, "unsupported type");
}

std::optional<RunError> resolveParams(const KernelSpec &kernel, const std::map<std::string, std::string> &given,
                                      ParamSet &out)
{
    for (const auto &[name, value] : given) {
        const ParamSpec *spec = kernel.findParam(name);
        if (!spec)
            return badParam(name, "unknown parameter of kernel '" + kernel.id + "'");
        if (auto err = validateValue(*spec, value))
            return err;
    }
    for (const auto &spec : kernel.params) {
        auto it = given.find(spec.name);
        out.set(spec.name, it != given.end() ? it->second : spec.defaultValue);
    }
    if (kernel.checkParams)
        return kernel.checkParams(out);
    return std::nullopt;
}

} // namespace paperlab::kernels
