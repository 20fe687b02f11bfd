// Kernels name their papers by arXiv id and title, not by the bundled library's keys: a
// library that keys FlashAttention-2 "FA2" (or holds FlashAttention under its title alone)
// still gets their kernel, the Kernels window lists the papers it found, and a paper that
// only shares a short name with a kernel's paper (another arXiv id) gets nothing. A paper
// whose method is one variant of a kernel (FlashAttention-3: flash_tma) gets that kernel as
// its own, opened on the variant.

#include "family.h"
#include "kernelpicker.h"
#include "kernelsoverview.h"
#include "library.h"
#include "playgroundentry.h"
#include "playgroundwidget.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidgetItem>

#include <memory>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestKernelPapers : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Library> m_library;

    qint64 idOf(const QString &key) { return m_library->paperByKey(key)->id; }

private slots:
    // An EfficientPaper library of someone else's: its own keys, one paper without a url.
    void initTestCase()
    {
        const QString root = m_tmp.filePath(QStringLiteral("library"));
        writeFile(
            root + QStringLiteral("/meta/2024/FA2.prototxt"),
            "paper {\n  title: \"FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning\"\n"
            "  abbr: \"FA2\"\n  url: \"http://arxiv.org/abs/2307.08691v1\"\n}\npub {\n  where: \"ICLR\"\n  year: "
            "2024\n}\n");
        writeFile(
            root + QStringLiteral("/meta/2022/flash-attn-v1.prototxt"),
            "paper {\n  title: \"FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness\"\n}\n"
            "pub {\n  where: \"NeurIPS\"\n  year: 2022\n}\n");
        writeFile(root + QStringLiteral("/meta/2025/XAttention.prototxt"),
                  "paper {\n  title: \"XAttention: Cross-Attention for Something Else\"\n  abbr: \"XAttention\"\n"
                  "  url: \"http://arxiv.org/abs/2501.01234\"\n}\n");
        m_library = std::make_unique<Library>(m_tmp.filePath(QStringLiteral("other.sqlite")));
        const ImportReport rep = m_library->importPaths({root});
        QCOMPARE(rep.added, 3);
    }

    void ownKernelFoundByIdentity_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("ownKernel"); // empty: none of its own
        QTest::newRow("keyed FA2, by arXiv id") << "FA2"
                                                << "flash_attention";
        QTest::newRow("no url, by title") << "flash-attn-v1"
                                          << "flash_attention";
        QTest::newRow("same short name, other arXiv id") << "XAttention" << QString();
    }

    void ownKernelFoundByIdentity()
    {
        QFETCH(QString, key);
        QFETCH(QString, ownKernel);
        const auto paper = m_library->paperByKey(key);
        QVERIFY(paper);
        QStringList own;
        for (const PaperKernel &k : kernelsForPaper(*paper))
            if (k.own)
                own << k.kernelId;
        QCOMPARE(own, ownKernel.isEmpty() ? QStringList() : QStringList{ownKernel});
    }

    // The Kernels window: FlashAttention's kernel lists both papers (by their titles, and
    // opening one opens this library's paper); XAttention's lists its paper as missing.
    void kernelsWindowListsThePapersFound()
    {
        std::unique_ptr<KernelsOverview> view(createKernelsOverview(*m_library));
        QTreeWidgetItem *fa = nullptr, *sparse = nullptr;
        for (int i = 0; i < view->topLevelItemCount(); ++i) {
            const QString id = view->topLevelItem(i)->data(0, Qt::UserRole + 1).toString();
            if (id == u"flash_attention")
                fa = view->topLevelItem(i);
            if (id == u"block_sparse_attention")
                sparse = view->topLevelItem(i);
        }
        QVERIFY(fa && sparse);
        // FlashAttention, FlashAttention-2, then the variants' papers: flash_tma's FlashAttention-3
        // and the FlashInfer baseline's (neither is in this library).
        QCOMPARE(fa->childCount(), 4);
        QVERIFY2(fa->child(2)->text(0).contains(QLatin1String("2407.08608")), qPrintable(fa->child(2)->text(0)));
        QVERIFY2(fa->child(2)->text(0).contains(QLatin1String("variant flash_tma")), qPrintable(fa->child(2)->text(0)));
        QVERIFY2(fa->child(3)->text(0).contains(QLatin1String("2501.01005")), qPrintable(fa->child(3)->text(0)));
        QCOMPARE(fa->child(0)->data(0, Qt::UserRole).toLongLong(), idOf(QStringLiteral("flash-attn-v1")));
        QCOMPARE(fa->child(1)->data(0, Qt::UserRole).toLongLong(), idOf(QStringLiteral("FA2")));
        QVERIFY(fa->child(1)->text(0).startsWith(QLatin1String("FlashAttention-2:")));
        for (int i = 0; i < sparse->childCount(); ++i) {
            QVERIFY2(sparse->child(i)->text(0).contains(QLatin1String("not in this library")),
                     qPrintable(sparse->child(i)->text(0)));
            QCOMPARE(sparse->child(i)->data(0, Qt::UserRole).toLongLong(), 0);
        }
    }

    // In the window's own size the variants and venues column is on screen, not pushed out
    // by the longest title; a title cut short keeps its whole text in the tooltip.
    void kernelsWindowShowsBothColumns()
    {
        std::unique_ptr<KernelsOverview> view(createKernelsOverview(*m_library));
        view->resize(720, 480);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        const int second = view->header()->sectionViewportPosition(1);
        QVERIFY2(
            view->viewport()->width() - second >= 200,
            qPrintable(
                QStringLiteral("the second column starts at %1 of %2 px").arg(second).arg(view->viewport()->width())));
        const QTreeWidgetItem *fa2 = view->topLevelItem(0)->child(1);
        QVERIFY(fa2->toolTip(0).startsWith(QLatin1String("FlashAttention-2:")));
    }

    // The bundled library: FlashAttention-3 is flash_attention's flash_tma variant (its own
    // kernel, no longer "related" through its topic), and its playground opens on it.
    void variantNamesItsPaper()
    {
        QTemporaryDir dir;
        Library bundled(dir.filePath(QStringLiteral("bundled.sqlite")));
        QVERIFY(bundled.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)}).added > 0);
        const auto fa3 = bundled.paperByKey(QStringLiteral("FlashAttention-3"));
        QVERIFY(fa3);
        const QList<PaperKernel> kernels = kernelsForPaper(*fa3);
        QVERIFY(!kernels.isEmpty());
        QCOMPARE(kernels.first().kernelId, QStringLiteral("flash_attention"));
        QVERIFY(kernels.first().own);
        QCOMPARE(kernels.first().variant, QStringLiteral("flash_tma"));
        QCOMPARE(kernels.first().reason, QStringLiteral("FlashAttention-3 → flash_attention, variant flash_tma"));

        std::unique_ptr<PlaygroundWidget> page(createPaperPlayground(bundled, *fa3));
        auto *picker = page->findChild<KernelPicker *>();
        QVERIFY(picker);
        QCOMPARE(picker->kernelId(), QStringLiteral("flash_attention"));
        QVERIFY2(picker->note().contains(QStringLiteral("FlashAttention-3 → flash_attention, variant flash_tma")),
                 qPrintable(picker->note()));
        QVERIFY2(!picker->note().contains(QLatin1String("Related")), qPrintable(picker->note()));
        auto *tma = page->findChild<QCheckBox *>(QStringLiteral("variant_flash_tma"));
        QVERIFY(tma);
        QVERIFY(tma->isChecked());

        // FlashAttention-2 stays the kernel's own paper as a whole, with no variant picked.
        const auto fa2 = bundled.paperByKey(QStringLiteral("flashattention2"));
        QVERIFY(fa2);
        const QList<PaperKernel> fa2Kernels = kernelsForPaper(*fa2);
        QVERIFY(!fa2Kernels.isEmpty());
        QCOMPARE(fa2Kernels.first().kernelId, QStringLiteral("flash_attention"));
        QVERIFY(fa2Kernels.first().variant.isEmpty());
    }
};

QTEST_MAIN(TestKernelPapers)
#include "tst_kernelpapers.moc"
