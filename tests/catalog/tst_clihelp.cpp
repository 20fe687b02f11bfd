// `paperlab-cli COMMAND --help` answers with that command's help and does nothing else:
// no import of a file named --help, no search for "help", no index touched.

#include "clirunner.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab::testing;

class TestCliHelp : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void subcommandHelp_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected"); // a line only this command's help holds
        QTest::newRow("import") << QStringList{"import", "--help"}
                                << QStringLiteral("usage: paperlab-cli [--db PATH] [--json] import PATH...");
        QTest::newRow("search") << QStringList{"search", "--help"} << QStringLiteral("search QUERY...");
        QTest::newRow("search -h") << QStringList{"search", "flash", "-h"} << QStringLiteral("search QUERY...");
        QTest::newRow("list") << QStringList{"list", "--help"} << QStringLiteral("--by FACET");
        QTest::newRow("show") << QStringList{"show", "--help"} << QStringLiteral("show KEY");
        QTest::newRow("stats") << QStringList{"stats", "--help"} << QStringLiteral("Counts of papers");
        QTest::newRow("status") << QStringList{"status", "--help"} << QStringLiteral("status KEY unread|reading|read");
        QTest::newRow("tag") << QStringList{"tag", "--help"} << QStringLiteral("tag KEY [+TAG] [-TAG]...");
        QTest::newRow("rebuild") << QStringList{"rebuild", "--help"} << QStringLiteral("Rebuild the index");
        QTest::newRow("export") << QStringList{"export", "--help"} << QStringLiteral("--date YYYY-MM-DD");
        QTest::newRow("export bib") << QStringList{"export", "bib", "--all", "-o", "x.bib", "--help"}
                                    << QStringLiteral("--query Q");
    }
    void subcommandHelp()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const QString db = m_dir.filePath(
            QStringLiteral("help-%1.sqlite").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')));
        const CliRun r = runCli(db, args);
        QVERIFY(r.finished);
        QCOMPARE(r.code, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains(expected), r.out.constData());
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        // Help only: the index was not even created.
        QVERIFY(!QFileInfo::exists(db));
    }

    void topLevelHelpListsEveryOption()
    {
        const CliRun r = runCli(QString(), {QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        const QString out = QString::fromUtf8(r.out);
        for (const char *option :
             {"--db", "--json", "--help", "--query", "--tag", "--all", "-o PATH", "--by", "--group", "--date"})
            QVERIFY2(out.contains(QLatin1String(option)), option);
        for (const char *command : {"import", "search", "list", "show", "stats", "status", "tag", "rebuild", "export"})
            QVERIFY2(out.contains(QStringLiteral("\n  %1").arg(QLatin1String(command))), command);
    }

    void doubleDashMakesHelpAnArgument()
    {
        // After "--", --help is what the user searches for: it reaches the search (and finds nothing).
        const QString db = m_dir.filePath(QStringLiteral("dash.sqlite"));
        const CliRun r = runCli(db, {QStringLiteral("search"), QStringLiteral("--"), QStringLiteral("--help")});
        QVERIFY(r.finished);
        QVERIFY2(!QString::fromUtf8(r.out).contains(QLatin1String("usage:")), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_clihelp.moc"
