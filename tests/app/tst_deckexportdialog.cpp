// File > Export > Slides asks for the deck's title and date (as the CLI's --group and
// --date do): what is typed reaches the deck's first slide and every footer, an empty title
// or file cannot be exported, and the title is offered again next time.

#include "apptestsupport.h"
#include "deckexportdialog.h"
#include "htmldeckwriter.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

using namespace paperlab;
using namespace paperlab::gui;

class TestDeckExportDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        testing::isolateSettings();
        QSettings().clear(); // test-mode settings outlive a run
    }

    void titleAndDateReachTheDeck()
    {
        QTemporaryDir tmp;
        DeckExportDialog dialog(QStringLiteral("html"), 1);
        QCOMPARE(dialog.titleEdit()->text(), DeckOptions{}.group);
        QCOMPARE(dialog.dateEdit()->date(), QDate::currentDate());
        QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());

        dialog.titleEdit()->clear();
        QTest::keyClicks(dialog.titleEdit(), QStringLiteral("LLM efficiency reading group"));
        dialog.dateEdit()->setDate(QDate(2026, 12, 3));
        dialog.pathEdit()->setText(tmp.filePath(QStringLiteral("deck.html")));
        // PAPERLAB_SCREENSHOT_DIR=docs: the picture of the dialog in docs/ is made here.
        if (const QString dir = qEnvironmentVariable("PAPERLAB_SCREENSHOT_DIR"); !dir.isEmpty()) {
            dialog.pathEdit()->setText(QStringLiteral("/home/reader/reading-group-2026-12-03.html"));
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.grab().save(QDir(dir).filePath(QStringLiteral("deck-export-dialog.png"))));
            dialog.pathEdit()->setText(tmp.filePath(QStringLiteral("deck.html")));
        }
        QCOMPARE(dialog.options().group, QStringLiteral("LLM efficiency reading group"));
        QCOMPARE(dialog.options().date, QDate(2026, 12, 3));

        Paper p;
        p.id = 1;
        p.title = QStringLiteral("KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache");
        const Deck deck = buildDeck({p}, dialog.options());
        QString error;
        QVERIFY2(writeHtmlDeck(deck, dialog.path(), &error), qPrintable(error));
        QFile f(dialog.path());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(f.readAll());
        QVERIFY(html.contains(QLatin1String("<title>LLM efficiency reading group</title>")));
        QVERIFY2(html.contains(QStringLiteral("LLM efficiency reading group · 3 December 2026")),
                 qPrintable(html.right(3000).left(1500))); // the footers

        // Nothing to call the deck, or nowhere to put it: no export.
        dialog.titleEdit()->setText(QStringLiteral("   "));
        QVERIFY(!ok->isEnabled());
        dialog.titleEdit()->setText(QStringLiteral("Systems reading group"));
        dialog.pathEdit()->clear();
        QVERIFY(!ok->isEnabled());
        dialog.pathEdit()->setText(tmp.filePath(QStringLiteral("deck.html")));
        QVERIFY(ok->isEnabled());
        ok->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        // The next deck starts from the last title.
        DeckExportDialog again(QStringLiteral("slides"), 3);
        QCOMPARE(again.titleEdit()->text(), QStringLiteral("Systems reading group"));
        QVERIFY(again.pathEdit()->text().endsWith(QLatin1String(".pdf")));
    }
};

QTEST_MAIN(TestDeckExportDialog)
#include "tst_deckexportdialog.moc"
