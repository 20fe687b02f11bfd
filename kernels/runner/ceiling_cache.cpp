#include "runner/ceiling_cache.h"

#include "runner/flat_json.h"
#include "runner/json_writer.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace paperlab::kernels::runner {

namespace {

constexpr const char *kFormat = "paperlab-ceilings-1";

bool makeDirs(const std::string &dir, std::string &why)
{
    for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/')
            continue;
        const std::string part = dir.substr(0, pos);
        if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
            why = "cannot create " + part + ": " + std::strerror(errno);
            return false;
        }
    }
    return true;
}

std::string safeName(const std::string &s)
{
    std::string out = s;
    for (char &c : out)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            c = '_';
    return out;
}

} // namespace

std::string utcNowIso()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string ceilingCacheDir()
{
    const char *xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg == '/')
        return std::string(xdg) + "/paperlab/ceilings";
    const char *home = std::getenv("HOME");
    return home && *home ? std::string(home) + "/.cache/paperlab/ceilings" : std::string();
}

std::string ceilingCacheFile(const std::string &uuid, const std::string &driver)
{
    const std::string dir = ceilingCacheDir();
    if (dir.empty())
        return {};
    return dir + "/" + safeName(uuid) + "-" + safeName(driver.empty() ? "unknown-driver" : driver) + ".json";
}

std::optional<CachedCeilings> readCeilingCache(const std::string &path, std::string &why)
{
    std::ifstream in(path);
    if (!in) {
        why = path + ": not cached yet";
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string parseError;
    const auto fields = parseFlatJson(text.str(), parseError);
    if (!fields) {
        why = path + ": " + parseError;
        return std::nullopt;
    }
    auto get = [&](const std::string &key) {
        auto it = fields->find(key);
        return it == fields->end() ? std::string() : it->second;
    };
    if (get("format") != kFormat) {
        why = path + ": not a PaperLab ceiling cache (format '" + get("format") + "')";
        return std::nullopt;
    }
    CachedCeilings c;
    c.uuid = get("uuid");
    c.driver = get("driver");
    c.deviceName = get("device_name");
    c.measuredAt = get("measured_at");
    c.note = get("note");
    std::stringstream ids(get("ceilings"));
    for (std::string id; std::getline(ids, id, ',');) {
        const std::string value = get(id);
        char *end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0' || !(v > 0)) {
            why = path + ": ceiling '" + id + "' has no positive value";
            return std::nullopt;
        }
        c.ceilings.push_back({id, v, get(id + ".unit"), get(id + ".how")});
    }
    return c;
}

bool writeCeilingCache(const std::string &path, const CachedCeilings &c, std::string &why)
{
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        why = path + ": not an absolute path";
        return false;
    }
    if (!makeDirs(path.substr(0, slash), why))
        return false;
    JsonObject o;
    std::string ids;
    for (const Ceiling &ceiling : c.ceilings)
        ids += (ids.empty() ? "" : ",") + ceiling.id;
    o.str("format", kFormat).str("uuid", c.uuid).str("driver", c.driver).str("device_name", c.deviceName);
    o.str("measured_at", c.measuredAt).str("note", c.note).str("ceilings", ids);
    for (const Ceiling &ceiling : c.ceilings)
        o.num(ceiling.id, ceiling.value).str(ceiling.id + ".unit", ceiling.unit).str(ceiling.id + ".how", ceiling.how);

    // Unique per process: two runners probing the same GPU each rename a whole file.
    const std::string temp = path + ".tmp." + std::to_string(::getpid());
    std::FILE *f = std::fopen(temp.c_str(), "w");
    if (!f) {
        why = "cannot write " + temp + ": " + std::strerror(errno);
        return false;
    }
    const std::string text = o.done() + "\n";
    const bool written =
        std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
    const int err = errno;
    std::fclose(f);
    if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
        why = "cannot write " + path + ": " + std::strerror(written ? errno : err);
        std::remove(temp.c_str());
        return false;
    }
    return true;
}

} // namespace paperlab::kernels::runner
