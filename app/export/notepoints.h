#pragma once
// What of a note goes on slides: its "Key-Point" section, or else its lists (or, for a note
// that is one paragraph, that paragraph), as bullets with nesting levels and images.

#include <QList>
#include <QString>

namespace paperlab {

struct NotePoint {
    enum class Kind { Bullet, Paragraph, Image };
    Kind kind = Kind::Bullet;
    int level = 0;        // nesting of a bullet, 0 = top
    QString text;         // plain text (inline Markdown removed); the alt text of an image
    QString imagePath;    // absolute path of an image (may not exist)
};

// `noteDir` resolves relative image paths (the folder of note.md).
QList<NotePoint> notePoints(const QString &markdown, const QString &noteDir);

// "**bold** [link](url) `code`" -> "bold link code".
QString plainInline(const QString &markdown);

} // namespace paperlab
