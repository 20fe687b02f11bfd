#pragma once
// The deck as a 16:9 PDF (QPdfWriter + QPainter: vector text with embedded fonts).

#include "slidedeck.h"

class QPainter;

namespace paperlab {

// Paints one slide on a painter whose window is the 1600x900 slide canvas.
void paintSlide(QPainter &painter, const Deck &deck, const Slide &slide);

// Writes every slide as a page; false (with `error` set) when the file cannot be written.
bool writePdfDeck(const Deck &deck, const QString &path, QString *error = nullptr);

} // namespace paperlab
