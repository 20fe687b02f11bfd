#include "notehtml.h"

#include "cmarkhtml.h"
#include "htmlrewrite.h"
#include "librarypaths.h"
#include "mathspans.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QRegularExpression>
#include <QUrl>

namespace paperlab {
namespace {

QString missingImage(const QString &name)
{
    const QString file = QFileInfo(name).fileName().isEmpty() ? name : QFileInfo(name).fileName();
    return QStringLiteral("<span class=\"missing-image\">Image not available: %1</span>").arg(file.toHtmlEscaped());
}

// One <img> tag rewritten: a local source resolved inside the library and handed to
// imageUrl, anything else (remote, outside, unreadable) a labelled placeholder.
QString rewriteImage(const QString &attrs, const NoteHtmlOptions &o)
{
    const QString src = decodedAttribute(htmlAttribute(attrs, QStringLiteral("src")));
    const QString alt = htmlAttribute(attrs, QStringLiteral("alt"));
    const QString width = htmlAttribute(attrs, QStringLiteral("width")).remove(QLatin1String("px"));
    const QUrl parsed(src);
    if (parsed.scheme() == u"http" || parsed.scheme() == u"https" || src.isEmpty())
        return missingImage(src.isEmpty() ? alt : src); // an offline reader: nothing is fetched
    QString url;
    if (src.startsWith(QLatin1String("data:image/"))) {
        url = src;
    } else {
        QString local = parsed.isLocalFile() ? parsed.toLocalFile() : QUrl::fromPercentEncoding(src.toUtf8());
        if (QFileInfo(local).isRelative() && !o.baseDir.isEmpty())
            local = QDir(o.baseDir).absoluteFilePath(local);
        // A note is library data: it may show pictures of its library, never other files.
        local = QFileInfo(local).isAbsolute()
                    ? embeddableImage(o.libraryRoot.isEmpty() ? o.baseDir : o.libraryRoot, {}, local)
                    : QString();
        if (local.isEmpty() || !QFileInfo(local).isFile() || !QImageReader(local).canRead())
            return missingImage(src);
        url = o.imageUrl ? o.imageUrl(local) : QUrl::fromLocalFile(local).toString();
        if (url.isEmpty())
            return missingImage(src); // refused by the page (outside the note's folder)
    }
    QString tag = QStringLiteral("<img class=\"zoomable\" src=\"%1\"").arg(url.toHtmlEscaped());
    if (width.toInt() > 0)
        tag += QStringLiteral(" width=\"%1\"").arg(width.toInt());
    if (!alt.isEmpty())
        tag += QStringLiteral(" alt=\"%1\"").arg(alt.toHtmlEscaped());
    return tag + QStringLiteral(">");
}

QString readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

QString noteBodyHtml(const QString &markdown, const NoteHtmlOptions &o)
{
    const ProtectedMarkdown p = protectMath(markdown);
    QString html = inertLinks(cmarkGfmHtml(p.text), o.baseDir, o.libraryRoot);

    // Task lists: numbered in document order, the order toggledTask() counts them in.
    static const QRegularExpression box(QStringLiteral("<input type=\"checkbox\"( checked=\"\")? disabled=\"\" ?/>"));
    int task = 0;
    html = replacedMatches(html, box, [&](const QRegularExpressionMatch &m) {
        const QString checked = m.capturedLength(1) > 0 ? QStringLiteral(" checked") : QString();
        return o.interactiveTasks ? QStringLiteral("<input type=\"checkbox\" class=\"task\" data-task=\"%1\"%2>")
                                        .arg(task++)
                                        .arg(checked)
                                  : QStringLiteral("<input type=\"checkbox\" class=\"task\" disabled%1>").arg(checked);
    });

    static const QRegularExpression img(QStringLiteral("<img\\b([^>]*?)/?>"),
                                        QRegularExpression::CaseInsensitiveOption);
    html =
        replacedMatches(html, img, [&o](const QRegularExpressionMatch &m) { return rewriteImage(m.captured(1), o); });
    return restoreMath(html, p.spans);
}

QString withTaskChecked(const QString &markdown, int index, bool checked)
{
    const QList<int> lines = taskListLines(markdown);
    if (index < 0 || index >= lines.size())
        return {};
    QStringList text = markdown.split(QLatin1Char('\n'));
    const int line = lines[index] - 1;
    if (line < 0 || line >= text.size())
        return {};
    static const QRegularExpression box(QStringLiteral("^((?:\\s*>)*\\s*(?:[-*+]|\\d+[.)])\\s+\\[)[ xX](\\])"));
    const auto m = box.match(text[line]);
    if (!m.hasMatch())
        return {};
    text[line].replace(m.capturedEnd(1), 1, checked ? QStringLiteral("x") : QStringLiteral(" "));
    return text.join(QLatin1Char('\n'));
}

QString inlineNoteHtml(const QString &markdown)
{
    // A bullet's text on its own: leading "1." or "#" would make cmark a list or heading.
    QString text = markdown;
    static const QRegularExpression blockStart(QStringLiteral("^(\\s*)([#>+\\-*]|\\d+[.)])(?=\\s|$)"));
    text.replace(blockStart, QStringLiteral("\\1\\\\\\2"));
    QString html = noteBodyHtml(text).trimmed();
    if (html.startsWith(QLatin1String("<p>")) && html.endsWith(QLatin1String("</p>")) &&
        html.count(QLatin1String("<p>")) == 1)
        html = html.mid(3, html.size() - 7);
    return html;
}

QString noteStyleSheet(bool dark)
{
    const QString fg = dark ? QStringLiteral("#e6edf3") : QStringLiteral("#1f2328");
    const QString bg = dark ? QStringLiteral("#0d1117") : QStringLiteral("#ffffff");
    const QString muted = dark ? QStringLiteral("#8d96a0") : QStringLiteral("#59636e");
    const QString border = dark ? QStringLiteral("#3d444d") : QStringLiteral("#d1d9e0");
    const QString codeBg = dark ? QStringLiteral("#151b23") : QStringLiteral("#f6f8fa");
    const QString link = dark ? QStringLiteral("#4493f8") : QStringLiteral("#0969da");
    const QString mark =
        dark ? QStringLiteral("background:#8a6d00;color:#fff") : QStringLiteral("background:#fff8c5;color:#1f2328");
    return QStringLiteral(R"CSS(
:root{color-scheme:%6}
body{margin:0;padding:16px 24px;color:%1;background:%2;font:15px/1.6 -apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",Helvetica,Arial,sans-serif;word-wrap:break-word}
h1,h2,h3,h4,h5,h6{margin:24px 0 12px;font-weight:600;line-height:1.25}
h1{font-size:2em;padding-bottom:.3em;border-bottom:1px solid %4}h2{font-size:1.5em;padding-bottom:.3em;border-bottom:1px solid %4}
h3{font-size:1.25em}h4{font-size:1em}h5{font-size:.95em}h6{font-size:.85em;color:%3}
p,ul,ol,blockquote,pre,table{margin:0 0 14px}
a{color:%7;text-decoration:none}a:hover{text-decoration:underline}
blockquote{margin-left:0;padding:0 1em;color:%3;border-left:.25em solid %4}
code{font:85% ui-monospace,"DejaVu Sans Mono",monospace;background:%5;padding:.2em .4em;border-radius:6px}
pre{background:%5;padding:14px;border-radius:6px;overflow:auto;line-height:1.45}pre code{background:none;padding:0;font-size:85%}
table{border-collapse:collapse;display:block;overflow:auto}th,td{border:1px solid %4;padding:6px 13px}th{font-weight:600}
tr:nth-child(2n){background:%5}
hr{height:2px;border:0;background:%4;margin:24px 0}
mark{%8}
ul,ol{padding-left:2em}li+li{margin-top:.25em}
li:has(> input.task),li.task-list-item{list-style:none}
input.task{margin:0 .35em 0 -1.3em;vertical-align:middle}
img{max-width:100%;box-sizing:content-box;background:%2}
img.zoomable{cursor:zoom-in}
.missing-image{display:inline-block;padding:10px 14px;border:2px dashed %4;border-radius:6px;color:%3;font-size:90%}
.math.display{display:block;text-align:center;margin:12px 0;overflow-x:auto;overflow-y:hidden}
#zoom{position:fixed;inset:0;background:rgba(0,0,0,.85);display:none;align-items:center;justify-content:center;cursor:zoom-out;z-index:10}
#zoom.on{display:flex}#zoom img{max-width:96vw;max-height:96vh;background:#fff}
)CSS")
        .arg(fg, bg, muted, border, codeBg, dark ? QStringLiteral("dark") : QStringLiteral("light"), link, mark);
}

QString katexDir()
{
    const QString dir = QStringLiteral("/usr/share/javascript/katex");
    return QFileInfo::exists(dir + QStringLiteral("/katex.min.js")) ? dir : QString();
}

QString katexInlineHead()
{
    const QString dir = katexDir();
    if (dir.isEmpty())
        return {};
    QString css = readFile(dir + QStringLiteral("/katex.min.css"));
    // Every browser PaperLab targets reads woff2: the woff and ttf copies are left out.
    static const QRegularExpression fallbacks(
        QStringLiteral(",url\\(fonts/[^)]+\\.(?:woff|ttf)\\) format\\(['\"](?:woff|truetype)['\"]\\)"));
    css.remove(fallbacks);
    static const QRegularExpression woff2(QStringLiteral("url\\(fonts/([A-Za-z0-9_-]+\\.woff2)\\)"));
    css = replacedMatches(css, woff2, [&dir](const QRegularExpressionMatch &m) {
        QFile f(dir + QStringLiteral("/fonts/") + m.captured(1));
        if (!f.open(QIODevice::ReadOnly))
            return m.captured();
        return QStringLiteral("url(data:font/woff2;base64,%1)").arg(QString::fromLatin1(f.readAll().toBase64()));
    });
    return QStringLiteral("<style>%1</style>\n<script>%2</script>\n")
        .arg(css, readFile(dir + QStringLiteral("/katex.min.js")));
}

QString renderMathScript()
{
    // throwOnError off: a typo in a formula shows it in red instead of leaving the page half done.
    return QStringLiteral(R"JS(
(function(){
  if (window.katex) for (const el of document.querySelectorAll('.math')) {
    try { katex.render(el.textContent, el, {displayMode: el.classList.contains('display'), throwOnError: false}); }
    catch (e) { el.title = String(e); }
  }
  // A font is fetched when visible text first needs it: math on a hidden slide (or shown
  // only for printing) would print as gaps. So KaTeX's fonts are all loaded up front.
  const done = () => { window.paperlabMathDone = true; };
  if (!document.fonts || !document.querySelector('.math')) { done(); return; }
  Promise.all([...document.fonts].filter(f => f.family.startsWith('KaTeX')).map(f => f.load().catch(() => null)))
    .then(() => document.fonts.ready).then(done, done);
})();
)JS");
}

} // namespace paperlab
