#pragma once
// The deck as one self-contained HTML file: the same slides as the PDF, positioned on a
// 1600x900 stage scaled to the window, images and charts embedded as data: URIs, and
// arrow keys (or a click) to move between slides. Nothing is fetched from the network.

#include "slidedeck.h"

namespace paperlab {

QString htmlDeckText(const Deck &deck);
bool writeHtmlDeck(const Deck &deck, const QString &path, QString *error = nullptr);

} // namespace paperlab
