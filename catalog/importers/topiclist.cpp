// Plain topic list (seed 000): "## Topic" headings, then one title per line, written the way
// folder names get written:
//   HashAttention - Semantic Sparsity for Faster Inference - ICML'25   (abbr, title, venue)
//   VoCo-LLaMA_Towards Vision Compression with Large Language Models   ('_' after the name)
//   PEARL_PARALLEL_SPECULATIVE_DECODING_WITH_ADAPTIVE_DRAFT_LENGTH      ('_' for every space)
//   MInference1.0-AcceleratingPre-fillingfor                           (squashed, truncated: kept as is)
//   T-MAC eurosys                                                      (name + bare venue)
// Text before the first "##" is the list's own introduction, not papers.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("topic-list");

// "ICML'25", "Eurosys'25", "MLsys'25", "ICML 2025", "FAST25": a venue with a year.
bool looksLikeVenueSuffix(const QString &part)
{
    static const QRegularExpression re(
        QStringLiteral(
            R"(^[A-Za-z][A-Za-z&.\-]{0,15}(?:\s+(?:Workshop|Oral|Poster|Spotlight))?\s*(?:['’]\s*\d{2}|\s\d{4}|\d{2})$)"),
        QRegularExpression::CaseInsensitiveOption);
    if (!re.match(part.trimmed()).hasMatch())
        return false;
    const Venue v = normalizeVenue(part);
    return !v.name.isEmpty() && v.year > 0;
}

bool isSingleToken(const QString &s)
{
    return !s.isEmpty() && !s.contains(QLatin1Char(' '));
}

// Horizontal rules and decoration lines carry no title.
bool isDecoration(const QString &t)
{
    static const QRegularExpression rule(QStringLiteral(R"(^[-*_=~\s]+$)"));
    return rule.match(t).hasMatch();
}

class TopicListParser {
public:
    TopicListParser(const QString &file, CancelFlag cancel)
        : m_file(file)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        static const QRegularExpression heading(QStringLiteral(R"(^(#{1,6})(?:\s+|$)(.*?)\s*#*\s*$)"));
        const QStringList lines = md::splitLines(text);
        for (int i = 0; i < lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            const int lineNo = i + 1;
            const QString t = lines[i].trimmed();
            if (const auto h = heading.match(t); h.hasMatch()) {
                const int level = int(h.captured(1).size());
                if (level == 1)
                    continue; // the document's own title
                const QString name = h.captured(2);
                if (name.isEmpty())
                    m_batch.warn(m_file, lineNo,
                                 QStringLiteral("empty topic heading; the titles below it get no topic"));
                if (level == 2) {
                    m_topic = name;
                    m_subtopic.clear();
                } else
                    m_subtopic = name;
                m_inTopics = true;
                continue;
            }
            if (!m_inTopics || t.isEmpty() || isDecoration(t) || t.startsWith(QLatin1Char('>')) ||
                t.startsWith(QLatin1String("<!--")))
                continue;
            parseLine(t, lineNo);
        }
        return std::move(m_batch);
    }

