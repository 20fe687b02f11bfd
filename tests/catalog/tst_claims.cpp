// A paper's claims (PaperInfo.claims, field 106): read from its prototxt by protobuf's own
// parser, stored in a real SQLite index (schema version 4), written back unchanged by the
// exporter and by the editor (only the claims fields of the file change), and left alone
// by a reader whose schema has no field 106.

#include "../claimfixtures.h"
#include "claimproto.h"
#include "exporters/efficientpaperwriter.h"
#include "importers/importers.h"
#include "library.h"
#include "paper.pb.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>

using namespace paperlab;
using paperlab::testing::kSageAttentionPrototxt;
using paperlab::testing::readAll;
using paperlab::testing::sageAttentionClaim;
using paperlab::testing::writeText;

namespace {

// SageAttention's abstract: a claim with every field, a range without a kernel, and a
// field a fork of the schema added (kept as it was).
const QByteArray kClaimedPaper = kSageAttentionPrototxt + "claims {\n"
                                                          "  metric: \"speedup\"\n"
                                                          "  baseline: \"xformers\"\n"
                                                          "  value: 2.7\n"
                                                          "  value_max: 2.9\n"
                                                          "  unit: \"×\"\n"
                                                          "  quote: \"surpasses xformers by about 2.7 times\"\n"
                                                          "}\n"
                                                          "some_field_a_fork_added: 7\n";

Claim sageClaim()
{
    return sageAttentionClaim();
}

Claim rangeClaim()
{
    Claim c;
    c.metric = QStringLiteral("speedup");
    c.baseline = QStringLiteral("xformers");
    c.value = 2.7;
    c.valueMax = 2.9;
    c.unit = QStringLiteral("×");
    c.quote = QStringLiteral("surpasses xformers by about 2.7 times");
    return c;
}

} // namespace

class TestClaims : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    QString writeLibrary(const QString &name, const QByteArray &prototxt)
    {
        const QString root = m_tmp.filePath(name);
        writeText(root + QStringLiteral("/meta/2024/SageAttention.prototxt"), prototxt);
        return root;
    }

