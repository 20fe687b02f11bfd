#pragma once
// Line and column of a character offset in a text, for diagnostics. Built in one pass;
// each lookup is a binary search, so a parser reporting on every record stays linear
// (counting the newlines before each record made a 166k-entry .bib take hours).

#include <QString>

#include <algorithm>
#include <vector>

namespace paperlab {

class LineIndex {
public:
    explicit LineIndex(QStringView text)
    {
        m_starts.push_back(0);
        for (qsizetype i = text.indexOf(QLatin1Char('\n')); i >= 0; i = text.indexOf(QLatin1Char('\n'), i + 1))
            m_starts.push_back(i + 1);
    }

    // 1-based line of `offset`.
    int line(qsizetype offset) const
    {
        return int(std::upper_bound(m_starts.begin(), m_starts.end(), offset) - m_starts.begin());
    }
    // 1-based column of `offset` on its line.
    int column(qsizetype offset) const { return int(offset - m_starts[size_t(line(offset) - 1)]) + 1; }

private:
    std::vector<qsizetype> m_starts; // offset of the first character of each line
};

} // namespace paperlab
