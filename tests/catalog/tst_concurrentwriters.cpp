// Several real processes write one index at once, as the app and paperlab-cli do: two
// writer processes (this program run with --writer, writing through the Library as the app's
// writer thread does: status, tags, notes, personal notes, imports) and paperlab-cli runs
// (status, tags, imports) for $PAPERLAB_CONCURRENT_SECONDS (60 by default). A write that
// meets SQLite's busy timeout is retried, as the app's writer and a script do. Afterwards
// every write each of them logged is in the index and PRAGMA integrity_check is ok. The
// writers also open and close the index files now and then, as the app's file dialogs do:
// with SQLite's POSIX locks that dropped their locks, a CLI run deleted the live WAL, and
// their later writes were lost.

#include "clirunner.h"
#include "fileprobe.h"
#include "library.h"
#include "librarycopy.h"
#include "sqlitedb.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace paperlab;
using namespace paperlab::testing;

namespace {

int durationSeconds()
{
    bool ok = false;
    const int s = qEnvironmentVariableIntValue("PAPERLAB_CONCURRENT_SECONDS", &ok);
    return ok && s > 0 ? s : 60;
}

QString bibEntry(const QString &title, int year)
{
    return QStringLiteral("@article{k%1,\n  title = {%2},\n  author = {Ada Writer},\n  year = {%3}\n}\n")
        .arg(qHash(title))
        .arg(title)
        .arg(year);
}

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) >= 0;
}

// Runs `write` until it is not refused for a held lock; counts the retries.
template <typename Fn>
void retryingBusy(const QString &db, int &retries, Fn write)
{
    for (;;) {
        try {
            write();
            return;
        } catch (const std::exception &e) {
            if (explainFailure(e, db).kind() != FailureKind::Busy)
                throw;
            ++retries;
        }
    }
}

// --writer NAME DB FOLDER SECONDS KEY,KEY,...: writes, and logs each write once it is committed.
int runWriter(const QStringList &args)
{
    const QString name = args.value(0), db = args.value(1), folder = args.value(2);
    const int seconds = args.value(3).toInt();
    const QStringList keys = args.value(4).split(QLatin1Char(','));
    QTextStream log(stdout);
    int retries = 0;
    try {
        Library lib(db);
        QDeadlineTimer deadline(seconds * 1000);
        for (int i = 0; !deadline.hasExpired(); ++i) {
            const QString key = keys[(i / 4) % keys.size()];
            const qint64 id = lib.paperByKey(key)->id;
            const QString label = QStringLiteral("%1-%2").arg(name).arg(i);
            switch (i % 4) {
            case 0: {
                if (i % 16 == 0)
                    probeIndex(db); // a file dialog opened in the index's folder
                const int status = (i / 4) % 3;
                retryingBusy(db, retries, [&] { lib.setStatus(id, ReadingStatus(status)); });
                log << "status " << key << ' ' << status << '\n';
                break;
            }
            case 1:
                retryingBusy(db, retries, [&] { lib.addTag(id, label); });
                log << "tag " << key << ' ' << label << '\n';
                break;
            case 2:
                retryingBusy(db, retries, [&] {
                    lib.setNote(id, QStringLiteral("# note %1\n").arg(label));
                    lib.setPersonalNote(id, label);
                });
                log << "note " << key << ' ' << label << '\n';
                break;
            default: {
                const QString title = QStringLiteral("Concurrent Paper %1").arg(label);
                const QString bib = QStringLiteral("%1/%2.bib").arg(folder, label);
                writeFile(bib, bibEntry(title, 2026));
                retryingBusy(db, retries, [&] {
                    if (lib.importPaths({bib}).added != 1)
                        throw std::runtime_error("import added nothing");
                });
                log << "import " << title << '\n';
                break;
            }
            }
            log.flush();
        }
    } catch (const std::exception &e) {
        log << "error " << QString::fromUtf8(e.what()) << '\n';
        return 1;
    }
    log << "retries " << retries << '\n';
    return 0;
}

// What the writers say they wrote, and the index must hold.
struct Expected {
    QHash<QString, int> status;   // key -> last status
    QHash<QString, QString> note; // key -> last label
    QStringList tags;             // "key tag"
    QStringList imports;
    int writes = 0;
    int retries = 0;

    void read(const QByteArray &log)
    {
        for (const QByteArray &raw : log.split('\n')) {
            const QString line = QString::fromUtf8(raw);
            const QString kind = line.section(QLatin1Char(' '), 0, 0);
            const QString key = line.section(QLatin1Char(' '), 1, 1), value = line.section(QLatin1Char(' '), 2);
            if (kind == u"status")
                status[key] = value.toInt();
            else if (kind == u"tag")
                tags << key + QLatin1Char(' ') + value;
            else if (kind == u"note")
                note[key] = value;
            else if (kind == u"import")
                imports << line.section(QLatin1Char(' '), 1);
            else if (kind == u"retries") {
                retries += key.toInt();
                continue;
            } else
                continue;
            ++writes;
        }
    }
};

} // namespace