private slots:
    void protoRoundTrip()
    {
        // Claims -> text -> protobuf's parser -> claims: every field survives.
        const QList<Claim> claims = {sageClaim(), rangeClaim()};
        const QString text = QStringLiteral("paper {\n  title: \"T\"\n}\n") + claimsText(claims);
        const ImportBatch b = parsePrototxt(text, QStringLiteral("x/2024/T.prototxt"));
        QVERIFY(b.diagnostics.isEmpty());
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers.first().claims, claims);
        // The binary wire form too (what an old reader sees of field 106).
        efficient_paper::PaperInfo info;
        for (const Claim &c : claims)
            claimToProto(c, info.add_claims());
        efficient_paper::PaperInfo back;
        QVERIFY(back.ParseFromString(info.SerializeAsString()));
        QCOMPARE(claimFromProto(back.claims(1)), rangeClaim());
    }

    void importStoresAndExportWritesBack()
    {
        const QString root = writeLibrary(QStringLiteral("lib"), kClaimedPaper);
        const QString db = m_tmp.filePath(QStringLiteral("export.sqlite"));
        {
            Library lib(db);
            const ImportReport r = lib.importPaths({root});
            QCOMPARE(r.added, 1);
            QCOMPARE(r.errors(), 0);
            const auto p = lib.paperByKey(QStringLiteral("SageAttention"));
            QVERIFY(p);
            QCOMPARE(p->claims, (QList<Claim>{sageClaim(), rangeClaim()}));
            QCOMPARE(lib.claimsForKernel(QStringLiteral("sage_attention")).size(), 1);
            QCOMPARE(lib.claimsForKernel(QStringLiteral("sage_attention")).first().second, sageClaim());
        }
        // A second connection reads them from the file: they are stored, not cached.
        Library lib(db);
        const QString out = m_tmp.filePath(QStringLiteral("exported"));
        const WriteReport w = writeEfficientPaperFolder(lib.allPapers(), out);
        QVERIFY(w.errors.isEmpty());
        const QByteArray written = readAll(out + QStringLiteral("/meta/2024/SageAttention.prototxt"));
        // The claims blocks go out as they came in, byte for byte, and the fork's field too.
        const QByteArray claimsIn = kClaimedPaper.mid(
            kClaimedPaper.indexOf("claims {"), kClaimedPaper.indexOf("some_field") - kClaimedPaper.indexOf("claims {"));
        QVERIFY2(written.contains(claimsIn), written.constData());
        QVERIFY(written.contains("some_field_a_fork_added: 7"));
        const ImportBatch again = parseEfficientPaperFolder(out);
        QCOMPARE(again.papers.size(), 1);
        QCOMPARE(again.papers.first().claims, (QList<Claim>{sageClaim(), rangeClaim()}));
    }

    void reimportReplacesClaims()
    {
        // The file is what the claims are: a claim removed from it goes from the index.
        const QString root = writeLibrary(QStringLiteral("reimport"), kClaimedPaper);
        Library lib(m_tmp.filePath(QStringLiteral("reimport.sqlite")));
        lib.importPaths({root});
        QByteArray fewer = kClaimedPaper;
        fewer.remove(fewer.indexOf("claims {\n  metric: \"speedup\"\n  baseline: \"xformers\""),
                     fewer.indexOf("some_field") -
                         fewer.indexOf("claims {\n  metric: \"speedup\"\n  baseline: \"xformers\""));
        writeText(root + QStringLiteral("/meta/2024/SageAttention.prototxt"), fewer);
        lib.importPaths({root});
        QCOMPARE(lib.paperByKey(QStringLiteral("SageAttention"))->claims, QList<Claim>{sageClaim()});
    }

    void badClaimIsWarnedAndKept_data()
    {
        QTest::addColumn<QByteArray>("claim");
        QTest::addColumn<QString>("message");
        QTest::newRow("no value") << QByteArray("claims {\n  metric: \"speedup\"\n  quote: \"faster\"\n}\n")
                                  << QStringLiteral("no value");
        QTest::newRow("unknown metric") << QByteArray("claims {\n  metric: \"fast\"\n  value: 2\n  quote: \"q\"\n}\n")
                                        << QStringLiteral("metric 'fast' is not one of");
        QTest::newRow("no quote") << QByteArray("claims {\n  metric: \"speedup\"\n  value: 2\n}\n")
                                  << QStringLiteral("no quote");
        QTest::newRow("speedup without baseline variant")
            << QByteArray("claims {\n  metric: \"speedup\"\n  value: 2\n  quote: \"q\"\n  kernel: \"k\"\n  variant: "
                          "\"v\"\n}\n")
            << QStringLiteral("baseline_variant");
    }

    void badClaimIsWarnedAndKept()
    {
        QFETCH(QByteArray, claim);
        QFETCH(QString, message);
        const QByteArray text = "paper {\n  title: \"T\"\n}\n" + claim;
        const ImportBatch b = parsePrototxt(QString::fromUtf8(text), QStringLiteral("lib/meta/2024/T.prototxt"));
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers.first().claims.size(), 1); // kept, to be fixed in the editor
        QCOMPARE(b.warningCount(), 1);
        const Diagnostic &d = b.diagnostics.first();
        QCOMPARE(d.file, QStringLiteral("lib/meta/2024/T.prototxt"));
        QCOMPARE(d.line, 4); // the line of its claims block
        QVERIFY2(d.message.contains(message), qPrintable(d.message));
    }

    void editorRewritesOnlyTheClaims()
    {
        const QString root = writeLibrary(QStringLiteral("edit"), kClaimedPaper);
        Library lib(m_tmp.filePath(QStringLiteral("edit.sqlite")));
        lib.importPaths({root});
        const qint64 id = lib.paperByKey(QStringLiteral("SageAttention"))->id;
        Claim changed = sageClaim();
        changed.value = 2.0;
        const QString file = lib.setClaims(id, {changed});
        QCOMPARE(file, QDir(root).filePath(QStringLiteral("meta/2024/SageAttention.prototxt")));
        QCOMPARE(lib.claims(id), QList<Claim>{changed});
        const QByteArray text = readAll(file);
        // Everything before the claims and the fork's field after them is as it was.
        QVERIFY(text.startsWith(kClaimedPaper.left(kClaimedPaper.indexOf("claims {"))));
        QVERIFY(text.endsWith("some_field_a_fork_added: 7\n"));
        QVERIFY(text.contains("  value: 2\n"));
        QVERIFY(!text.contains("xformers"));
        // What the editor wrote reads back the same.
        lib.importPaths({root});
        QCOMPARE(lib.claims(id), QList<Claim>{changed});
        // No claims left: the file has none either.
        lib.setClaims(id, {});
        QVERIFY(!readAll(file).contains("claims"));
        QVERIFY(lib.claims(id).isEmpty());
    }

    void editorRefusesToLoseClaimsWhenTheFileCannotBeWritten()
    {
        const QString root = writeLibrary(QStringLiteral("unwritable"), kClaimedPaper);
        Library lib(m_tmp.filePath(QStringLiteral("unwritable.sqlite")));
        lib.importPaths({root});
        const qint64 id = lib.paperByKey(QStringLiteral("SageAttention"))->id;
        // A folder where the file was: no write can replace it (not even root's).
        const QString file = root + QStringLiteral("/meta/2024/SageAttention.prototxt");
        QVERIFY(QFile::remove(file));
        QVERIFY(QDir().mkpath(file + QStringLiteral("/inside")));
        try {
            lib.setClaims(id, {});
            QFAIL("setClaims wrote over a folder");
        } catch (const LibraryError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("SageAttention")), qPrintable(e.message()));
        }
        QCOMPARE(lib.claims(id).size(), 2);
    }

    void oldReaderKeepsField106()
    {
        // A reader built from paper.proto without field 106 (PaperLab before claims, or
        // EfficientPaper's own tools) keeps the claims as unknown fields and writes them back.
        google::protobuf::FileDescriptorProto file;
        efficient_paper::PaperInfo::descriptor()->file()->CopyTo(&file);
        for (auto &m : *file.mutable_message_type()) {
            if (m.name() != "PaperInfo")
                continue;
            for (int i = 0; i < m.field_size(); ++i)
                if (m.field(i).number() == 106)
                    m.mutable_field()->DeleteSubrange(i, 1);
        }
        google::protobuf::DescriptorPool pool;
        const google::protobuf::FileDescriptor *old = pool.BuildFile(file);
        QVERIFY(old);
        const google::protobuf::Descriptor *oldInfo = old->FindMessageTypeByName("PaperInfo");
        QVERIFY(oldInfo && !oldInfo->FindFieldByName("claims"));
        google::protobuf::DynamicMessageFactory factory(&pool);
        std::unique_ptr<google::protobuf::Message> m(factory.GetPrototype(oldInfo)->New());
        efficient_paper::PaperInfo info;
        info.mutable_paper()->set_title("T");
        claimToProto(sageClaim(), info.add_claims());
        QVERIFY(m->ParseFromString(info.SerializeAsString()));
        efficient_paper::PaperInfo back;
        QVERIFY(back.ParseFromString(m->SerializeAsString()));
        QCOMPARE(back.claims_size(), 1);
        QCOMPARE(claimFromProto(back.claims(0)), sageClaim());
    }

    void summaryReadsAsTheIssueSays()
    {
        QCOMPARE(claimSummary(sageClaim()), QStringLiteral("claims 2.1× over FlashAttention2 on RTX 4090"));
        QCOMPARE(claimFigure(rangeClaim()), QStringLiteral("2.7–2.9×"));
        Claim c;
        QVERIFY(parseClaimValue(QStringLiteral("1.5-2.0"), c));
        QCOMPARE(c.value, 1.5);
        QCOMPARE(c.valueMax, 2.0);
        QVERIFY(!parseClaimValue(QStringLiteral("fast"), c));
        QVERIFY(!parseClaimValue(QStringLiteral("2-1"), c));
    }
};

QTEST_GUILESS_MAIN(TestClaims)
#include "tst_claims.moc"
