// Key-point notes (seed 003):
//   ### Title: SKVQ: Sliding-window Key and Value Cache Quantization ...
//   Institution: Shanghai AI Lab & SJTU
//   Conference: COLM 2024
//   Paper Link: https://openreview.net/pdf?id=nI6JyFSnyV
//   Source Code:
//   ##### Key-Point
//   - ... <img src="./pictures/SKQV.png" width=400>
// Real files vary the block start: "### Title：" (a full-width colon), "### Title*:",
// a bare "Title:" line, a nested "- Title:" item, or a "### Name" heading whose next line is
// a field (no "Title" at all). Field names are matched case-insensitively in any order,
// with either colon; everything after the fields up to the next block or heading of level
// 4 or less is the note, kept verbatim (images, [Personal-Understanding](...)).
// The first image becomes the cover. The linked personal-understanding file is not used as
// notePath: the library writes edited notes back to notePath, and that file is the user's.

#include "importers.h"
#include "markdownlines.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("keypoint-notes");

enum class Field { Institution, Venue, PaperLink, Code, Authors, Unknown };

Field fieldFrom(const QString &name)
{
    const QString n = name.simplified().toLower();
    if (n.startsWith(QLatin1String("institution")) || n.startsWith(QLatin1String("affiliation")))
        return Field::Institution;
    if (n == u"conference" || n == u"venue" || n == u"publication" || n == u"published")
        return Field::Venue;
    if (n == u"paper link" || n == u"paper" || n == u"link" || n == u"url" || n == u"paper url" || n == u"paper list")
        return Field::PaperLink;
    if (n == u"source code" || n == u"code" || n == u"github" || n == u"code link" || n == u"open source")
        return Field::Code;
    if (n == u"author" || n == u"authors")
        return Field::Authors;
    return Field::Unknown;
}

// A field value may be a bare URL or a Markdown link.
QString urlFrom(const QString &value)
{
    const QList<md::Link> links = md::linksIn(value);
    if (!links.isEmpty())
        return links.first().url;
    return value.section(QLatin1Char(' '), 0, 0).trimmed();
}

struct Block {
    int line = 0;
    QString title;
    QStringList lines; // lines after the heading
    QList<int> lineNumbers;
};

class KeyPointNotesParser {
public:
    KeyPointNotesParser(const QString &file, const QString &baseDir, CancelFlag cancel)
        : m_file(file)
        , m_baseDir(baseDir)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        static const QRegularExpression titleLine(
            QStringLiteral(R"(^\s*(?:#{1,4}\s*|[-*+]\s+)?\**Title\**\s*[:：]\s*(.*?)\s*$)"),
            QRegularExpression::CaseInsensitiveOption);
        static const QRegularExpression heading(QStringLiteral(R"(^\s*#{1,4}\s+(.+?)\s*#*\s*$)"));
        const QStringList lines = md::splitLines(text);
        std::optional<Block> block;
        for (int i = 0; i < lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            if (const auto m = titleLine.match(lines[i]); m.hasMatch()) {
                if (block)
                    parseBlock(*block);
                block = Block{i + 1, m.captured(1), {}, {}};
                continue;
            }
            if (const auto h = heading.match(lines[i]); h.hasMatch()) {
                // "### Inf-MLLM: ..." directly followed by "Institution: ..." is a paper; any
                // other heading ends the block before it ("## MLLM Training").
                if (block)
                    parseBlock(*block);
                block.reset();
                if (nextLineIsField(lines, i + 1))
                    block = Block{i + 1, h.captured(1), {}, {}};
                continue;
            }
            if (block) {
                block->lines.append(lines[i]);
                block->lineNumbers.append(i + 1);
            }
        }
        if (block && !md::cancelRequested(m_cancel))
            parseBlock(*block);
        return std::move(m_batch);
    }

private:
    static const QRegularExpression &fieldLineRe()
    {
        static const QRegularExpression fieldLine(
            QStringLiteral(R"(^\s*([A-Za-z][A-Za-z ]{0,30}?)\s*[:：]\s*(.*?)\s*$)"));
        return fieldLine;
    }

    static bool nextLineIsField(const QStringList &lines, int from)
    {
        for (int i = from; i < lines.size(); ++i) {
            if (lines[i].trimmed().isEmpty())
                continue;
            const auto m = fieldLineRe().match(lines[i]);
            return m.hasMatch() && fieldFrom(m.captured(1)) != Field::Unknown;
        }
        return false;
    }

    void parseBlock(const Block &b)
    {
        if (b.title.trimmed().isEmpty()) {
            m_batch.skip(m_file, b.line, QStringLiteral("\"Title:\" line without a title; block skipped"),
                         Diagnostic::Severity::Error);
            return;
        }
        PaperRecord r;
        r.source = {kFormat, m_file, b.line};
        r.title = simplifiedText(b.title);
        r.abbr = md::abbrFromTitle(r.title);

        // Fields come first ("Name: value"); the note starts at the first other line.
        const QRegularExpression &fieldLine = fieldLineRe();
        int bodyStart = 0;
        for (; bodyStart < b.lines.size(); ++bodyStart) {
            const QString &line = b.lines[bodyStart];
            if (line.trimmed().isEmpty())
                continue;
            const auto m = fieldLine.match(line);
            if (!m.hasMatch() || m.captured(2).startsWith(QLatin1String("//")))
                break;
            const QString value = m.captured(2);
            switch (fieldFrom(m.captured(1))) {
            case Field::Institution:
                for (const QString &inst :
                     value.split(QRegularExpression(QStringLiteral(R"(\s*[&;]\s*)")), Qt::SkipEmptyParts))
                    md::appendUnique(r.institutions, inst);
                break;
            case Field::Venue:
                if (!value.isEmpty())
                    md::applyVenue(r, value);
                break;
            case Field::PaperLink:
                r.paperUrl = urlFrom(value);
                break;
            case Field::Code:
                r.codeUrl = urlFrom(value);
                break;
            case Field::Authors:
                for (const QString &a :
                     value.split(QRegularExpression(QStringLiteral(R"(\s*[,;&]\s*)")), Qt::SkipEmptyParts))
                    md::appendUnique(r.authors, a);
                break;
            case Field::Unknown:
                m_batch.warn(m_file, b.lineNumbers[bodyStart],
                             QStringLiteral("unknown field \"%1\" in \"%2\"; kept in the note")
                                 .arg(m.captured(1), r.title.left(50)));
                r.noteMarkdown += line.trimmed() + QLatin1Char('\n');
                break;
            }
        }

        QStringList body = b.lines.mid(bodyStart);
        while (!body.isEmpty() && body.first().trimmed().isEmpty())
            body.removeFirst();
        while (!body.isEmpty() && body.last().trimmed().isEmpty())
            body.removeLast();
        for (QString &l : body) {
            while (l.endsWith(QLatin1Char(' ')))
                l.chop(1);
            if (r.coverPath.isEmpty()) {
                const QString img = md::firstImageIn(l);
                if (!img.isEmpty())
                    r.coverPath = md::resolvedPath(m_baseDir, img);
            }
        }
        r.noteMarkdown += body.join(QLatin1Char('\n'));
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    QString m_file, m_baseDir;
    CancelFlag m_cancel;
    ImportBatch m_batch;
};

} // namespace

ImportBatch parseKeyPointNotes(const QString &text, const QString &file, const QString &baseDir, CancelFlag cancel)
{
    return KeyPointNotesParser(file, baseDir, cancel).run(text);
}

} // namespace paperlab
