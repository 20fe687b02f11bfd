#pragma once
// Fonts for slides: one family that covers Latin and CJK text, so a note written in
// Chinese renders as text rather than boxes. Needs a QGuiApplication.

#include <QFont>
#include <QString>

namespace paperlab {

// The first installed family of Noto Sans CJK / Source Han / WenQuanYi / ...;
// the default sans family when none is installed.
QString slideFontFamily();

// A font of `pixelSize` logical pixels on the 1600x900 slide canvas.
QFont slideFont(int pixelSize, bool bold = false);

} // namespace paperlab
