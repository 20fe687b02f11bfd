// Reads the one kind of JSON the runner reads back: a flat object of strings, numbers and
// booleans (its own ceiling cache). Nested values are refused, not skipped.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace paperlab::kernels::runner {

// Values as text (strings unescaped, numbers and booleans as written); nullopt and `why`
// (with the byte offset) when the text is not such an object.
std::optional<std::map<std::string, std::string>> parseFlatJson(const std::string &text, std::string &why);

} // namespace paperlab::kernels::runner
