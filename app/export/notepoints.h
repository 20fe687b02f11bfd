#pragma once
// What of a note goes on slides, taken from the note's own structure: its "Key-Point"
// section, or else its headings and the bullets under them (or, for a note that is one
// paragraph, that paragraph). The note's title (H1) stays out (the paper slide has it), a
// quote loses its ">" and stays a quote, code stays code and display math stays math.

#include <QList>
#include <QString>

namespace paperlab {

struct NotePoint {
    enum class Kind { Bullet, Paragraph, Image, Heading, Quote, Code, Math };
    Kind kind = Kind::Bullet;
    int level = 0;     // nesting of a bullet, 0 = top; a heading's level (2-6)
    QString text;      // plain text (inline Markdown removed); the alt text of an image;
                       // the code of Code, the TeX of Math
    QString markdown;  // the inline Markdown of a bullet, paragraph, heading or quote
    QString imagePath; // absolute path of an image (may not exist)
};

// `noteDir` resolves relative image paths (the folder of note.md).
QList<NotePoint> notePoints(const QString &markdown, const QString &noteDir);

// "**bold** [link](url) `code`" -> "bold link code".
QString plainInline(const QString &markdown);

} // namespace paperlab
