#pragma once
// Venue strings as people write them ("ICML'25", "2025-ICML", "ICLR Poster", "sosp24",
// "ArXiv Jul 21 2024") reduced to a canonical venue name plus a year.

#include <QString>

namespace paperlab {

struct Venue {
    QString name; // canonical: "ICML", "EuroSys", "arXiv", "ICML Workshop"; empty when nothing usable
    int year = 0; // 0 when the string has no year
};

Venue normalizeVenue(const QString &raw);

// True for a bare venue word the normalizer knows ("eurosys", "ICML"), any case.
bool isKnownVenueName(const QString &word);

} // namespace paperlab
