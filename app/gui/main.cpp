// PaperLab desktop app: parses the command line and shows the main window; everything else
// lives in the paperlab_gui library (shared with the GUI tests and the benchmark).

#include "defaultlibrary.h"
#include "guiapplication.h"
#include "mainwindow.h"
#include "noteeditor.h"
#include "noteview.h"
#include "paperpage.h"
#include "papertablemodel.h"
#include "runstore.h"
#include "theme.h"
#include "webpluginloader.h"
#include "windowopener.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <optional>

using namespace paperlab;

int main(int argc, char *argv[])
{
    QElapsedTimer clock;
    clock.start();
    gui::GuiApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("PaperLab"));
    QApplication::setOrganizationName(QStringLiteral("PaperLab"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Read, search and annotate LLM-efficiency papers."));
    cli.addHelpOption();
    cli.addVersionOption();
    const QCommandLineOption db(
        {QStringLiteral("db")},
        QStringLiteral("Library index to open (default: the last one, or the bundled library)."),
        QStringLiteral("FILE"));
    const QCommandLineOption select({QStringLiteral("select")},
                                    QStringLiteral("Select the paper with this key or short name."),
                                    QStringLiteral("KEY"));
    const QCommandLineOption search({QStringLiteral("search")}, QStringLiteral("Start with this search."),
                                    QStringLiteral("QUERY"));
    const QCommandLineOption theme({QStringLiteral("theme")}, QStringLiteral("system, light or dark."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption shot({QStringLiteral("screenshot")},
                                  QStringLiteral("Save the painted main window to FILE and quit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption editorShot(
        {QStringLiteral("screenshot-editor")},
        QStringLiteral("Open the note editor on the selected paper, save it to FILE and quit."),
        QStringLiteral("FILE"));
    const QCommandLineOption exitAfterPaint(
        {QStringLiteral("exit-after-paint")},
        QStringLiteral("Print the start-up time and quit once painted (benchmark)."));
    const QCommandLineOption tab({QStringLiteral("tab")},
                                 QStringLiteral("Show this tab of the paper page (Note, Details, Playground)."),
                                 QStringLiteral("NAME"));
    const QCommandLineOption webPlugin(
        {QStringLiteral("check-web-plugin")},
        QStringLiteral(
            "Load the Qt WebEngine plugin (note view, PDF slides), print its path and quit (packaging check)."));
    const QCommandLineOption open(
        {QStringLiteral("open")},
        QStringLiteral("Open this dialog or window as its menu item does; with --screenshot, save it instead "
                       "of the main window. One of: %1.")
            .arg(gui::WindowOpener::names().join(u", ")),
        QStringLiteral("NAME"));
    cli.addOptions({db, select, search, theme, shot, editorShot, exitAfterPaint, tab, webPlugin, open});
    cli.process(app);
    if (cli.isSet(webPlugin)) {
        QString error, path;
        const bool loaded = gui::noteWebPlugin(&error, &path) != nullptr;
        std::printf("%s\n", qPrintable(loaded ? path : error));
        return loaded ? 0 : 1;
    }

    gui::initTheme();
    gui::applyTheme(cli.isSet(theme) ? gui::themeFromName(cli.value(theme))
                                     : gui::themeFromName(QSettings().value(QStringLiteral("view/theme")).toString()));

    QString dbPath = cli.value(db);
    if (dbPath.isEmpty() && qEnvironmentVariableIsEmpty("PAPERLAB_DB")) {
        const QString last = QSettings().value(QStringLiteral("library/last")).toString();
        if (!last.isEmpty() && QFileInfo::exists(last))
            dbPath = last;
    }
    if (dbPath.isEmpty())
        dbPath = defaultDatabasePath();

    // File > Open Library and Rebuild Index replace the window (it deletes itself on close).
    QPointer<gui::MainWindow> window;
    try {
        window = new gui::MainWindow(dbPath);
        window->setAttribute(Qt::WA_DeleteOnClose);
    } catch (const std::exception &e) {
        QMessageBox::critical(nullptr, QStringLiteral("PaperLab"),
                              QStringLiteral("Cannot open the library:\n%1").arg(QString::fromUtf8(e.what())));
        return 2;
    }
    // Runs a previous session left "running" (it quit or crashed mid-run) are marked failed
    // here, once per start: a playground that did it would fail another playground's live run.
    try {
        RunStore(window->library()).markInterrupted();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "paperlab: cannot mark interrupted runs: %s\n", e.what());
    }
    if (cli.isSet(theme))
        gui::applyTheme(gui::themeFromName(cli.value(theme)));
    if (cli.isSet(search))
        window->searchEdit()->setText(cli.value(search));
    if (cli.isSet(select) && !window->selectPaperByKey(cli.value(select)))
        std::fprintf(stderr, "paperlab: no paper with key %s\n", qPrintable(cli.value(select)));
    if (cli.isSet(tab) && !window->page()->showTab(cli.value(tab)))
        std::fprintf(stderr, "paperlab: no tab named %s\n", qPrintable(cli.value(tab)));

    std::optional<gui::WindowOpener> opener;
    if (cli.isSet(open)) {
        opener.emplace(window, cli.value(open));
        if (!opener->isValid()) {
            std::fprintf(stderr, "paperlab: %s\n", qPrintable(opener->error()));
            delete window;
            return 2;
        }
    }

    QObject::connect(window.get(), &gui::MainWindow::firstPainted, &app, [&] {
        if (cli.isSet(exitAfterPaint)) {
            std::printf("first-paint-ms %lld rows %d\n", clock.elapsed(), window->model()->rowCount());
            std::fflush(stdout);
            QTimer::singleShot(0, &app, &QApplication::quit);
            return;
        }
        if (!cli.isSet(shot) && !cli.isSet(editorShot)) {
            if (opener)
                opener->trigger();
            return;
        }
        // Let the search thread, images and layout settle before grabbing; the note's web
        // view starts after this first paint, so wait for its page too (at most 15 s).
        QEventLoop noteDrawn;
        QObject::connect(window->page()->noteView(), &gui::NoteView::rendered, &noteDrawn, &QEventLoop::quit);
        QTimer::singleShot(15000, &noteDrawn, &QEventLoop::quit);
        if (window->page()->noteView()->isVisible())
            noteDrawn.exec();
        if (opener)
            opener->trigger(); // a modal dialog runs its own event loop; the grab below still comes
        QTimer::singleShot(900, &app, [&] {
            if (cli.isSet(shot)) {
                QWidget *shown = opener ? opener->opened() : nullptr;
                if (opener && !shown)
                    std::fprintf(stderr, "paperlab: --open %s showed no window\n", qPrintable(cli.value(open)));
                (shown ? shown : window.get())->grab().save(cli.value(shot));
            }
            if (!cli.isSet(editorShot)) {
                QApplication::quit();
                return;
            }
            window->editNote();
            QTimer::singleShot(900, &app, [&] {
                if (window->noteEditor())
                    window->noteEditor()->grab().save(cli.value(editorShot));
                QApplication::quit();
            });
        });
    });
    window->show();
    const int code = app.exec();
    delete window; // still open when the app quit without closing it (--screenshot): close the index cleanly
    return code;
}
