// One Markdown list importer, chosen at build time (PAPERLAB_FUZZ_PARSER names the function):
// the five list formats share the shape "text and a file name in, ImportBatch out".

#include "fuzzinput.h"
#include "importers/importers.h"

#ifndef PAPERLAB_FUZZ_PARSER
#error "PAPERLAB_FUZZ_PARSER must name one of the parse* list importers"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = paperlab::fuzz::textOf(data, size);
    const paperlab::ImportBatch batch = paperlab::PAPERLAB_FUZZ_PARSER(text, QStringLiteral("fuzz.md"));
    paperlab::fuzz::checkBatch(batch, text);
    return 0;
}
