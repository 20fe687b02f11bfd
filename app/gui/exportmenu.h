#pragma once
// File > Export and the paper table's context menu: slides (PDF, HTML), BibTeX, CSL-JSON,
// CSV and README views of the selected papers, or of the whole current view when fewer
// than two rows are selected. The same writers as `paperlab-cli export`.

#include "exporters/readmeviewwriter.h"
#include "slidedeck.h"

#include <QList>
#include <QObject>

#include <functional>

class QMenu;
class QWidget;

namespace paperlab {
class Library;
}

namespace paperlab::gui {

class ExportMenu : public QObject {
    Q_OBJECT
public:
    // `papers` returns the ids an export is about, at the moment the user picks it.
    ExportMenu(Library *library, std::function<QList<qint64>()> papers, QWidget *window);
    // Adds the export actions to `menu`.
    void populate(QMenu *menu);
    // Writes `ids` in `format` ("slides", "html", "bib", "csl", "csv", "readme") to `path`,
    // then says where the file went (ExportNotice); a failure is shown instead. The menu's
    // actions end here once the user has chosen the file.
    // Decks take their title and date from `deckOptions`.
    bool exportTo(const QString &format, const QString &path, const QList<qint64> &ids,
                  ReadmeGrouping grouping = ReadmeGrouping::Institution, const DeckOptions &deckOptions = {});

private:
    void exportAs(const QString &format);
    // Asks how the README view groups its tables (the last choice first); false on Cancel.
    bool askReadmeGrouping(int paperCount, ReadmeGrouping *grouping);

    Library *m_library;
    std::function<QList<qint64>()> m_papers;
    QWidget *m_window;
};

} // namespace paperlab::gui
