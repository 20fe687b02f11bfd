#pragma once
// Qt WebEngine for PaperLab's pages: printing a page to PDF, headless (the printer the CLI and
// the paperlab_web plugin hand to htmlpdfprinter.h; the start-up settings WebEngine needs are
// made there, before main).

#include <QByteArray>
#include <QSizeF>
#include <QString>

#include <functional>

class QObject;
class QWebEnginePage;

namespace paperlab {

// Calls `done` once the page's math is typeset and its fonts are in
// (window.paperlabMathDone, set by renderMathScript()), unless `context` is gone.
void whenMathDone(QWebEnginePage *page, QObject *context, std::function<void()> done);

// The PDF of the HTML file `htmlFile` on pages of `pageSizeMm`, no margins: loaded in a
// web page, its math rendered (window.paperlabMathDone), then printed. Needs a
// QGuiApplication (offscreen is fine). Empty, with `error` set, on failure or timeout.
QByteArray printHtmlFileToPdf(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error = nullptr,
                              int timeoutMs = 60000);

} // namespace paperlab
