// paperlab-cli as a user runs it: a real process on a real index, checking output,
// --json and exit codes.

#include "clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    testing::CliRun cli(const QStringList &args, const QString &db)
    {
        QProcessEnvironment env = testing::cliEnvironment();
        // Each test's index is "the default one": its first run imports the bundled library.
        env.insert(QStringLiteral("PAPERLAB_DB"), db);
        return testing::runCli(db, args, testing::CliOptions{env});
    }

private slots:
    void firstRunOpensBundledLibrary()
    {
        const QString db = m_tmp.filePath(QStringLiteral("first.sqlite"));
        const testing::CliRun r = cli({QStringLiteral("stats"), QStringLiteral("--json")}, db);
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("papers")).toInt(), 338);
        QVERIFY(o.value(QLatin1String("institutions")).toInt() > 200);
    }

    void commands_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expect"); // in stdout (code 0) or stderr
        QTest::newRow("search") << QStringList{"search", "venue:EuroSys", "cacheblend"} << 0 << "CacheBlend";
        QTest::newRow("one paper counted") << QStringList{"search", "skvq"} << 0 << "\n1 paper\n";
        QTest::newRow("papers counted") << QStringList{"search", "sageattention"} << 0 << "\n3 papers\n";
        QTest::newRow("search json") << QStringList{"--json", "search", "skvq"} << 0 << "\"key\": \"SKVQ\"";
        QTest::newRow("bad query") << QStringList{"search", "year:soon"} << 4 << "year:";
        QTest::newRow("show") << QStringList{"show", "SKVQ"} << 0 << "Shanghai AI Lab, SJTU";
        QTest::newRow("show missing") << QStringList{"show", "NoSuchPaper"} << 3 << "no paper with key NoSuchPaper";
        QTest::newRow("list venues") << QStringList{"list", "--by", "venue"} << 0 << "ICML";
        QTest::newRow("list bad facet") << QStringList{"list", "--by", "colour"} << 2 << "--by";
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
        QTest::newRow("status") << QStringList{"status", "SKVQ", "reading"} << 0 << "SKVQ: reading";
    }

    void commands()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, expect);
        const testing::CliRun r = cli(args, m_tmp.filePath(QStringLiteral("cmd.sqlite")));
        QCOMPARE(r.code, code);
        const QString text = QString::fromUtf8(code == 0 ? r.out : r.err);
        QVERIFY2(text.contains(expect), qPrintable(text));
    }

    void malformedImportNamesLineAndKeepsLibrary()
    {
        const QString db = m_tmp.filePath(QStringLiteral("bad.sqlite"));
        QCOMPARE(cli({QStringLiteral("stats")}, db).code, 0); // the bundled library is in
        const QString bad = m_tmp.filePath(QStringLiteral("broken.prototxt"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("paper {\n  title: \"Half a paper\"\n  authors: [\n");
        f.close();
        const testing::CliRun r = cli({QStringLiteral("import"), bad}, db);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("broken.prototxt:4:"), r.err.constData());
        const testing::CliRun s = cli({QStringLiteral("--json"), QStringLiteral("stats")}, db);
        QCOMPARE(QJsonDocument::fromJson(s.out).object().value(QLatin1String("papers")).toInt(), 338);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
