// EfficientPaper meta files through the importer's own TextFormat path, including the
// unknown-keyword rewriting that runs before protobuf sees the text.

#include "fuzzinput.h"
#include "importers/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = paperlab::fuzz::textOf(data, size);
    // A path under a folder that does not exist: the note and cover the text names are
    // looked up (read only) and simply not found, so nothing outside the process is touched.
    const paperlab::ImportBatch batch =
        paperlab::parsePrototxt(text, QStringLiteral("/nonexistent/paperlab-fuzz/meta/2024/fuzz.prototxt"));
    paperlab::fuzz::checkBatch(batch, text);
    return 0;
}
