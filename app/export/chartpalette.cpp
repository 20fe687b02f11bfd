#include "chartpalette.h"

#include <QPalette>

namespace paperlab {

const QList<QColor> &colourBlindPalette()
{
    // Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
    static const QList<QColor> palette{QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                                       QColor(0xD5, 0x5E, 0x00), QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9),
                                       QColor(0xF0, 0xE4, 0x42), QColor(0x00, 0x00, 0x00)};
    return palette;
}

ChartColours screenChartColours(const QPalette &palette)
{
    ChartColours c;
    c.background = palette.color(QPalette::Base);
    c.text = palette.color(QPalette::Text);
    const bool dark = c.background.lightness() < 128;
    // Axes a little softer than text, the grid faint: both read on either background.
    c.axis = dark ? c.text.darker(130) : c.text.lighter(180);
    c.grid = dark ? c.background.lighter(160) : c.background.darker(115);
    c.legendBackground = c.background;
    c.legendBackground.setAlpha(220);
    return c;
}

} // namespace paperlab
