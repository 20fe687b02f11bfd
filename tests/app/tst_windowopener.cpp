// `paperlab --open NAME`: each name opens its dialog or window through the menu action a
// user clicks (so a screenshot shows what the user sees), an unknown name is refused with
// the list of names, and the real app saves the opened window, not the main one.

#include "apptestsupport.h"
#include "mainwindow.h"
#include "windowopener.h"

#include <QImage>
#include <QLineEdit>
#include <QProcess>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::gui;

class TestWindowOpener : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void everyNameOpensItsWindow_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("title"); // a part of the opened window's title
        const QList<QPair<QString, QString>> expected = {
            {QStringLiteral("import-folder"), QStringLiteral("Import an EfficientPaper library folder")},
            {QStringLiteral("import-file"), QStringLiteral("Import reading lists or notes")},
            {QStringLiteral("new-paper"), QStringLiteral("New paper")},
            {QStringLiteral("export-slides"), QStringLiteral("Export slides (PDF)")},
            {QStringLiteral("export-html"), QStringLiteral("Export slides (HTML deck)")},
            {QStringLiteral("export-bibtex"), QStringLiteral("BibTeX")},
            {QStringLiteral("export-csl"), QStringLiteral("CSL-JSON")},
            {QStringLiteral("export-csv"), QStringLiteral("CSV")},
            {QStringLiteral("export-readme"), QStringLiteral("README")},
            {QStringLiteral("open-library"), QStringLiteral("Open a library index")},
            {QStringLiteral("new-library"), QStringLiteral("New library index")},
            {QStringLiteral("save-search"), QStringLiteral("Save search")},
            {QStringLiteral("kernels"), QStringLiteral("Kernels")},
            {QStringLiteral("baseline-graph"), QStringLiteral("Baseline graph")},
        };
        QCOMPARE(expected.size(), WindowOpener::names().size()); // a new name gets a row here
        for (const auto &[name, title] : expected)
            QTest::newRow(qPrintable(name)) << name << title;
    }
    void everyNameOpensItsWindow()
    {
        QFETCH(QString, name);
        QFETCH(QString, title);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.searchEdit()->setText(QStringLiteral("kv cache")); // Save Search wants one
        WindowOpener opener(&w, name);
        QVERIFY2(opener.isValid(), qPrintable(opener.error()));
        // A modal dialog runs its own loop inside trigger's queued call: the look at it and
        // its closing come from a timer running in that loop.
        QString seen = QStringLiteral("(nothing opened)");
        bool looked = false;
        QTimer::singleShot(400, &w, [&] {
            if (QWidget *shown = opener.opened()) {
                seen = shown->windowTitle();
                shown->close();
            }
            looked = true;
        });
        opener.trigger();
        QTRY_VERIFY_WITH_TIMEOUT(looked, 20000);
        QVERIFY2(seen.contains(title), qPrintable(seen));
    }

    void unknownNameIsRefused()
    {
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        const WindowOpener opener(&w, QStringLiteral("export-pdf"));
        QVERIFY(!opener.isValid());
        QVERIFY2(opener.error().contains(QLatin1String("\"export-pdf\"")) &&
                     opener.error().contains(QLatin1String("export-slides")),
                 qPrintable(opener.error()));
    }

    // The real program: `--open kernels --screenshot F` saves the Kernels window (720 x 480),
    // and a name it does not know ends it with status 2 and the names it knows.
    void appSavesTheOpenedWindow_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QSize>("shotSize");
        QTest::newRow("kernels") << QStringLiteral("kernels") << 0 << QSize(720, 480);
        QTest::newRow("unknown") << QStringLiteral("export-pdf") << 2 << QSize();
    }
    void appSavesTheOpenedWindow()
    {
        QFETCH(QString, name);
        QFETCH(int, exitCode);
        QFETCH(QSize, shotSize);
        auto lib = testing::makeTestLibrary();
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PAPERLAB_APP_EXE), {QStringLiteral("--db"), lib->db, QStringLiteral("--open"), name,
                                                     QStringLiteral("--screenshot"), shot});
        QVERIFY(app.waitForFinished(60000));
        const QString err = QString::fromLocal8Bit(app.readAllStandardError());
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == exitCode, qPrintable(err));
        if (exitCode != 0) {
            QVERIFY2(err.contains(name) && err.contains(QLatin1String("kernels")), qPrintable(err));
            return;
        }
        QCOMPARE(QImage(shot).size(), shotSize);
    }
};

QTEST_MAIN(TestWindowOpener)
#include "tst_windowopener.moc"
