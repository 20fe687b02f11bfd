// The paper page's Claims tab, offscreen: a paper's claims from its prototxt, the
// "reproduced on <GPU>" line from a run stored in the same SQLite index, and an edit that
// goes through the LibraryWriter into the index and the prototxt.
#include "../claimfixtures.h"
#include "claimsdialog.h"
#include "claimssection.h"
#include "librarywriter.h"
#include "runstore.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

void storeRun(Library &library, qint64 paperId, double sageMs)
{
    RunRecord run;
    run.paperId = paperId;
    run.deviceName = QStringLiteral("NVIDIA H200");
    run.setup.kernel = QStringLiteral("sage_attention");
    run.setup.sweepParam = QStringLiteral("seq_len");
    run.setup.fixed.insert(QStringLiteral("head_dim"), QStringLiteral("128"));
    run.status = RunStatus::Finished;
    for (const auto &[variant, ms] :
         {std::pair{QStringLiteral("sage"), sageMs}, std::pair{QStringLiteral("torch_flash"), 20.0}}) {
        RunPoint p;
        p.variant = variant;
        p.x = 16384;
        p.sweepValue = QStringLiteral("16384");
        p.metrics.insert(QStringLiteral("time_ms"), ms);
        run.points.append(p);
    }
    RunStore(library).insert(run);
}

} // namespace

class TestClaimsSection : public QObject {
    Q_OBJECT
private slots:
    void showsClaimsAndWhetherTheyReproduce_data()
    {
        QTest::addColumn<double>("sageMs");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("reproduced") << 10.0 << "measured 2× on NVIDIA H200 (seq_len 16384): reproduced";
        QTest::newRow("not reproduced") << 14.0 << "measured 1.43× on NVIDIA H200 (seq_len 16384): not reproduced";
    }

    void showsClaimsAndWhetherTheyReproduce()
    {
        QFETCH(double, sageMs);
        QFETCH(QString, verdict);
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("lib"));
        QDir().mkpath(root + QStringLiteral("/meta/2024"));
        QFile f(root + QStringLiteral("/meta/2024/SageAttention.prototxt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(testing::kSageAttentionPrototxt);
        f.close();
        const QString db = dir.filePath(QStringLiteral("index.sqlite"));
        Library library(db);
        library.importPaths({root});
        auto paper = library.paperByKey(QStringLiteral("SageAttention"));
        QVERIFY(paper);
        storeRun(library, paper->id, sageMs);

        LibraryWriter writer(db);
        ClaimsSection section(&library, &writer);
        section.resize(700, 400);
        section.show();
        section.showPaper(&*paper);
        QVERIFY2(section.shownText().contains(QStringLiteral("claims 2.1× over FlashAttention2 on RTX 4090")),
                 qPrintable(section.shownText()));
        QVERIFY2(section.shownText().contains(verdict), qPrintable(section.shownText()));
        QVERIFY(section.editButton()->isEnabled());

        // An edit lands in the index and in the paper's own prototxt, and the tab shows it.
        Claim edited = paper->claims.first();
        edited.value = 1.4;
        section.saveClaims({edited});
        QVERIFY(writer.waitForIdle());
        QCOMPARE(writer.failedCount(), 0);
        QCOMPARE(library.claims(paper->id), QList<Claim>{edited});
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("value: 1.4\n"));
        QVERIFY(section.shownText().contains(QStringLiteral("claims 1.4×")));
        QVERIFY(section.shownText().contains(QStringLiteral(": reproduced")));

        section.showPaper(nullptr);
        QVERIFY(!section.editButton()->isEnabled());
    }

    void dialogNamesTheBadRow()
    {
        Claim c;
        c.metric = QStringLiteral("speedup");
        c.value = 2;
        c.quote = QStringLiteral("2x faster");
        ClaimsDialog dialog(QStringLiteral("T"), {c});
        dialog.table()->item(0, 1)->setText(QStringLiteral("fast"));
        QList<Claim> rows;
        QString error;
        QVERIFY(!dialog.readRows(rows, error));
        QVERIFY2(error.contains(QStringLiteral("Claim 1")) && error.contains(QStringLiteral("'fast'")),
                 qPrintable(error));
        dialog.table()->item(0, 1)->setText(QStringLiteral("1.5-2.0"));
        QVERIFY(dialog.readRows(rows, error));
        QCOMPARE(rows.first().value, 1.5);
        QCOMPARE(rows.first().valueMax, 2.0);
    }
};

QTEST_MAIN(TestClaimsSection)
#include "tst_claimssection.moc"
