#pragma once
// The top-level fields of a protobuf text-format file, found without a schema: what the
// EfficientPaper importer keeps when its schema lacks a field, and what the claim editor
// replaces in a paper's prototxt while leaving the rest of the file as it was.

#include <QList>
#include <QString>

namespace paperlab {

// One field at the top level of a text-format file: "rating: 3" or "baseline { ... }".
struct TopField {
    QString name;
    qsizetype start = 0, end = 0;   // the field's text, from its name to the next field
};

// The top-level fields of a text-format message, in file order. Strings, comments and
// nested blocks are stepped over; an identifier after ':' is a value, not a field.
QList<TopField> topLevelFields(const QString &text);

} // namespace paperlab
