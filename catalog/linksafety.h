#pragma once
// Which link targets PaperLab makes clickable. A library is shared data (through git, a
// .bib from the web), so every URL in it is someone else's text: only web pages (http,
// https) and relative links that stay inside the library open; javascript:, data:, file:,
// vbscript: and every other scheme are shown as text, never as a link or a button.

#include <QString>

namespace paperlab {

// True for "https://...", "http://...", "notes/x.md", "#section"; false for other schemes,
// absolute paths ("/etc", "//host/x", "C:\\x") and relative paths climbing out ("../..").
// Judged the way a browser reads the URL: blanks and control characters around it and
// tabs or line breaks inside it ("java\tscript:") do not hide a scheme.
bool isOpenableLink(const QString &url);

// The same, with relative links judged by where they lead: resolved against `baseDir`
// (the note's folder) they must stay inside `root` (the library folder), so a note may
// link to another paper's note ("../KEY/note.md") but not to "../../../../.bashrc".
bool isOpenableLink(const QString &url, const QString &baseDir, const QString &root);

// Only http and https: what a paper's Paper/Code/OpenReview/Slides URL may be to become a
// button or to be handed to the desktop's browser.
bool isWebLink(const QString &url);

} // namespace paperlab
