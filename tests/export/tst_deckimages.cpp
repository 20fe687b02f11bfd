// Decks embed only images of the paper's own library: a note's ![](../../x.png), an absolute
// image path or a cover outside the library never reach the PDF or HTML deck; images inside
// do. Real image files, the real deck builder and HTML writer.

#include "htmldeckwriter.h"
#include "library.h"
#include "slidedeck.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestDeckImages : public QObject {
    Q_OBJECT

private slots:
    void onlyLibraryImagesAreEmbedded_data()
    {
        QTest::addColumn<QString>("note");
        QTest::addColumn<QString>("cover");
        QTest::addColumn<int>("embedded");
        QTest::addColumn<int>("refused");
        QTest::newRow("note ..") << "- point\n\n![](../../../../outside/secret.png)\n"
                                 << "" << 0 << 1;
        QTest::newRow("note absolute") << "- point\n\n![](OUTSIDE/secret.png)\n"
                                       << "" << 0 << 1;
        QTest::newRow("note symlink out") << "- point\n\n![](link.png)\n"
                                          << "" << 0 << 1;
        QTest::newRow("cover outside") << "- point\n"
                                       << "OUTSIDE/secret.png" << 0 << 1;
        QTest::newRow("inside") << "- point\n\n![](fig.png)\n"
                                << "LIB/notes/2024/K/fig.png" << 2 << 0;
    }

    void onlyLibraryImagesAreEmbedded()
    {
        QFETCH(QString, note);
        QFETCH(QString, cover);
        QFETCH(int, embedded);
        QFETCH(int, refused);
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        const QString noteDir = QDir(lib).filePath(QStringLiteral("notes/2024/K"));
        QDir().mkpath(noteDir);
        QDir().mkpath(tmp.filePath(QStringLiteral("outside")));
        QImage secret(64, 32, QImage::Format_RGB32);
        secret.fill(Qt::red);
        QVERIFY(secret.save(tmp.filePath(QStringLiteral("outside/secret.png"))));
        QVERIFY(secret.save(QDir(noteDir).filePath(QStringLiteral("fig.png"))));
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside/secret.png")),
                            QDir(noteDir).filePath(QStringLiteral("link.png"))));

        Paper p;
        p.id = 1;
        p.key = QStringLiteral("K");
        p.title = QStringLiteral("Traversal Attention");
        p.year = 2024;
        p.libraryFolder = lib;
        p.notePath = QDir(noteDir).filePath(QStringLiteral("note.md"));
        p.note = note.replace(QLatin1String("OUTSIDE"), tmp.filePath(QStringLiteral("outside")));
        p.coverPath = cover.replace(QLatin1String("OUTSIDE"), tmp.filePath(QStringLiteral("outside")))
                          .replace(QLatin1String("LIB"), lib);

        const Deck deck = buildDeck({p}, DeckOptions{});
        int images = 0, refusals = 0;
        for (const Slide &s : deck.slides) {
            for (const SlideBlock &b : s.blocks) {
                if (b.kind == SlideBlock::Kind::Image) {
                    ++images;
                    QVERIFY2(b.imagePath.startsWith(QFileInfo(lib).canonicalFilePath()), qPrintable(b.imagePath));
                }
                refusals += b.text.contains(QLatin1String("outside the library"));
            }
        }
        QCOMPARE(images, embedded);
        QCOMPARE(refusals, refused);
        // The red picture's bytes, base64'd, would be in the HTML if it were embedded.
        QFile f(tmp.filePath(QStringLiteral("outside/secret.png")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString html = htmlDeckText(deck);
        QCOMPARE(html.contains(QString::fromLatin1(f.readAll().toBase64())), embedded > 0);
    }
};

QTEST_MAIN(TestDeckImages)
#include "tst_deckimages.moc"
