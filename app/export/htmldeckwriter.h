#pragma once
// The deck as one self-contained HTML file: the same slides as the PDF, positioned on a
// 1600x900 stage scaled to the window, images and charts embedded as data: URIs, and
// arrow keys (or a click) to move between slides. Nothing is fetched from the network.
// Note text keeps its emphasis, code and math (KaTeX, embedded). Printed, it is the PDF deck:
// one slide a page.

#include "slidedeck.h"

namespace paperlab {

// The page a printed deck (the PDF) is laid out on: 10 x 5.625 inches, 16:9.
inline constexpr QSizeF kPrintPageSize{254.0, 142.875}; // millimetres

QString htmlDeckText(const Deck &deck);
bool writeHtmlDeck(const Deck &deck, const QString &path, QString *error = nullptr);

} // namespace paperlab
