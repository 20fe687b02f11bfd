// Catalog benchmark: prints figures, asserts nothing.
//   paperlab-catalog-bench [--papers N] [--queries N] [--keep DIR] [--write-results F | --check-results F]
// Generates a synthetic EfficientPaper library, imports it (parse + merge + index),
// then reports the database size, cold open time and FTS query latency (p50/p99).
// --write-results / --check-results record or compare what the mixed queries return, so a
// change to the import or the search can be shown to return the same papers in the same order
// (the one mode that fails: exit status 1 on the first query whose results differ).

#include "importers/importers.h"
#include "library.h"
#include "searchquery.h"
#include "sqlitedb.h"
#include "syntheticlibrary.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <sys/resource.h>

using namespace paperlab;

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

// CPU seconds this process has used (every thread, user and system): on a machine shared by
// several people the wall clock says more about them than about the code.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QStringList mixedQueries(int n)
{
    const QStringList words = {"attention", "spars",    "quantization", "cache",  "decod",   "kernel",
                               "serving",   "prun",     "token",        "memory", "latency", "prefill",
                               "outlier",   "rotation", "window",       "fused"};
    const QStringList forms = {"%1",
                               "%1 %2",
                               "\"%1 %2\"",
                               "%1 OR %2",
                               "venue:ICML %1",
                               "year:2023..2025 %1",
                               "topic:kv_cache %1",
                               "author:Author1 %1",
                               "%1 NOT %2",
                               "institution:\"Institute 4\" %1"};
    std::mt19937 rng(7);
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << QString(forms[int(rng() % forms.size())])
                   .replace(QLatin1String("%1"), words[int(rng() % words.size())])
                   .replace(QLatin1String("%2"), words[int(rng() % words.size())]);
    return out;
}

// One line per query: the query, how many papers match, and digests of the keys of the
// first 200 (ranked, what a result view shows) and of every match (in order). Keys, not row
// ids, so that an import which numbers rows differently still compares equal.
QStringList resultLines(Library &lib, const QStringList &queries)
{
    auto keyOf = lib.database().prepare("SELECT key FROM papers WHERE id = ?");
    auto digest = [&keyOf](const QList<qint64> &ids) {
        QCryptographicHash h(QCryptographicHash::Sha1);
        for (qint64 id : ids) {
            keyOf.bind(1, id);
            if (keyOf.step())
                h.addData(keyOf.text(0).toUtf8());
            keyOf.reset();
            h.addData(QByteArrayView("\n"));
        }
        return QString::fromLatin1(h.result().toHex().left(16));
    };
    QStringList lines;
    for (const QString &q : queries) {
        SearchOptions top;
        top.limit = 200;
        QString line = q + QLatin1Char('\t');
        try {
            const QList<qint64> first = lib.findIds(q, top), all = lib.findIds(q);
            line += QStringLiteral("%1\t%2\t%3").arg(all.size()).arg(digest(first), digest(all));
        } catch (const LibraryError &e) {
            line += QStringLiteral("error: %1").arg(QString::fromUtf8(e.what()));
        }
        lines << line;
    }
    return lines;
}

