#pragma once
// Keeps a value widget (a status or rating combo) from changing by accident: the mouse wheel
// scrolling past it and arrow keys after a Tab landed on it change nothing. A click, the
// popup (Space, F4, Alt+Down) and typing the item's first letter still choose a value.

class QWidget;

namespace paperlab::gui {

void guardAgainstAccidentalChange(QWidget *widget);

} // namespace paperlab::gui
