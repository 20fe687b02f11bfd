// Slides as PDF take seconds to print (6 s for 338 papers), in an event loop of their own:
// while they print, a modal notice says what is being made (the window looked frozen and
// could be closed or asked for a second export), and it is gone when the file is written.

#include "apptestsupport.h"
#include "exportmenu.h"
#include "mainwindow.h"
#include "papertablemodel.h"

#include <QApplication>
#include <QProgressDialog>
#include <QTimer>

using namespace paperlab;
using namespace paperlab::gui;

class TestExportProgress : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void pdfSlidesSayTheyAreBeingMade()
    {
        auto lib = testing::makeTestLibrary();
        MainWindow w(lib->db);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *exporter = w.findChild<ExportMenu *>(QStringLiteral("exportMenu"));
        QVERIFY(exporter);
        const QList<qint64> ids = w.model()->ids().mid(0, 12);
        QCOMPARE(ids.size(), 12);

        // What the user faces while the deck prints, looked at from inside the print's loop.
        QString seen;
        QTimer look;
        look.setInterval(20);
        connect(&look, &QTimer::timeout, &w, [&] {
            auto *busy = qobject_cast<QProgressDialog *>(QApplication::activeModalWidget());
            if (busy && busy->objectName() == u"exportProgress" && busy->isVisible())
                seen = busy->labelText();
        });
        look.start();
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("deck.pdf"));
        const bool written = exporter->exportTo(QStringLiteral("slides"), path, ids);
        look.stop();
        QVERIFY(written);
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY2(seen.contains(QLatin1String("PDF slides")) && seen.contains(QLatin1String("12")),
                 qPrintable(QStringLiteral("seen: \"%1\"").arg(seen)));
        QVERIFY(!w.findChild<QProgressDialog *>(QStringLiteral("exportProgress"))); // gone with the print
    }
};

QTEST_MAIN(TestExportProgress)
#include "tst_exportprogress.moc"
