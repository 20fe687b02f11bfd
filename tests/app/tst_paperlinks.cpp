// The paper page's link buttons: an imported URL becomes a button only when it is a web
// page (http, https); javascript:, file:, data: and other schemes give no button to click.

#include "apptestsupport.h"
#include "mainwindow.h"
#include "paperpage.h"

#include <QPushButton>

using namespace paperlab;
using namespace paperlab::gui;

class TestPaperLinks : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void onlyWebLinksBecomeButtons_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("button");
        QTest::newRow("https") << "https://arxiv.org/abs/2401.00001" << true;
        QTest::newRow("http") << "http://example.org/code" << true;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
        QTest::newRow("javascript, blank before") << " javascript:alert(1)" << false;
        QTest::newRow("file") << "file:///home/user/.bashrc" << false;
        QTest::newRow("data") << "data:text/html,<script>alert(1)</script>" << false;
        QTest::newRow("vbscript") << "vbscript:msgbox(1)" << false;
        QTest::newRow("custom handler") << "ms-msdt:/id PCWDiagnostic" << false;
        QTest::newRow("relative path") << "../../.bashrc" << false;
    }

    void onlyWebLinksBecomeButtons()
    {
        QFETCH(QString, url);
        QFETCH(bool, button);
        const auto lib = testing::makeTestLibrary();
        {
            Library library(lib->db);
            PaperRecord r;
            r.key = QStringLiteral("LINKY");
            r.title = QStringLiteral("A paper whose links came from an untrusted import");
            r.paperUrl = url;
            r.codeUrl = url;
            r.slidesUrl = url;
            library.addPaper(r);
        }
        MainWindow w(lib->db);
        w.show();
        QVERIFY(w.selectPaperByKey(QStringLiteral("LINKY")));
        QStringList buttons;
        for (const QPushButton *b : w.page()->findChildren<QPushButton *>())
            if (b->toolTip() == url)
                buttons << b->text();
        QCOMPARE(buttons.size(), button ? 3 : 0); // Paper, Code, Slides
    }
};

QTEST_MAIN(TestPaperLinks)
#include "tst_paperlinks.moc"
