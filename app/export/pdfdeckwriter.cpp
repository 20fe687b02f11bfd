#include "pdfdeckwriter.h"

#include "htmldeckwriter.h"
#include "htmlpdfprinter.h"
#include "safefile.h"

#include <QTemporaryDir>

namespace paperlab {

bool writePdfDeck(const Deck &deck, const QString &path, QString *error)
{
    // The page is loaded from a file: a deck with pictures is larger than setHtml() takes.
    QTemporaryDir dir;
    const QString html = dir.filePath(QStringLiteral("deck.html"));
    if (!dir.isValid() || !writeHtmlDeck(deck, html, error)) {
        if (error && error->isEmpty())
            *error = QStringLiteral("%1: no temporary folder for the deck's page").arg(path);
        return false;
    }
    QString why;
    const QByteArray pdf = printHtmlToPdf(html, kPrintPageSize, &why);
    if (pdf.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: cannot make the PDF (%2)").arg(path, why);
        return false;
    }
    // Written by the checked writer: a full disk is reported, never a truncated PDF left behind.
    return writeFileAtomically(path, pdf, error);
}

} // namespace paperlab
