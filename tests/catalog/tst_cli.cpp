// paperlab-cli as a user runs it: a real process on a real index, checking output,
// --json and exit codes.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    Run cli(const QStringList &args, const QString &db)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PAPERLAB_LIBRARY"), QStringLiteral(PAPERLAB_LIBRARY_DIR));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PAPERLAB_CLI), QStringList{QStringLiteral("--db"), db} + args);
        if (!p.waitForFinished(60000)) return {};
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void firstRunOpensBundledLibrary()
    {
        const QString db = m_tmp.filePath(QStringLiteral("first.sqlite"));
        const Run r = cli({QStringLiteral("stats"), QStringLiteral("--json")}, db);
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("papers")).toInt(), 338);
        QVERIFY(o.value(QLatin1String("institutions")).toInt() > 200);
    }

    void commands_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expect");   // in stdout (code 0) or stderr
        QTest::newRow("search") << QStringList{"search", "venue:EuroSys", "cacheblend"} << 0 << "CacheBlend";
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
        const Run r = cli(args, m_tmp.filePath(QStringLiteral("cmd.sqlite")));
        QCOMPARE(r.code, code);
        const QString text = QString::fromUtf8(code == 0 ? r.out : r.err);
        QVERIFY2(text.contains(expect), qPrintable(text));
    }

    void malformedImportNamesLineAndKeepsLibrary()
    {
        const QString db = m_tmp.filePath(QStringLiteral("bad.sqlite"));
        QCOMPARE(cli({QStringLiteral("stats")}, db).code, 0);   // the bundled library is in
        const QString bad = m_tmp.filePath(QStringLiteral("broken.prototxt"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("paper {\n  title: \"Half a paper\"\n  authors: [\n");
        f.close();
        const Run r = cli({QStringLiteral("import"), bad}, db);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("broken.prototxt:4:"), r.err.constData());
        const Run s = cli({QStringLiteral("--json"), QStringLiteral("stats")}, db);
        QCOMPARE(QJsonDocument::fromJson(s.out).object().value(QLatin1String("papers")).toInt(), 338);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
