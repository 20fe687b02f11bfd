#pragma once
// Protobuf text format (an EfficientPaper meta/YEAR/KEY.prototxt) seen as the fields it
// writes, not as a parsed message: protobuf's parser drops what the schema does not know,
// and the importer and the exporter both need those fields as the file wrote them.

#include <QList>
#include <QString>

namespace paperlab {

// One field of one nesting level: `rating: 3` or `paper { ... }`.
struct TextField {
    QString name;
    qsizetype start = 0, end = 0;    // the field's text, from its name up to the next field
    qsizetype open = -1, close = -1; // for a block: the positions of its `{` and `}`; -1 otherwise
    bool isBlock() const { return open >= 0; }
};

// The fields of `text` at its outermost level, in file order. Strings, comments and nested
// blocks are stepped over; an identifier after ':' is a value, not a field.
QList<TextField> textFormatFields(const QString &text);

// `fieldText` (one field, possibly several lines) with the indentation of its first line,
// `column` characters, taken off every later line: ready to be indented anew.
QString dedentField(const QString &fieldText, qsizetype column);

// `kept` (fields in text format, at any depth: `paper {\n  venue_url: "x"\n}`) put into
// `printed`: a block of `kept` whose name is a block of `printed` goes inside that block
// (merged the same way, level by level); everything else goes at the end of its level.
// Indentation is two spaces a level, as protobuf's printer writes it.
QString mergeTextFormat(const QString &printed, const QString &kept);

} // namespace paperlab
