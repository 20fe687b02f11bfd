#pragma once
// Markdown to HTML with cmark-gfm and the GitHub extensions (tables, strikethrough,
// autolinks, task lists): the one Markdown parser of the note view, the note editor's
// preview and the slide decks, so a note reads the same in all of them.

#include <QList>
#include <QString>

namespace paperlab {

QString cmarkGfmHtml(const QString &markdown);

// The 1-based line of each task-list item ("- [ ] …") of `markdown`, in document order:
// the order the rendered checkboxes come in.
QList<int> taskListLines(const QString &markdown);

} // namespace paperlab
