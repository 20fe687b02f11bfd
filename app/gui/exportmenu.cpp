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
    if (format == u"readme") {
        bool ok = false;
        const QString by =
            QInputDialog::getItem(m_window, tr("README view"), tr("Group papers by:"),
                                  {tr("institution"), tr("venue"), tr("year"), tr("topic")}, 0, false, &ok);
        if (!ok)
            return;
        grouping = readmeGroupingFromName(by).value_or(ReadmeGrouping::Institution);
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
        const QString formatName = QCoreApplication::translate("ExportMenu", fmt->label).remove(u'&').remove(u'…');
        path = suggestedExportPath(
            QStringLiteral("papers-%1%2").arg(QDate::currentDate().toString(Qt::ISODate), QLatin1String(fmt->suffix)));
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
