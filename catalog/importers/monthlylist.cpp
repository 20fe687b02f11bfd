// Monthly reading list (seed 001):
//   >2025-03
//   - **Title that may wrap
//     onto a second line**. First Author et.al. **ASPLOS25**, **2024**, ([link](url))([open review](url)).
//     - <mark>remark</mark>
//     - [x] [note](#id)     - [x] ppt     - [ ] slide
// The month heading says when the paper was listed; it is kept as a highlight
// ("Reading list: 2025-03") because PaperRecord has no field for it and topics would be wrong.
// Variants of real lists: items indented by up to three spaces, tags before the title
// ("- **tag** **Title**. ...", "- `tag` **Title**. ..."), prose paragraphs under an item
// (they join its note), and autoLiterature's "([pdf](local.pdf))([link](https://arxiv.org/abs/...))"
// where the arXiv link, not the local file, is the paper.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("monthly-list");

bool isTopLevelItem(const QString &line)
{
    static const QRegularExpression item(QStringLiteral(R"(^\s{0,3}[-*+]\s+\S)"));
    return item.match(line).hasMatch();
}

// "- **Title**. ..." (tags before the title allowed): a paper of its own, never a sub-bullet
// or prose of the item above, whatever its indentation.
bool looksLikePaperItem(const QString &line)
{
    static const QRegularExpression item(
        QStringLiteral(R"(^\s{0,3}[-*+]\s+(?:(?:\*\*[^*]+\*\*|`[^`]+`)\s+)*\*\*[^*]+(?:\*\*\.|$))"));
    return item.match(line).hasMatch();
}

bool isBullet(const QString &line)
{
    static const QRegularExpression bullet(QStringLiteral(R"(^\s*(?:[-*+]|\d+[.)])\s)"));
    return bullet.match(line).hasMatch();
}

bool isHeading(const QString &line)
{
    static const QRegularExpression heading(QStringLiteral(R"(^\s*(?:#{1,6}\s|>\s*\d{4}-\d{1,2}\s*$|---+\s*$))"));
    return heading.match(line).hasMatch();
}

// "Daliang Xu et.al." -> ["Daliang Xu"]; "A, B and C" -> three names.
QStringList authorsFrom(QString text)
{
    static const QRegularExpression etAl(QStringLiteral(R"(\s*,?\s*et\.?\s*al\.?\s*$)"),
                                         QRegularExpression::CaseInsensitiveOption);
    // Simplified first: both patterns retry "\s*" at every blank of a run, so a long run
    // of blanks made them quadratic.
    text = text.simplified();
    if (text.endsWith(QLatin1Char('.')) && !etAl.match(text).hasMatch())
        text.chop(1);
    text.remove(etAl);
    static const QRegularExpression sep(QStringLiteral(R"(\s*(?:,|;|\band\b)\s*)"));
    QStringList out;
    for (const QString &a : text.split(sep, Qt::SkipEmptyParts))
        md::appendUnique(out, a);
    return out;
}

// The bold fields after the authors: "**ASPLOS25**, **2024**" or just "**FAST25**".
// A field that starts with a four-digit year is the date; anything else is the venue.
void readVenueAndYear(PaperRecord &r, const QStringList &bold)
{
    static const QRegularExpression date(QStringLiteral(R"(^(\d{4})(?:-\d{1,2}(?:-\d{1,2})?)?$)"));
    QString venue;
    int dateYear = 0;
    for (const QString &b : bold) {
        const auto m = date.match(b.trimmed());
        if (m.hasMatch())
            dateYear = m.captured(1).toInt();
        else if (venue.isEmpty())
            venue = b.trimmed();
    }
    if (!venue.isEmpty())
        md::applyVenue(r, venue);
    // "ASPLOS25, 2024": the venue's own year is the publication; the date is the preprint's.
    if (r.year == 0)
        r.year = dateYear;
}

