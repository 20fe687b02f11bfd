#pragma once
// Colours that stay readable in the light and the dark theme: a banner or badge takes its
// colours from the palette in use instead of a fixed pair picked for a white page.

#include <QColor>

class QPalette;

namespace paperlab::playground {

struct ColourPair {
    QColor background;
    QColor text;
};

// The WCAG 2 contrast ratio of two colours, from 1 (the same) to 21 (black on white).
// Text wants at least 4.5, a shape against its surroundings at least 3.
double contrastRatio(const QColor &a, const QColor &b);

// A notice in `tone` (amber for a warning, red for an error): the palette's window colour
// tinted towards the tone, with the palette's window text on it. A pale tint on a light
// page, a dim one on a dark page, never a light patch glaring out of a dark window.
ColourPair noticeColours(const QPalette &palette, const QColor &tone);

// A badge of `hue` (a venue's colour): the hue darkened under white text on a light page,
// lightened under dark text on a dark page, until the text reads (4.5:1) and the badge
// stands out from the window (3:1).
ColourPair badgeColours(const QPalette &palette, const QColor &hue);

} // namespace paperlab::playground
