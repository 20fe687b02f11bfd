#include "core/param_set.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace paperlab::kernels {

const std::string &ParamSet::text(const std::string &name) const
{
    auto it = values_.find(name);
    if (it == values_.end())
        throw std::out_of_range("parameter not set: " + name); // a programming error, not user input
    return it->second;
}

std::int64_t ParamSet::integer(const std::string &name) const
{
    std::int64_t v = 0;
    parseInt(text(name), v);
    return v;
}

double ParamSet::real(const std::string &name) const
{
    double v = 0;
    parseReal(text(name), v);
    return v;
}

bool ParamSet::flag(const std::string &name) const
{
    bool v = false;
    parseBool(text(name), v);
    return v;
}

bool parseInt(const std::string &text, std::int64_t &out)
{
    if (text.empty())
        return false;
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end != text.c_str() + text.size())
        return false;
    out = v;
    return true;
}

bool parseReal(const std::string &text, double &out)
{
    if (text.empty())
        return false;
    errno = 0;
    char *end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v))
        return false;
    out = v;
    return true;
}

bool parseBool(const std::string &text, bool &out)
{
    if (text == "true" || text == "1" || text == "on" || text == "yes") {
        out = true;
        return true;
    }
    if (text == "false" || text == "0" || text == "off" || text == "no") {
        out = false;
        return true;
    }
    return false;
}

} // namespace paperlab::kernels
