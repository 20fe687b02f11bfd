// Markdown "awesome" lists: papers as bullets, numbered items or table rows under topic
// headings, each with a title link, often a venue tag and a code link:
//   - [ICML'24] [QuIP#: Even Better LLM Quantization ...](https://arxiv.org/abs/2402.04396)
//   [[Code](https://github.com/...)]
//   3. [**H2O: Heavy-Hitter Oracle for ....**](https://arxiv.org/abs/2306.14048) *Zhenyu Zhang, ...* NeurIPS 2023.
//   [![stars](badge)](https://github.com/...)
//   |2023.05|[**Title**](https://arxiv.org/abs/...)|[[pdf]](...)|[[code]](https://github.com/...)|
// The title is the first link whose text is not a label ("pdf", "code", "paper") or a
// badge; a github.com link is the code; "[ICML'24]", "**ICML 2024**" or the text after
// the italic authors is the venue. Rows and items without a title link are reported and
// counted as skipped; headings, table headers and rules are not papers.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("awesome-list");

bool isLabel(const QString &text)
{
    static const QRegularExpression label(
        QStringLiteral(
            R"(^\W*(pdf|paper|arxiv|code|github|project|page|blog|slides?|video|website|homepage|link|demo|openreview|doi|bib(tex)?)\W*$)"),
        QRegularExpression::CaseInsensitiveOption);
    return text.trimmed().isEmpty() || label.match(text).hasMatch();
}

bool isCodeUrl(const QString &url)
{
    return url.contains(QLatin1String("github.com"), Qt::CaseInsensitive) ||
           url.contains(QLatin1String("gitlab.com"), Qt::CaseInsensitive) ||
           url.contains(QLatin1String("huggingface.co"), Qt::CaseInsensitive);
}

// "[ICML'24]", "[NeurIPS 2023]", "**ICLR 2025**", "(ICML'24)".
QString venueTagIn(const QString &text)
{
    static const QRegularExpression tag(
        QStringLiteral(R"([\[(*]{1,2}\s*([A-Za-z][A-Za-z&-]{1,15}\s*(?:'\d{2}|\d{4}))\s*[\])*]{1,2})"));
    const auto m = tag.match(text);
    return m.hasMatch() ? m.captured(1) : QString();
}

// "*A, B, C.* NeurIPS 2023." -> venue "NeurIPS 2023" (the text after the italic authors).
void readAuthorsAndTrailingVenue(PaperRecord &r, const QString &after)
{
    static const QRegularExpression italic(
        QStringLiteral(R"(^\s*\*([^*]+)\*\s*([A-Za-z][A-Za-z .&-]{1,30}?\s*\d{4})?)"));
    const auto m = italic.match(after);
    if (!m.hasMatch())
        return;
    QString who = m.captured(1).trimmed();
    if (who.endsWith(QLatin1Char('.')))
        who.chop(1);
    for (const QString &a : who.split(QLatin1Char(','), Qt::SkipEmptyParts))
        md::appendUnique(r.authors, a);
    if (r.venueRaw.isEmpty() && !m.captured(2).isEmpty())
        md::applyVenue(r, m.captured(2));
}

class AwesomeListParser {
public:
    AwesomeListParser(const QString &file, CancelFlag cancel)
        : m_file(file)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        static const QRegularExpression heading(QStringLiteral(R"(^(#{1,6})\s+(.*?)\s*#*\s*$)"));
        static const QRegularExpression item(QStringLiteral(R"(^\s*(?:[-*+]|\d+[.)])\s+(.*)$)"));
        static const QRegularExpression rule(QStringLiteral(R"(^\|?\s*:?-{3,})"));
        const QStringList lines = md::splitLines(text);
        bool inCode = false;
        for (int i = 0; i < lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            const QString t = lines[i].trimmed();
            if (t.startsWith(QLatin1String("```")))
                inCode = !inCode;
            if (inCode)
                continue;
            if (const auto h = heading.match(t); h.hasMatch()) {
                const int level = int(h.captured(1).size());
                if (level >= 2) {
                    m_topics.resize(qMax(0, level - 2));
                    m_topics.append(stripDecoration(h.captured(2)));
                }
                continue;
            }
            if (t.startsWith(QLatin1Char('|'))) {
                if (rule.match(t).hasMatch())
                    continue;
                const bool header = i + 1 < lines.size() && rule.match(lines[i + 1].trimmed()).hasMatch();
                if (!header)
                    parseEntry(t, i + 1, true);
                continue;
            }
            if (const auto m = item.match(lines[i]); m.hasMatch() && !m_topics.isEmpty())
                parseEntry(m.captured(1), i + 1, false);
        }
        return std::move(m_batch);
    }

