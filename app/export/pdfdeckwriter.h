#pragma once
// The deck as a 16:9 PDF: the HTML deck (htmldeckwriter.h) printed by Qt WebEngine, so the
// PDF shows exactly what the HTML deck shows (math, code, CJK), one slide a page.

#include "slidedeck.h"

namespace paperlab {

// Writes every slide as a page; false (with `error` set) when the file cannot be written
// or the page cannot be printed. Needs a QGuiApplication (offscreen is fine).
bool writePdfDeck(const Deck &deck, const QString &path, QString *error = nullptr);

} // namespace paperlab
