// Checkbox reading list (seed 002):
//   ## MLSys
//   ### Kernel
//   - [X] [[2205.14135] FlashAttention: Fast and ...](https://arxiv.org/abs/2205.14135)
//     Flash Attention, [note](flashattention.md)
// "##" and "###" headings are both topics; "[X]" is read, "[ ]" unread; the indented text
// under an item (blank lines allowed between) is its note, links kept as written.
// Plain link bullets before the first "##" are the list's own preamble (sources), not papers.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("checkbox-list");

struct Item {
    int line = 0;
    int indent = 0;
    std::optional<ReadingStatus> status;
    QString text; // after the checkbox
    QStringList noteLines;
};

class CheckboxListParser {
public:
    CheckboxListParser(const QString &file, CancelFlag cancel)
        : m_file(file)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        static const QRegularExpression heading(QStringLiteral(R"(^(#{1,6})\s+(.*?)\s*#*\s*$)"));
        static const QRegularExpression checkbox(QStringLiteral(R"(^(\s*)[-*+]\s+\[([ xX]?)\]\s*(.*)$)"));
        static const QRegularExpression bullet(QStringLiteral(R"(^(\s*)[-*+]\s+(.*)$)"));
        const QStringList lines = md::splitLines(text);
        std::optional<Item> item;
        bool blankSinceItem = false;
        for (int i = 0; i < lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            const QString &line = lines[i];
            const int lineNo = i + 1;
            if (const auto h = heading.match(line); h.hasMatch()) {
                flush(item);
                const int level = int(h.captured(1).size());
                if (level == 2) {
                    m_section = h.captured(2);
                    m_subsection.clear();
                } else if (level >= 3)
                    m_subsection = h.captured(2);
                continue;
            }
            if (const auto c = checkbox.match(line); c.hasMatch()) {
                flush(item);
                item = Item{lineNo,
                            md::indentOf(line),
                            c.captured(2).trimmed().isEmpty() ? ReadingStatus::Unread : ReadingStatus::Read,
                            c.captured(3).trimmed(),
                            {}};
                blankSinceItem = false;
                continue;
            }
            if (const auto b = bullet.match(line); b.hasMatch() && (!item || md::indentOf(line) <= item->indent)) {
                flush(item);
                if (!m_section.isEmpty()) // a plain link bullet inside a section is a paper too
                    item = Item{lineNo, md::indentOf(line), std::nullopt, b.captured(2).trimmed(), {}};
                blankSinceItem = false;
                continue;
            }
            if (line.trimmed().isEmpty()) {
                blankSinceItem = true;
                continue;
            }
            // Free text: belongs to the item when indented, or when it directly continues it.
            if (item && (md::indentOf(line) > item->indent || !blankSinceItem))
                item->noteLines.append(line.trimmed());
            else
                flush(item);
        }
        flush(item);
        return std::move(m_batch);
    }

private:
    void flush(std::optional<Item> &item)
    {
        if (item)
            parseItem(*item);
        item.reset();
    }

    void parseItem(const Item &item)
    {
        PaperRecord r;
        r.source = {kFormat, m_file, item.line};
        r.status = item.status;
        const QList<md::Link> links = md::linksIn(item.text);
        if (!links.isEmpty() && !links.first().image) {
            r.paperUrl = links.first().url;
            r.title = links.first().text;
        } else if (item.text.contains(QLatin1Char('[')) || item.text.contains(QLatin1Char('('))) {
            m_batch.skip(m_file, item.line,
                         QStringLiteral("could not read the link \"[Title](url)\" of this item; item skipped"),
                         Diagnostic::Severity::Error);
            return;
        } else {
            r.title = item.text; // a bare title is still a paper
        }
        // "[2205.14135] Title": the bracketed arXiv id leads the link text.
        static const QRegularExpression idPrefix(QStringLiteral(R"(^\[(\d{4}\.\d{4,5})(?:v\d+)?\]\s*(.*)$)"));
        if (const auto m = idPrefix.match(r.title); m.hasMatch()) {
            r.arxivId = m.captured(1);
            r.title = m.captured(2);
        }
        r.title = simplifiedText(r.title);
        if (r.title.isEmpty()) {
            m_batch.skip(m_file, item.line, QStringLiteral("checkbox item has no title; item skipped"),
                         Diagnostic::Severity::Error);
            return;
        }
        r.abbr = md::abbrFromTitle(r.title);
        if (!m_section.isEmpty())
            md::appendUnique(r.topics, topicDisplayName(m_section));
        if (!m_subsection.isEmpty())
            md::appendUnique(r.topics, topicDisplayName(m_subsection));
        r.noteMarkdown = item.noteLines.join(QLatin1Char('\n'));
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    QString m_file;
    CancelFlag m_cancel;
    QString m_section, m_subsection;
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseCheckboxList(const QString &text, const QString &file, CancelFlag cancel)
{
    return CheckboxListParser(file, cancel).run(text);
}

} // namespace paperlab
