#pragma once
// The colours of a venue's badge on the paper page: one hue per venue family (arXiv red,
// the others from a fixed set by the venue's name), made readable on the palette in use.

#include "readablecolours.h"

#include <QString>

class QPalette;

namespace paperlab::gui {

playground::ColourPair venueBadgeColours(const QString &venue, const QPalette &palette);

} // namespace paperlab::gui
