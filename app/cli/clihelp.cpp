#include "clihelp.h"

namespace paperlab::cli {
namespace {

struct Option {
    const char *flag;
    const char *text;
};

struct Command {
    const char *name;
    const char *synopsis; // after "paperlab-cli"
    const char *summary;
    std::initializer_list<Option> options;
};

const Option kGlobalOptions[] = {
    {"--db PATH", "the index to use (default: $PAPERLAB_DB or the user data folder)"},
    {"--json", "machine-readable output"},
    {"-h, --help", "this help; after a command, that command's help"},
};

const Command kCommands[] = {
    {"import",
     "import PATH...",
     "Import folders or files (EfficientPaper folders, prototxt, README views, reading lists,\n"
     "key-point notes, topic lists, BibTeX); the format of each is detected.",
     {}},
    {"search",
     "search QUERY...",
     "Full-text search: FTS5 syntax (\"quoted phrases\", a OR b, a NOT b, flash*) plus the fields\n"
     "author: venue: year:2024 year:2024..2025 topic: status: tag: institution:",
     {}},
    {"list",
     "list --by FACET",
     "Every value of a facet with its paper count.",
     {{"--by FACET", "institution, venue, year, topic, status, tag or author"}}},
    {"show", "show KEY", "One paper, with its note and where each field came from.", {}},
    {"stats", "stats", "Counts of papers, institutions, venues, topics, tags, notes.", {}},
    {"status", "status KEY unread|reading|read", "Set the reading status of a paper.", {}},
    {"tag", "tag KEY [+TAG] [-TAG]...", "Add (+TAG or TAG) or remove (-TAG) tags of a paper.", {}},
    {"rebuild",
     "rebuild",
     "Rebuild the index from the library files, keeping status, ratings, tags, personal and\n"
     "edited notes, saved searches and playground runs; the old index is kept beside it\n"
     "(close the app first).",
     {}},
    {"export",
     "export FORMAT (--query Q | --tag T | --all) -o PATH",
     "Write papers as slides (PDF), html (deck), bib (BibTeX), csl (CSL-JSON), csv or readme\n"
     "(a README view), or the whole library as an EfficientPaper folder (export library -o DIR).",
     {{"--query Q", "the papers a search finds"},
      {"--tag T", "the papers with this tag"},
      {"--all", "every paper"},
      {"-o PATH", "the file (or, for library, the folder) to write"},
      {"--by GROUP", "readme: group by institution (default), venue, year or topic"},
      {"--group NAME", "slides, html: the reading group named on the title slide"},
      {"--date YYYY-MM-DD", "slides, html: the date on the title slide"}}},
};

const char *const kExitCodes = "exit codes: 0 ok, 1 import had errors, 2 usage, 3 not found, 4 bad query,\n"
                               "            5 the index could not be opened or written (the message says why),\n"
                               "            6 busy: another process held the write lock too long (try again),\n"
                               "            7 the index is read-only, 8 the index is damaged (run rebuild),\n"
                               "            9 not a PaperLab index (left untouched), 10 made by a newer PaperLab\n";

QString optionLines(std::initializer_list<Option> options, int indent)
{
    QString out;
    for (const Option &o : options)
        out += QString(indent, QLatin1Char(' ')) +
               QStringLiteral("%1  %2\n").arg(QLatin1String(o.flag), -18).arg(QLatin1String(o.text));
    return out;
}

QString globalOptionLines()
{
    QString out;
    for (const Option &o : kGlobalOptions)
        out += QStringLiteral("  %1  %2\n").arg(QLatin1String(o.flag), -18).arg(QLatin1String(o.text));
    return out;
}

} // namespace

QString usageText()
{
    QString out = QStringLiteral("usage: paperlab-cli [--db PATH] [--json] COMMAND [ARGS]\n"
                                 "       paperlab-cli COMMAND --help\n\ncommands:\n");
    for (const Command &c : kCommands) {
        out += QStringLiteral("  %1\n").arg(QLatin1String(c.synopsis));
        out += optionLines(c.options, 6);
    }
    out += QStringLiteral("\noptions:\n") + globalOptionLines() + QLatin1Char('\n') + QLatin1String(kExitCodes);
    return out;
}

QString commandHelp(const QString &command)
{
    for (const Command &c : kCommands) {
        if (command != QLatin1String(c.name))
            continue;
        QString out = QStringLiteral("usage: paperlab-cli [--db PATH] [--json] %1\n\n%2\n")
                          .arg(QLatin1String(c.synopsis), QLatin1String(c.summary));
        if (c.options.size() > 0)
            out += QStringLiteral("\noptions:\n") + optionLines(c.options, 2);
        out += QStringLiteral("\nglobal options:\n") + globalOptionLines();
        return out;
    }
    return {};
}

bool asksForHelp(const QStringList &args)
{
    for (const QString &a : args) {
        if (a == u"--")
            return false; // what follows is an argument, even "--help"
        if (a == u"--help" || a == u"-h")
            return true;
    }
    return false;
}

} // namespace paperlab::cli
