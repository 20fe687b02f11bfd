#include "runner/flat_json.h"

#include <cctype>
#include <cstdlib>

namespace paperlab::kernels::runner {

namespace {

class Reader {
public:
    explicit Reader(const std::string &s)
        : s_(s)
    {}

    std::optional<std::map<std::string, std::string>> object(std::string &why)
    {
        std::map<std::string, std::string> out;
        if (!expect('{'))
            return fail(why, "expected '{'");
        if (peek() == '}') {
            ++i_;
            return finish(out, why);
        }
        for (;;) {
            std::string key, value;
            if (peek() != '"' || !string(key))
                return fail(why, "expected a quoted key");
            if (!expect(':'))
                return fail(why, "expected ':'");
            if (!scalar(value))
                return fail(why, "expected a string, number or boolean");
            out[key] = value;
            if (expect(','))
                continue;
            if (expect('}'))
                return finish(out, why);
            return fail(why, "expected ',' or '}'");
        }
    }

private:
    char peek()
    {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
            ++i_;
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    bool expect(char c)
    {
        if (peek() != c)
            return false;
        ++i_;
        return true;
    }
    std::nullopt_t fail(std::string &why, const char *what)
    {
        why = std::string(what) + " at byte " + std::to_string(i_);
        return std::nullopt;
    }
    std::optional<std::map<std::string, std::string>> finish(std::map<std::string, std::string> &out, std::string &why)
    {
        if (peek() != '\0')
            return fail(why, "text after the object");
        return std::move(out);
    }
    bool string(std::string &out)
    {
        ++i_; // the opening quote
        while (i_ < s_.size()) {
            char c = s_[i_++];
            if (c == '"')
                return true;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size())
                return false;
            switch (char e = s_[i_++]) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                // Only what our writer emits: control characters as \u00XX.
                if (i_ + 4 > s_.size())
                    return false;
                const long code = std::strtol(s_.substr(i_, 4).c_str(), nullptr, 16);
                if (code > 0x7f)
                    return false;
                out += char(code);
                i_ += 4;
                break;
            }
            default:
                out += e; // \" \\ \/
            }
        }
        return false;
    }
    bool scalar(std::string &out)
    {
        const char c = peek();
        if (c == '"')
            return string(out);
        const std::size_t begin = i_;
        while (i_ < s_.size() &&
               (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '+' || s_[i_] == '.'))
            ++i_;
        out = s_.substr(begin, i_ - begin);
        if (out == "true" || out == "false" || out == "null")
            return true;
        char *end = nullptr;
        std::strtod(out.c_str(), &end);
        return !out.empty() && end && *end == '\0';
    }

    const std::string &s_;
    std::size_t i_ = 0;
};

} // namespace

std::optional<std::map<std::string, std::string>> parseFlatJson(const std::string &text, std::string &why)
{
    return Reader(text).object(why);
}

} // namespace paperlab::kernels::runner
