// Just enough JSON output for the runner's CLI mode (no dependency, no parsing).
#pragma once

#include <string>

namespace paperlab::kernels::runner {

std::string jsonString(const std::string &s); // quoted and escaped
std::string jsonNumber(double v);             // NaN/inf become null

// Builds one object or array; nested values are passed as already-encoded JSON.
class JsonObject {
public:
    JsonObject &raw(const std::string &key, const std::string &json);
    JsonObject &str(const std::string &key, const std::string &value) { return raw(key, jsonString(value)); }
    JsonObject &num(const std::string &key, double value) { return raw(key, jsonNumber(value)); }
    JsonObject &boolean(const std::string &key, bool value) { return raw(key, value ? "true" : "false"); }
    std::string done() const { return "{" + body_ + "}"; }

private:
    std::string body_;
};

class JsonArray {
public:
    JsonArray &raw(const std::string &json);
    std::string done() const { return "[" + body_ + "]"; }

private:
    std::string body_;
};

} // namespace paperlab::kernels::runner
