#include "exportmenu.h"

#include "deckexportdialog.h"
#include "exporters/bibtexwriter.h"
#include "exporters/csljsonwriter.h"
#include "exporters/csvwriter.h"
#include "exporters/readmeviewwriter.h"
#include "exportfolder.h"
#include "exportnotice.h"
#include "htmldeckwriter.h"
#include "library.h"
#include "pdfdeckwriter.h"
#include "safefile.h"
#include "slidedeck.h"
#include "webpluginloader.h"

#include <QCoreApplication>
#include <QDate>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QWidget>

namespace paperlab::gui {
namespace {

struct Format {
    const char *id;
    const char *action; // the menu action's objectName: `paperlab --open export-bibtex`
    const char *label;
    const char *filter;
    const char *suffix; // of the file name first offered
};

constexpr Format kFormats[] = {
    {"slides", "export-slides", QT_TRANSLATE_NOOP("ExportMenu", "&Slides (PDF, 16:9)…"), "PDF (*.pdf)", ".pdf"},
    {"html", "export-html", QT_TRANSLATE_NOOP("ExportMenu", "Slides (&HTML deck)…"), "HTML (*.html)", ".html"},
    {"bib", "export-bibtex", QT_TRANSLATE_NOOP("ExportMenu", "&BibTeX…"), "BibTeX (*.bib)", ".bib"},
    {"csl", "export-csl", QT_TRANSLATE_NOOP("ExportMenu", "CSL-&JSON…"), "CSL-JSON (*.json)", ".json"},
    {"csv", "export-csv", QT_TRANSLATE_NOOP("ExportMenu", "&CSV…"), "CSV (*.csv)", ".csv"},
    {"readme", "export-readme", QT_TRANSLATE_NOOP("ExportMenu", "&README View…"), "Markdown (*.md)", ".md"},
};

// The README view's groupings as the user picks them: what each gives, in words, rather than
// the CLI's --by names. Picked by position, so a translated label never changes the grouping.
struct Grouping {
    ReadmeGrouping grouping;
    const char *label;
};

constexpr Grouping kGroupings[] = {
    {ReadmeGrouping::Institution,
     QT_TRANSLATE_NOOP("ExportMenu", "Institution (a paper with several is listed under each)")},
    {ReadmeGrouping::Venue, QT_TRANSLATE_NOOP("ExportMenu", "Venue")},
    {ReadmeGrouping::Year, QT_TRANSLATE_NOOP("ExportMenu", "Year, newest first")},
    {ReadmeGrouping::Topic, QT_TRANSLATE_NOOP("ExportMenu", "Topic (a paper with several is listed under each)")},
};

constexpr char kGroupingKey[] = "export/readmeGrouping"; // the --by name of the last choice

} // namespace

ExportMenu::ExportMenu(Library *library, std::function<QList<qint64>()> papers, QWidget *window)
    : QObject(window)
    , m_library(library)
    , m_papers(std::move(papers))
    , m_window(window)
{
    setObjectName(QStringLiteral("exportMenu"));
}

void ExportMenu::populate(QMenu *menu)
{
    for (const Format &f : kFormats) {
        const QString id = QString::fromLatin1(f.id);
        menu->addAction(QCoreApplication::translate("ExportMenu", f.label), this, [this, id] { exportAs(id); })
            ->setObjectName(QLatin1String(f.action));
    }
}

void ExportMenu::exportAs(const QString &format)
{
    const QList<qint64> ids = m_papers();
    if (ids.isEmpty()) {
        QMessageBox::information(m_window, tr("Export"), tr("There are no papers in this view to export."));
        return;
    }
    const Format *fmt = nullptr;
    for (const Format &f : kFormats)
        if (format == QLatin1String(f.id))
            fmt = &f;
    ReadmeGrouping grouping = ReadmeGrouping::Institution;
    QString fileStem = QStringLiteral("papers");
    QString formatName = QCoreApplication::translate("ExportMenu", fmt->label).remove(u'&').remove(u'…');
    if (format == u"readme") {
        if (!askReadmeGrouping(int(ids.size()), &grouping))
            return;
        const QString by = readmeGroupingName(grouping);
        fileStem = QStringLiteral("papers-by-") + by;
        formatName = tr("README view, one table per %1").arg(by); // the file dialog's title says it
    }
    const bool deckFormat = format == u"slides" || format == u"html";
    DeckOptions deckOptions;
    QString path;
    if (deckFormat) { // title, date and file in one dialog
        DeckExportDialog dialog(format, int(ids.size()), m_window);
        if (dialog.exec() != QDialog::Accepted)
            return;
        deckOptions = dialog.options();
        path = dialog.path();
    } else {
        // The title names the format: the file dialog shows no other trace of the menu item.
        path = suggestedExportPath(QStringLiteral("%1-%2%3").arg(fileStem, QDate::currentDate().toString(Qt::ISODate),
                                                                 QLatin1String(fmt->suffix)));
        // Asked again while the chosen folder cannot take the file (the file dialog lets one
        // pick a read-only folder); Cancel ends it.
        for (;;) {
            path = QFileDialog::getSaveFileName(
                m_window, tr("Export %n paper(s) as %1", nullptr, int(ids.size())).arg(formatName), path,
                QString::fromLatin1(fmt->filter));
            const QString problem = path.isEmpty() ? QString() : exportFolderProblem(path);
            if (problem.isEmpty())
                break;
            QMessageBox::warning(m_window, tr("Export"), problem);
        }
    }
    if (path.isEmpty())
        return;
    exportTo(format, path, ids, grouping, deckOptions);
}

bool ExportMenu::askReadmeGrouping(int paperCount, ReadmeGrouping *grouping)
{
    QStringList labels;
    int current = 0;
    const auto last = readmeGroupingFromName(QSettings().value(QLatin1String(kGroupingKey)).toString());
    for (const Grouping &g : kGroupings) {
        if (last == g.grouping)
            current = int(labels.size());
        labels << QCoreApplication::translate("ExportMenu", g.label);
    }
    bool ok = false;
    const QString chosen =
        QInputDialog::getItem(m_window, tr("Export %n paper(s) as a README view", nullptr, paperCount),
                              tr("Group the papers into one table per:"), labels, current, false, &ok);
    const qsizetype i = labels.indexOf(chosen);
    if (!ok || i < 0)
        return false;
    *grouping = kGroupings[i].grouping;
    QSettings().setValue(QLatin1String(kGroupingKey), readmeGroupingName(*grouping));
    return true;
}

bool ExportMenu::exportTo(const QString &format, const QString &path, const QList<qint64> &ids, ReadmeGrouping grouping,
                          const DeckOptions &deckOptions)
{
    QList<Paper> papers;
    papers.reserve(ids.size());
    for (qint64 id : ids)
        if (auto p = m_library->paper(id))
            papers.append(std::move(*p));

    QString error;
    bool ok = false;
    if (format == u"slides" || format == u"html") {
        const Deck deck = buildDeck(papers, deckOptions, m_library);
        if (format == u"slides") {
            noteWebPlugin(); // its PDF printer (loaded after the first paint, or now)
            // Printing takes seconds (6 s for 338 papers) in an event loop of its own: a modal
            // notice says what is happening and keeps the window from being closed or asked
            // for another export meanwhile. It has no Cancel: the web engine's print cannot
            // be stopped half-way.
            QProgressDialog busy(tr("Making the PDF slides of %n paper(s)…", nullptr, int(papers.size())), QString(), 0,
                                 0, m_window);
            busy.setObjectName(QStringLiteral("exportProgress"));
            busy.setWindowTitle(tr("Export"));
            busy.setWindowModality(Qt::ApplicationModal);
            busy.setMinimumDuration(0);
            busy.show();
            QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents); // painted before the wait
            ok = writePdfDeck(deck, path, &error);
        } else {
            ok = writeHtmlDeck(deck, path, &error);
        }
    } else if (format == u"bib") {
        ok = writeFileAtomically(path, bibtexText(papers).toUtf8(), &error);
    } else if (format == u"csl") {
        ok = writeFileAtomically(path, cslJson(papers), &error);
    } else if (format == u"csv") {
        ok = writeFileAtomically(path, papersCsv(papers).toUtf8(), &error);
    } else {
        ok = writeFileAtomically(path, readmeViewText(papers, grouping).toUtf8(), &error);
    }
    if (!ok) {
        QMessageBox::warning(m_window, tr("Export failed"), error); // names the file and the reason
        return false;
    }
    const QString what = format == u"slides" || format == u"html"
                             ? tr("Slides for %n paper(s)", nullptr, int(papers.size()))
                             : tr("%n paper(s)", nullptr, int(papers.size()));
    rememberExportFolder(path);
    showExportNotice(path, what, m_window);
    return true;
}

} // namespace paperlab::gui