void readLinks(PaperRecord &r, const QString &text)
{
    for (const md::Link &l : md::linksIn(text)) {
        const QString label = l.text.toLower();
        // autoLiterature's "([pdf](./papers/x.pdf))": a file on the writer's disk, not a link.
        if (label == u"pdf" && !l.url.contains(QLatin1String("://")))
            continue;
        if (!arxivIdFrom(l.url).isEmpty() && arxivIdFrom(r.paperUrl).isEmpty()) {
            r.paperUrl = l.url; // an arXiv link names the paper best
            continue;
        }
        if (label.contains(QLatin1String("open review")) || label.contains(QLatin1String("openreview")))
            r.openReviewUrl = l.url;
        else if (label.contains(QLatin1String("code")) || l.url.contains(QLatin1String("github.com")))
            r.codeUrl = l.url;
        else if (label.contains(QLatin1String("slide")) || label.contains(QLatin1String("ppt")))
            r.slidesUrl = l.url;
        else if (r.paperUrl.isEmpty())
            r.paperUrl = l.url;
    }
}

class MonthlyListParser {
public:
    MonthlyListParser(const QString &file, CancelFlag cancel)
        : m_file(file)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        const QStringList lines = md::splitLines(text);
        int i = 0;
        while (i < lines.size()) {
            if (md::cancelRequested(m_cancel))
                break;
            const QString &line = lines[i];
            static const QRegularExpression month(QStringLiteral(R"(^\s*>\s*(\d{4}-\d{1,2})\s*$)"));
            if (const auto m = month.match(line); m.hasMatch()) {
                m_month = m.captured(1);
                ++i;
                continue;
            }
            if (!isTopLevelItem(line)) {
                ++i;
                continue;
            }
            // The item's text runs on over more indented lines until its first sub-bullet.
            const int start = i;
            const int indent = md::indentOf(line);
            QString itemText = line.trimmed();
            ++i;
            while (i < lines.size() && !lines[i].trimmed().isEmpty() && md::indentOf(lines[i]) > indent &&
                   !isBullet(lines[i])) {
                itemText += QLatin1Char(' ') + lines[i].trimmed();
                ++i;
            }
            QStringList subs;
            while (i < lines.size() && isBullet(lines[i]) && md::indentOf(lines[i]) > indent &&
                   !looksLikePaperItem(lines[i])) {
                subs.append(lines[i].trimmed());
                ++i;
            }
            // Prose under the item, up to the next item or heading, is part of its note.
            QStringList prose;
            while (i < lines.size() && !isHeading(lines[i]) && !looksLikePaperItem(lines[i]) &&
                   !(isTopLevelItem(lines[i]) && md::indentOf(lines[i]) <= indent)) {
                prose.append(lines[i].trimmed());
                ++i;
            }
            while (!prose.isEmpty() && prose.last().isEmpty())
                prose.removeLast();
            while (!prose.isEmpty() && prose.first().isEmpty())
                prose.removeFirst();
            parseItem(itemText, subs, prose, start + 1);
        }
        return std::move(m_batch);
    }

