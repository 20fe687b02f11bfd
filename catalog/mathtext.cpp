#include "mathtext.h"

#include "textnormalize.h"

#include <QHash>

namespace paperlab {
namespace {

QHash<QChar, QChar> charMap(const QString &from, const QString &to)
{
    QHash<QChar, QChar> m;
    for (qsizetype i = 0; i < from.size(); ++i)
        m.insert(from[i], to[i]);
    return m;
}

// Characters with a Unicode subscript or superscript form (Unicode has no complete set:
// "b" has no subscript, "q" no superscript).
const QHash<QChar, QChar> &subscripts()
{
    static const QHash<QChar, QChar> map =
        charMap(QStringLiteral("0123456789+-=()aehijklmnoprstuvx"), QStringLiteral("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"));
    return map;
}

const QHash<QChar, QChar> &superscripts()
{
    static const QHash<QChar, QChar> map = charMap(QStringLiteral("0123456789+-=()abcdefghijklmnoprstuvwxyzT"),
                                                   QStringLiteral("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"));
    return map;
}

// Commands written as one symbol.
const QHash<QString, QString> &symbols()
{
    static const QHash<QString, QString> map = {
        {QStringLiteral("times"), QStringLiteral("×")},
        {QStringLiteral("cdot"), QStringLiteral("·")},
        {QStringLiteral("pm"), QStringLiteral("±")},
        {QStringLiteral("div"), QStringLiteral("÷")},
        {QStringLiteral("leq"), QStringLiteral("≤")},
        {QStringLiteral("le"), QStringLiteral("≤")},
        {QStringLiteral("geq"), QStringLiteral("≥")},
        {QStringLiteral("ge"), QStringLiteral("≥")},
        {QStringLiteral("neq"), QStringLiteral("≠")},
        {QStringLiteral("ne"), QStringLiteral("≠")},
        {QStringLiteral("approx"), QStringLiteral("≈")},
        {QStringLiteral("sim"), QStringLiteral("∼")},
        {QStringLiteral("propto"), QStringLiteral("∝")},
        {QStringLiteral("infty"), QStringLiteral("∞")},
        {QStringLiteral("to"), QStringLiteral("→")},
        {QStringLiteral("rightarrow"), QStringLiteral("→")},
        {QStringLiteral("leftarrow"), QStringLiteral("←")},
        {QStringLiteral("ll"), QStringLiteral("≪")},
        {QStringLiteral("gg"), QStringLiteral("≫")},
        {QStringLiteral("in"), QStringLiteral("∈")},
        {QStringLiteral("sum"), QStringLiteral("∑")},
        {QStringLiteral("prod"), QStringLiteral("∏")},
        {QStringLiteral("sqrt"), QStringLiteral("√")},
        {QStringLiteral("ell"), QStringLiteral("ℓ")},
        {QStringLiteral("prime"), QStringLiteral("′")},
        {QStringLiteral("ldots"), QStringLiteral("…")},
        {QStringLiteral("dots"), QStringLiteral("…")},
        {QStringLiteral("cdots"), QStringLiteral("⋯")},
        {QStringLiteral("alpha"), QStringLiteral("α")},
        {QStringLiteral("beta"), QStringLiteral("β")},
        {QStringLiteral("gamma"), QStringLiteral("γ")},
        {QStringLiteral("delta"), QStringLiteral("δ")},
        {QStringLiteral("epsilon"), QStringLiteral("ε")},
        {QStringLiteral("varepsilon"), QStringLiteral("ε")},
        {QStringLiteral("eta"), QStringLiteral("η")},
        {QStringLiteral("theta"), QStringLiteral("θ")},
        {QStringLiteral("kappa"), QStringLiteral("κ")},
        {QStringLiteral("lambda"), QStringLiteral("λ")},
        {QStringLiteral("mu"), QStringLiteral("μ")},
        {QStringLiteral("pi"), QStringLiteral("π")},
        {QStringLiteral("rho"), QStringLiteral("ρ")},
        {QStringLiteral("sigma"), QStringLiteral("σ")},
        {QStringLiteral("tau"), QStringLiteral("τ")},
        {QStringLiteral("phi"), QStringLiteral("φ")},
        {QStringLiteral("psi"), QStringLiteral("ψ")},
        {QStringLiteral("omega"), QStringLiteral("ω")},
        {QStringLiteral("Delta"), QStringLiteral("Δ")},
        {QStringLiteral("Theta"), QStringLiteral("Θ")},
        {QStringLiteral("Sigma"), QStringLiteral("Σ")},
        {QStringLiteral("Omega"), QStringLiteral("Ω")},
        // Escaped characters and TeX's spacing commands.
        {QStringLiteral("%"), QStringLiteral("%")},
        {QStringLiteral("$"), QStringLiteral("$")},
        {QStringLiteral("&"), QStringLiteral("&")},
        {QStringLiteral("#"), QStringLiteral("#")},
        {QStringLiteral("_"), QStringLiteral("_")},
        {QStringLiteral("{"), QStringLiteral("{")},
        {QStringLiteral("}"), QStringLiteral("}")},
        {QStringLiteral(","), QStringLiteral(" ")},
        {QStringLiteral(";"), QStringLiteral(" ")},
        {QStringLiteral(":"), QStringLiteral(" ")},
        {QStringLiteral(" "), QStringLiteral(" ")},
        {QStringLiteral("quad"), QStringLiteral(" ")},
        {QStringLiteral("!"), QString()},
    };
    return map;
}

// Set upright with a space on each side, as TeX does ("n\log n" is "n log n").
bool isOperatorName(const QString &command)
{
    static const QStringList names = {QStringLiteral("log"), QStringLiteral("ln"),  QStringLiteral("exp"),
                                      QStringLiteral("max"), QStringLiteral("min"), QStringLiteral("arg"),
                                      QStringLiteral("sin"), QStringLiteral("cos"), QStringLiteral("lim")};
    return names.contains(command);
}

// Font and text commands: their argument is shown as it is ("\mathrm{FP8}" is "FP8").
bool keepsContent(const QString &command)
{
    static const QStringList names = {
        QStringLiteral("mathrm"),      QStringLiteral("text"),   QStringLiteral("textrm"),
        QStringLiteral("mathit"),      QStringLiteral("mathbf"), QStringLiteral("textbf"),
        QStringLiteral("textit"),      QStringLiteral("mathsf"), QStringLiteral("mathtt"),
        QStringLiteral("mathcal"),     QStringLiteral("mathbb"), QStringLiteral("boldsymbol"),
        QStringLiteral("operatorname")};
    return names.contains(command);
}

class MathReader {
public:
    explicit MathReader(QStringView tex)
        : m_tex(tex)
    {}

