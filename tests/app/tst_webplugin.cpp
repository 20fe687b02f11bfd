// Qt WebEngine is loaded from the paperlab_web plugin after the first paint: the app and the
// GUI library do not link it (start-up does not map its libraries), the plugin is found in
// the build tree, and a missing plugin leaves the note readable with a message saying why.

#include "apptestsupport.h"
#include "mainwindow.h"
#include "noteview.h"
#include "paperpage.h"
#include "webpluginloader.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace paperlab;
using namespace paperlab::gui;

class TestWebPlugin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void executableDoesNotNeedWebEngine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("paperlab") << QStringLiteral(PAPERLAB_APP_EXE);
        QTest::newRow("paperlab_gui (this test)") << QCoreApplication::applicationFilePath();
    }

    void executableDoesNotNeedWebEngine()
    {
        QFETCH(QString, file);
        const QString readelf = QStandardPaths::findExecutable(QStringLiteral("readelf"));
        if (readelf.isEmpty())
            QSKIP("readelf (binutils) is not installed");
        QProcess p;
        p.start(readelf, {QStringLiteral("-d"), file});
        QVERIFY(p.waitForFinished(30000));
        const QString dynamic = QString::fromLocal8Bit(p.readAllStandardOutput());
        QVERIFY2(dynamic.contains(QLatin1String("libQt6Widgets")),
                 qPrintable(dynamic)); // the check reads NEEDED at all
        QVERIFY2(!dynamic.contains(QLatin1String("WebEngine")), qPrintable(dynamic));
    }

    void missingOrWrongPluginIsNamed_data()
    {
        QTest::addColumn<bool>("exists");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << false << QStringLiteral("no such file");
        QTest::newRow("not a library") << true << QStringLiteral("cannot load");
    }

    void missingOrWrongPluginIsNamed()
    {
        QFETCH(bool, exists);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("libpaperlab_web.so"));
        if (exists) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not an ELF file\n") > 0);
        }
        QString error;
        QVERIFY(!loadNoteWebPlugin(path, &error));
        QVERIFY2(error.startsWith(path) && error.contains(reason), qPrintable(error));
    }

    void webViewComesAfterTheFirstPaint()
    {
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.resize(1000, 700);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ"))); // the note tab on show
        QVERIFY(!w.page()->noteView()->hasWebView());        // nothing of WebEngine before the window shows
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY2_WITH_TIMEOUT(w.page()->noteView()->hasWebView(), qPrintable(w.page()->noteView()->webViewError()),
                                  20000);
    }

    // The real app, its plugin missing: it starts, shows the note (text renderer) and says why.
    void appRunsWithoutThePlugin()
    {
        auto lib = testing::makeTestLibrary();
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        const QString missing = dir.filePath(QStringLiteral("nowhere/libpaperlab_web.so"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PAPERLAB_WEB_PLUGIN"), missing);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PAPERLAB_APP_EXE), {QStringLiteral("--db"), lib->db, QStringLiteral("--select"),
                                                     QStringLiteral("SKVQ"), QStringLiteral("--screenshot"), shot});
        QVERIFY(app.waitForFinished(60000));
        const QString err = QString::fromLocal8Bit(app.readAllStandardError());
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(missing + QStringLiteral(": no such file")), qPrintable(err));
        QVERIFY(!QImage(shot).isNull());
    }
};

QTEST_MAIN(TestWebPlugin)
#include "tst_webplugin.moc"
