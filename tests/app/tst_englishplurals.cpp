// Counts read as English: "338 papers" and "1 paper" in the status bar, never "paper(s)"; and
// every count string in the sources (each tr() written with %n) comes out without "(s)" or
// "%n" for one and for many, so a new string cannot bring the brackets back.

#include "apptestsupport.h"
#include "englishplurals.h"
#include "guiapplication.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStatusBar>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

QString sourceRoot()
{
    return QDir(QStringLiteral(PAPERLAB_SEEDS_DIR "/../..")).absolutePath();
}

// The status bar's count of papers in the list.
QString shownCount(MainWindow &w)
{
    for (QLabel *label : w.statusBar()->findChildren<QLabel *>())
        if (label->text().contains(QLatin1String("paper")))
            return label->text();
    return QStringLiteral("(no count shown)");
}

} // namespace

class TestEnglishPlurals : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void statusBarCountsInEnglish_data()
    {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QRegularExpression>("shown");
        QTest::newRow("all") << QString() << QRegularExpression(QStringLiteral("^\\d\\d+ papers$"));
        QTest::newRow("one") << QStringLiteral("\"FlashAttention-2: Faster Attention\"")
                             << QRegularExpression(QStringLiteral("^1 paper$"));
        QTest::newRow("none") << QStringLiteral("zzzqqqxxy") << QRegularExpression(QStringLiteral("^0 papers$"));
    }
    void statusBarCountsInEnglish()
    {
        QFETCH(QString, search);
        QFETCH(QRegularExpression, shown);
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.searchEdit()->setText(search);
        QTRY_VERIFY2_WITH_TIMEOUT(shown.match(shownCount(w)).hasMatch(), qPrintable(shownCount(w)), 10000);
    }

    void everyCountStringReadsAsEnglish_data()
    {
        QTest::addColumn<QString>("source");
        // A string literal holding %n: each is a count (the sources write no other %n).
        const QRegularExpression literal(QStringLiteral(R"re("((?:[^"\\\n]|\\.)*%n(?:[^"\\\n]|\\.)*)")re"));
        int found = 0;
        for (const char *folder : {"app", "playground", "catalog"}) {
            QDirIterator it(QDir(sourceRoot()).filePath(QLatin1String(folder)), {QStringLiteral("*.cpp")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QString text = QString::fromUtf8(file.readAll());
                for (const auto &m : literal.globalMatch(text)) {
                    const int line = int(text.left(m.capturedStart()).count(u'\n')) + 1;
                    QTest::addRow("%s:%d", qPrintable(QDir(sourceRoot()).relativeFilePath(file.fileName())), line)
                        << m.captured(1);
                    ++found;
                }
            }
        }
        QVERIFY2(found >= 10,
                 qPrintable(QStringLiteral("%1 count strings found under %2").arg(found).arg(sourceRoot())));
    }
    void everyCountStringReadsAsEnglish()
    {
        QFETCH(QString, source);
        const QByteArray utf8 = source.toUtf8();
        for (int n : {0, 1, 2, 338}) {
            const QString shown = QCoreApplication::translate("Any", utf8.constData(), nullptr, n);
            QVERIFY2(!shown.contains(QLatin1String("(s)")) && !shown.contains(QLatin1String("%n")),
                     qPrintable(QStringLiteral("%1 → %2").arg(n).arg(shown)));
            QVERIFY2(shown.contains(QString::number(n)), qPrintable(shown));
        }
        // One is singular, two plural: "1 paper", "2 papers" (for the strings that have a noun to bend).
        if (source.contains(QLatin1String("(s)"))) {
            const QString one = QCoreApplication::translate("Any", utf8.constData(), nullptr, 1);
            const QString two = QCoreApplication::translate("Any", utf8.constData(), nullptr, 2);
            QCOMPARE(two.size(), one.size() + 1);
        }
    }

    // A string without a count is left to Qt (and to a real translation).
    void stringsWithoutACountPassThrough()
    {
        EnglishPlurals plurals;
        QVERIFY(plurals.translate("MainWindow", "Import File…").isNull());
        QVERIFY(plurals.translate("MainWindow", "Edit(s)", nullptr, -1).isNull());
        QCOMPARE(englishPlural("%n point(s) failed", 1), QStringLiteral("%n point failed"));
    }
};

// The app's own QApplication, which installs the plurals as the app starts.
int main(int argc, char *argv[])
{
    GuiApplication app(argc, argv);
    TestEnglishPlurals test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_englishplurals.moc"
