// App benchmark: prints figures, asserts nothing.
//   paperlab-app-bench [--papers N] [--keep DIR] [--runs N]
// 1. cold start to first painted window (the real paperlab executable, offscreen, timed at the
//    line it prints once painted; the time until the process is gone beside it; median of
//    --runs): on the bundled library (index already built) and on a synthetic library;
// 2. search as you type on the synthetic library: from a keystroke in the search box to the
//    table holding the new rows and repainted (p50/p99), with the debounce set to 0 so the
//    figure is the work done; the app adds its 120 ms debounce on top while typing.

#include "defaultlibrary.h"
#include "library.h"
#include "mainwindow.h"
#include "papertableview.h"
#include "searchcontroller.h"
#include "syntheticlibrary.h"
#include "theme.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLineEdit>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace paperlab;

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

struct ColdStart {
    double paint = 0;  // process launch to the first-paint line on its output
    double inApp = 0;  // main() to the first paint, as the app measured it
    double exited = 0; // process launch to the process gone
};

// Runs the app until its first paint and lets it quit. The paint is timed when the app says
// it painted, not when the process has gone: quitting waits for the search and facet
// threads to end what they were doing (at 100,000 papers the complete id list and the facet
// index, 0.5 s and more), which is no part of starting.
ColdStart coldStart(const QString &db, const QString &settingsHome)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), settingsHome);
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(PAPERLAB_APP_EXE), {QStringLiteral("--db"), db, QStringLiteral("--exit-after-paint")});
    QByteArray out;
    while (!out.contains('\n') && p.waitForReadyRead(60000))
        out += p.readAllStandardOutput();
    ColdStart r;
    r.paint = t.nsecsElapsed() / 1e6;
    p.waitForFinished(60000);
    r.exited = t.nsecsElapsed() / 1e6;
    out += p.readAllStandardOutput();
    r.inApp = QString::fromUtf8(out).section(QLatin1Char(' '), 1, 1).toDouble();
    return r;
}

void reportStart(const char *what, const QString &db, const QString &home, int runs)
{
    std::vector<double> paint, inApp, exited;
    for (int i = 0; i < runs; ++i) {
        const ColdStart c = coldStart(db, home);
        paint.push_back(c.paint);
        inApp.push_back(c.inApp);
        exited.push_back(c.exited);
    }
    std::printf("start %-22s median %.0f ms to first paint (process launch to paint %.0f ms; worst %.0f ms; %d runs; "
                "process gone %.0f ms after launch)\n",
                what, percentile(inApp, 0.5), percentile(paint, 0.5), percentile(paint, 1.0), runs,
                percentile(exited, 0.5));
}

// Stamps when the GUI thread begins to handle the search thread's first answer to a keystroke
// (a queued call delivered to the SearchController): what comes before is the search thread's
// query and the wait in the event queue, what comes after is this thread's model and paint.
class AnswerStamp : public QObject {
public:
    AnswerStamp(const QElapsedTimer &clock)
        : m_clock(clock)
    {}
    void rearm() { at = -1; }
    double at = -1;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall && at < 0)
            at = m_clock.nsecsElapsed() / 1e6;
        return false;
    }

private:
    const QElapsedTimer &m_clock;
};

