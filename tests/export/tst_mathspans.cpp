// Math in notes survives Markdown: $…$ and $$…$$ reach the page as KaTeX spans with every
// backslash and underscore as written, while code, "\$" and prices stay text. The real
// cmark-gfm renderer (noteBodyHtml), and task-list checkboxes written back to the note.

#include "mathspans.h"
#include "notehtml.h"

#include <QTest>

using namespace paperlab;

class TestMathSpans : public QObject {
    Q_OBJECT

private slots:
    void spans_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("inlineTex");
        QTest::addColumn<QStringList>("displayTex");
        QTest::addColumn<QString>("htmlHas"); // a piece the rendered HTML must contain
        QTest::newRow("underscores are no emphasis")
            << "keys $a_1 + b_1$ and $c_2$" << QStringList{"a_1 + b_1", "c_2"} << QStringList{}
            << "<span class=\"math\">a_1 + b_1</span> and <span class=\"math\">c_2</span>";
        QTest::newRow("backslash braces kept") << "set $\\{x \\mid x > 0\\}$" << QStringList{"\\{x \\mid x > 0\\}"}
                                               << QStringList{} << "<span class=\"math\">\\{x \\mid x &gt; 0\\}</span>";
        QTest::newRow("display on its own lines")
            << "Softmax:\n\n$$\n\\frac{e^{x_i}}{\\sum_j e^{x_j}}\n$$\n"
            << QStringList{} << QStringList{"\\frac{e^{x_i}}{\\sum_j e^{x_j}}"}
            << "<span class=\"math display\">\\frac{e^{x_i}}{\\sum_j e^{x_j}}</span>";
        QTest::newRow("display inline") << "so $$O(n^2)$$ memory" << QStringList{} << QStringList{"O(n^2)"}
                                        << "<span class=\"math display\">O(n^2)</span>";
        QTest::newRow("code span is no math")
            << "write `$x_1$` for $y$" << QStringList{"y"} << QStringList{} << "<code>$x_1$</code>";
        QTest::newRow("double backtick code")
            << "``a ` $b$`` and $c$" << QStringList{"c"} << QStringList{} << "<code>a ` $b$</code>";
        QTest::newRow("fenced code is no math") << "```python\nprice = \"$5\"  # $x_1$\n```\n$z$\n"
                                                << QStringList{"z"} << QStringList{} << "# $x_1$";
        QTest::newRow("escaped dollar") << "costs \\$5 to \\$6" << QStringList{} << QStringList{} << "costs $5 to $6";
        QTest::newRow("prices are no math")
            << "from $5 to $6 per hour" << QStringList{} << QStringList{} << "from $5 to $6 per hour";
        QTest::newRow("space after opening") << "a $ b$ c" << QStringList{} << QStringList{} << "a $ b$ c";
        QTest::newRow("no blank line inside") << "a $x\n\ny$ b" << QStringList{} << QStringList{} << "a $x</p>";
        QTest::newRow("in a list item") << "- error of $QK^\\top$ small\n"
                                        << QStringList{"QK^\\top"} << QStringList{}
                                        << "<li>error of <span class=\"math\">QK^\\top</span> small</li>";
        QTest::newRow("html in tex escaped") << "$a<b$ <script>x</script>" << QStringList{"a<b"} << QStringList{}
                                             << "<span class=\"math\">a&lt;b</span>";
    }

    void spans()
    {
        QFETCH(QString, markdown);
        QFETCH(QStringList, inlineTex);
        QFETCH(QStringList, displayTex);
        QFETCH(QString, htmlHas);
        const ProtectedMarkdown p = protectMath(markdown);
        QStringList gotInline, gotDisplay;
        for (const MathSpan &s : p.spans)
            (s.display ? gotDisplay : gotInline) << s.tex;
        QCOMPARE(gotInline, inlineTex);
        QCOMPARE(gotDisplay, displayTex);
        const QString html = noteBodyHtml(markdown);
        QVERIFY2(html.contains(htmlHas), qPrintable(html));
        QVERIFY2(!html.contains(QLatin1String("PLMATH")), qPrintable(html)); // every token restored
        QVERIFY2(!html.contains(QLatin1String("<em>")), qPrintable(html));   // no "_" read as emphasis
    }

    void taskCheckboxes_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<int>("index");
        QTest::addColumn<bool>("checked");
        QTest::addColumn<QString>("expected"); // empty: no such task
        const QString note = QStringLiteral("# N\n\n- [ ] read $x$\n- plain item\n  - [x] nested\n\n```\n- [ ] in "
                                            "code\n```\n1. [ ] numbered\n\n> - [ ] quoted\n");
        QTest::newRow("check first") << note << 0 << true << QString(note).replace("- [ ] read", "- [x] read");
        QTest::newRow("uncheck nested") << note << 1 << false
                                        << QString(note).replace("  - [x] nested", "  - [ ] nested");
        QTest::newRow("code is skipped") << note << 2 << true
                                         << QString(note).replace("1. [ ] numbered", "1. [x] numbered");
        // cmark-gfm makes no task of a quoted "- [ ]": its text stays as written.
        QTest::newRow("quoted is no task") << note << 3 << true << QString();
        QTest::newRow("negative") << note << -1 << true << QString();
    }

    void taskCheckboxes()
    {
        QFETCH(QString, markdown);
        QFETCH(int, index);
        QFETCH(bool, checked);
        QFETCH(QString, expected);
        QCOMPARE(withTaskChecked(markdown, index, checked), expected);
        // The page numbers its checkboxes the same way.
        NoteHtmlOptions o;
        o.interactiveTasks = true;
        const QString html = noteBodyHtml(markdown, o);
        QVERIFY2(html.count(QLatin1String("class=\"task\"")) == 3, qPrintable(html));
        QVERIFY(html.contains(QLatin1String("data-task=\"2\"> numbered")));
        QVERIFY(!html.contains(QLatin1String("disabled")));
    }
};

QTEST_MAIN(TestMathSpans)
#include "tst_mathspans.moc"
