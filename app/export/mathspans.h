#pragma once
// TeX math in notes ($…$ inline, $$…$$ display), kept away from the Markdown parser:
// cmark would read "\{" as an escaped brace and "a_1 … b_2" as emphasis, so the math
// spans are swapped for plain tokens before Markdown and put back, escaped, after it.
// Code (fenced blocks and `spans`) is never math, and "\$" is a dollar sign.

#include <QList>
#include <QString>

namespace paperlab {

struct MathSpan {
    QString tex;          // between the delimiters, as written
    bool display = false; // $$…$$
};

struct ProtectedMarkdown {
    QString text; // the note with each math span replaced by a token
    QList<MathSpan> spans;
};

ProtectedMarkdown protectMath(const QString &markdown);

// `html` (cmark's output of ProtectedMarkdown::text) with each token replaced by
// <span class="math">…</span> (or class="math display"), the TeX HTML-escaped inside;
// the page's script renders those spans with KaTeX.
QString restoreMath(const QString &html, const QList<MathSpan> &spans);

} // namespace paperlab