private:
    static QString stripDecoration(QString s)
    {
        s.remove(
            QRegularExpression(QStringLiteral(R"(\[([^\]]*)\]\([^)]*\))"))); // links in headings ("[back to top](#)")
        return simplifiedText(s.remove(QLatin1Char('*')));
    }

    void parseEntry(const QString &text, int lineNo, bool tableRow)
    {
        const QList<md::Link> links = md::linksIn(text);
        const md::Link *title = nullptr;
        PaperRecord r;
        r.source = {kFormat, m_file, lineNo};
        for (const md::Link &l : links) {
            if (l.image || l.url.startsWith(QLatin1Char('#')))
                continue;
            QString label = l.text;
            label.remove(QLatin1Char('*'));
            if (!title && !isLabel(label) && !label.startsWith(QLatin1String("![")) && !isCodeUrl(l.url)) {
                title = &l;
                continue;
            }
            if (isCodeUrl(l.url) && r.codeUrl.isEmpty())
                r.codeUrl = l.url;
            else if (label.contains(QLatin1String("pdf"), Qt::CaseInsensitive) ||
                     label.contains(QLatin1String("paper"), Qt::CaseInsensitive) ||
                     label.contains(QLatin1String("arxiv"), Qt::CaseInsensitive))
                if (r.paperUrl.isEmpty())
                    r.paperUrl = l.url;
        }
        if (!title && tableRow && titleFromCells(r, text)) {
            finish(r, text);
            return;
        }
        if (!title) {
            // Navigation bullets ("- [Quantization](#quantization)") name no paper; say so
            // only for lines that look like an entry.
            if (tableRow || !links.isEmpty() || text.size() > 40)
                m_batch.skip(m_file, lineNo,
                             QStringLiteral("%1 has no title link \"[Title](url)\"; skipped")
                                 .arg(QLatin1String(tableRow ? "table row" : "list item")));
            return;
        }
        QString t = title->text;
        t.remove(QLatin1Char('*'));
        t = simplifiedText(t);
        if (t.endsWith(QLatin1Char('.')))
            t.chop(1);
        r.title = t;
        r.abbr = md::abbrFromTitle(t);
        if (!title->url.contains(QLatin1String("github.com")))
            r.paperUrl = title->url;
        readAuthorsAndTrailingVenue(r, text.mid(title->end));
        finish(r, text.left(title->start) + QLatin1Char(' ') + text.mid(title->end));
    }

    // A table row whose title is plain text: "[**vLLM**] Efficient Memory ... (@UC Berkeley)"
    // in the cell with the most words; its [[pdf]] link is the paper.
    static bool titleFromCells(PaperRecord &r, const QString &row)
    {
        static const QRegularExpression linkOrImage(QStringLiteral(R"(!?\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\))"));
        QString best;
        for (QString cell : row.split(QLatin1Char('|'), Qt::SkipEmptyParts)) {
            cell.remove(linkOrImage);
            cell = cell.trimmed();
            if (cell.count(QLatin1Char(' ')) > best.count(QLatin1Char(' ')))
                best = cell;
        }
        static const QRegularExpression shortName(QStringLiteral(R"(^\[\**([^\]*]+)\**\]\s*)"));
        if (const auto m = shortName.match(best); m.hasMatch()) {
            r.abbr = m.captured(1).trimmed();
            best.remove(0, m.capturedLength());
        }
        static const QRegularExpression org(QStringLiteral(R"(\s*\(@([^)]+)\)\s*$)"));
        if (const auto m = org.match(best); m.hasMatch()) {
            for (const QString &inst :
                 m.captured(1).split(QRegularExpression(QStringLiteral(R"(\s*[,&]\s*)")), Qt::SkipEmptyParts))
                md::appendUnique(r.institutions, inst);
            best.chop(m.capturedLength());
        }
        best = simplifiedText(best.remove(QLatin1Char('*')));
        if (best.count(QLatin1Char(' ')) < 2)
            return false;
        r.title = best;
        return true;
    }

    // Venue tag from the text around the title, the headings as topics.
    void finish(PaperRecord &r, const QString &around)
    {
        const QString venue = venueTagIn(around);
        if (!venue.isEmpty() && r.venueRaw.isEmpty())
            md::applyVenue(r, venue);
        for (const QString &topic : std::as_const(m_topics))
            if (!topic.isEmpty())
                md::appendUnique(r.topics, topic);
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    QString m_file;
    CancelFlag m_cancel;
    QStringList m_topics; // the headings above, outermost first (## topic, ### subtopic)
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseAwesomeList(const QString &text, const QString &file, CancelFlag cancel)
{
    return AwesomeListParser(file, cancel).run(text);
}

} // namespace paperlab
