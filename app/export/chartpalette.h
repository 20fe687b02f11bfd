#pragma once
// The colour-blind-safe series palette (Okabe-Ito) every exported chart uses: the slide
// deck's pinned-run charts and the playground's "export all charts".

#include <QColor>
#include <QList>

namespace paperlab {

const QList<QColor> &colourBlindPalette();

} // namespace paperlab
