// EfficientPaper's weekly list view (docs/weekly_paper/YYYY-MM-DD.md), one block per paper:
//   ## HybridKV Hybrid KV Cache Compression for Efficient Multimodal ... Inference
//   ![](https://img.shields.io/badge/pruning-F08080) ![](https://img.shields.io/badge/KV cache-F08080)
//   > one-line summary
//   **Authors:** Bowen Zeng, Feiyang Ren | **Date:** 2026-04-07
//   **Link:** [http://arxiv.org/abs/2604.05887v1](http://arxiv.org/abs/2604.05887v1)
//   <details><summary>Abstract</summary> ... </details>
//   ---
// Older views start with a "# Table of Contents" of "* [Title](#anchor)" lines: those are
// the same papers again, not papers of their own. The badges are the search words that
// found the paper (kept as highlights, not topics: they are words, not a topic scheme);
// the summary and the abstract become the note.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("weekly-list");

class WeeklyListParser {
public:
    WeeklyListParser(const QString &file, CancelFlag cancel)
        : m_file(file)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        static const QRegularExpression paperHeading(QStringLiteral(R"(^##\s+(.+?)\s*#*\s*$)"));
        const QStringList lines = md::splitLines(text);
        int start = -1;
        for (int i = 0; i <= lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            const bool atEnd = i == lines.size();
            if (!atEnd && !paperHeading.match(lines[i]).hasMatch())
                continue;
            if (start >= 0)
                parseBlock(lines, start, i);
            start = i;
        }
        return std::move(m_batch);
    }

private:
    void parseBlock(const QStringList &lines, int from, int to)
    {
        static const QRegularExpression paperHeading(QStringLiteral(R"(^##\s+(.+?)\s*#*\s*$)"));
        static const QRegularExpression authors(QStringLiteral(R"(\*\*Authors:\*\*\s*(.*?)\s*(?:\||$))"));
        static const QRegularExpression date(QStringLiteral(R"(\*\*Date:\*\*\s*(\d{4})-\d{2}-\d{2})"));
        static const QRegularExpression link(QStringLiteral(R"(^\s*\*\*Link:\*\*\s*(.*)$)"));
        static const QRegularExpression badge(QStringLiteral(R"(img\.shields\.io/badge/([^-)]+)-)"));
        PaperRecord r;
        r.source = {kFormat, m_file, from + 1};
        r.title = simplifiedText(paperHeading.match(lines[from]).captured(1));
        r.abbr = md::abbrFromTitle(r.title);
        QStringList note;
        bool inAbstract = false;
        for (int i = from + 1; i < to; ++i) {
            const QString t = lines[i].trimmed();
            if (const auto m = authors.match(t); m.hasMatch()) {
                for (const QString &a : m.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts))
                    md::appendUnique(r.authors, a);
                if (const auto d = date.match(t); d.hasMatch())
                    r.year = d.captured(1).toInt();
            } else if (const auto l = link.match(t); l.hasMatch()) {
                const QList<md::Link> links = md::linksIn(l.captured(1));
                r.paperUrl = links.isEmpty() ? l.captured(1).trimmed() : links.first().url;
            } else if (t.startsWith(QLatin1String("![]("))) {
                for (auto it = badge.globalMatch(t); it.hasNext();)
                    md::appendUnique(r.highlights, it.next().captured(1));
            } else if (t.startsWith(QLatin1Char('>'))) {
                note.append(t);
            } else if (t.startsWith(QLatin1String("<details"))) {
                inAbstract = true;
                note.append(QString());
                note.append(QStringLiteral("**Abstract**"));
                note.append(QString());
            } else if (t.startsWith(QLatin1String("</details"))) {
                inAbstract = false;
            } else if (inAbstract && !t.isEmpty()) {
                note.append(t);
            }
        }
        if (r.title.isEmpty()) {
            m_batch.skip(m_file, from + 1, QStringLiteral("paper heading without a title; block skipped"));
            return;
        }
        r.noteMarkdown = note.join(QLatin1Char('\n')).trimmed();
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    QString m_file;
    CancelFlag m_cancel;
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseWeeklyList(const QString &text, const QString &file, CancelFlag cancel)
{
    return WeeklyListParser(file, cancel).run(text);
}

} // namespace paperlab
