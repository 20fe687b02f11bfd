#pragma once
// Qt WebEngine for PaperLab's pages: the start-up settings it needs (made before main, so
// the app, the CLI and the tests all get them) and printing a page to PDF, headless.

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
QByteArray printHtmlFileToPdf(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error = nullptr, int timeoutMs = 60000);

} // namespace paperlab