    QString read()
    {
        QString out;
        bool spaceBeforeWord = false; // after an operator name: "log n", not "logn"
        while (m_pos < m_tex.size()) {
            const QChar c = m_tex[m_pos];
            QString piece;
            bool wordAfter = false; // an operator name or an unknown command: a space before a word follows
            if (c == QLatin1Char('\\')) {
                const QString command = readCommand();
                // TeX drops the spaces after a command word; plain text keeps them only to
                // match a space before it ("k \leq 8" is "k ≤ 8", "2\times 10" is "2×10").
                if (!command.isEmpty() && command.front().isLetter() && (out.isEmpty() || !out.back().isSpace()))
                    while (m_pos < m_tex.size() && m_tex[m_pos].isSpace())
                        ++m_pos;
                if (keepsContent(command) && peek() == QLatin1Char('{')) {
                    piece = MathReader(readGroup()).read();
                } else if (isOperatorName(command)) {
                    piece = command;
                    wordAfter = true;
                    if (!out.isEmpty() && out.back().isLetterOrNumber())
                        out += QLatin1Char(' ');
                } else if (const auto s = symbols().constFind(command); s != symbols().cend()) {
                    piece = *s;
                } else {
                    piece = QLatin1Char('\\') + command;
                    wordAfter = !command.isEmpty() && command.front().isLetter();
                }
            } else if (c == QLatin1Char('_') || c == QLatin1Char('^')) {
                ++m_pos;
                piece = script(c == QLatin1Char('_') ? subscripts() : superscripts(), c);
            } else if (c == QLatin1Char('{')) {
                piece = MathReader(readGroup()).read();
            } else if (c == QLatin1Char('}')) {
                ++m_pos; // unbalanced: dropped
                continue;
            } else {
                piece = c == QLatin1Char('~') ? QStringLiteral(" ") : QString(c);
                ++m_pos;
            }
            if (spaceBeforeWord && !piece.isEmpty() && piece.front().isLetterOrNumber())
                out += QLatin1Char(' ');
            spaceBeforeWord = wordAfter;
            out += piece;
        }
        // Spaces in TeX's math are not spacing; one space stays where any was written.
        return out.simplified();
    }

private:
    QChar peek() const { return m_pos < m_tex.size() ? m_tex[m_pos] : QChar(); }

    // The name after a backslash: a run of letters, or one other character ("\%", "\,").
    QString readCommand()
    {
        ++m_pos;
        const qsizetype start = m_pos;
        while (m_pos < m_tex.size() && m_tex[m_pos].isLetter() && m_tex[m_pos].unicode() < 128)
            ++m_pos;
        if (m_pos == start) {
            if (m_pos < m_tex.size())
                ++m_pos;
            return m_tex.mid(start, m_pos - start).toString();
        }
        return m_tex.mid(start, m_pos - start).toString();
    }

