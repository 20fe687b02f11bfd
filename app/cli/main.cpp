// paperlab-cli: the catalog from a terminal, for scripts and for people who live there.

#include "clicommands.h"

#include "defaultlibrary.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstring>
#include <memory>

using namespace paperlab;

namespace {

const char *const kUsage = R"(usage: paperlab-cli [--db PATH] [--json] COMMAND [ARGS]

commands:
  import PATH...                 import folders or files (EfficientPaper folders, prototxt,
                                 README views, reading lists, key-point notes, topic lists)
  search QUERY                   full-text search; FTS5 syntax plus author: venue: year:2024..2025
                                 topic: status: tag: institution: and "quoted phrases"
  list --by institution|venue|year|topic|status|tag
  show KEY                       one paper, with its note and where each field came from
  stats                          counts of papers, institutions, venues, topics, ...
  status KEY unread|reading|read set the reading status
  tag KEY [+TAG] [-TAG]...       add or remove tags
  rebuild                        rebuild the index from the library files, keeping status, ratings,
                                 tags, personal and edited notes, saved searches and playground
                                 runs; the old index is kept beside it (close the app first)
  export library -o DIR          write the library as an EfficientPaper folder (meta/ + notes/)
  export slides|html|bib|csl|csv|readme (--query Q | --tag T | --all) -o PATH
                                 a reading group's deck (PDF, HTML), citations, a table, or a
                                 README view (--by institution|venue|year|topic)

options:
  --db PATH    the index to use (default: $PAPERLAB_DB or the user data folder)
  --json       machine-readable output

exit codes: 0 ok, 1 import had errors, 2 usage, 3 not found, 4 bad query,
            5 the index could not be opened or written (the message says why),
            6 busy: another process held the write lock too long (try again),
            7 the index is read-only, 8 the index is damaged (run rebuild),
            9 not a PaperLab index (left untouched), 10 made by a newer PaperLab
)";

} // namespace

int main(int argc, char **argv)
{
    // Slides need fonts, hence a QGuiApplication; offscreen, so it runs without a display.
    // Every other command stays a plain QCoreApplication.
    bool deck = false;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "export") == 0)
            deck = std::strcmp(argv[i + 1], "slides") == 0 || std::strcmp(argv[i + 1], "html") == 0;
    if (deck && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> holder = deck ? std::make_unique<QGuiApplication>(argc, argv)
                                                    : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *holder;
    QCoreApplication::setApplicationName(QStringLiteral("paperlab"));
    QTextStream out(stdout), err(stderr);
    QStringList args = app.arguments().mid(1);
    cli::Context ctx{defaultDatabasePath(), false, out, err};
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--"))) {
        const QString opt = args.takeFirst();
        if (opt == u"--json") ctx.json = true;
        else if (opt == u"--db" && !args.isEmpty()) ctx.dbPath = args.takeFirst();
        else if (opt == u"--help") { out << kUsage; return cli::Ok; }
        else { err << "unknown option " << opt << "\n" << kUsage; return cli::Usage; }
    }
    // Options may also follow the command.
    for (int i = 0; i < args.size();) {
        if (args[i] == u"--json") { ctx.json = true; args.removeAt(i); }
        else if (args[i] == u"--db" && i + 1 < args.size()) { ctx.dbPath = args[i + 1]; args.remove(i, 2); }
        else ++i;
    }
    if (args.isEmpty()) { err << kUsage; return cli::Usage; }
    const QString command = args.takeFirst();
    try {
        if (command == u"import") return cli::runImport(ctx, args);
        if (command == u"search") return cli::runSearch(ctx, args);
        if (command == u"list") return cli::runList(ctx, args);
        if (command == u"show") return cli::runShow(ctx, args);
        if (command == u"stats") return cli::runStats(ctx, args);
        if (command == u"export") return cli::runExport(ctx, args);
        if (command == u"tag") return cli::runTag(ctx, args);
        if (command == u"status") return cli::runStatus(ctx, args);
        if (command == u"rebuild") return cli::runRebuild(ctx, args);
    } catch (const std::exception &e) {
        // Every library and SQLite error ends here, as a message naming the index and what to do.
        const LibraryError explained = explainFailure(e, ctx.dbPath);
        err << "paperlab-cli: " << explained.message() << "\n";
        return cli::exitCodeFor(explained.kind());
    }
    err << "unknown command " << command << "\n" << kUsage;
    return cli::Usage;
}
