#pragma once
// A note as HTML for a web engine: cmark-gfm's HTML with the math spans kept for KaTeX
// (mathspans.h), links checked (htmlrewrite.h), images only from inside the library, and
// task-list checkboxes numbered so a click can be written back to the note. The note view
// and the slide decks build their pages from these pieces, so a note looks the same in both.

#include <QString>

#include <functional>

namespace paperlab {

struct NoteHtmlOptions {
    QString baseDir;     // the note's folder: relative images and links resolve from it
    QString libraryRoot; // nothing local outside it is shown or linked (empty: baseDir)
    // The URL a page loads an accepted local image from (its canonical path); an empty URL
    // refuses the image (a placeholder is shown). Unset: a file: URL.
    std::function<QString(const QString &path)> imageUrl;
    bool interactiveTasks = false; // checkboxes enabled, numbered by data-task
};

// The HTML of `markdown` (a fragment, no <html>).
QString noteBodyHtml(const QString &markdown, const NoteHtmlOptions &options = {});

// `markdown` with its task-list item number `index` (0-based, the data-task of its
// checkbox) checked or not; empty when there is no such item. Nothing else changes.
QString withTaskChecked(const QString &markdown, int index, bool checked);

// One line of Markdown (a bullet's text) as inline HTML: emphasis, code and math, no <p>.
QString inlineNoteHtml(const QString &markdown);

// GitHub-like style sheet of notes, light or dark.
QString noteStyleSheet(bool dark);

// KaTeX from Debian's libjs-katex (/usr/share/javascript/katex). Empty when not installed:
// the math then shows as its TeX source.
QString katexDir();
// The KaTeX style sheet with its fonts embedded as data: URIs and the script, for a page
// that must stand alone (the HTML deck); empty when KaTeX is missing.
QString katexInlineHead();
// The script that renders every .math span, then, once the fonts are in, sets
// window.paperlabMathDone = true.
QString renderMathScript();

} // namespace paperlab
