// A complete, validated set of parameter values for one point.
// Values are kept as canonical text (what the user typed, checked against the spec),
// so that they round-trip through the CLI, JSON and protobuf unchanged.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace paperlab::kernels {

class ParamSet {
public:
    void set(const std::string &name, const std::string &value) { values_[name] = value; }
    bool has(const std::string &name) const { return values_.count(name) != 0; }
    const std::string &text(const std::string &name) const;
    std::int64_t integer(const std::string &name) const;
    double real(const std::string &name) const;
    bool flag(const std::string &name) const;
    const std::map<std::string, std::string> &values() const { return values_; }

private:
    std::map<std::string, std::string> values_;
};

// Strict parsers shared by validation and the getters above.
bool parseInt(const std::string &text, std::int64_t &out);
bool parseReal(const std::string &text, double &out);
bool parseBool(const std::string &text, bool &out);

} // namespace paperlab::kernels
