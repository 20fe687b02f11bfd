// This host's record of the ceilings measured on each GPU, one file per device and driver:
// $XDG_CACHE_HOME/paperlab/ceilings/<uuid>-<driver>.json (~/.cache when XDG_CACHE_HOME is
// unset). Written to a temporary file and renamed, so a reader never sees half a file and
// two runners probing at once leave one whole answer.
#pragma once

#include "core/run_environment.h"

#include <optional>
#include <string>
#include <vector>

namespace paperlab::kernels::runner {

struct CachedCeilings {
    std::string uuid;
    std::string driver;
    std::string deviceName;
    std::string measuredAt; // UTC, ISO 8601
    std::string note;       // what could not be measured
    std::vector<Ceiling> ceilings;
};

// Empty when neither XDG_CACHE_HOME nor HOME is set.
std::string ceilingCacheDir();
// The file for this device and driver (characters other than [A-Za-z0-9._-] become '_').
std::string ceilingCacheFile(const std::string &uuid, const std::string &driver);

// nullopt when the file is missing, unreadable or not ours; `why` names the file.
std::optional<CachedCeilings> readCeilingCache(const std::string &path, std::string &why);
// Creates the directory as needed; false and `why` (naming the file) on failure.
bool writeCeilingCache(const std::string &path, const CachedCeilings &cache, std::string &why);

std::string utcNowIso();

} // namespace paperlab::kernels::runner
