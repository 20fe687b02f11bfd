// The runner's JSON output (paperlab-runner --json, bench.json) as the playground imports it.

#include "runjsonimport.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)paperlab::playground::importRunnerJson(json, QStringLiteral("fuzz"));
    return 0;
}
