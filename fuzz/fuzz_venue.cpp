// The venue normalizer: every importer feeds it whatever the source wrote after a title.

#include "fuzzinput.h"
#include "venue.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString raw = paperlab::fuzz::textOf(data, size);
    const paperlab::Venue v = paperlab::normalizeVenue(raw);
    paperlab::fuzz::require(v.year >= 0, "negative venue year for", raw);
    (void)paperlab::isKnownVenueName(raw);
    return 0;
}