QStringList typedQueries()
{
    return {QStringLiteral("attention"),           QStringLiteral("kv cache quant"),
            QStringLiteral("venue:ICML spars"),    QStringLiteral("year:2024 decoding"),
            QStringLiteral("\"flash attention\""), QStringLiteral("topic:kv_cache prefill"),
            QStringLiteral("speculative"),         QStringLiteral("author:Author1 kernel"),
            QStringLiteral("serving latency"),     QStringLiteral("pruning OR sparsity")};
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    int papers = 100000, runs = 5;
    QString keep;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--papers")
            papers = args[i + 1].toInt();
        if (args[i] == u"--keep")
            keep = args[i + 1];
        if (args[i] == u"--runs")
            runs = args[i + 1].toInt();
    }
    QTemporaryDir tmp;
    const QString home = tmp.filePath(QStringLiteral("config"));

    // The bundled library, indexed once (the first run), then started cold `runs` times.
    const QString bundledDb = tmp.filePath(QStringLiteral("bundled.sqlite"));
    {
        QElapsedTimer t;
        t.start();
        auto lib = std::make_unique<Library>(bundledDb);
        installBundledLibrary(*lib, tmp.filePath(QStringLiteral("bundled-library")));
        std::printf("first run: bundled library indexed in %.0f ms (%d papers)\n", t.nsecsElapsed() / 1e6,
                    lib->paperCount());
    }
    reportStart("bundled library", bundledDb, home, runs);

    // The synthetic library (kept between runs with --keep DIR).
    const QString root = keep.isEmpty() ? tmp.filePath(QStringLiteral("synthetic")) : keep;
    const QString db = root + QStringLiteral(".sqlite");
    if (!QFileInfo::exists(db)) {
        QElapsedTimer t;
        t.start();
        bench::writeSyntheticLibrary(root, papers);
        Library lib(db);
        const ImportReport r = lib.importPaths({root});
        std::printf("synthetic library: %d papers written and imported in %.1f s\n", r.added, t.nsecsElapsed() / 1e9);
    }
    int count = Library(db).paperCount();
    reportStart(qPrintable(QStringLiteral("%1 papers").arg(count)), db, home, runs);

    // Search as you type, in process, on the synthetic library.
    qputenv("XDG_CONFIG_HOME", home.toUtf8());
    gui::initTheme();
    gui::MainWindow window(db);
    window.resize(1500, 900);
    window.show();
    window.search()->setDebounce(0);
    QEventLoop settle;
    QTimer::singleShot(300, &settle, &QEventLoop::quit);
    settle.exec();

    std::vector<double> ms, msFull; // keystroke to first rows shown / to the complete list
    // Where the first rows' time went: the search thread's query and the queue, the model
    // reset and selection on the GUI thread, the repaint (which reads the rows' summaries).
    struct Parts {
        double query = 0, model = 0, paint = 0;
    };
    std::vector<Parts> parts;
    std::vector<std::pair<double, QString>> slowest; // to say which keystrokes cost most
    QElapsedTimer t;
    AnswerStamp answer(t);
    window.search()->installEventFilter(&answer);
    bool firstSeen = false, done = false;
    QObject::connect(&window, &gui::MainWindow::resultsShown, &window, [&](int, bool complete) {
        const double shown = t.nsecsElapsed() / 1e6;
        window.table()->viewport()->repaint(); // the updated rows painted, not just stored
        const double v = t.nsecsElapsed() / 1e6;
        if (!firstSeen) {
            ms.push_back(v);
            parts.push_back({answer.at, shown - answer.at, v - shown});
        }
        firstSeen = true;
        if (complete) {
            msFull.push_back(v);
            done = true;
        }
    });
    // A half-typed query can be invalid ("\"flash", "a OR"): the inline message is its update.
    QObject::connect(window.search(), &gui::SearchController::queryError, &window, [&] {
        const double v = t.nsecsElapsed() / 1e6;
        ms.push_back(v);
        parts.push_back({v, 0, 0});
        msFull.push_back(v);
        done = firstSeen = true;
    });
    auto waitDone = [&] {
        while (!done)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    };
    for (int round = 0; round < 3; ++round) {
        for (const QString &q : typedQueries()) {
            if (!window.searchEdit()->text().isEmpty()) {
                done = firstSeen = false;
                window.searchEdit()->clear(); // back to every paper; not a sample
                waitDone();
                ms.pop_back();
                msFull.pop_back();
                parts.pop_back();
            }
            for (QChar c : q) {
                done = firstSeen = false;
                answer.rearm();
                t.restart();
                window.searchEdit()->insert(QString(c)); // what a key press does to the line edit
                waitDone();
                slowest.emplace_back(ms.back(), window.searchEdit()->text());
            }
        }
    }
    std::printf("search-as-you-type on %d papers, %zu keystrokes (keystroke to table updated and repainted; "
                "debounce excluded, the app adds 120 ms while typing):\n",
                count, ms.size());
    std::printf("  first rows shown   p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", percentile(ms, 0.5),
                percentile(ms, 0.99), percentile(ms, 1.0));
    auto partPercentiles = [&](double Parts::*part) {
        std::vector<double> v;
        for (const Parts &p : parts)
            v.push_back(p.*part);
        return std::make_pair(percentile(v, 0.5), percentile(v, 0.99));
    };
    const auto query = partPercentiles(&Parts::query), model = partPercentiles(&Parts::model),
               paint = partPercentiles(&Parts::paint);
    std::printf("  first rows' parts  search thread + queue p50 %.1f / p99 %.1f ms, model %.1f / %.1f ms, "
                "paint %.1f / %.1f ms\n",
                query.first, query.second, model.first, model.second, paint.first, paint.second);
    std::vector<size_t> order(ms.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ms[a] > ms[b]; });
    std::printf("  slowest, in parts (query+queue/model/paint):");
    for (size_t i = 0; i < std::min<size_t>(6, order.size()); ++i)
        std::printf(" [%s] %.1f/%.1f/%.1f%s", qPrintable(slowest[order[i]].second), parts[order[i]].query,
                    parts[order[i]].model, parts[order[i]].paint, i + 1 < 6 ? "," : "\n");
    std::sort(slowest.begin(), slowest.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    std::printf("  slowest first rows:");
    for (size_t i = 0; i < std::min<size_t>(6, slowest.size()); ++i)
        std::printf(" [%s] %.0f ms%s", qPrintable(slowest[i].second), slowest[i].first, i + 1 < 6 ? "," : "\n");
    std::printf("  complete id list   p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", percentile(msFull, 0.5),
                percentile(msFull, 0.99), percentile(msFull, 1.0));
    return 0;
}
