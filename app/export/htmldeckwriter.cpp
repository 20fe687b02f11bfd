#include "htmldeckwriter.h"

#include "linksafety.h"
#include "notehtml.h"
#include "safefile.h"
#include "slidefonts.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImage>

namespace paperlab {
namespace {

const char *const kStyle = R"CSS(
html,body{margin:0;height:100%;background:#1b1b1b;overflow:hidden}
.slide{position:absolute;left:50%;top:50%;width:1600px;height:900px;background:#fff;display:none;overflow:hidden;transform-origin:center}
.slide.on{display:block}
.b{position:absolute;margin:0;white-space:pre-wrap;overflow-wrap:break-word;line-height:1.2}
.g{position:absolute;text-align:right;line-height:1.2}
.badge{position:absolute;display:flex;align-items:center;justify-content:center;color:#fff;border-radius:10px}
a{color:inherit;text-decoration:none}
img{position:absolute}
.rich{white-space:normal}
.rich code{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;background:#eef1f4;padding:.05em .25em;border-radius:5px}
.rich pre{margin:0;padding:12px 16px;background:#f3f5f8;border-radius:8px;white-space:pre;overflow:hidden;font-family:'DejaVu Sans Mono',monospace;line-height:1.2}
.rich .math.display{display:block;text-align:center;padding-top:8px}
.rich mark{background:#fff3a8}
@media print{
  @page{margin:0}
  html,body{height:auto;overflow:visible;background:#fff}
  .slide{display:block;position:relative;left:0;top:0;transform:none!important;zoom:%1;break-after:page;page-break-after:always}
  .slide:last-of-type{break-after:auto;page-break-after:auto}
}
)CSS";

const char *const kScript = R"JS(
const slides=[...document.querySelectorAll('.slide')];let cur=0;
function fit(){const k=Math.min(innerWidth/1600,innerHeight/900);
  slides.forEach(s=>s.style.transform=`translate(-50%,-50%) scale(${k})`);}
function show(n){cur=Math.max(0,Math.min(slides.length-1,n));
  slides.forEach((s,i)=>s.classList.toggle('on',i===cur));history.replaceState(null,'','#'+(cur+1));}
addEventListener('keydown',e=>{
  if(['ArrowRight','PageDown',' ','ArrowDown'].includes(e.key)){show(cur+1);e.preventDefault();}
  else if(['ArrowLeft','PageUp','ArrowUp'].includes(e.key)){show(cur-1);e.preventDefault();}
  else if(e.key==='Home')show(0);else if(e.key==='End')show(slides.length-1);});
addEventListener('click',e=>{if(!e.target.closest('a'))show(cur+(e.clientX<innerWidth/3?-1:1));});
addEventListener('resize',fit);fit();show((parseInt(location.hash.slice(1))||1)-1);
)JS";

QString px(qreal v)
{
    return QString::number(v, 'f', 1) + QStringLiteral("px");
}

QString boxStyle(const QRectF &r, bool withHeight = true)
{
    return QStringLiteral("left:%1;top:%2;width:%3;").arg(px(r.left()), px(r.top()), px(r.width())) +
           (withHeight ? QStringLiteral("height:%1;").arg(px(r.height())) : QString());
}

QString fontStyle(const SlideBlock &b)
{
    return QStringLiteral("font-size:%1;%2%3color:%4;")
        .arg(px(b.pixelSize), b.bold ? QStringLiteral("font-weight:700;") : QString(),
             b.italic ? QStringLiteral("font-style:italic;") : QString(), b.colour.name());
}

QString dataUri(const QByteArray &bytes, const QString &mime)
{
    return QStringLiteral("data:%1;base64,%2").arg(mime, QString::fromLatin1(bytes.toBase64()));
}

QString imageUri(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString mime = suffix == u"svg"                        ? QStringLiteral("image/svg+xml")
                         : suffix == u"jpg" || suffix == u"jpeg" ? QStringLiteral("image/jpeg")
                         : suffix == u"gif"                      ? QStringLiteral("image/gif")
                                                                 : QStringLiteral("image/png");
    return dataUri(f.readAll(), mime);
}

QString pngUri(const QImage &img)
{
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return dataUri(bytes, QStringLiteral("image/png"));
}

QString blockHtml(const Deck &deck, const SlideBlock &b)
{
    const QString text = b.text.toHtmlEscaped();
    switch (b.kind) {
    case SlideBlock::Kind::Band:
        return QStringLiteral("<div style=\"position:absolute;%1background:%2\"></div>")
            .arg(boxStyle(b.rect), b.colour.name());
    case SlideBlock::Kind::Badge:
        return QStringLiteral("<div class=\"badge\" style=\"%1font-size:%2;font-weight:700;background:%3\">%4</div>")
            .arg(boxStyle(b.rect), px(b.pixelSize), b.colour.name(), text);
    case SlideBlock::Kind::Text: {
        QString out;
        if (!b.bullet.isEmpty())
            out += QStringLiteral("<div class=\"g\" style=\"left:%1;top:%2;width:40px;%3\">%4</div>")
                       .arg(px(b.rect.left() - 52), px(b.rect.top()), fontStyle(b), b.bullet.toHtmlEscaped());
        if (!b.html.isEmpty()) // note text: already HTML, checked by the note renderer (links, images)
            return out + QStringLiteral("<div class=\"b rich\" style=\"%1%2%3\">%4</div>")
                             .arg(boxStyle(b.rect, false), fontStyle(b),
                                  b.mono ? QStringLiteral("font-size:%1;").arg(px(b.pixelSize)) : QString(), b.html);
        // Checked again here: a Deck can be built by other code than SlideDeckBuilder.
        const QString body =
            !isOpenableLink(b.url) ? text : QStringLiteral("<a href=\"%1\">%2</a>").arg(b.url.toHtmlEscaped(), text);
        out += QStringLiteral("<p class=\"b\" style=\"%1%2%3\">%4</p>")
                   .arg(boxStyle(b.rect, false), fontStyle(b),
                        b.alignRight ? QStringLiteral("text-align:right;") : QString(), body);
        return out;
    }
    case SlideBlock::Kind::Image: {
        const QString uri = imageUri(b.imagePath);
        return uri.isEmpty() ? QString()
                             : QStringLiteral("<img style=\"%1\" src=\"%2\" alt=\"\">").arg(boxStyle(b.rect), uri);
    }
    case SlideBlock::Kind::Chart:
        if (b.chart < 0 || b.chart >= deck.charts.size())
            return {};
        return QStringLiteral("<img style=\"%1\" src=\"%2\" alt=\"%3\">")
            .arg(boxStyle(b.rect), pngUri(runChartImage(deck.charts[b.chart], b.rect.size())),
                 deck.charts[b.chart].title.toHtmlEscaped());
    }
    return {};
}

} // namespace

QString htmlDeckText(const Deck &deck)
{
    // The family the layout was measured with first, then common CJK-capable fallbacks.
    const QString fonts =
        QStringLiteral("'%1','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif")
            .arg(slideFontFamily());
    // Printed (the PDF deck) on 10 x 5.625 in pages: 960 x 540 CSS pixels, 0.6 of the stage.
    const QString style =
        QString::fromLatin1(kStyle).arg(kPrintPageSize.width() / 25.4 * 96 / kSlideSize.width(), 0, 'f', 4);
    QString out =
        QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>%1</title>\n<style>%2"
                       "body{font-family:%3}</style>\n%4</head><body>\n")
            .arg(deck.group.toHtmlEscaped(), style, fonts, katexInlineHead());
    for (const Slide &s : deck.slides) {
        out += QLatin1String("<section class=\"slide\">\n");
        for (const SlideBlock &b : s.blocks)
            out += blockHtml(deck, b) + QLatin1Char('\n');
        out += QLatin1String("</section>\n");
    }
    out += QStringLiteral("<script>%1</script>\n<script>%2</script>\n</body></html>\n")
               .arg(QLatin1String(kScript), renderMathScript());
    return out;
}

bool writeHtmlDeck(const Deck &deck, const QString &path, QString *error)
{
    return writeFileAtomically(path, htmlDeckText(deck).toUtf8(), error);
}

} // namespace paperlab
