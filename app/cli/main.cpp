// paperlab-cli: the catalog from a terminal, for scripts and for people who live there.

#include "clicommands.h"
#include "clihelp.h"
#include "defaultlibrary.h"
#include "htmlpdfprinter.h"
#include "webengineprint.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstring>
#include <memory>

using namespace paperlab;

int main(int argc, char **argv)
{
    // The CLI links WebEngine directly (the app loads it from a plugin): slides print with it.
    setHtmlPdfPrinter(&printHtmlFileToPdf);
    // Slides need fonts, hence a QGuiApplication; offscreen, so it runs without a display.
    // Every other command stays a plain QCoreApplication.
    bool deck = false;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "export") == 0)
            deck = std::strcmp(argv[i + 1], "slides") == 0 || std::strcmp(argv[i + 1], "html") == 0;
    if (deck && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> holder =
        deck ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *holder;
    QCoreApplication::setApplicationName(QStringLiteral("paperlab"));
    QTextStream out(stdout), err(stderr);
    QStringList args = app.arguments().mid(1);
    cli::Context ctx{defaultDatabasePath(), false, out, err};
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--"))) {
        const QString opt = args.takeFirst();
        if (opt == u"--json")
            ctx.json = true;
        else if (opt == u"--db" && !args.isEmpty())
            ctx.dbPath = args.takeFirst();
        else if (opt == u"--help" || opt == u"-h") {
            out << cli::usageText();
            return cli::Ok;
        } else {
            err << "unknown option " << opt << "\n" << cli::usageText();
            return cli::Usage;
        }
    }
    // Options may also follow the command.
    for (int i = 0; i < args.size();) {
        if (args[i] == u"--json") {
            ctx.json = true;
            args.removeAt(i);
        } else if (args[i] == u"--db" && i + 1 < args.size()) {
            ctx.dbPath = args[i + 1];
            args.remove(i, 2);
        } else
            ++i;
    }
    if (args.isEmpty()) {
        err << cli::usageText();
        return cli::Usage;
    }
    const QString command = args.takeFirst();
    // "import --help" is a question, never a file named --help to import.
    if (cli::asksForHelp(args) && !cli::commandHelp(command).isEmpty()) {
        out << cli::commandHelp(command);
        return cli::Ok;
    }
    args.removeOne(QStringLiteral("--"));
    try {
        if (command == u"import")
            return cli::runImport(ctx, args);
        if (command == u"search")
            return cli::runSearch(ctx, args);
        if (command == u"list")
            return cli::runList(ctx, args);
        if (command == u"show")
            return cli::runShow(ctx, args);
        if (command == u"stats")
            return cli::runStats(ctx, args);
        if (command == u"export")
            return cli::runExport(ctx, args);
        if (command == u"tag")
            return cli::runTag(ctx, args);
        if (command == u"status")
            return cli::runStatus(ctx, args);
        if (command == u"rebuild")
            return cli::runRebuild(ctx, args);
    } catch (const std::exception &e) {
        // Every library and SQLite error ends here, as a message naming the index and what to do.
        const LibraryError explained = explainFailure(e, ctx.dbPath);
        err << "paperlab-cli: " << explained.message() << "\n";
        return cli::exitCodeFor(explained.kind());
    }
    err << "unknown command " << command << "\n" << cli::usageText();
    return cli::Usage;
}