class TestConcurrentWriters : public QObject {
    Q_OBJECT

private slots:
    void appAndCliWriteAtOnce()
    {
        QTemporaryDir tmp;
        const QString db = tmp.filePath(QStringLiteral("index.sqlite"));
        const QString folder = bundledLibraryCopy(tmp.path());
        QVERIFY(!folder.isEmpty());
        QStringList keys;
        {
            Library lib(db);
            lib.setLibraryFolder(folder);
            QVERIFY(lib.importPaths({folder}).errors() == 0);
            auto st = lib.database().prepare("SELECT key FROM papers WHERE key <> '' ORDER BY id LIMIT 30");
            while (st.step())
                keys << st.text(0);
        }
        QCOMPARE(keys.size(), 30);
        const int seconds = durationSeconds();

        // Two writer processes on disjoint papers; the CLI on a third set.
        // A short busy timeout, so the retries (the app's writer, a script on exit code 6) are
        // exercised rather than hidden in SQLite's wait.
        QProcessEnvironment env = cliEnvironment();
        env.insert(QStringLiteral("PAPERLAB_BUSY_TIMEOUT_MS"), QStringLiteral("100"));
        CliOptions cliOptions;
        cliOptions.env = env;
        QList<QProcess *> writers;
        for (int w = 0; w < 2; ++w) {
            auto *p = new QProcess(this);
            p->setProcessEnvironment(env);
            p->start(QCoreApplication::applicationFilePath(),
                     {QStringLiteral("--writer"), QStringLiteral("w%1").arg(w), db, tmp.path(),
                      QString::number(seconds), keys.mid(w * 10, 10).join(QLatin1Char(','))});
            QVERIFY(p->waitForStarted());
            writers << p;
        }
        const QStringList cliKeys = keys.mid(20, 10);
        Expected cli;
        int cliRuns = 0;
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; clock.elapsed() < seconds * 1000; ++i) {
            const QString key = cliKeys[(i / 3) % cliKeys.size()];
            const QString label = QStringLiteral("cli-%1").arg(i);
            QStringList args;
            QByteArray logLine;
            if (i % 3 == 0) {
                const int status = (i / 3) % 3;
                args = {QStringLiteral("status"), key, readingStatusName(ReadingStatus(status))};
                logLine = QStringLiteral("status %1 %2").arg(key).arg(status).toUtf8();
            } else if (i % 3 == 1) {
                args = {QStringLiteral("tag"), key, QLatin1Char('+') + label};
                logLine = QStringLiteral("tag %1 %2").arg(key, label).toUtf8();
            } else {
                const QString title = QStringLiteral("Concurrent Paper %1").arg(label);
                const QString bib = tmp.filePath(label + QStringLiteral(".bib"));
                QVERIFY(writeFile(bib, bibEntry(title, 2025)));
                args = {QStringLiteral("import"), bib};
                logLine = "import " + title.toUtf8();
            }
            CliRun r;
            do {
                r = runCli(db, args, cliOptions);
                ++cliRuns;
                if (r.code == 6)
                    ++cli.retries;
            } while (r.code == 6); // busy: the documented "try again"
            QVERIFY2(r.code == 0, r.err.constData());
            cli.read(logLine);
        }

        Expected all;
        for (QProcess *p : writers) {
            QVERIFY(p->waitForFinished(120000));
            const QByteArray out = p->readAllStandardOutput();
            QVERIFY2(p->exitCode() == 0, out.right(500).constData());
            Expected one;
            one.read(out);
            QVERIFY(one.writes > 10);
            for (auto it = one.status.cbegin(); it != one.status.cend(); ++it)
                all.status.insert(it.key(), it.value());
            for (auto it = one.note.cbegin(); it != one.note.cend(); ++it)
                all.note.insert(it.key(), it.value());
            all.tags << one.tags;
            all.imports << one.imports;
            all.writes += one.writes;
            all.retries += one.retries;
        }
        for (auto it = cli.status.cbegin(); it != cli.status.cend(); ++it)
            all.status.insert(it.key(), it.value());
        all.tags << cli.tags;
        all.imports << cli.imports;

        // Every logged write is in the index.
        Library lib(db);
        for (auto it = all.status.cbegin(); it != all.status.cend(); ++it)
            QCOMPARE(int(lib.paperByKey(it.key())->status), it.value());
        for (auto it = all.note.cbegin(); it != all.note.cend(); ++it) {
            const auto p = lib.paperByKey(it.key());
            QCOMPARE(p->note, QStringLiteral("# note %1\n").arg(it.value()));
            QCOMPARE(p->personalNote, it.value());
        }
        for (const QString &t : all.tags)
            QVERIFY2(lib.paperByKey(t.section(QLatin1Char(' '), 0, 0))->tags.contains(t.section(QLatin1Char(' '), 1)),
                     qPrintable(t));
        auto imported = lib.database().prepare("SELECT count(*) FROM papers WHERE title = ?");
        for (const QString &title : all.imports) {
            imported.bind(1, title);
            QVERIFY2(imported.step() && imported.integer(0) == 1, qPrintable(title));
            imported.reset();
        }
        auto check = lib.database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), QStringLiteral("ok"));
        const int checked = all.writes + cli.writes;
        QVERIFY(cli.writes > 5);
        std::printf(
            "concurrent writers: %d s, %d writes checked (%d by two writer processes, %d by %d paperlab-cli runs), "
            "%d busy retries\n",
            seconds, checked, all.writes, cli.writes, cliRuns, all.retries + cli.retries);
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--writer") == 0) {
        QCoreApplication app(argc, argv);
        return runWriter(app.arguments().mid(2));
    }
    QCoreApplication app(argc, argv);
    TestConcurrentWriters test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_concurrentwriters.moc"
