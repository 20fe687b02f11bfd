// What the last walk of the GUI left clipped or cluttered, each checked as a user would see
// it: the playground's block-mask panel in a 1500 x 900 window, kernel names written "QK^T",
// the empty chart's hint, the chart toolbar's buttons, the import report of an import with
// nothing to list, the baseline graph's scroll bars; at 1024 x 700, the playground's sideways
// scrolling and the squeezed tag field; the kernel box's name cut at its edge.
// PAPERLAB_SHOTS=DIR keeps a picture of each, to look at.

#include "baselinegraphview.h"
#include "blockmaskview.h"
#include "chartarea.h"
#include "devicepanel.h"
#include "elidingcombo.h"
#include "importreportdialog.h"
#include "kernelsoverview.h"
#include "library.h"
#include "mainwindow.h"
#include "paperpage.h"
#include "playgroundwidget.h"
#include "runchartview.h"
#include "themetesting.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStyleOptionComboBox>
#include <QTextDocumentFragment>
#include <QToolBar>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <qcustomplot.h>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

void keepShot(QWidget *widget, const QString &name)
{
    if (const QString shots = qEnvironmentVariable("PAPERLAB_SHOTS"); !shots.isEmpty())
        widget->grab().save(QDir(shots).filePath(name + QStringLiteral(".png")));
}

// The part of `widget` the user can see: its rectangle cut by every ancestor's.
QRect visiblePart(const QWidget *widget)
{
    QRect r = widget->rect();
    for (const QWidget *w = widget; w->parentWidget(); w = w->parentWidget()) {
        r.translate(w->pos());
        r &= w->parentWidget()->rect();
        r.translate(-w->pos());
    }
    return r;
}

// `w` shown at `size` with `key` selected; false when that could not be done.
bool showPaperAt(MainWindow &w, const QString &key, QSize size)
{
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    w.resize(size); // after show: the window restores the size an earlier test left
    return QTest::qWaitFor([&] { return w.size() == size; }) && w.selectPaperByKey(key);
}

// `w` shown at `size` with `key`'s Playground tab open; its playground, or null when that
// could not be done.
playground::PlaygroundWidget *openPlayground(MainWindow &w, const QString &key, QSize size)
{
    if (!showPaperAt(w, key, size) || !w.page()->showTab(QStringLiteral("Playground")))
        return nullptr;
    QApplication::processEvents();
    return w.page()->findChild<playground::PlaygroundWidget *>();
}

} // namespace

