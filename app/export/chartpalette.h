#pragma once
// The colour-blind-safe series palette (Okabe-Ito) every exported chart uses: the slide
// deck's pinned-run charts and the playground's "export all charts".

#include <QColor>
#include <QList>

class QPalette;

namespace paperlab {

const QList<QColor> &colourBlindPalette();

// A chart on screen takes its colours from the application palette, so it follows
// View > Theme (a dark window gets a dark chart, not a white box). Exported charts keep
// their own white slide theme.
struct ChartColours {
    QColor background;
    QColor text; // tick labels, axis labels, legend text
    QColor axis; // axis lines, ticks, reference lines
    QColor grid;
    QColor legendBackground;
};
ChartColours screenChartColours(const QPalette &palette);

} // namespace paperlab
