// EfficientPaper README view (seed 004): "### institution" (or keyword, author, ...) sections
// of <details> groups, each holding a table "| Meta | Title | Cover | Publish | Code | Note |".
// A paper is listed once per group it belongs to; rows are merged per meta file so each
// paper comes out once, carrying every group (institution/topic/author) it was listed under.

#include "importers.h"
#include "markdownlines.h"

#include <QHash>
#include <QRegularExpression>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("readme-view");

// What the <details> groups of the current section are.
enum class Grouping { Institution, Topic, Author, Other };

Grouping groupingFrom(const QString &heading)
{
    const QString h = heading.trimmed().toLower();
    if (h.startsWith(QLatin1String("institution")) || h == u"affiliation")
        return Grouping::Institution;
    if (h.startsWith(QLatin1String("keyword")) || h.startsWith(QLatin1String("topic")))
        return Grouping::Topic;
    if (h.startsWith(QLatin1String("author")))
        return Grouping::Author;
    return Grouping::Other; // venue / year / publication: the badge already says it
}

QString htmlDecoded(QString s)
{
    s.replace(QLatin1String("&lt;"), QLatin1String("<"));
    s.replace(QLatin1String("&gt;"), QLatin1String(">"));
    s.replace(QLatin1String("&quot;"), QLatin1String("\""));
    s.replace(QLatin1String("&#39;"), QLatin1String("'"));
    s.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return s;
}

// Cells of a table row split on '|' outside links, so a '|' inside a title survives.
QStringList tableCells(const QString &line)
{
    QString row = line.trimmed();
    if (row.startsWith(QLatin1Char('|')))
        row.remove(0, 1);
    if (row.endsWith(QLatin1Char('|')) && !row.endsWith(QLatin1String("\\|")))
        row.chop(1);
    QStringList cells;
    QString cur;
    int brackets = 0, parens = 0;
    for (qsizetype i = 0; i < row.size(); ++i) {
        const QChar c = row[i];
        if (c == QLatin1Char('\\') && i + 1 < row.size() && row[i + 1] == QLatin1Char('|')) {
            cur += QLatin1Char('|');
            ++i;
            continue;
        }
        if (c == QLatin1Char('['))
            ++brackets;
        else if (c == QLatin1Char(']'))
            brackets = qMax(0, brackets - 1);
        else if (c == QLatin1Char('('))
            ++parens;
        else if (c == QLatin1Char(')'))
            parens = qMax(0, parens - 1);
        if (c == QLatin1Char('|') && brackets == 0 && parens == 0) {
            cells.append(cur.trimmed());
            cur.clear();
        } else {
            cur += c;
        }
    }
    cells.append(cur.trimmed());
    return cells;
}

// Column positions from the header row; the default order when a table has none.
struct Columns {
    int meta = 0, title = 1, cover = 2, publish = 3, code = 4, note = 5;
};

Columns columnsFrom(const QStringList &header)
{
    Columns c{-1, -1, -1, -1, -1, -1};
    for (int i = 0; i < header.size(); ++i) {
        const QString h = header[i].toLower();
        if (h == u"meta")
            c.meta = i;
        else if (h == u"title")
            c.title = i;
        else if (h == u"cover")
            c.cover = i;
        else if (h == u"publish" || h == u"publication" || h == u"venue")
            c.publish = i;
        else if (h == u"code")
            c.code = i;
        else if (h == u"note" || h == u"notes")
            c.note = i;
    }
    return c;
}

QString cell(const QStringList &cells, int index)
{
    return index >= 0 && index < cells.size() ? cells[index] : QString();
}

// EfficientPaper writes "m" for a paper without a short name, and its generated keys
// ("07NWF4VE") are not names either.
bool isRealAbbr(const QString &text)
{
    static const QRegularExpression generatedKey(QStringLiteral("^(?=.*\\d)[0-9A-Z]{8}$"));
    return text.size() > 1 && !generatedKey.match(text).hasMatch();
}

// "meta/2025/MXFP4Train.prototxt" -> "MXFP4Train".
QString keyFromMetaPath(const QString &path)
{
    QString stem = path.section(QLatin1Char('/'), -1);
    if (stem.endsWith(QLatin1String(".prototxt"), Qt::CaseInsensitive))
        stem.chop(int(sizeof(".prototxt") - 1));
    return stem;
}

// The shields badge "badge/2025-ICML-FF8C00": label = year, message = venue. Shields
// escapes '-' as "--" and ' ' as '_'; the venue is kept raw ("2023-AutoML_Workshop").
// The last badge in the cell wins, which recovers the nested badge of a broken row.
struct Badge {
    QString raw;
    bool clean = false;
    bool found = false;
};

