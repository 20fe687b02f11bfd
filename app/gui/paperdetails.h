#pragma once
// The paper page's Details tab: everything stored about a paper that the page's header
// does not show, as an HTML table (key, identifiers, what its EfficientPaper library
// recorded: baselines, rating, update time, the fields kept as the library wrote them),
// then where it came from.

#include "library.h"

#include <QString>

namespace paperlab::gui {

QString paperDetailsHtml(const Paper &paper);

} // namespace paperlab::gui
