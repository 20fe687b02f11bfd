#pragma once
// Writes a synthetic EfficientPaper library (meta/YEAR/KEY.prototxt + notes/YEAR/KEY/note.md)
// of realistic shape, for benchmarks: titles, authors, 1-3 institutions from a pool,
// keywords, and notes of a few hundred words with lists, a table and an image link.

#include <QString>

namespace paperlab::bench {

// Returns the number of papers written; deterministic for a given seed.
int writeSyntheticLibrary(const QString &root, int papers, unsigned seed = 42);

} // namespace paperlab::bench
