// The paper page's Details tab shows what a paper's EfficientPaper library recorded about
// it: the papers it compares with (baseline.methods), its rating, its update_time and the
// fields PaperLab keeps as the library wrote them.

#include "library.h"
#include "paperdetails.h"

#include <QDateTime>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::gui;

class TestPaperDetails : public QObject {
    Q_OBJECT

private slots:
    void showsWhatTheLibraryRecorded_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<QStringList>("absent");
        const QString updated = QLocale().toString(QDateTime::fromSecsSinceEpoch(1773369038), QLocale::ShortFormat);
        QTest::newRow("baseline, rating, update time, fields kept")
            << "FlashAttention-2"
            << QStringList{"Compared with",
                           "2022/FlashAttention",
                           "Rating",
                           "★★★★",
                           "Updated in its library",
                           updated,
                           "Other fields",
                           "venue_url: &quot;https://openreview.net/forum?id=mZn2Xyh9Ec&quot;",
                           "project_page:"}
            << QStringList{};
        QTest::newRow("two baselines, no rating")
            << "DSA-2" << QStringList{"2022/DSA<br>2024/FlashAttention-2", "Updated in its library"}
            << QStringList{"Rating"};
        // "None" is EfficientPaper's way of saying there is no baseline: no row.
        QTest::newRow("methods None") << "FlashAttention" << QStringList{"★★★★★"}
                                      << QStringList{"Compared with", "None"};
    }

    void showsWhatTheLibraryRecorded()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, shown);
        QFETCH(QStringList, absent);
        QTemporaryDir tmp;
        Library lib(tmp.filePath(QStringLiteral("details.sqlite")));
        const QString library = QFINDTESTDATA("../catalog/fixtures/efficientpaper");
        QVERIFY(!library.isEmpty());
        lib.importPaths({library});
        const auto paper = lib.paperByKey(key);
        QVERIFY(paper);
        const QString html = paperDetailsHtml(*paper);
        for (const QString &s : shown)
            QVERIFY2(html.contains(s), qPrintable(s + QLatin1String(" not in ") + html));
        for (const QString &s : absent)
            QVERIFY2(!html.contains(s), qPrintable(s + QLatin1String(" in ") + html));
    }
};

QTEST_GUILESS_MAIN(TestPaperDetails)
#include "tst_paperdetails.moc"
