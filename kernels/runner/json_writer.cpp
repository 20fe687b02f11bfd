#include "runner/json_writer.h"

#include <cmath>
#include <cstdio>

namespace paperlab::kernels::runner {

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
    return out + "\"";
}

std::string jsonNumber(double v)
{
    if (!std::isfinite(v))
        return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

JsonObject &JsonObject::raw(const std::string &key, const std::string &json)
{
    if (!body_.empty())
        body_ += ",";
    body_ += jsonString(key) + ":" + json;
    return *this;
}

JsonArray &JsonArray::raw(const std::string &json)
{
    if (!body_.empty())
        body_ += ",";
    body_ += json;
    return *this;
}

} // namespace paperlab::kernels::runner