class TestUiLeftovers : public testing::ThemedLibraryTest {
    Q_OBJECT

private slots:
    // A block-sparse kernel's mask panel beside the charts, whole, with no sideways scrolling.
    void blockMaskPanelFitsTheWindow()
    {
        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground = openPlayground(w, QStringLiteral("MoBA"), QSize(1500, 900));
        QVERIFY(playground);
        playground::BlockMaskView *mask = playground->maskView();
        QVERIFY(mask);
        QTRY_VERIFY(mask->isVisible());
        QTest::qWait(200);
        keepShot(&w, QStringLiteral("block-mask-1500x900"));
        auto *scroll = w.page()->findChild<QScrollArea *>(QStringLiteral("playgroundScroll"));
        QVERIFY(scroll);
        QVERIFY2(!scroll->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("the playground scrolls sideways by %1 px")
                                .arg(scroll->horizontalScrollBar()->maximum())));
        QCOMPARE(visiblePart(mask), mask->rect());
    }

    // Before a run the mask panel's hint is where the mask will be, not at the foot of a
    // blank box; a mask then takes its place, with its figures below.
    void blockMaskHintInTheEmptyPanel()
    {
        playground::BlockMaskView view;
        view.resize(260, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        keepShot(&view, QStringLiteral("block-mask-empty"));
        QLabel *hint = nullptr;
        for (QLabel *label : view.findChildren<QLabel *>())
            if (label->isVisible() && label->text().contains(QLatin1String("Run the kernel")))
                hint = label;
        QVERIFY(hint);
        const int middle = hint->mapTo(&view, hint->rect().center()).y();
        QVERIFY2(middle > view.height() / 3 && middle < view.height() * 2 / 3, qPrintable(QString::number(middle)));
        RunPoint point;
        point.variant = QStringLiteral("moba");
        point.sweepValue = QStringLiteral("1024");
        point.mask.rows = point.mask.cols = 4;
        point.mask.bits = QByteArray(16, 1);
        view.showPoint(point);
        QVERIFY(!view.pixmap().isNull());
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("blockMaskText"))->isVisible());
        QVERIFY(!hint->text().contains(QLatin1String("Run the kernel")));
    }

    // Kernel names are plain text where they are shown: "QKᵀ", never the ASCII "QK^T".
    void kernelNamesReadAsMath()
    {
        Library library(m_lib->db);
        playground::KernelsOverview overview(library);
        QStringList names;
        for (QTreeWidgetItemIterator it(&overview); *it; ++it)
            names << (*it)->text(0) << (*it)->text(1) << (*it)->toolTip(0);
        const QString all = names.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("SageAttention (INT8 QKᵀ)")), qPrintable(all));
        QVERIFY2(!all.contains(QLatin1String("^T")), qPrintable(all));

        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground = openPlayground(w, QStringLiteral("SageAttention"), QSize(1500, 900));
        QVERIFY(playground);
        auto *kernels = playground->findChild<QComboBox *>(QStringLiteral("kernelBox"));
        QVERIFY(kernels);
        QCOMPARE(kernels->currentText(), QStringLiteral("SageAttention (INT8 QKᵀ)"));
        auto *note = playground->findChild<QLabel *>(QStringLiteral("kernelNote"));
        QVERIFY(note);
        QVERIFY2(!note->text().contains(QLatin1String("^T")), qPrintable(note->text()));
    }

    // The hint in an empty chart is whole inside the plot, however narrow the chart.
    void emptyChartHintIsWhole_data()
    {
        QTest::addColumn<int>("width");
        QTest::newRow("narrow") << 300;
        QTest::newRow("medium") << 420;
        QTest::newRow("wide") << 800;
    }
    void emptyChartHintIsWhole()
    {
        QFETCH(int, width);
        playground::RunChartView chart(playground::RunChartView::Kind::Speed);
        chart.resize(width, 320);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QApplication::processEvents();
        QVERIFY(!chart.emptyHint().isEmpty());
        QCPItemText *hint = nullptr;
        for (int i = 0; i < chart.plot()->itemCount(); ++i)
            if (auto *text = qobject_cast<QCPItemText *>(chart.plot()->item(i)); text && text->visible())
                hint = text;
        QVERIFY(hint);
        chart.plot()->replot();
        keepShot(&chart, QStringLiteral("empty-chart-%1").arg(width));
        const QRect plotArea = chart.plot()->axisRect()->rect();
        const QFontMetrics metrics(hint->font());
        const QRect textRect = metrics.boundingRect(QRect(), Qt::AlignCenter, hint->text());
        QVERIFY2(textRect.width() <= plotArea.width(), qPrintable(QStringLiteral("%1 px of text in %2 px: %3")
                                                                      .arg(textRect.width())
                                                                      .arg(plotArea.width())
                                                                      .arg(hint->text())));
        // Nothing of the hint lost on the way: the same words, however they wrap.
        QCOMPARE(hint->text().simplified(), chart.emptyHint().simplified());
    }

    // An import with no warning and no error: the report says so, with no empty list.
    void importReportWithNothingToList()
    {
        ImportReport report;
        report.added = 12;
        report.unchanged = 3;
        ImportReportDialog dialog(report, {QStringLiteral("/tmp/papers.bib")}, QString());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        keepShot(&dialog, QStringLiteral("import-report-clean"));
        QStringList shown;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            if (label->isVisible())
                shown << QTextDocumentFragment::fromHtml(label->text()).toPlainText();
        const QString text = shown.join(QLatin1Char('\n'));
        QVERIFY2(!text.contains(QLatin1String("listed below")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("No warnings or errors")), qPrintable(text));
        for (const QTreeWidget *list : dialog.findChildren<QTreeWidget *>())
            QVERIFY(!list->isVisible());
        // The summary at the top of the dialog, not floating in the middle of an empty one.
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            QVERIFY2(label->geometry().top() < 40, qPrintable(QString::number(label->geometry().top())));
    }

    // Every button of the playground's chart toolbar on screen: with four long labels the
    // last ones went into the toolbar's overflow (») even at 1500 px, where nobody found
    // "Import runner JSON…".
    void chartToolbarShowsEveryAction_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QSize>("size");
        QTest::newRow("MoBA at 1500x900") << QStringLiteral("MoBA") << QSize(1500, 900);
        QTest::newRow("SageAttention at 1500x900") << QStringLiteral("SageAttention") << QSize(1500, 900);
        QTest::newRow("H2O at 1024x700") << QStringLiteral("H2O") << QSize(1024, 700);
    }
    void chartToolbarShowsEveryAction()
    {
        QFETCH(QString, key);
        QFETCH(QSize, size);
        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground = openPlayground(w, key, size);
        QVERIFY(playground);
        auto *toolbar = playground->findChild<QToolBar *>();
        QVERIFY(toolbar);
        QTRY_VERIFY(toolbar->isVisible());
        QTest::qWait(100);
        keepShot(&w, QStringLiteral("chart-toolbar-%1-%2").arg(key).arg(size.width()));
        QStringList hidden;
        for (QAction *action : toolbar->actions())
            if (QWidget *button = toolbar->widgetForAction(action); !button || !button->isVisible())
                hidden << action->text();
        QVERIFY2(hidden.isEmpty(), qPrintable(hidden.join(QStringLiteral(", "))));
    }

    // At 1024 x 700 the paper page has some 400 px: the playground's controls go above its
    // charts, and nothing scrolls sideways. At 1500 x 900 they stay side by side.
    void playgroundFitsTheWidth_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("stacked");
        for (const char *key : {"Quest", "SageAttention", "FlashAttention-2", "H2O", "MoBA"})
            QTest::addRow("%s at 1024x700", key) << QString::fromLatin1(key) << QSize(1024, 700) << true;
        QTest::newRow("SageAttention at 1500x900") << QStringLiteral("SageAttention") << QSize(1500, 900) << false;
    }
    void playgroundFitsTheWidth()
    {
        QFETCH(QString, key);
        QFETCH(QSize, size);
        QFETCH(bool, stacked);
        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground = openPlayground(w, key, size);
        QVERIFY(playground);
        QTest::qWait(200);
        keepShot(&w, QStringLiteral("playground-%1-%2").arg(key).arg(size.width()));
        keepShot(playground, QStringLiteral("playground-%1-%2-whole").arg(key).arg(size.width()));
        QCOMPARE(playground->isStacked(), stacked);
        auto *scroll = w.page()->findChild<QScrollArea *>(QStringLiteral("playgroundScroll"));
        QVERIFY(scroll);
        QVERIFY2(scroll->horizontalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("the playground scrolls sideways by %1 px")
                                .arg(scroll->horizontalScrollBar()->maximum())));
        // Whole in width: the charts as well as the form.
        QCOMPARE(visiblePart(playground->chartArea()).width(), playground->chartArea()->width());
        // No editor squeezed below its height to make room (text cut in half).
        for (QWidget *editor : playground->findChildren<QWidget *>())
            if ((qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor)) && editor->isVisible())
                QVERIFY2(editor->height() >= editor->sizeHint().height(),
                         qPrintable(QStringLiteral("%1: %2 px of %3")
                                        .arg(editor->objectName())
                                        .arg(editor->height())
                                        .arg(editor->sizeHint().height())));
    }

    // The kernel box (some 330 px at 1024 px, not much wider beside the charts at 1600 px) is
    // narrower than "KV selection (StreamingLLM, H2O, TOVA, SnapKV, Quest, Double Sparsity)":
    // it shows the name cut with "…" and the whole name as its tooltip (it was clipped at
    // the arrow, mid-word). A name that fits is shown whole, without a tooltip.
    void kernelBoxSaysItsNameIsCut_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("cut");
        QTest::newRow("H2O at 1024x700") << QStringLiteral("H2O") << QSize(1024, 700) << true;
        QTest::newRow("MoBA at 1024x700") << QStringLiteral("MoBA") << QSize(1024, 700) << false;
        QTest::newRow("H2O at 1600x1000") << QStringLiteral("H2O") << QSize(1600, 1000) << true;
        QTest::newRow("FlashAttention-2 at 1600x1000")
            << QStringLiteral("FlashAttention-2") << QSize(1600, 1000) << false;
    }
    void kernelBoxSaysItsNameIsCut()
    {
        QFETCH(QString, key);
        QFETCH(QSize, size);
        QFETCH(bool, cut);
        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground = openPlayground(w, key, size);
        QVERIFY(playground);
        auto *box = playground->findChild<QComboBox *>(QStringLiteral("kernelBox"));
        QVERIFY(box);
        QTRY_VERIFY(box->isVisible());
        keepShot(box, QStringLiteral("kernel-box-%1-%2").arg(key).arg(size.width()));
        const QString name = box->currentText();
        const QStyleOptionComboBox option = [box] {
            QStyleOptionComboBox o;
            o.initFrom(box);
            return o;
        }();
        const int room =
            box->style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, box).width();
        QCOMPARE(box->fontMetrics().horizontalAdvance(name) > room, cut);
        QCOMPARE(box->toolTip(), cut ? name : QString()); // the whole name, where it is cut
        auto *eliding = qobject_cast<playground::ElidingComboBox *>(box);
        QVERIFY2(eliding, "the kernel box clips its name without a sign");
        const QString shown = eliding->shownText();
        QCOMPARE(shown.endsWith(u'…'), cut);
        QVERIFY2(box->fontMetrics().horizontalAdvance(shown) <= room, qPrintable(shown));
        QVERIFY(name.startsWith(shown.chopped(cut ? 1 : 0)));
    }

    // Ctrl+R runs the playground's sweep from anywhere in the window (the Run button was
    // mouse-only, at the bottom of a form that scrolls at 1024 px); Escape cancels only while a
    // run goes, and neither acts while the Playground tab is not shown.
    void playgroundRunsFromTheKeyboard()
    {
        MainWindow w(m_lib->db);
        playground::PlaygroundWidget *playground =
            openPlayground(w, QStringLiteral("FlashAttention-2"), QSize(1024, 700));
        QVERIFY(playground);
        auto *panel = playground->findChild<playground::DevicePanel *>();
        QVERIFY(panel);
        QObject::disconnect(panel, nullptr, playground, nullptr); // counted here, no runner started
        QSignalSpy runs(panel, &playground::DevicePanel::runRequested);
        QSignalSpy cancels(panel, &playground::DevicePanel::cancelRequested);
        QApplication::setActiveWindow(&w);
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.searchEdit()->setFocus(); // far from the playground's form

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QTest::qWait(300);
        QCOMPARE(cancels.size(), 0); // nothing runs
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_R, Qt::ControlModifier);
        QTRY_COMPARE(runs.size(), 1); // a shortcut clicks the button as the eye can follow (100 ms)
        panel->setRunning(true);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QTRY_COMPARE(cancels.size(), 1);
        panel->setRunning(false);
        QVERIFY(playground->findChild<QPushButton *>(QStringLiteral("runButton"))
                    ->toolTip()
                    .contains(QKeySequence(Qt::CTRL | Qt::Key_R).toString(QKeySequence::NativeText)));

        QVERIFY(w.page()->showTab(QStringLiteral("Note")));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_R, Qt::ControlModifier);
        QTest::qWait(300);
        QCOMPARE(runs.size(), 1);
    }

    // The tag field keeps room for its placeholder, "Add tag…", at 1024 px (on a line of its
    // own); at 1500 px it stays in the row of status and rating.
    void tagFieldKeepsItsWidth_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("ownLine");
        QTest::newRow("1024x700") << QSize(1024, 700) << true;
        QTest::newRow("1500x900") << QSize(1500, 900) << false;
    }
    void tagFieldKeepsItsWidth()
    {
        QFETCH(QSize, size);
        QFETCH(bool, ownLine);
        MainWindow w(m_lib->db);
        QVERIFY(showPaperAt(w, QStringLiteral("H2O"), size));
        QApplication::processEvents();
        QLineEdit *tags = w.page()->tagEdit();
        QTRY_VERIFY(tags->isVisible());
        keepShot(&w, QStringLiteral("tag-field-%1").arg(size.width()));
        const int placeholder = tags->fontMetrics().horizontalAdvance(tags->placeholderText());
        QVERIFY2(tags->width() > placeholder + 20,
                 qPrintable(QStringLiteral("%1 px for a %2 px placeholder").arg(tags->width()).arg(placeholder)));
        QCOMPARE(visiblePart(tags), tags->rect());
        QComboBox *status = nullptr;
        for (QComboBox *combo : w.page()->findChildren<QComboBox *>())
            if (combo->toolTip() == QLatin1String("Reading status"))
                status = combo;
        QVERIFY(status);
        const int statusMiddle = status->mapTo(w.page(), status->rect().center()).y();
        const int tagsMiddle = tags->mapTo(w.page(), tags->rect().center()).y();
        QCOMPARE(tagsMiddle > statusMiddle + status->height() / 2, ownLine);
    }

    // The graph's window opens as wide as its three columns: no scroll bar for a graph that fits.
    void baselineGraphWithoutNeedlessScrollBars_data()
    {
        QTest::addColumn<QString>("key");
        QTest::newRow("with baselines") << QStringLiteral("H2O");
        QTest::newRow("another") << QStringLiteral("FlashAttention-2");
    }
    void baselineGraphWithoutNeedlessScrollBars()
    {
        QFETCH(QString, key);
        Library library(m_lib->db);
        const auto paper = library.paperByKey(key);
        QVERIFY(paper);
        QWidget parent;
        BaselineGraphView *view = BaselineGraphView::showFor(library, paper->id, &parent, [](qint64) {});
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QApplication::processEvents();
        keepShot(view, QStringLiteral("baseline-graph-%1").arg(key));
        const QSizeF graph = view->sceneRect().size();
        QVERIFY2(!view->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("%1 px of graph in a %2 px view").arg(graph.width()).arg(view->width())));
        if (graph.height() < view->viewport()->height())
            QVERIFY(!view->verticalScrollBar()->isVisible());
    }
};

QTEST_MAIN(TestUiLeftovers)
#include "tst_uileftovers.moc"
