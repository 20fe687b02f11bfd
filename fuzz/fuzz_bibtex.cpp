// The BibTeX reader, and the LaTeX-to-plain-text reduction it applies to every field.

#include "fuzzinput.h"
#include "importers/bibteximporter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = paperlab::fuzz::textOf(data, size);
    const paperlab::ImportBatch batch = paperlab::parseBibTeX(text, QStringLiteral("fuzz.bib"));
    paperlab::fuzz::checkBatch(batch, text);
    (void)paperlab::latexToPlain(text);
    return 0;
}
