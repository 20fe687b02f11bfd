#include "notepoints.h"

#include "htmlrewrite.h"
#include "importers/markdownlines.h" // the importers' Markdown line helpers

#include <QDir>
#include <QRegularExpression>

namespace paperlab {
namespace {

int headingLevel(const QString &line)
{
    static const QRegularExpression heading(QStringLiteral(R"(^\s{0,3}(#{1,6})\s)"));
    const auto m = heading.match(line);
    return m.hasMatch() ? int(m.captured(1).size()) : 0;
}

// The lines of the Key-Point section (up to the next heading as high or higher), or none.
QStringList keyPointSection(const QStringList &lines)
{
    static const QRegularExpression keyPoint(QStringLiteral(R"(^\s{0,3}#{1,6}\s*key[\s-]*points?\b)"),
                                             QRegularExpression::CaseInsensitiveOption);
    for (int i = 0; i < lines.size(); ++i) {
        if (!keyPoint.match(lines[i]).hasMatch())
            continue;
        const int level = headingLevel(lines[i]);
        QStringList out;
        for (int j = i + 1; j < lines.size(); ++j) {
            const int h = headingLevel(lines[j]);
            if (h > 0 && h <= level)
                break;
            out << lines[j];
        }
        return out;
    }
    return {};
}

QList<QString> imagesIn(const QString &line)
{
    static const QRegularExpression md(QStringLiteral(R"(!\[[^\]]*\]\(([^)\s]+)[^)]*\))"));
    static const QRegularExpression html(QStringLiteral(R"(<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+))"),
                                         QRegularExpression::CaseInsensitiveOption);
    QList<QString> out;
    for (const auto *re : {&md, &html}) {
        auto it = re->globalMatch(line);
        while (it.hasNext())
            out << it.next().captured(1);
    }
    return out;
}

QString withoutImages(QString line)
{
    static const QRegularExpression md(QStringLiteral(R"(!\[[^\]]*\]\([^)]*\))"));
    static const QRegularExpression html(QStringLiteral(R"(<img\b[^>]*>)"), QRegularExpression::CaseInsensitiveOption);
    line.remove(md);
    line.remove(html);
    return line;
}

class PointCollector {
public:
    explicit PointCollector(const QString &noteDir)
        : m_dir(noteDir)
    {}

    void addLine(const QString &raw)
    {
        if (collectBlock(raw))
            return;
        static const QRegularExpression item(QStringLiteral(R"(^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$)"));
        static const QRegularExpression quote(QStringLiteral(R"(^\s{0,3}>\s?)"));
        for (const QString &src : imagesIn(raw)) {
            NotePoint p;
            p.kind = NotePoint::Kind::Image;
            p.text = src;
            p.imagePath =
                QDir::isAbsolutePath(src) || m_dir.isEmpty() ? src : QDir::cleanPath(QDir(m_dir).filePath(src));
            m_points << p;
            m_open = -1;
        }
        QString line = withoutImages(raw);
        if (line.trimmed().isEmpty()) {
            m_open = -1;
            return;
        }
        if (const int level = headingLevel(line); level > 0) {
            m_open = -1;
            m_indents.clear();
            if (level == 1)
                return; // the note's title: the paper slide already has it
            add(NotePoint::Kind::Heading, level,
                line.trimmed()
                    .remove(QRegularExpression(QStringLiteral("^#+\\s*")))
                    .remove(QRegularExpression(QStringLiteral("\\s+#+$"))));
            return;
        }
        if (const auto q = quote.match(line); q.hasMatch()) {
            QString text = line.mid(q.capturedEnd());
            while (text.trimmed().startsWith(QLatin1Char('>')))
                text = text.trimmed().mid(1); // nested quotes
            if (m_open >= 0 && m_points[m_open].kind == NotePoint::Kind::Quote) {
                extend(text);
                return;
            }
            add(NotePoint::Kind::Quote, 0, text);
            return;
        }
        if (const auto m = item.match(line); m.hasMatch()) {
            const int indent = md::indentOf(m.captured(1));
            // Indents seen so far give the level: 0, 2 or 4 spaces under a bullet nest one deeper.
            while (!m_indents.isEmpty() && m_indents.last() > indent)
                m_indents.removeLast();
            if (m_indents.isEmpty() || m_indents.last() < indent)
                m_indents << indent;
            QString text = m.captured(2);
            text.remove(QRegularExpression(QStringLiteral(R"(^(?:>\s*)+)"))); // "- > quoted": the quote mark is no text
            add(NotePoint::Kind::Bullet, int(m_indents.size()) - 1, text);
            m_hasList = true;
            return;
        }
        // A continuation of the open bullet, paragraph or quote (wrapped text).
        if (m_open >= 0) {
            extend(line.trimmed());
            return;
        }
        add(NotePoint::Kind::Paragraph, 0, line.trimmed());
        m_indents.clear();
    }

    // Whatever block is still open at the end of the note.
    void finish()
    {
        if (m_fence.isEmpty() && m_math.isNull())
            return;
        if (!m_fence.isEmpty())
            addRaw(NotePoint::Kind::Code, m_block.join(QLatin1Char('\n')));
        else
            addRaw(NotePoint::Kind::Math, m_math.trimmed());
        m_fence.clear();
        m_math = QString();
    }