Badge publishBadge(const QString &text)
{
    static const QRegularExpression badge(
        QStringLiteral(R"(badge/(\d{4})-((?:[^-)/]|--)+)-[0-9A-Za-z]+(?:\.svg)?(?:\?[^)]*)?\))"));
    static const QRegularExpression whole(QStringLiteral(
        R"(^!\[[^\]]*\]\(https?://img\.shields\.io/badge/\d{4}-(?:[^-)/]|--)+-[0-9A-Za-z]+(?:\.svg)?(?:\?[^)]*)?\)$)"));
    Badge b;
    auto it = badge.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        QString venue = m.captured(2);
        venue.replace(QLatin1String("--"), QLatin1String("-"));
        b.raw = m.captured(1) + QLatin1Char('-') + venue;
        b.found = true;
    }
    b.clean = whole.match(text).hasMatch();
    return b;
}

bool isNoteLink(const md::Link &l)
{
    // By label, or by EfficientPaper's notes/ folder; a README.md of a code repository is code.
    static const QRegularExpression notesFolder(QStringLiteral(R"(^(?:\./)?notes/.*\.md$)"));
    return l.text.compare(QLatin1String("note"), Qt::CaseInsensitive) == 0 || notesFolder.match(l.url).hasMatch();
}

// Fills empty fields of `into` from `from`: later rows may know what earlier ones did not.
void fillMissing(PaperRecord &into, const PaperRecord &from)
{
    auto take = [](QString &a, const QString &b) {
        if (a.isEmpty())
            a = b;
    };
    take(into.title, from.title);
    take(into.abbr, from.abbr);
    take(into.paperUrl, from.paperUrl);
    take(into.coverPath, from.coverPath);
    take(into.codeUrl, from.codeUrl);
    take(into.notePath, from.notePath);
    if (into.venueRaw.isEmpty()) {
        into.venueRaw = from.venueRaw;
        into.venue = from.venue;
        into.year = from.year;
    }
    for (const QString &s : from.institutions)
        md::appendUnique(into.institutions, s);
    for (const QString &s : from.topics)
        md::appendUnique(into.topics, s);
    for (const QString &s : from.authors)
        md::appendUnique(into.authors, s);
}

class ReadmeViewParser {
public:
    ReadmeViewParser(const QString &file, const QString &baseDir, CancelFlag cancel)
        : m_file(file)
        , m_baseDir(baseDir)
        , m_cancel(cancel)
    {}

    ImportBatch run(const QString &text)
    {
        const QStringList lines = md::splitLines(text);
        for (int i = 0; i < lines.size(); ++i) {
            if (md::cancelRequested(m_cancel))
                break;
            handleLine(lines[i], i + 1);
        }
        for (PaperRecord &r : m_batch.papers)
            md::completeRecord(r);
        return std::move(m_batch);
    }

private:
    void handleLine(const QString &line, int lineNo)
    {
        static const QRegularExpression heading(QStringLiteral(R"(^\s*#{1,6}\s+(.+?)\s*#*\s*$)"));
        static const QRegularExpression summary(QStringLiteral(R"(<summary>\s*(?:<b>)?(.*?)(?:</b>)?\s*</summary>)"),
                                                QRegularExpression::CaseInsensitiveOption);
        const QString t = line.trimmed();
        if (const auto m = heading.match(line); m.hasMatch()) {
            m_grouping = groupingFrom(m.captured(1));
            m_group.clear();
            return;
        }
        // Only tried when a "</summary>" follows the first "<summary>", where the first try
        // succeeds: a line of unclosed tags retried the lazy (.*?) from each one (quadratic).
        const qsizetype open = t.indexOf(QLatin1String("<summary>"), 0, Qt::CaseInsensitive);
        const bool closes = open >= 0 && t.lastIndexOf(QLatin1String("</summary>"), -1, Qt::CaseInsensitive) > open;
        if (const auto m = closes ? summary.match(t) : QRegularExpressionMatch(); m.hasMatch()) {
            if (!m.captured(1).trimmed().isEmpty())
                m_group = htmlDecoded(m.captured(1).trimmed());
            return;
        }
        if (t.startsWith(QLatin1String("</details"), Qt::CaseInsensitive)) {
            m_group.clear();
            return;
        }
        if (!t.startsWith(QLatin1Char('|'))) {
            m_columns = Columns{}; // a table ended; the next one brings its own header
            m_columnCount = 6;
            m_inTable = false;
            return;
        }
        const QStringList cells = tableCells(t);
        static const QRegularExpression separator(QStringLiteral(R"(^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$)"));
        if (separator.match(t).hasMatch())
            return;
        if (!m_inTable && cells.contains(QLatin1String("Meta"), Qt::CaseInsensitive) &&
            cells.contains(QLatin1String("Title"), Qt::CaseInsensitive)) {
            m_columns = columnsFrom(cells);
            m_columnCount = int(cells.size());
            m_inTable = true;
            return;
        }
        m_inTable = true;
        if (cells.size() < m_columnCount)
            m_batch.warn(m_file, lineNo,
                         QStringLiteral("table row has %1 cells, the header has %2; missing cells left empty")
                             .arg(cells.size())
                             .arg(m_columnCount));
        handleRow(cells, lineNo);
    }

