#pragma once
// English plurals for the app's own strings. Counts are written tr("%n paper(s)", nullptr, n)
// so that a translation can give each language its plural forms; with no translation loaded
// Qt shows the source as it is, "338 paper(s)", "1 edit(s) queued". PaperLab ships no
// translation files (and no Qt Linguist at build time), so this translator gives English its
// two forms: "(s)" becomes "s", or nothing for a count of one. A real translation installed
// after it is asked first and wins.

#include <QTranslator>

namespace paperlab::gui {

class EnglishPlurals : public QTranslator {
    Q_OBJECT
public:
    using QTranslator::QTranslator;
    bool isEmpty() const override { return false; }
    // Null (Qt goes on to the next translator, then the source) for a string without a count.
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override;
};

// The count-bearing `sourceText` as English writes it for `n`; what translate() returns.
QString englishPlural(const char *sourceText, int n);

} // namespace paperlab::gui
