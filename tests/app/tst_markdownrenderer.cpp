// The note renderer: GFM extensions on, raw HTML (<mark>, <img width>) kept, task lists drawn
// as glyphs, images resolved against the note's folder, missing ones replaced by a placeholder.

#include "markdownrenderer.h"
#include "notebrowser.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace paperlab::gui;

class TestMarkdownRenderer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QDir().mkpath(m_dir.filePath(QStringLiteral("pictures")));
        QImage wide(1200, 300, QImage::Format_RGB32);
        wide.fill(Qt::darkCyan);
        QVERIFY(wide.save(m_dir.filePath(QStringLiteral("pictures/wide.png"))));
        QImage small(100, 50, QImage::Format_RGB32);
        small.fill(Qt::red);
        QVERIFY(small.save(m_dir.filePath(QStringLiteral("small.png"))));
    }

    void render_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("contains");
        QTest::addColumn<QStringList>("absent");
        const QString base = QUrl::fromLocalFile(m_dir.path()).toString();

        QTest::newRow("table") << QStringLiteral("| a | b |\n|---|---|\n| 1 | 2 |\n")
                               << QStringList{"<table border=\"1\"", "<th>a</th>", "<td>2</td>"}
                               << QStringList{"|---|"};
        QTest::newRow("task list") << QStringLiteral("- [x] note\n- [ ] ppt\n") << QStringList{"☑", "☐", "note", "ppt"}
                                   << QStringList{"<input", "[x]"};
        QTest::newRow("mark") << QStringLiteral("a <mark>key point</mark> b\n")
                              << QStringList{"<span style=\"background-color:", "key point</span>"}
                              << QStringList{"<mark>"};
        QTest::newRow("strikethrough") << QStringLiteral("~~old~~ new\n") << QStringList{"<s>old</s>"}
                                       << QStringList{"~~"};
        QTest::newRow("autolink") << QStringLiteral("see https://arxiv.org/abs/2405.12345 now\n")
                                  << QStringList{"<a href=\"https://arxiv.org/abs/2405.12345\">"} << QStringList{};
        QTest::newRow("code block") << QStringLiteral("```cpp\nint x = 1;\n```\n")
                                    << QStringList{"bgcolor=", "<pre>", "int x = 1;"} << QStringList{};
        QTest::newRow("relative image") << QStringLiteral("![fig](small.png)\n")
                                        << QStringList{QStringLiteral("src=\"%1/small.png\"").arg(base)}
                                        << QStringList{"missing-image"};
        QTest::newRow("relative html image with width")
            << QStringLiteral("<img src=\"./pictures/wide.png\" width=400>\n")
            << QStringList{QStringLiteral("%1/pictures/wide.png").arg(base), "width=\"400\""}
            << QStringList{"missing-image"};
        QTest::newRow("wide image scaled to fit")
            << QStringLiteral("![w](pictures/wide.png)\n") << QStringList{"width=\"600\""} << QStringList{};
        QTest::newRow("missing image") << QStringLiteral("<img src=\"./pictures/SKQV.png\" width=400>\n")
                                       << QStringList{"missing-image:", "SKQV.png", "width=\"360\""}
                                       << QStringList{"file://"};
        QTest::newRow("remote image") << QStringLiteral("![x](https://example.org/x.png)\n")
                                      << QStringList{"missing-image:"} << QStringList{};
        QTest::newRow("image after nested list") << QStringLiteral("- a\n    - b\n    <img src=\"x.png\">\n")
                                                 << QStringList{"<p><img src=\"missing-image:"} << QStringList{};
    }

    void render()
    {
        QFETCH(QString, markdown);
        QFETCH(QStringList, contains);
        QFETCH(QStringList, absent);
        MarkdownOptions o;
        o.baseDir = m_dir.path();
        o.maxImageWidth = 600;
        const QString html = renderMarkdown(markdown, o);
        for (const QString &s : contains)
            QVERIFY2(html.contains(s), qPrintable(QStringLiteral("missing %1 in\n%2").arg(s, html)));
        for (const QString &s : absent)
            QVERIFY2(!html.contains(s), qPrintable(QStringLiteral("unexpected %1 in\n%2").arg(s, html)));
        // And QTextDocument takes it: the text survives into the document.
        QTextDocument doc;
        doc.setHtml(html);
        QVERIFY(!doc.toPlainText().trimmed().isEmpty() || html.contains(QLatin1String("<img")));
    }

    // A shared note may show pictures of its library, never other files of the user.
    void imagesOutsideTheLibraryAreNotShown_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<bool>("shown");
        QTest::newRow("..") << QStringLiteral("![x](../../../outside/secret.png)\n") << false;
        QTest::newRow("absolute") << QStringLiteral("![x](OUTSIDE/secret.png)\n") << false;
        QTest::newRow("file url") << QStringLiteral("<img src=\"file://OUTSIDE/secret.png\">\n") << false;
        QTest::newRow("symlink out") << QStringLiteral("![x](link.png)\n") << false;
        QTest::newRow("inside, up two folders") << QStringLiteral("![x](../../shared.png)\n") << true;
    }

    void imagesOutsideTheLibraryAreNotShown()
    {
        QFETCH(QString, markdown);
        QFETCH(bool, shown);
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib"));
        const QString noteDir = QDir(lib).filePath(QStringLiteral("notes/2024/K"));
        QDir().mkpath(noteDir);
        QDir().mkpath(tmp.filePath(QStringLiteral("outside")));
        QImage img(40, 20, QImage::Format_RGB32);
        img.fill(Qt::blue);
        QVERIFY(img.save(tmp.filePath(QStringLiteral("outside/secret.png"))));
        QVERIFY(img.save(QDir(lib).filePath(QStringLiteral("notes/shared.png"))));
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside/secret.png")),
                            QDir(noteDir).filePath(QStringLiteral("link.png"))));
        markdown.replace(QLatin1String("OUTSIDE"), tmp.filePath(QStringLiteral("outside")));
        MarkdownOptions o;
        o.baseDir = noteDir;
        o.libraryRoot = lib;
        const QString html = renderMarkdown(markdown, o);
        QCOMPARE(html.contains(QLatin1String("src=\"file://")), shown);
        QCOMPARE(html.contains(QLatin1String("missing-image:")), !shown);
    }

    // Links in a note: only http, https and relative links below the note's folder stay
    // links; the rest keep their text and lose the href.
    void linksAreInert_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("href"); // the one <a href> expected, empty: none
        QTest::addColumn<QString>("text");
        QTest::newRow("https") << "[paper](https://arxiv.org/abs/1)\n"
                               << "https://arxiv.org/abs/1"
                               << "paper";
        QTest::newRow("http") << "[p](http://example.org/x)\n"
                              << "http://example.org/x"
                              << "p";
        QTest::newRow("relative") << "[other note](../X/note.md)\n"
                                  << ""
                                  << "other note";
        QTest::newRow("relative below") << "[fig](pictures/a.png)\n"
                                        << "pictures/a.png"
                                        << "fig";
        QTest::newRow("javascript") << "[click](javascript:alert(1))\n"
                                    << ""
                                    << "click";
        QTest::newRow("vbscript") << "[click](vbscript:msgbox(1))\n"
                                  << ""
                                  << "click";
        QTest::newRow("data") << "[click](data:text/html;base64,PHNjcmlwdD4=)\n"
                              << ""
                              << "click";
        QTest::newRow("file autolink") << "<file:///home/user/.bashrc>\n"
                                       << ""
                                       << "file:///home/user/.bashrc";
        QTest::newRow("raw html javascript") << "<a href=\"javascript:alert(1)\">raw</a>\n"
                                             << ""
                                             << "raw";
        QTest::newRow("raw html unquoted") << "<a href=javascript:alert(1) title=x>raw</a>\n"
                                           << ""
                                           << "raw";
        QTest::newRow("raw html entity-encoded") << "<a href=\"&#106;avascript&#x3A;alert(1)\">raw</a>\n"
                                                 << ""
                                                 << "raw";
        QTest::newRow("raw html upper case") << "<A HREF='JAVASCRIPT:alert(1)'>raw</A>\n"
                                             << ""
                                             << "raw";
        QTest::newRow("raw html two hrefs") << "<a href=\"https://ok.org\" href=\"javascript:x\">two</a>\n"
                                            << "https://ok.org"
                                            << "two";
        QTest::newRow("raw html file") << "<a href=\"file:///etc/passwd\">f</a>\n"
                                       << ""
                                       << "f";
    }

    void linksAreInert()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, href);
        QFETCH(QString, text);
        MarkdownOptions o;
        o.baseDir = m_dir.path();
        const QString html = renderMarkdown(markdown, o);
        QTextDocument doc;
        doc.setHtml(html);
        QStringList hrefs;
        for (QTextBlock b = doc.begin(); b.isValid(); b = b.next())
            for (auto it = b.begin(); !it.atEnd(); ++it)
                if (it.fragment().charFormat().isAnchor())
                    hrefs << it.fragment().charFormat().anchorHref();
        hrefs.removeAll(QString());
        QCOMPARE(hrefs, href.isEmpty() ? QStringList{} : QStringList{href});
        QVERIFY2(doc.toPlainText().contains(text), qPrintable(doc.toPlainText()));
        QVERIFY2(!html.contains(QLatin1String("script:"), Qt::CaseInsensitive) ||
                     text.contains(QLatin1String("script")),
                 qPrintable(html));
    }

    // With the library folder known, a note may link to another note of the library.
    void relativeLinksStayInsideTheLibrary()
    {
        MarkdownOptions o;
        o.baseDir = m_dir.filePath(QStringLiteral("notes/2024/K"));
        o.libraryRoot = m_dir.path();
        const QString html =
            renderMarkdown(QStringLiteral("[other](../../2023/X/note.md) [out](../../../../etc/passwd)\n"), o);
        QVERIFY2(html.contains(QLatin1String("<a href=\"../../2023/X/note.md\">other</a>")), qPrintable(html));
        QVERIFY2(html.contains(QLatin1String("<a>out</a>")), qPrintable(html));
    }

    // A 100 MB note (selecting its paper froze the app for minutes) shows its first
    // megabyte, cut at a line end, and a "Show all" link that renders the rest.
    void hugeNoteShowsItsFirstMegabyte()
    {
        const QString paragraph =
            QStringLiteral("A line of a very long note, with a [link](https://example.org) and *emphasis*.\n\n");
        const QString note = paragraph.repeated(100 * 1024 * 1024 / paragraph.size() + 1);
        QVERIFY(note.size() > 100 * 1024 * 1024);
        NoteBrowser browser;
        browser.resize(800, 600);
        QElapsedTimer t;
        t.start();
        browser.showNote(note, m_dir.path());
        qInfo("100 MB note shown in %.2f s", double(t.nsecsElapsed()) / 1e9);
        QVERIFY(browser.isPreview());
        QCOMPARE(browser.markdown().size(), note.size()); // the note itself is kept whole
        const QString shown = browser.toPlainText();
        QVERIFY2(shown.size() <= kNotePreviewChars && shown.size() > kNotePreviewChars / 2,
                 qPrintable(QString::number(shown.size())));
        QVERIFY(shown.contains(QLatin1String("Show all")));
        // Cut at a line end: the last paragraph before the link is whole.
        const QString beforeLink = shown.left(shown.indexOf(QLatin1String("Show all"))).trimmed();
        QVERIFY2(beforeLink.endsWith(QLatin1String("and emphasis.")), qPrintable(beforeLink.right(80)));
        QVERIFY(browser.toHtml().contains(QLatin1String(kShowAllNoteUrl)));
    }

    void showAllRendersTheWholeNote()
    {
        const QString paragraph = QStringLiteral("Paragraph of a long note.\n\n");
        const QString note =
            paragraph.repeated(kNotePreviewChars / paragraph.size() + 1000) + QStringLiteral("The very end.\n");
        NoteBrowser browser;
        browser.showNote(note, m_dir.path());
        QVERIFY(browser.isPreview());
        QVERIFY(!browser.toPlainText().contains(QLatin1String("The very end.")));
        emit browser.anchorClicked(QUrl(QLatin1String(kShowAllNoteUrl))); // as a click on the link does
        QVERIFY(!browser.isPreview());
        QVERIFY(browser.toPlainText().contains(QLatin1String("The very end.")));
        QVERIFY(!browser.toPlainText().contains(QLatin1String("Show all")));
        // A short note is shown whole from the start.
        browser.showNote(QStringLiteral("short\n"), m_dir.path());
        QVERIFY(!browser.isPreview());
        QCOMPARE(browser.toPlainText().trimmed(), QStringLiteral("short"));
    }

    void darkPaletteColours()
    {
        MarkdownOptions o;
        o.dark = true;
        const QString html = renderMarkdown(QStringLiteral("<mark>x</mark>\n\n```\ny\n```\n"), o);
        QVERIFY(html.contains(QLatin1String("#8a6d00")));
        QVERIFY(html.contains(QLatin1String("#2b2f36")));
    }

    void placeholderNamesTheFile()
    {
        const QImage img = missingImagePlaceholder(QStringLiteral("./pictures/SKQV.png"), 320);
        QCOMPARE(img.width(), 320);
        QVERIFY(img.height() > 50);
    }
};

QTEST_MAIN(TestMarkdownRenderer)
#include "tst_markdownrenderer.moc"
