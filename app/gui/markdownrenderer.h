#pragma once
// Markdown (GitHub flavour, via cmark-gfm) to the HTML subset QTextBrowser understands.
// cmark-gfm's HTML is adapted where QTextDocument falls short: task-list checkboxes become
// ☐/☑ glyphs, <mark> becomes a highlighted span, code blocks get a shaded box, and image
// sources are resolved against the note's folder (missing ones point at a placeholder).
// Links stay links only for http, https and relative targets inside the library.

#include <QImage>
#include <QString>

namespace paperlab::gui {

struct MarkdownOptions {
    QString baseDir; // folder relative image paths resolve from (the note's folder)
    QString
        libraryRoot; // local images only from inside it; relative links may lead anywhere inside it (empty: baseDir)
    int maxImageWidth = 0; // wider images are scaled down to this; 0: no limit
    bool dark = false;     // palette for highlights and code blocks
};

// The scheme of image URLs the renderer could not resolve; NoteBrowser draws a placeholder.
inline constexpr char kMissingImageScheme[] = "missing-image";

QString renderMarkdown(const QString &markdown, const MarkdownOptions &options = {});

// The picture shown instead of an image that cannot be loaded (names what was missing).
QImage missingImagePlaceholder(const QString &name, int width = 320, bool dark = false);

} // namespace paperlab::gui
