// The note view on the real Qt WebEngine (offscreen): math typeset by KaTeX from a real-shaped
// note, pictures only from the note's own folder, no script of the note run, and a task box
// clicked in the main window written back to the note in the library and on disk.

#include "apptestsupport.h"
#include "librarywriter.h"
#include "mainwindow.h"
#include "mathspans.h"
#include "noteurlscheme.h"
#include "noteview.h"
#include "paperpage.h"
#include "webnoteview.h"
#include "webpluginloader.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QWebEnginePage>
#include <QWebEngineView>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The value of `script` in the page, waited for.
// The plugin's web view (driven directly) or the app's note tab holding one.
template <typename View>
QVariant evaluate(View &view, const QString &script)
{
    QVariant result;
    bool done = false;
    view.runJavaScript(script, [&](const QVariant &v) {
        result = v;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("no answer from the page for: %s", qPrintable(script));
    return result;
}

bool showAndWait(WebNoteView &view, const QString &markdown, const QString &dir, const QString &root = {})
{
    QSignalSpy rendered(&view, &WebNoteView::rendered);
    view.showNote(markdown, dir, root);
    return rendered.wait(30000);
}

} // namespace

class TestNoteView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    void mathIsTypeset()
    {
        const QString dir = QStringLiteral(PAPERLAB_FIXTURES_DIR "/mathnotes/notes/2024/KIVI");
        const QString note = readText(dir + QStringLiteral("/note.md"));
        QVERIFY(!note.isEmpty());
        WebNoteView view;
        view.resize(900, 700);
        view.show();
        view.ensureWebView();
        QVERIFY(showAndWait(view, note, dir));
        // Every $…$ and $$…$$ of the note is a KaTeX formula whose source is the TeX as written.
        const int spans = int(protectMath(note).spans.size());
        QCOMPARE(spans, 13);
        QCOMPARE(evaluate(view, QStringLiteral("document.querySelectorAll('.math .katex').length")).toInt(), spans);
        const QStringList tex =
            evaluate(view, QStringLiteral("[...document.querySelectorAll('annotation')].map(a => a.textContent)"))
                .toStringList();
        QVERIFY2(tex.contains(QStringLiteral("QK^\\top")), qPrintable(tex.join(QLatin1String(" | "))));
        QVERIFY(tex.contains(QStringLiteral("n_{kv} < n_h")));
        QCOMPARE(evaluate(view, QStringLiteral("document.querySelectorAll('.katex-display').length")).toInt(), 1);
        QCOMPARE(evaluate(view, QStringLiteral("document.querySelectorAll('.katex-error').length")).toInt(), 0);
        // The "$" in the code block is code.
        QVERIFY(evaluate(view, QStringLiteral("document.querySelector('pre').textContent"))
                    .toString()
                    .contains(QLatin1String("a $ in code")));
        // The picture of the note's folder is loaded (520 x 220), and zooms on click.
        QCOMPARE(evaluate(view, QStringLiteral("document.querySelector('img.zoomable').naturalWidth")).toInt(), 520);
        evaluate(view, QStringLiteral("document.querySelector('img.zoomable').click()"));
        QVERIFY(evaluate(view, QStringLiteral("document.getElementById('zoom').classList.contains('on')")).toBool());
    }

    void refusedPaths_data()
    {
        QTest::addColumn<QString>("urlPath");
        QTest::addColumn<bool>("served");
        QTest::newRow("inside") << "/files/inside.png" << true;
        QTest::newRow("subfolder") << "/files/pictures/inside.png" << true;
        QTest::newRow("dot dot") << "/files/../outside/secret.png" << false;
        QTest::newRow("dot dot deeper") << "/files/pictures/../../outside/secret.png" << false;
        QTest::newRow("absolute") << "/files//OUTSIDE/secret.png" << false;
        QTest::newRow("symlink out") << "/files/link.png" << false;
        QTest::newRow("not files") << "/inside.png" << false;
        QTest::newRow("missing") << "/files/nothing.png" << false;
    }

    void refusedPaths()
    {
        QFETCH(QString, urlPath);
        QFETCH(bool, served);
        QTemporaryDir tmp;
        const QString note = tmp.filePath(QStringLiteral("lib/notes/K")),
                      outside = tmp.filePath(QStringLiteral("lib/notes/outside"));
        QVERIFY(QDir().mkpath(note + QStringLiteral("/pictures")) && QDir().mkpath(outside));
        QImage img(40, 20, QImage::Format_RGB32);
        img.fill(Qt::blue);
        QVERIFY(img.save(note + QStringLiteral("/inside.png")) &&
                img.save(note + QStringLiteral("/pictures/inside.png")));
        QVERIFY(img.save(outside + QStringLiteral("/secret.png")));
        QVERIFY(QFile::link(outside + QStringLiteral("/secret.png"), note + QStringLiteral("/link.png")));
        const QString got =
            noteFileForUrlPath(note, QString(urlPath).replace(QLatin1String("OUTSIDE"), outside.mid(1)));
        QCOMPARE(!got.isEmpty(), served);
    }

    // The same rule in the page: the note names pictures outside its folder four ways; only its
    // own is shown, the others are placeholders, and a fetch of the outside file is refused.
    void pageShowsOnlyTheNotesPictures()
    {
        QTemporaryDir tmp;
        const QString lib = tmp.filePath(QStringLiteral("lib")), note = lib + QStringLiteral("/notes/K"),
                      other = lib + QStringLiteral("/notes/other");
        QVERIFY(QDir().mkpath(note) && QDir().mkpath(other) && QDir().mkpath(tmp.filePath(QStringLiteral("outside"))));
        QImage img(40, 20, QImage::Format_RGB32);
        img.fill(Qt::blue);
        QVERIFY(img.save(note + QStringLiteral("/inside.png")) && img.save(other + QStringLiteral("/secret.png")));
        QVERIFY(img.save(tmp.filePath(QStringLiteral("outside/secret.png"))));
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside/secret.png")), note + QStringLiteral("/link.png")));
        const QString markdown =
            QStringLiteral("![ok](inside.png)\n\n![a](../other/secret.png)\n\n![b](%1)\n\n![c](link.png)\n\n"
                           "<img src=\"../../../outside/secret.png\">\n\n"
                           "<script>document.title = 'script ran'</script>\n<img src=\"nope.png\" "
                           "onerror=\"document.title = 'handler ran'\">\n")
                .arg(tmp.filePath(QStringLiteral("outside/secret.png")));
        WebNoteView view;
        view.resize(800, 600);
        view.show();
        view.ensureWebView();
        QVERIFY(showAndWait(view, markdown, note, lib));
        QCOMPARE(
            evaluate(view, QStringLiteral(
                               "[...document.images].filter(i => i.naturalWidth > 0 && i.closest('body > p')).length"))
                .toInt(),
            1);
        QCOMPARE(evaluate(view, QStringLiteral("document.querySelectorAll('.missing-image').length")).toInt(), 5);
        // A picture asked for by hand past the folder ("%2e%2e" is ".."): refused by the handler.
        evaluate(view,
                 QStringLiteral("const i = new Image(); i.src = 'paperlab-note://note/files/%2e%2e/other/secret.png'; "
                                "document.body.append(i); 1"));
        QTRY_VERIFY2(!view.schemeHandler()->refused().isEmpty(), "the request never reached the handler");
        QVERIFY(view.schemeHandler()->refused().last().endsWith(QLatin1String("/other/secret.png")));
        QCOMPARE(evaluate(view, QStringLiteral("[...document.images].filter(i => i.naturalWidth > 0).length")).toInt(),
                 1);
        // Neither the note's <script> nor its onerror= ran: only the page's own scripts do.
        const QString title = evaluate(view, QStringLiteral("document.title")).toString();
        QVERIFY2(!title.contains(QLatin1String("ran")), qPrintable(title));
        QVERIFY(evaluate(view, QStringLiteral("window.paperlabMathDone === true")).toBool());
    }

    void taskClickWritesTheNote()
    {
        testing::TestLibrary *lib = nullptr;
        auto owned = testing::makeTestLibrary();
        lib = owned.get();
        qint64 id = 0;
        QString file;
        const QString note = QStringLiteral(
            "# SKVQ\n\n- [ ] read the paper, $O(n^2)$ memory\n- [ ] run the sweep\n- [x] write the note\n");
        {
            Library l(lib->db);
            id = l.paperByKey(QStringLiteral("SKVQ"))->id;
            file = l.setNote(id, note);
        }
        MainWindow w(lib->db);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        NoteView *view = w.page()->noteView();
        QVERIFY2(view->ensureWebView(), qPrintable(view->webViewError())); // the plugin from the build tree
        QSignalSpy rendered(view, &NoteView::rendered);
        QVERIFY(w.selectPaperByKey(QStringLiteral("SKVQ")));
        QVERIFY(rendered.wait(30000) ||
                !evaluate(*view, QStringLiteral("document.querySelectorAll('input.task').length")).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(
            evaluate(*view, QStringLiteral("document.querySelectorAll('input.task').length")).toInt(), 3, 20000);
        QSignalSpy toggled(view, &NoteView::taskToggled);
        evaluate(*view, QStringLiteral("document.querySelector('input[data-task=\"1\"]').click()"));
        QVERIFY(toggled.count() > 0 || toggled.wait(10000)); // it may come while the click is evaluated
        const QString expected =
            QString(note).replace(QLatin1String("- [ ] run the sweep"), QLatin1String("- [x] run the sweep"));
        QCOMPARE(toggled.first().first().toString(), expected);
        QVERIFY(w.writer()->waitForIdle());
        QCOMPARE(Library(lib->db).paper(id)->note, expected); // the index
        QCOMPARE(readText(file), expected);                   // and the note's Markdown file
    }
};

QTEST_MAIN(TestNoteView)
#include "tst_noteview.moc"
