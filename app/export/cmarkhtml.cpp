#include "cmarkhtml.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

namespace paperlab {

// tagfilter stays off on purpose: the seeds' notes use raw <mark> and <img width=...>,
// which must reach the viewer (links and images are checked after rendering).
namespace {

constexpr int kOptions = CMARK_OPT_UNSAFE | CMARK_OPT_GITHUB_PRE_LANG;

cmark_parser *gfmParser()
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *parser = cmark_parser_new(kOptions);
    for (const char *name : {"table", "strikethrough", "autolink", "tasklist"}) {
        if (cmark_syntax_extension *ext = cmark_find_syntax_extension(name))
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    return parser;
}

} // namespace

QString cmarkGfmHtml(const QString &markdown)
{
    const QByteArray utf8 = markdown.toUtf8();
    cmark_parser *parser = gfmParser();
    const int options = kOptions;
    cmark_parser_feed(parser, utf8.constData(), size_t(utf8.size()));
    cmark_node *doc = cmark_parser_finish(parser);
    char *html = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser));
    const QString out = QString::fromUtf8(html);
    cmark_get_default_mem_allocator()->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return out;
}

QList<int> taskListLines(const QString &markdown)
{
    const QByteArray utf8 = markdown.toUtf8();
    cmark_parser *parser = gfmParser();
    cmark_parser_feed(parser, utf8.constData(), size_t(utf8.size()));
    cmark_node *doc = cmark_parser_finish(parser);
    QList<int> lines;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_ITEM &&
            qstrcmp(cmark_node_get_type_string(node), "tasklist") == 0)
            lines << cmark_node_get_start_line(node);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return lines;
}

} // namespace paperlab