private:
    void parseItem(const QString &itemText, const QStringList &subs, const QStringList &prose, int lineNo)
    {
        // Tags may come first: "**tag** **Title**. ..." or "`tag` **Title**. ..."; a tag is a
        // bold or code span followed by another span, the title the last one before the text.
        static const QRegularExpression shape(
            QStringLiteral(R"(^[-*+]\s+((?:(?:\*\*[^*]+\*\*|`[^`]+`)\s+(?=\*\*|`))*)\*\*(.+?)\*\*\.?\s*(.*)$)"));
        const auto m = shape.match(itemText.trimmed());
        if (!m.hasMatch()) {
            if (itemText.contains(QLatin1String("**")))
                m_batch.skip(m_file, lineNo,
                             QStringLiteral("list item has no closing \"**\" around its title; item skipped"),
                             Diagnostic::Severity::Error);
            else
                m_batch.skip(m_file, lineNo, QStringLiteral("list item has no bold \"**Title**\"; item skipped"));
            return;
        }
        PaperRecord r;
        r.source = {kFormat, m_file, lineNo};
        r.title = simplifiedText(m.captured(2));
        r.abbr = md::abbrFromTitle(r.title);
        static const QRegularExpression tag(QStringLiteral(R"(\*\*([^*]+)\*\*|`([^`]+)`)"));
        for (auto it = tag.globalMatch(m.captured(1)); it.hasNext();) {
            const auto t = it.next();
            md::appendUnique(r.topics, t.captured(1).isEmpty() ? t.captured(2) : t.captured(1));
        }

        // "Author et.al. **Venue**, **Year**, ([link](...))": authors end at the first bold field.
        const QString rest = m.captured(3);
        const qsizetype firstBold = rest.indexOf(QLatin1String("**"));
        const qsizetype firstLink = rest.indexOf(QLatin1Char('('));
        qsizetype authorsEnd = firstBold >= 0 ? firstBold : (firstLink >= 0 ? firstLink : rest.size());
        r.authors = authorsFrom(rest.left(authorsEnd));

        static const QRegularExpression bold(QStringLiteral(R"(\*\*([^*]+)\*\*)"));
        QStringList boldFields;
        auto it = bold.globalMatch(rest);
        while (it.hasNext())
            boldFields.append(it.next().captured(1));
        readVenueAndYear(r, boldFields);
        readLinks(r, rest);
        if (r.paperUrl.isEmpty())
            m_batch.warn(m_file, lineNo, QStringLiteral("\"%1\" has no ([link](...))").arg(r.title.left(60)));

        readSubBullets(r, subs);
        if (!prose.isEmpty()) {
            if (!r.noteMarkdown.isEmpty())
                r.noteMarkdown += QStringLiteral("\n\n");
            r.noteMarkdown += prose.join(QLatin1Char('\n'));
        }
        if (!m_month.isEmpty())
            r.highlights.append(QStringLiteral("Reading list: %1").arg(m_month));
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    // "<mark>x</mark>" is a remark; "[x] note" / "[x] ppt" / "[x] slide" are the user's
    // progress. Anything else is kept in the note, so nothing the list says is lost.
    void readSubBullets(PaperRecord &r, const QStringList &subs)
    {
        static const QRegularExpression mark(QStringLiteral(R"(<mark>(.*?)</mark>)"),
                                             QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression box(QStringLiteral(R"(^[-*+]\s+\[([ xX]?)\]\s*(.*)$)"));
        QStringList noteLines;
        bool anyChecked = false;
        for (const QString &s : subs) {
            if (const auto bm = box.match(s); bm.hasMatch()) {
                const bool checked = !bm.captured(1).trimmed().isEmpty();
                const QString label = bm.captured(2).toLower();
                if (label.contains(QLatin1String("note")))
                    r.noteWritten = r.noteWritten || checked;
                else if (label.contains(QLatin1String("ppt")) || label.contains(QLatin1String("slide")))
                    r.slidesMade = r.slidesMade || checked;
                else
                    noteLines.append(s);
                anyChecked = anyChecked || checked;
                continue;
            }
            auto mi = mark.globalMatch(s);
            bool hadMark = false;
            while (mi.hasNext()) {
                const QString h = mi.next().captured(1).trimmed();
                if (!h.isEmpty()) {
                    r.highlights.append(h);
                    noteLines.append(QStringLiteral("- ") + h);
                }
                hadMark = true;
            }
            if (!hadMark)
                noteLines.append(s);
        }
        r.noteMarkdown = noteLines.join(QLatin1Char('\n'));
        // A note or slides made means the paper was read.
        if (anyChecked)
            r.status = ReadingStatus::Read;
    }

    QString m_file;
    CancelFlag m_cancel;
    QString m_month;
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseMonthlyList(const QString &text, const QString &file, CancelFlag cancel)
{
    return MonthlyListParser(file, cancel).run(text);
}

} // namespace paperlab
