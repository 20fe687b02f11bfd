#include "htmlpdfprinter.h"

#include <QCoreApplication>

#include <unistd.h>

namespace paperlab {
namespace {

HtmlPdfPrinter g_printer = nullptr;

// Before any Q(Gui)Application, in every program that may start WebEngine later (the app
// loads it from a plugin after its first paint, too late to set these): WebEngine shares
// OpenGL contexts with the app, and as root (containers, CI) Chromium refuses to start its
// sandbox; without --no-sandbox it aborts.
void prepareWebEngine()
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    if (::geteuid() == 0) {
        QByteArray flags = qgetenv("QTWEBENGINE_CHROMIUM_FLAGS");
        if (!flags.contains("--no-sandbox"))
            qputenv("QTWEBENGINE_CHROMIUM_FLAGS", (flags + " --no-sandbox").trimmed());
    }
}
Q_CONSTRUCTOR_FUNCTION(prepareWebEngine)

} // namespace

void setHtmlPdfPrinter(HtmlPdfPrinter printer)
{
    g_printer = printer;
}

bool hasHtmlPdfPrinter()
{
    return g_printer != nullptr;
}

QByteArray printHtmlToPdf(const QString &htmlFile, const QSizeF &pageSizeMm, QString *error, int timeoutMs)
{
    if (!g_printer) {
        if (error)
            *error = QStringLiteral("%1: no PDF printer: Qt WebEngine (the paperlab_web plugin) is not loaded")
                         .arg(htmlFile);
        return {};
    }
    return g_printer(htmlFile, pageSizeMm, error, timeoutMs);
}

} // namespace paperlab
