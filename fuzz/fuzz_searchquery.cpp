// The search box's language: typed by the user, and also passed on the CLI.

#include "fuzzinput.h"
#include "searchquery.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = paperlab::fuzz::textOf(data, size);
    const paperlab::QueryParse parsed = paperlab::parseSearchQuery(text);
    const paperlab::SearchQuery &q = parsed.query;
    if (parsed.error.isEmpty() && q.yearFrom != 0 && q.yearTo != 0)
        paperlab::fuzz::require(q.yearFrom <= q.yearTo, "year range accepted backwards:", text);
    (void)q.isEmpty();
    return 0;
}
