#pragma once
// Spin boxes and combo boxes in a scrolled form take the mouse wheel only once clicked or
// tabbed into; before that the wheel scrolls the form, so scrolling past an editor never
// changes a parameter behind the user's back.

class QWidget;

namespace paperlab::playground {

void takeWheelOnlyWhenFocused(QWidget *editor);

} // namespace paperlab::playground
