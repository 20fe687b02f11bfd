#pragma once
// Small rewrites of the HTML cmark-gfm makes from a note, shared by the note view, the
// editor's preview and the decks: reading an attribute, replacing regex matches, and
// keeping only the links PaperLab lets open.

#include <QRegularExpression>
#include <QString>

namespace paperlab {

// The value of `name` in a tag's attribute text: name="v", name='v' or name=v.
QString htmlAttribute(const QString &attrs, const QString &name);

// Character references decoded as the HTML reader will ("&#106;avascript:" is "javascript:").
QString decodedAttribute(const QString &value);

// Every <a> tag rebuilt with only an href PaperLab lets open (http, https, or a relative
// link that stays inside `libraryRoot`); a javascript:, file: or data: link keeps its text
// but is no link. An empty `libraryRoot` allows web links only.
QString inertLinks(const QString &html, const QString &baseDir, const QString &libraryRoot);

// `text` with every match of `re` replaced by what `rewrite` makes of it.
template <typename Rewrite>
QString replacedMatches(const QString &text, const QRegularExpression &re, Rewrite rewrite)
{
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        out += rewrite(m);
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

} // namespace paperlab
