#pragma once
// Who prints an HTML page to PDF. Qt WebEngine does it, but linking WebEngine costs the app
// ~0.8 s before main(), so this library only holds the printer that was handed to it: the
// CLI and the tests set it at start, the app once it has loaded the paperlab_web plugin.

#include <QByteArray>
#include <QSizeF>
#include <QString>

namespace paperlab {

// The PDF of the HTML file `htmlFile` on pages of `pageSizeMm`; empty, with `error` set, on failure.
using HtmlPdfPrinter = QByteArray (*)(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error, int timeoutMs);

void setHtmlPdfPrinter(HtmlPdfPrinter printer);
bool hasHtmlPdfPrinter();

// Prints with the printer set; without one, fails with a message saying what is missing.
QByteArray printHtmlToPdf(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error = nullptr,
                          int timeoutMs = 60000);

} // namespace paperlab