    // The text inside the braces opening at m_pos (to the end when they never close).
    QStringView readGroup()
    {
        const qsizetype start = ++m_pos;
        int depth = 1;
        for (; m_pos < m_tex.size(); ++m_pos) {
            const QChar c = m_tex[m_pos];
            if (c == QLatin1Char('\\'))
                ++m_pos;
            else if (c == QLatin1Char('{'))
                ++depth;
            else if (c == QLatin1Char('}') && --depth == 0)
                return m_tex.mid(start, m_pos++ - start);
        }
        return m_tex.mid(start);
    }

    // The argument of _ or ^ (a group, a command or one character) in sub- or superscript
    // characters when each has one, else as written.
    QString script(const QHash<QChar, QChar> &forms, QChar mark)
    {
        QString argument;
        bool grouped = false;
        if (peek() == QLatin1Char('{')) {
            argument = MathReader(readGroup()).read();
            grouped = true;
        } else if (peek() == QLatin1Char('\\')) {
            const qsizetype start = m_pos;
            readCommand();
            argument = MathReader(m_tex.mid(start, m_pos - start)).read();
        } else if (m_pos < m_tex.size()) {
            argument = m_tex[m_pos++];
        }
        if (argument == QStringLiteral("′"))
            return argument; // f^\prime is f′
        QString converted;
        for (const QChar c : std::as_const(argument)) {
            const auto form = forms.constFind(c);
            if (form == forms.cend())
                return grouped && argument.size() != 1 ? QStringLiteral("%1{%2}").arg(mark).arg(argument)
                                                       : mark + argument;
            converted += *form;
        }
        return converted;
    }

    QStringView m_tex;
    qsizetype m_pos = 0;
};

// The superscript forms of `text`'s characters, or an empty string when one has none.
QString superscriptForms(QStringView text)
{
    QString out;
    for (const QChar c : text) {
        const auto form = superscripts().constFind(c);
        if (form == superscripts().cend())
            return QString();
        out += *form;
    }
    return out;
}

// ASCII math outside $…$, as kernel names and descriptions write it ("QK^T", "s^2d",
// "10^-3", "x^{n+1}"): the superscript at text[caret] in Unicode, appended to `out`, and the
// index of its last character; -1 leaves the caret as written. Only a caret right after a
// letter, digit or bracket counts, and a bare letter only when no letter follows, so a word
// after a caret ("x^Tab") or a caret on its own ("a ^ b") is not read as an exponent.
qsizetype asciiSuperscript(const QString &text, qsizetype caret, QString &out)
{
    if (caret == 0 || caret + 1 >= text.size())
        return -1;
    const QChar before = text[caret - 1];
    if (!before.isLetterOrNumber() && before != QLatin1Char(')') && before != QLatin1Char(']'))
        return -1;
    qsizetype end = caret + 1;      // one past the exponent
    qsizetype from = end, to = end; // the exponent's characters
    if (text[end] == QLatin1Char('{')) {
        end = text.indexOf(QLatin1Char('}'), end);
        if (end < 0)
            return -1;
        from = caret + 2;
        to = end++;
    } else {
        if (text[end] == QLatin1Char('-') || text[end] == QLatin1Char('+'))
            ++end;
        const qsizetype digits = end;
        while (end < text.size() && text[end].isDigit() && text[end].unicode() < 128)
            ++end;
        if (end == digits) {
            if (end != caret + 1 || !text[end].isLetter())
                return -1;
            ++end; // one letter, and only when a word does not go on after it
            if (end < text.size() && text[end].isLetterOrNumber())
                return -1;
        }
        to = end;
    }
    const QString forms = superscriptForms(QStringView(text).mid(from, to - from));
    if (forms.isEmpty())
        return -1;
    out += forms;
    return end - 1;
}

} // namespace

QString mathAsUnicode(const QString &text)
{
    if (!text.contains(QLatin1Char('$')) && !text.contains(QLatin1Char('^')))
        return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\\') && i + 1 < text.size() && text[i + 1] == QLatin1Char('$')) {
            out += QLatin1Char('$');
            ++i;
            continue;
        }
        if (text[i] == QLatin1Char('^')) {
            if (const qsizetype last = asciiSuperscript(text, i, out); last >= 0) {
                i = last;
                continue;
            }
        }
        const qsizetype end = text[i] == QLatin1Char('$') ? inlineMathEnd(text, i) : -1;
        if (end < 0) {
            out += text[i];
            continue;
        }
        out += MathReader(QStringView(text).mid(i + 1, end - i - 1)).read();
        i = end;
    }
    return out;
}

} // namespace paperlab