private:
    void parseLine(QString t, int lineNo)
    {
        if (t.startsWith(QLatin1Char('|')) || t.startsWith(QLatin1Char('<'))) {
            m_batch.skip(m_file, lineNo, QStringLiteral("table or HTML line in a topic list is not a title; skipped"));
            return;
        }
        static const QRegularExpression listMarker(QStringLiteral(R"(^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]?\]\s+)?)"));
        t.remove(listMarker);

        PaperRecord r;
        r.source = {kFormat, m_file, lineNo};

        // A bare URL on its own line links the paper above (or nothing): it is no title.
        static const QRegularExpression bareUrl(QStringLiteral(R"(^<?(?:https?://|www\.)\S+$)"),
                                                QRegularExpression::CaseInsensitiveOption);
        if (bareUrl.match(t).hasMatch()) {
            m_batch.skip(m_file, lineNo, QStringLiteral("a bare URL is not a paper title; skipped"));
            return;
        }
        // A URL written into the line is the paper's link, not part of its title.
        static const QRegularExpression inlineUrl(QStringLiteral(R"(\(?<?(https?://[^\s)>]+)>?\)?)"),
                                                  QRegularExpression::CaseInsensitiveOption);
        if (!t.startsWith(QLatin1Char('['))) {
            if (const auto u = inlineUrl.match(t); u.hasMatch())
                r.paperUrl = u.captured(1);
            t.remove(inlineUrl);
            t = t.trimmed();
        }
        // "Title (MIT & Stanford)": a closing parenthesis names the authors' institutions.
        static const QRegularExpression affiliation(QStringLiteral(R"(\s*\(@?([^()]{2,80})\)\s*$)"));
        if (const auto a = affiliation.match(t);
            a.hasMatch() && !looksLikeVenueSuffix(a.captured(1)) &&
            !a.captured(1).contains(QRegularExpression(QStringLiteral(R"(\d|version|extended|abstract)"),
                                                       QRegularExpression::CaseInsensitiveOption))) {
            for (const QString &inst :
                 a.captured(1).split(QRegularExpression(QStringLiteral(R"(\s*[,&/;]\s*)")), Qt::SkipEmptyParts))
                md::appendUnique(r.institutions, inst);
            t.chop(a.capturedLength());
        }

        // A linked title: "[Title](url) - VENUE'YY".
        const QList<md::Link> links = md::linksIn(t);
        if (!links.isEmpty() && !links.first().image && links.first().start == 0) {
            r.paperUrl = links.first().url;
            t = links.first().text + t.mid(links.first().end);
        }

        static const QRegularExpression dash(QStringLiteral(R"(\s+[-–—]\s+)"));
        QStringList parts = t.split(dash);
        for (QString &p : parts)
            p = p.trimmed();
        if (parts.size() >= 2 && looksLikeVenueSuffix(parts.last()))
            md::applyVenue(r, parts.takeLast());
        parts.removeAll(QString());
        if (parts.isEmpty() || (parts.size() == 1 && looksLikeVenueSuffix(parts.first()))) {
            m_batch.skip(m_file, lineNo, QStringLiteral("line has a venue but no title; skipped"),
                         Diagnostic::Severity::Error);
            return;
        }

        if (parts.size() >= 2) {
            // "Name - rest": a one-word first part is the paper's short name.
            const QString rest = parts.mid(1).join(QStringLiteral(" - "));
            if (isSingleToken(parts.first())) {
                r.abbr = parts.first();
                r.title = r.abbr + QStringLiteral(": ") + rest;
            } else {
                r.title = parts.join(QStringLiteral(" - "));
            }
        } else {
            readSingleTitle(r, parts.first());
        }
        r.title = simplifiedText(r.title);
        bool hasText = false;
        for (const QChar c : r.title)
            hasText = hasText || c.isLetterOrNumber();
        if (!hasText) {
            m_batch.skip(m_file, lineNo, QStringLiteral("line has no title text; skipped"));
            return;
        }
        if (!m_topic.isEmpty())
            md::appendUnique(r.topics, topicDisplayName(m_topic));
        if (!m_subtopic.isEmpty())
            md::appendUnique(r.topics, topicDisplayName(m_subtopic));
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    static void readSingleTitle(PaperRecord &r, const QString &s)
    {
        const qsizetype underscore = s.indexOf(QLatin1Char('_'));
        const qsizetype space = s.indexOf(QLatin1Char(' '));
        if (underscore > 0 && space > underscore) {
            // "VisionZip_Longer is Better ...": '_' separates the name from the title.
            r.abbr = s.left(underscore);
            QString rest = s.mid(underscore + 1);
            rest.replace(QLatin1Char('_'), QLatin1Char(' '));
            r.title = r.abbr + QStringLiteral(": ") + rest;
            return;
        }
        if (underscore >= 0 && space < 0) {
            QString spaced = s; // "PEARL_PARALLEL_..." spells every space as '_'
            spaced.replace(QLatin1Char('_'), QLatin1Char(' '));
            r.title = spaced;
            return;
        }
        // "T-MAC eurosys": a name followed by a bare venue word.
        const QStringList words = s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const QString last = words.isEmpty() ? QString() : words.last();
        const bool oneCase = last == last.toLower() || last == last.toUpper(); // not a capitalised title word
        if (words.size() == 2 && oneCase && isKnownVenueName(last)) {
            r.abbr = words.first();
            r.title = words.first();
            md::applyVenue(r, words.last());
            return;
        }
        r.title = s;
        r.abbr = md::abbrFromTitle(s);
        if (r.abbr.isEmpty() && isSingleToken(s) && s.size() <= 20)
            r.abbr = s; // "SageAttention", "Llama4": the line is the name
    }

    QString m_file;
    CancelFlag m_cancel;
    QString m_topic, m_subtopic;
    bool m_inTopics = false;
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseTopicList(const QString &text, const QString &file, CancelFlag cancel)
{
    return TopicListParser(file, cancel).run(text);
}

} // namespace paperlab