    void handleRow(const QStringList &cells, int lineNo)
    {
        const QList<md::Link> metaLinks = md::linksIn(cell(cells, m_columns.meta));
        if (metaLinks.isEmpty() || !metaLinks.first().url.endsWith(QLatin1String(".prototxt"), Qt::CaseInsensitive)) {
            m_batch.skip(m_file, lineNo,
                         QStringLiteral("table row has no meta link \"[KEY](./meta/YEAR/KEY.prototxt)\"; row skipped"),
                         Diagnostic::Severity::Error);
            return;
        }
        const md::Link meta = metaLinks.first();

        PaperRecord r;
        r.source = {kFormat, m_file, lineNo};
        r.key = keyFromMetaPath(meta.url);
        if (isRealAbbr(meta.text))
            r.abbr = meta.text;

        const QString titleCell = cell(cells, m_columns.title);
        const QList<md::Link> titleLinks = md::linksIn(titleCell);
        if (!titleLinks.isEmpty() && !titleLinks.first().image) {
            r.title = titleLinks.first().text;
            r.paperUrl = titleLinks.first().url;
        } else {
            r.title = titleCell;
        }
        if (r.title.isEmpty())
            m_batch.warn(m_file, lineNo, QStringLiteral("paper %1 has no title").arg(r.key));

        r.coverPath = md::resolvedPath(m_baseDir, md::firstImageIn(cell(cells, m_columns.cover)));
        readPublish(r, cell(cells, m_columns.publish), lineNo);
        readCodeAndNote(r, cell(cells, m_columns.code), cell(cells, m_columns.note), lineNo);

        switch (m_grouping) {
        case Grouping::Institution:
            md::appendUnique(r.institutions, m_group);
            break;
        case Grouping::Topic:
            if (!m_group.isEmpty())
                md::appendUnique(r.topics, topicDisplayName(m_group));
            break;
        case Grouping::Author:
            md::appendUnique(r.authors, m_group);
            break;
        case Grouping::Other:
            break;
        }

        // One record per meta file (meta/YEAR/KEY): two years may hold the same KEY.
        const QString identity = QDir::cleanPath(meta.url);
        if (const auto it = m_indexByMeta.constFind(identity); it != m_indexByMeta.constEnd()) {
            fillMissing(m_batch.papers[it.value()], r);
            return;
        }
        m_indexByMeta.insert(identity, int(m_batch.papers.size()));
        m_batch.papers.append(r);
    }

    void readPublish(PaperRecord &r, const QString &text, int lineNo)
    {
        if (text.isEmpty())
            return;
        const Badge b = publishBadge(text);
        if (!b.found) {
            m_batch.warn(m_file, lineNo,
                         QStringLiteral("publish cell of %1 has no YEAR-VENUE badge: %2").arg(r.key, text.left(80)));
            return;
        }
        if (!b.clean)
            m_batch.warn(m_file, lineNo,
                         QStringLiteral("malformed publish badge of %1; read \"%2\" from it").arg(r.key, b.raw));
        md::applyVenue(r, b.raw);
    }

    void readCodeAndNote(PaperRecord &r, const QString &codeText, const QString &noteText, int lineNo)
    {
        for (const md::Link &l : md::linksIn(codeText)) {
            if (l.image)
                continue; // the stars badge, not the repository
            if (isNoteLink(l)) {
                // A row whose cells slid one column left: the note sits under Code.
                m_batch.warn(m_file, lineNo,
                             QStringLiteral("note link of %1 found in the Code column; taken as the note").arg(r.key));
                r.notePath = md::resolvedPath(m_baseDir, l.url);
                continue;
            }
            if (r.codeUrl.isEmpty())
                r.codeUrl = l.url;
        }
        for (const md::Link &l : md::linksIn(noteText)) {
            if (!l.image && r.notePath.isEmpty())
                r.notePath = md::resolvedPath(m_baseDir, l.url);
        }
        const QString note = noteText.trimmed();
        if (!note.isEmpty() && note.compare(QLatin1String("None"), Qt::CaseInsensitive) != 0 &&
            md::linksIn(note).isEmpty())
            m_batch.warn(m_file, lineNo, QStringLiteral("note cell of %1 is not a link: %2").arg(r.key, note.left(80)));
    }

    QString m_file, m_baseDir;
    CancelFlag m_cancel;
    ImportBatch m_batch;
    Grouping m_grouping = Grouping::Institution; // a view without a heading is per institution
    QString m_group;
    Columns m_columns;
    int m_columnCount = 6;
    bool m_inTable = false;
    QHash<QString, int> m_indexByMeta;
};

} // namespace

ImportBatch parseReadmeView(const QString &text, const QString &file, const QString &baseDir, CancelFlag cancel)
{
    return ReadmeViewParser(file, baseDir, cancel).run(text);
}

} // namespace paperlab
