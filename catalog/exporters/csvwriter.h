#pragma once
// CSV (RFC 4180) of a table: CRLF line ends, fields quoted when they hold a comma,
// a quote or a line break, quotes doubled; a field a spreadsheet would run as a formula
// (starting with =, +, -, @, tab or CR) gets a leading apostrophe. The one CSV writer of
// PaperLab: the playground's run export uses it too. The app passes its visible columns;
// papersCsv() is the fixed column set the CLI writes.

#include "../library.h"

#include <QString>
#include <QStringList>

namespace paperlab {

QString csvField(const QString &value);
QString csvText(const QStringList &header, const QList<QStringList> &rows);

// key, title, short name, authors, institutions, venue, year, topics, arXiv, DOI, URL,
// code, status, rating, tags; list fields joined with "; ".
QString papersCsv(const QList<Paper> &papers);

} // namespace paperlab
