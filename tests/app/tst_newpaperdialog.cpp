// "New paper" and "add from arXiv id/URL": what can be known offline is filled in.

#include "newpaperdialog.h"

#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

using namespace paperlab::gui;

class TestNewPaperDialog : public QObject {
    Q_OBJECT
private slots:
    void arxiv_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("year");
        QTest::newRow("bare id") << "2405.12345"
                                 << "https://arxiv.org/abs/2405.12345" << 2024;
        QTest::newRow("abs url with version") << "https://arxiv.org/abs/2310.01889v2"
                                              << "https://arxiv.org/abs/2310.01889" << 2023;
        QTest::newRow("pdf url") << "https://arxiv.org/pdf/2502.18137"
                                 << "https://arxiv.org/abs/2502.18137" << 2025;
        QTest::newRow("not arxiv") << "hello"
                                   << "" << 0;
    }
    void arxiv()
    {
        QFETCH(QString, input);
        QFETCH(QString, url);
        QFETCH(int, year);
        NewPaperDialog d;
        d.arxivEdit()->setText(input);
        QCOMPARE(d.urlEdit()->text(), url);
        QCOMPARE(d.yearEdit()->value(), year);
        const paperlab::PaperRecord r = d.record();
        QCOMPARE(r.year, year);
        if (!url.isEmpty())
            QVERIFY(r.title.startsWith(QLatin1String("arXiv:")));
    }
    void typedRecord()
    {
        NewPaperDialog d;
        d.titleEdit()->setText(QStringLiteral("My Paper"));
        d.yearEdit()->setValue(2025);
        const paperlab::PaperRecord r = d.record();
        QCOMPARE(r.title, QStringLiteral("My Paper"));
        QCOMPARE(r.year, 2025);
    }
};

QTEST_MAIN(TestNewPaperDialog)
#include "tst_newpaperdialog.moc"
