#pragma once
// Titles keep their inline TeX ("H$_2$O", "$O(n\log n)$") so BibTeX and the note page can
// typeset it; places that show plain text (table cells, tree items, window titles, tooltips)
// show it as Unicode instead ("H₂O", "O(n log n)").

#include <QString>

namespace paperlab {

// `text` with each inline math span ($…$, as inlineMathEnd finds them) written in Unicode:
// sub- and superscripts that have a Unicode form (digits, signs, a few letters), Greek
// letters, common operators (\times, \cdot, \leq, \to, ...) and operator names (\log, \max)
// with the spaces TeX would put round them; \mathrm{…}, \text{…} and the like keep their
// content. What has no Unicode form stays as written ("x_b" for x sub b, "\foo"). Outside
// math, "\$" is a dollar sign and a caret exponent written in ASCII, as kernel names and
// descriptions have them, is a superscript ("QK^T" is "QKᵀ", "s^2d" is "s²d"); the rest is
// unchanged (an underscore outside math is more often an identifier than a subscript).
QString mathAsUnicode(const QString &text);

} // namespace paperlab