    QList<NotePoint> points(bool structureOnly) const
    {
        if (!structureOnly || !m_hasList)
            return m_points;
        // Without a Key-Point section: the headings that have bullets, the bullets, and the
        // images and formulas among them; the prose around them stays in the note.
        QList<NotePoint> out;
        for (int i = 0; i < m_points.size(); ++i) {
            const NotePoint &p = m_points[i];
            if (p.kind == NotePoint::Kind::Heading) {
                bool hasBullets = false;
                for (int j = i + 1; j < m_points.size() && m_points[j].kind != NotePoint::Kind::Heading; ++j)
                    hasBullets = hasBullets || m_points[j].kind == NotePoint::Kind::Bullet;
                if (hasBullets)
                    out << p;
            } else if (p.kind == NotePoint::Kind::Bullet || p.kind == NotePoint::Kind::Image ||
                       p.kind == NotePoint::Kind::Math) {
                out << p;
            }
        }
        return out;
    }

private:
    // Fenced code and $$ display math spread over lines are one point each.
    bool collectBlock(const QString &raw)
    {
        static const QRegularExpression fence(QStringLiteral(R"(^\s*(```+|~~~+))"));
        const QString t = raw.trimmed();
        if (!m_fence.isEmpty()) {
            if (t.startsWith(m_fence))
                finish();
            else
                m_block << raw;
            return true;
        }
        if (!m_math.isNull()) {
            if (t.endsWith(QLatin1String("$$"))) {
                m_math += QLatin1Char('\n') + t.chopped(2);
                finish();
            } else {
                m_math += QLatin1Char('\n') + raw;
            }
            return true;
        }
        if (const auto f = fence.match(raw); f.hasMatch()) {
            m_fence = f.captured(1);
            m_block.clear();
            m_open = -1;
            return true;
        }
        if (t.startsWith(QLatin1String("$$"))) {
            m_open = -1;
            const QString rest = t.mid(2);
            if (rest.endsWith(QLatin1String("$$")) && rest.size() >= 2)
                addRaw(NotePoint::Kind::Math, rest.chopped(2).trimmed());
            else
                m_math = rest.isEmpty() ? QStringLiteral("") : rest;
            return true;
        }
        return false;
    }

    void add(NotePoint::Kind kind, int level, const QString &markdown)
    {
        NotePoint p;
        p.kind = kind;
        p.level = level;
        p.markdown = markdown.trimmed();
        p.text = plainInline(p.markdown);
        m_points << p;
        m_open = kind == NotePoint::Kind::Heading ? -1 : int(m_points.size()) - 1;
    }

    void addRaw(NotePoint::Kind kind, const QString &text)
    {
        NotePoint p;
        p.kind = kind;
        p.text = text;
        m_points << p;
        m_open = -1;
    }

    void extend(const QString &markdown)
    {
        NotePoint &p = m_points[m_open];
        p.markdown += QLatin1Char(' ') + markdown.trimmed();
        p.text = plainInline(p.markdown);
    }

    QString m_dir;
    QList<NotePoint> m_points;
    int m_open = -1; // index of the bullet, paragraph or quote a wrapped line continues
    QList<int> m_indents;
    bool m_hasList = false;
    QString m_fence;     // the open code fence ("```"), empty outside code
    QStringList m_block; // the code lines so far
    QString m_math;      // the open $$ block so far; null outside one
};

} // namespace

// Inline math as about as wide as it is typeset: "\\frac{b}{16}" takes the room of "b16",
// not of its source, so slides are not laid out with gaps after every formula.
QString mathAsTypeset(const QString &markdown)
{
    static const QRegularExpression inlineMath(QStringLiteral(R"(\$([^$\n]+)\$)"));
    static const QRegularExpression command(
        QStringLiteral(R"(\\(?:left|right|mathrm|text|operatorname|mathbf|quad|qquad|,|;|!))"));
    static const QRegularExpression symbol(QStringLiteral(R"(\\[A-Za-z]+)"));
    static const QRegularExpression markup(QStringLiteral(R"([{}^_\\])"));
    return replacedMatches(markdown, inlineMath, [](const QRegularExpressionMatch &m) {
        QString tex = m.captured(1);
        tex.remove(command);
        tex.replace(symbol, QStringLiteral("x"));
        tex.remove(markup);
        return tex.simplified();
    });
}

QString plainInline(const QString &markdown)
{
    QString s = mathAsTypeset(markdown);
    static const QRegularExpression link(QStringLiteral(R"(\[([^\]]*)\]\([^)]*\))"));
    static const QRegularExpression emphasis(QStringLiteral(R"((\*{1,3}|_{2,3}|`+|~~))"));
    static const QRegularExpression tags(QStringLiteral(R"(</?(?:b|i|u|em|strong|mark|code|br|font|span)\b[^>]*>)"),
                                         QRegularExpression::CaseInsensitiveOption);
    s.replace(link, QStringLiteral("\\1"));
    s.remove(emphasis);
    s.remove(tags);
    return s.simplified();
}

QList<NotePoint> notePoints(const QString &markdown, const QString &noteDir)
{
    QString text = markdown;
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    const QStringList section = keyPointSection(lines);
    PointCollector c(noteDir);
    for (const QString &l : section.isEmpty() ? lines : section)
        c.addLine(l);
    c.finish();
    // Without a Key-Point section the note's lists are its points; prose around them stays out.
    return c.points(section.isEmpty());
}

} // namespace paperlab