// Writes `lines` to `path`, or compares them with it; false (after saying which query) on a difference.
bool recordOrCheck(const QStringList &lines, const QString &path, bool check)
{
    QFile f(path);
    if (!f.open(check ? QIODevice::ReadOnly | QIODevice::Text : QIODevice::WriteOnly | QIODevice::Text)) {
        std::fprintf(stderr, "paperlab-catalog-bench: cannot open %s\n", qPrintable(path));
        return false;
    }
    if (!check) {
        f.write(lines.join(QLatin1Char('\n')).toUtf8() + "\n");
        std::printf("results     %lld queries written to %s\n", qlonglong(lines.size()), qPrintable(path));
        return true;
    }
    const QStringList expected = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (expected.size() != lines.size()) {
        std::fprintf(stderr, "results differ: %s has %lld queries, this run %lld\n", qPrintable(path),
                     qlonglong(expected.size()), qlonglong(lines.size()));
        return false;
    }
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i] == expected[i])
            continue;
        std::fprintf(stderr, "results differ at query %lld:\n  expected %s\n  got      %s\n", qlonglong(i + 1),
                     qPrintable(expected[i]), qPrintable(lines[i]));
        return false;
    }
    std::printf("results     identical to %s on all %lld queries (top 200 and every match)\n", qPrintable(path),
                qlonglong(lines.size()));
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("paperlab-catalog-bench"));
    // A real option parser: `--help` used to start a 100,000-paper run.
    QCommandLineParser cli;
    cli.setApplicationDescription(
        QStringLiteral("Generates a synthetic EfficientPaper library (prototxt + Zipf-sized notes), imports it,\n"
                       "and prints import time, index size, cold open, facet and FTS query latencies (p50/p99).\n"
                       "Prints figures; asserts nothing."));
    cli.addHelpOption();
    const QCommandLineOption papersOpt(QStringLiteral("papers"),
                                       QStringLiteral("Papers in the synthetic library (default 100000)."),
                                       QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption queriesOpt(QStringLiteral("queries"),
                                        QStringLiteral("Search queries to time (default 1000)."), QStringLiteral("N"),
                                        QStringLiteral("1000"));
    const QCommandLineOption keepOpt(QStringLiteral("keep"),
                                     QStringLiteral("Write the library to DIR (and DIR.sqlite) and keep it, "
                                                    "for paperlab-app-bench --keep."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption writeOpt(QStringLiteral("write-results"),
                                      QStringLiteral("Write what each mixed query returns to FILE."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption checkOpt(QStringLiteral("check-results"),
                                      QStringLiteral("Compare what each mixed query returns with FILE "
                                                     "(from --write-results); exit status 1 when they differ."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption indexOpt(QStringLiteral("index"),
                                      QStringLiteral("Time the reads on this index (a library.sqlite a run with "
                                                     "--keep wrote, with --papers as it was) instead of generating "
                                                     "and importing one."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption libraryOpt(
        QStringLiteral("library"),
        QStringLiteral("Import this folder (one a run with --keep wrote, with --papers as it was) into a new "
                       "temporary index instead of generating one: import timings without the generator's "
                       "writes still in flight."),
        QStringLiteral("DIR"));
    const QCommandLineOption importOnlyOpt(QStringLiteral("import-only"),
                                           QStringLiteral("Stop after the import's figures."));
    cli.addOptions({papersOpt, queriesOpt, keepOpt, writeOpt, checkOpt, indexOpt, libraryOpt, importOnlyOpt});
    cli.process(app);
    bool papersOk = false, queriesOk = false;
    const int papers = cli.value(papersOpt).toInt(&papersOk);
    const int queries = cli.value(queriesOpt).toInt(&queriesOk);
    if (!papersOk || papers <= 0 || !queriesOk || queries <= 0) {
        std::fprintf(stderr, "paperlab-catalog-bench: --papers and --queries take a positive whole number\n");
        return 2;
    }
    const QString keep = cli.value(keepOpt);
    QTemporaryDir tmp;
    const bool given = cli.isSet(libraryOpt);
    const QString root = given            ? cli.value(libraryOpt)
                         : keep.isEmpty() ? tmp.filePath(QStringLiteral("library"))
                                          : keep;
    const bool reuse = cli.isSet(indexOpt);
    const QString db = reuse   ? cli.value(indexOpt)
                       : given ? tmp.filePath(QStringLiteral("library.sqlite"))
                               : root + QStringLiteral(".sqlite");
    if (!reuse)
        QFile::remove(db);

    QElapsedTimer t;
    t.start();
    if (reuse) {
        // An index of an older schema is migrated here, outside the timed reads.
        Library migrated(db);
        std::printf("index       %s (%d papers), opened in %.2f s\n", qPrintable(db), migrated.paperCount(),
                    t.nsecsElapsed() / 1e9);
    } else {
        if (!given) {
            bench::writeSyntheticLibrary(root, papers);
            std::printf("generated   %d papers (prototxt + note.md) in %.2f s\n", papers, t.nsecsElapsed() / 1e9);
        }

        {
            Library lib(db);
            t.restart();
            const double cpu0 = cpuSeconds();
            // As the app and the CLI import: the folder is parsed on every core while the
            // writer stores the records already parsed.
            const ImportReport r = lib.importPaths({root});
            std::printf("import      %.2f s  (parse and write overlapped; added %d, merged %d, errors %d)\n",
                        t.nsecsElapsed() / 1e9, r.added, r.merged, r.errors());
            const double writerCpu = std::accumulate(r.phases.begin(), r.phases.end(), 0.0,
                                                     [](double sum, const PhaseTime &p) { return sum + p.cpuS; });
            std::printf("import cpu  %.2f s  (all threads; the writer %.2f s, the parse on the others %.2f s)\n",
                        cpuSeconds() - cpu0, writerCpu, cpuSeconds() - cpu0 - writerCpu);
            struct rusage usage {};
            getrusage(RUSAGE_SELF, &usage);
            std::printf("import rss  %.0f MiB at its peak (the whole process)\n", usage.ru_maxrss / 1024.0);
            for (const PhaseTime &phase : r.phases)
                std::printf("  phase %-30s wall %6.2f s  cpu %6.2f s\n", phase.name, phase.wallS, phase.cpuS);
            lib.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }
    std::printf("db size     %.1f MiB\n", QFileInfo(db).size() / 1048576.0);
    if (cli.isSet(importOnlyOpt))
        return 0;

    t.restart();
    Library lib(db);
    const int count = lib.paperCount();
    std::printf("cold open   %.1f ms  (open + migrate check + count: %d papers)\n", t.nsecsElapsed() / 1e6, count);
    t.restart();
    lib.facet(Facet::Institution);
    lib.facet(Facet::Venue);
    lib.facet(Facet::Year);
    lib.facet(Facet::Topic);
    std::printf("facets      %.1f ms  (institution, venue, year, topic counts)\n", t.nsecsElapsed() / 1e6);
    // What the window reads before its first paint (MainWindow's constructor): the paper
    // count and the first page in the default order; then, after the paint, every facet's
    // counts over all papers as the tree shows them (the first 400 values and the chosen ones).
    constexpr int kShownValues = 400; // FacetPanel::kMaxValuesPerFacet
    const Facet allFacets[] = {Facet::Institution, Facet::Venue, Facet::Year,  Facet::Topic,
                               Facet::Status,      Facet::Tag,   Facet::Author};
    {
        QElapsedTimer step;
        step.start();
        lib.paperCount();
        const double countMs = step.nsecsElapsed() / 1e6;
        step.restart();
        SearchOptions first;
        first.limit = 50;
        lib.findIds(QString(), first);
        const double pageMs = step.nsecsElapsed() / 1e6;
        std::printf("first paint reads %.1f ms  (paper count %.1f ms, first page of 50 %.1f ms)\n", countMs + pageMs,
                    countMs, pageMs);
        step.restart();
        for (Facet f : allFacets)
            lib.facetTop(f, kShownValues);
        std::printf("facets after paint %.1f ms  (all 7 facets, the first %d values of each)\n",
                    step.nsecsElapsed() / 1e6, kShownValues);
    }
    // Under a search: every facet counted among the ids the search already returned (what the
    // facet tree does once the table holds them); the search itself is not timed here.
    {
        std::vector<double> facetMs, facetCpuMs;
        for (const QString &q : mixedQueries(20)) {
            QList<qint64> ids;
            try {
                ids = lib.findIds(q);
            } catch (const LibraryError &) {
                continue;
            }
            t.restart();
            const double cpu0 = cpuSeconds();
            for (Facet f : allFacets)
                lib.facetTop(f, kShownValues, {}, &ids);
            facetMs.push_back(t.nsecsElapsed() / 1e6);
            facetCpuMs.push_back((cpuSeconds() - cpu0) * 1e3);
        }
        std::printf("facets search p50 %.1f ms  p99 %.1f ms  cpu p50 %.1f ms  p99 %.1f ms  (all 7 facets among a "
                    "search's ids, 20 mixed queries)\n",
                    percentile(facetMs, 0.5), percentile(facetMs, 0.99), percentile(facetCpuMs, 0.5),
                    percentile(facetCpuMs, 0.99));
    }

    std::vector<double> ms;
    std::vector<std::pair<double, QString>> slowest; // which queries make the p99
    size_t hits = 0;
    for (const QString &q : mixedQueries(queries)) {
        t.restart();
        SearchOptions opts;
        opts.limit = 200; // what a result view shows at once
        hits += size_t(lib.findIds(q, opts).size());
        ms.push_back(t.nsecsElapsed() / 1e6);
        slowest.emplace_back(ms.back(), q);
    }
    std::printf("query       p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d mixed queries, top 200, %.0f hits avg)\n",
                percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 1.0), queries, double(hits) / queries);
    std::sort(slowest.begin(), slowest.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (size_t i = 0; i < std::min<size_t>(5, slowest.size()); ++i)
        std::printf("  slowest   %6.2f ms  %s\n", slowest[i].first, qPrintable(slowest[i].second));
    // As the user types: every prefix of a few queries, from two letters on; the first screen
    // (top 50, what the app asks for first) and the top 200.
    const QStringList typedQueries = {QStringLiteral("kv cache quantization"), QStringLiteral("speculative decoding"),
                                      QStringLiteral("venue:ICML sparse attention"),
                                      QStringLiteral("year:2024..2025 outlier rotation")};
    for (const int limit : {50, 200}) {
        ms.clear();
        for (const QString &typed : typedQueries) {
            for (int n = 2; n <= typed.size(); ++n) {
                if (typed[n - 1] == QLatin1Char(' '))
                    continue;
                t.restart();
                SearchOptions opts;
                opts.limit = limit;
                try {
                    lib.findIds(typed.left(n), opts);
                } catch (const LibraryError &) {
                    continue;
                } // "venue:" half typed
                ms.push_back(t.nsecsElapsed() / 1e6);
            }
        }
        std::printf("typing      p50 %.2f ms  p99 %.2f ms  (%zu keystrokes: every prefix of 4 queries, top %d)\n",
                    percentile(ms, 0.5), percentile(ms, 0.99), ms.size(), limit);
    }
    // The same keystrokes as the search box sends them (SearchController): one-letter words
    // dropped ("kv c" searches "kv"), and a keystroke that leaves the searched text as it was
    // answered from the app's cache, so not searched again.
    ms.clear();
    slowest.clear();
    for (const QString &typed : typedQueries) {
        QString searched;
        for (int n = 2; n <= typed.size(); ++n) {
            const QString effective = withoutOneLetterWords(typed.left(n));
            if (effective == searched)
                continue;
            searched = effective;
            t.restart();
            SearchOptions opts;
            opts.limit = 50;
            try {
                lib.findIds(effective, opts);
            } catch (const LibraryError &) {
                continue;
            }
            ms.push_back(t.nsecsElapsed() / 1e6);
            slowest.emplace_back(ms.back(), effective);
        }
    }
    std::printf("typing app  p50 %.2f ms  p99 %.2f ms  (%zu searches: those keystrokes as the search box sends them, "
                "first 50)\n",
                percentile(ms, 0.5), percentile(ms, 0.99), ms.size());
    std::sort(slowest.begin(), slowest.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (size_t i = 0; i < std::min<size_t>(3, slowest.size()); ++i)
        std::printf("  slowest   %6.2f ms  %s\n", slowest[i].first, qPrintable(slowest[i].second));
    ms.clear();
    for (const QString &q : mixedQueries(queries / 4)) {
        t.restart();
        lib.findIds(q);
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    std::printf("query all   p50 %.2f ms  p99 %.2f ms  (every matching id, as the table model asks)\n",
                percentile(ms, 0.5), percentile(ms, 0.99));
    if (cli.isSet(writeOpt) || cli.isSet(checkOpt)) {
        const bool check = cli.isSet(checkOpt);
        if (!recordOrCheck(resultLines(lib, mixedQueries(queries)), cli.value(check ? checkOpt : writeOpt), check))
            return 1;
    }
    return 0;
}
