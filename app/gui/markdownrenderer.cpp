#include "markdownrenderer.h"

#include "cmarkhtml.h"
#include "htmlrewrite.h"
#include "librarypaths.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QRegularExpression>
#include <QUrl>

namespace paperlab::gui {
namespace {

constexpr int kPlaceholderWidth = 360;

QString missingUrl(const QString &name)
{
    return QLatin1String(kMissingImageScheme) + QLatin1Char(':') + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

// One <img> tag rewritten: source resolved, width kept but clamped to the view.
QString rewriteImage(const QString &attrs, const MarkdownOptions &o)
{
    const QString src = htmlAttribute(attrs, QStringLiteral("src"));
    const QString alt = htmlAttribute(attrs, QStringLiteral("alt"));
    int width = htmlAttribute(attrs, QStringLiteral("width")).remove(QLatin1String("px")).toInt();
    QString url;
    const QUrl parsed(src);
    if (src.startsWith(QLatin1String("data:"))) {
        url = src;
    } else if (parsed.scheme() == u"http" || parsed.scheme() == u"https") {
        url = missingUrl(src); // an offline reader: remote images are shown as a labelled placeholder
        width = width <= 0 ? kPlaceholderWidth : qMin(width, kPlaceholderWidth);
    } else {
        QString local = parsed.isLocalFile() ? parsed.toLocalFile() : QUrl::fromPercentEncoding(src.toUtf8());
        if (QFileInfo(local).isRelative() && !o.baseDir.isEmpty())
            local = QDir(o.baseDir).absoluteFilePath(local);
        // A note is library data: it may show pictures of its library, never other files.
        if (!local.isEmpty() && QFileInfo(local).isAbsolute())
            local = embeddableImage(o.libraryRoot.isEmpty() ? o.baseDir : o.libraryRoot, {}, local);
        else
            local.clear();
        QImageReader reader(local);
        if (!local.isEmpty() && QFileInfo(local).isFile() && reader.canRead()) {
            url = QUrl::fromLocalFile(QDir::cleanPath(local)).toString();
            const QSize size = reader.size();
            if (width <= 0 && size.isValid() && o.maxImageWidth > 0 && size.width() > o.maxImageWidth)
                width = o.maxImageWidth;
        } else {
            url = missingUrl(src.isEmpty() ? alt : src);
            // A placeholder says what is missing; it need not take the room the image would.
            width = width <= 0 ? kPlaceholderWidth : qMin(width, kPlaceholderWidth);
        }
    }
    if (o.maxImageWidth > 0 && width > o.maxImageWidth)
        width = o.maxImageWidth;
    QString tag = QStringLiteral("<img src=\"%1\"").arg(url.toHtmlEscaped());
    if (width > 0)
        tag += QStringLiteral(" width=\"%1\"").arg(width);
    if (!alt.isEmpty())
        tag += QStringLiteral(" alt=\"%1\"").arg(alt.toHtmlEscaped());
    return tag + QStringLiteral(" />");
}

} // namespace

QString renderMarkdown(const QString &markdown, const MarkdownOptions &o)
{
    QString html = inertLinks(cmarkGfmHtml(markdown), o.baseDir, o.libraryRoot);

    // Task lists: QTextDocument has no form controls, so draw the state as a glyph.
    static const QRegularExpression checked(QStringLiteral("<input type=\"checkbox\" checked=\"\" disabled=\"\" ?/>"));
    static const QRegularExpression unchecked(QStringLiteral("<input type=\"checkbox\" disabled=\"\" ?/>"));
    html.replace(checked, QStringLiteral("<span style=\"font-size:large\">☑</span>"));
    html.replace(unchecked, QStringLiteral("<span style=\"font-size:large\">☐</span>"));

    const QString markBg = o.dark ? QStringLiteral("#8a6d00") : QStringLiteral("#ffe874");
    const QString markFg = o.dark ? QStringLiteral("#ffffff") : QStringLiteral("#000000");
    static const QRegularExpression markOpen(QStringLiteral("<mark\\b[^>]*>"),
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression markClose(QStringLiteral("</mark>"), QRegularExpression::CaseInsensitiveOption);
    html.replace(markOpen, QStringLiteral("<span style=\"background-color:%1; color:%2\">").arg(markBg, markFg));
    html.replace(markClose, QStringLiteral("</span>"));

    static const QRegularExpression delOpen(QStringLiteral("<del>")), delClose(QStringLiteral("</del>"));
    html.replace(delOpen, QStringLiteral("<s>")).replace(delClose, QStringLiteral("</s>"));

    // Code: QTextDocument ignores most CSS on <pre>, so a one-cell table draws the box.
    const QString codeBg = o.dark ? QStringLiteral("#2b2f36") : QStringLiteral("#f2f4f7");
    static const QRegularExpression preOpen(QStringLiteral("<pre\\b[^>]*>"));
    static const QRegularExpression preClose(QStringLiteral("</pre>"));
    html.replace(preOpen, QStringLiteral(
                              "<table width=\"100%\" cellpadding=\"8\" cellspacing=\"0\" bgcolor=\"%1\"><tr><td><pre>")
                              .arg(codeBg));
    html.replace(preClose, QStringLiteral("</pre></td></tr></table>"));
    static const QRegularExpression inlineCode(QStringLiteral("<code(?: class=\"[^\"]*\")?>"));
    html.replace(inlineCode, QStringLiteral("<code style=\"background-color:%1\">").arg(codeBg));

    // Tables: borders and padding (GFM tables carry none).
    static const QRegularExpression table(QStringLiteral("<table>"));
    html.replace(
        table,
        QStringLiteral(
            "<table border=\"1\" cellspacing=\"0\" cellpadding=\"5\" style=\"border-color:%1; border-style:solid\">")
            .arg(o.dark ? QStringLiteral("#555") : QStringLiteral("#c8ccd2")));

    // A raw <img> alone on its line (common in the seeds' notes, often right after a nested
    // list) becomes its own paragraph: QTextDocument otherwise splits the list item oddly.
    static const QRegularExpression loneImg(QStringLiteral("^[ \\t]*(<img\\b[^>]*>)[ \\t]*$"),
                                            QRegularExpression::MultilineOption |
                                                QRegularExpression::CaseInsensitiveOption);
    html.replace(loneImg, QStringLiteral("<p>\\1</p>"));

    static const QRegularExpression img(QStringLiteral("<img\\b([^>]*?)/?>"),
                                        QRegularExpression::CaseInsensitiveOption);
    return replacedMatches(html, img,
                           [&o](const QRegularExpressionMatch &m) { return rewriteImage(m.captured(1), o); });
}

QImage missingImagePlaceholder(const QString &name, int width, bool dark)
{
    const int w = qMax(160, width), h = qMax(90, w * 9 / 32);
    QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
    image.fill(dark ? QColor(0x33, 0x36, 0x3c) : QColor(0xee, 0xf0, 0xf3));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(dark ? QColor(0x77, 0x7c, 0x85) : QColor(0xa0, 0xa6, 0xb0), 2, Qt::DashLine);
    p.setPen(pen);
    p.drawRoundedRect(QRectF(1, 1, w - 2, h - 2), 6, 6);
    p.setPen(dark ? QColor(0xcc, 0xcc, 0xcc) : QColor(0x55, 0x5b, 0x66));
    QFont f = p.font();
    f.setPointSize(10);
    p.setFont(f);
    const QString label = QStringLiteral("Image not available\n%1")
                              .arg(QFileInfo(name).fileName().isEmpty() ? name : QFileInfo(name).fileName());
    p.drawText(QRect(8, 8, w - 16, h - 16), Qt::AlignCenter | Qt::TextWordWrap, label);
    return image;
}

} // namespace paperlab::gui
