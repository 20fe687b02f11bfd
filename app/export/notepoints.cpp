#include "notepoints.h"

#include "importers/markdownlines.h"   // the importers' Markdown line helpers

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
    static const QRegularExpression keyPoint(QStringLiteral(R"(^\s{0,3}#{1,6}\s*key[\s-]*points?\b)"), QRegularExpression::CaseInsensitiveOption);
    for (int i = 0; i < lines.size(); ++i) {
        if (!keyPoint.match(lines[i]).hasMatch()) continue;
        const int level = headingLevel(lines[i]);
        QStringList out;
        for (int j = i + 1; j < lines.size(); ++j) {
            const int h = headingLevel(lines[j]);
            if (h > 0 && h <= level) break;
            out << lines[j];
        }
        return out;
    }
    return {};
}

QList<QString> imagesIn(const QString &line)
{
    static const QRegularExpression md(QStringLiteral(R"(!\[[^\]]*\]\(([^)\s]+)[^)]*\))"));
    static const QRegularExpression html(QStringLiteral(R"(<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+))"), QRegularExpression::CaseInsensitiveOption);
    QList<QString> out;
    for (const auto *re : {&md, &html}) {
        auto it = re->globalMatch(line);
        while (it.hasNext()) out << it.next().captured(1);
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
    explicit PointCollector(const QString &noteDir) : m_dir(noteDir) {}

    void addLine(const QString &raw)
    {
        static const QRegularExpression item(QStringLiteral(R"(^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$)"));
        for (const QString &src : imagesIn(raw)) {
            NotePoint p;
            p.kind = NotePoint::Kind::Image;
            p.text = src;
            p.imagePath = QDir::isAbsolutePath(src) || m_dir.isEmpty() ? src : QDir::cleanPath(QDir(m_dir).filePath(src));
            m_points << p;
            m_open = -1;
        }
        const QString line = withoutImages(raw);
        if (line.trimmed().isEmpty()) { m_open = -1; return; }
        if (headingLevel(line) > 0) {
            NotePoint p;
            p.kind = NotePoint::Kind::Paragraph;
            p.text = plainInline(line.trimmed().remove(QRegularExpression(QStringLiteral("^#+\\s*"))));
            m_points << p;
            m_open = -1;
            return;
        }
        if (const auto m = item.match(line); m.hasMatch()) {
            const int indent = md::indentOf(m.captured(1));
            // Indents seen so far give the level: 0, 2 or 4 spaces under a bullet nest one deeper.
            while (!m_indents.isEmpty() && m_indents.last() > indent) m_indents.removeLast();
            if (m_indents.isEmpty() || m_indents.last() < indent) m_indents << indent;
            NotePoint p;
            p.level = int(m_indents.size()) - 1;
            p.text = plainInline(m.captured(2));
            m_points << p;
            m_open = int(m_points.size()) - 1;
            m_hasList = true;
            return;
        }
        // A continuation of the open bullet or paragraph (wrapped text).
        if (m_open >= 0) {
            m_points[m_open].text += QLatin1Char(' ') + plainInline(line.trimmed());
            return;
        }
        NotePoint p;
        p.kind = NotePoint::Kind::Paragraph;
        p.text = plainInline(line.trimmed());
        m_points << p;
        m_open = int(m_points.size()) - 1;
        m_indents.clear();
    }

    QList<NotePoint> points(bool listsOnly) const
    {
        if (!listsOnly || !m_hasList) return m_points;
        QList<NotePoint> out;
        for (const NotePoint &p : m_points)
            if (p.kind != NotePoint::Kind::Paragraph) out << p;
        return out;
    }

private:
    QString m_dir;
    QList<NotePoint> m_points;
    int m_open = -1;   // index of the bullet or paragraph a wrapped line continues
    QList<int> m_indents;
    bool m_hasList = false;
};

} // namespace

QString plainInline(const QString &markdown)
{
    QString s = markdown;
    static const QRegularExpression link(QStringLiteral(R"(\[([^\]]*)\]\([^)]*\))"));
    static const QRegularExpression emphasis(QStringLiteral(R"((\*{1,3}|_{2,3}|`+|~~))"));
    static const QRegularExpression tags(QStringLiteral(R"(</?(?:b|i|u|em|strong|mark|code|br|font|span)\b[^>]*>)"), QRegularExpression::CaseInsensitiveOption);
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
    for (const QString &l : section.isEmpty() ? lines : section) c.addLine(l);
    // Without a Key-Point section the note's lists are its points; prose around them stays out.
    return c.points(section.isEmpty());
}

} // namespace paperlab
