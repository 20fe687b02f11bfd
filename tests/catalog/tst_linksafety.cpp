// Which URLs PaperLab makes clickable: web pages and relative links below the current
// folder; every other scheme, however it is disguised, stays text.

#include "linksafety.h"

#include <QTest>

using namespace paperlab;

class TestLinkSafety : public QObject {
    Q_OBJECT

private slots:
    void openable_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("openable");
        QTest::addColumn<bool>("web");
        QTest::newRow("https") << "https://arxiv.org/abs/2205.14135" << true << true;
        QTest::newRow("http") << "http://example.org" << true << true;
        QTest::newRow("upper-case scheme") << "HTTPS://example.org" << true << true;
        QTest::newRow("relative note") << "notes/2024/X/note.md" << true << false;
        QTest::newRow("dot relative") << "./pictures/a.png" << true << false;
        QTest::newRow("down and up again") << "a/../b.md" << true << false;
        QTest::newRow("fragment") << "#key-point" << true << false;
        QTest::newRow("javascript") << "javascript:alert(1)" << false << false;
        QTest::newRow("JavaScript mixed case") << "JaVaScRiPt:alert(1)" << false << false;
        QTest::newRow("javascript with blanks before") << " \t javascript:alert(1)" << false << false;
        QTest::newRow("javascript with control char before")
            << QString(QChar(0x01)) + "javascript:alert(1)" << false << false;
        QTest::newRow("tab inside the scheme") << "java\tscript:alert(1)" << false << false;
        QTest::newRow("newline inside the scheme") << "java\nscript:alert(1)" << false << false;
        QTest::newRow("vbscript") << "vbscript:msgbox(1)" << false << false;
        QTest::newRow("data") << "data:text/html;base64,PHNjcmlwdD4=" << false << false;
        QTest::newRow("file") << "file:///home/user/.bashrc" << false << false;
        QTest::newRow("custom handler") << "ms-officecmd:open" << false << false;
        QTest::newRow("windows drive") << "C:\\Windows\\system.ini" << false << false;
        QTest::newRow("absolute path") << "/etc/passwd" << false << false;
        QTest::newRow("protocol-relative") << "//evil.example/x" << false << false;
        QTest::newRow("backslash protocol-relative") << "\\\\evil.example\\x" << false << false;
        QTest::newRow("climbs out") << "../../../../home/user/.bashrc" << false << false;
        QTest::newRow("climbs out after a folder") << "notes/../../x" << false << false;
        QTest::newRow("empty") << "" << false << false;
    }

    void openable()
    {
        QFETCH(QString, url);
        QFETCH(bool, openable);
        QFETCH(bool, web);
        QCOMPARE(isOpenableLink(url), openable);
        QCOMPARE(isWebLink(url), web);
    }

    // Relative links judged by where they lead from the note's folder: inside the library.
    void insideTheLibrary_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("openable");
        QTest::newRow("another paper's note") << "../../2023/Other/note.md" << true;
        QTest::newRow("a picture beside") << "pictures/a.png" << true;
        QTest::newRow("the library root") << "../../.." << true;
        QTest::newRow("one level above the library") << "../../../.." << false;
        QTest::newRow("a sibling folder of the library") << "../../../../library-other/x.md" << false;
        QTest::newRow("the user's startup script") << "../../../../../../home/user/.bashrc" << false;
        QTest::newRow("absolute path inside") << "/lib/notes/2024/K/note.md" << false;
        QTest::newRow("web") << "https://example.org" << true;
        QTest::newRow("javascript") << "javascript:alert(1)" << false;
    }

    void insideTheLibrary()
    {
        QFETCH(QString, url);
        QFETCH(bool, openable);
        QCOMPARE(isOpenableLink(url, QStringLiteral("/lib/notes/2024/K"), QStringLiteral("/lib")), openable);
    }
};

QTEST_GUILESS_MAIN(TestLinkSafety)
#include "tst_linksafety.moc"
