#pragma once
// Light and dark palettes. "System" keeps the palette the platform gave the application (so
// a dark desktop gives a dark PaperLab, and changes follow it); Light/Dark force one.

#include <QString>

namespace paperlab::gui {

enum class Theme { System, Light, Dark };

Theme themeFromName(const QString &name);
QString themeName(Theme theme);
// Call once after QApplication exists, before any other palette change: remembers the
// platform palette and switches to the Fusion style, which renders both palettes well.
void initTheme();
void applyTheme(Theme theme);

} // namespace paperlab::gui
