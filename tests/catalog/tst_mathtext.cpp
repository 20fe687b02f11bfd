// Inline TeX in titles shown as plain Unicode text (mathAsUnicode): the catalog's own
// titles, the constructs papers use in titles, ASCII exponents in kernel names (QK^T), and
// what must stay as written.

#include "mathtext.h"

#include <QTest>

using namespace paperlab;

class TestMathText : public QObject {
    Q_OBJECT
private slots:
    void unicode_data()
    {
        QTest::addColumn<QString>("tex");
        QTest::addColumn<QString>("plain");
        // The two titles of the bundled library that hold math.
        QTest::newRow("H2O") << QStringLiteral("H$_2$O: Heavy-Hitter Oracle for Efficient Generative Inference")
                             << QStringLiteral("H₂O: Heavy-Hitter Oracle for Efficient Generative Inference");
        QTest::newRow("radial") << QStringLiteral("Radial Attention: $O(n\\log n)$ Sparse Attention")
                                << QStringLiteral("Radial Attention: O(n log n) Sparse Attention");
        QTest::newRow("spaced log") << QStringLiteral("$O(n \\log n)$") << QStringLiteral("O(n log n)");
        QTest::newRow("log first") << QStringLiteral("$\\log n$ steps") << QStringLiteral("log n steps");
        QTest::newRow("superscript") << QStringLiteral("Q$^2$-Attention") << QStringLiteral("Q²-Attention");
        QTest::newRow("times") << QStringLiteral("$4\\times$ faster") << QStringLiteral("4× faster");
        QTest::newRow("grouped exponent") << QStringLiteral("$2\\times 10^{-3}$") << QStringLiteral("2×10⁻³");
        QTest::newRow("greek") << QStringLiteral("$\\alpha$-sparse") << QStringLiteral("α-sparse");
        QTest::newRow("grouped subscripts") << QStringLiteral("$W_{4}A_{8}$") << QStringLiteral("W₄A₈");
        QTest::newRow("font command") << QStringLiteral("$\\mathrm{FP8}$ cache") << QStringLiteral("FP8 cache");
        QTest::newRow("sqrt") << QStringLiteral("$1/\\sqrt{d}$") << QStringLiteral("1/√d");
        QTest::newRow("relation") << QStringLiteral("$k \\leq 8$") << QStringLiteral("k ≤ 8");
        // No Unicode subscript b: as written, so nothing is lost.
        QTest::newRow("no subscript form") << QStringLiteral("$x_b$") << QStringLiteral("x_b");
        QTest::newRow("group without form") << QStringLiteral("$x_{bc}$") << QStringLiteral("x_{bc}");
        QTest::newRow("unknown command") << QStringLiteral("$\\foo x$") << QStringLiteral("\\foo x");
        QTest::newRow("unclosed group") << QStringLiteral("$x^{2$") << QStringLiteral("x²");
        QTest::newRow("backslash at end") << QStringLiteral("$x\\$ y") << QStringLiteral("$x$ y");
        // ASCII math outside $…$, as kernel names, descriptions and metric labels write it.
        QTest::newRow("kernel name") << QStringLiteral("SageAttention (INT8 QK^T)")
                                     << QStringLiteral("SageAttention (INT8 QKᵀ)");
        QTest::newRow("description") << QStringLiteral("softmax(QK^T/sqrt(d))V, V^T tiles")
                                     << QStringLiteral("softmax(QKᵀ/sqrt(d))V, Vᵀ tiles");
        QTest::newRow("after a bracket") << QStringLiteral("(p*scale)^T") << QStringLiteral("(p*scale)ᵀ");
        QTest::newRow("digits then a letter")
            << QStringLiteral("Throughput (4bhs^2d)") << QStringLiteral("Throughput (4bhs²d)");
        QTest::newRow("signed exponent") << QStringLiteral("within 10^-3") << QStringLiteral("within 10⁻³");
        QTest::newRow("grouped ascii exponent") << QStringLiteral("x^{n+1} steps") << QStringLiteral("xⁿ⁺¹ steps");
        QTest::newRow("tex and ascii") << QStringLiteral("H$_2$O keeps QK^T") << QStringLiteral("H₂O keeps QKᵀ");
        // Carets that are not exponents, or have no superscript form: as written.
        QTest::newRow("word after caret") << QStringLiteral("x^Tab") << QStringLiteral("x^Tab");
        QTest::newRow("spaced caret") << QStringLiteral("a ^ b") << QStringLiteral("a ^ b");
        QTest::newRow("caret first") << QStringLiteral("^T") << QStringLiteral("^T");
        QTest::newRow("caret last") << QStringLiteral("x^") << QStringLiteral("x^");
        QTest::newRow("no superscript form") << QStringLiteral("2^q and K^Q") << QStringLiteral("2^q and K^Q");
        QTest::newRow("unclosed ascii group") << QStringLiteral("x^{2") << QStringLiteral("x^{2");
        // Not math.
        QTest::newRow("prices") << QStringLiteral("from $5 to $10") << QStringLiteral("from $5 to $10");
        QTest::newRow("escaped dollar") << QStringLiteral("costs \\$5") << QStringLiteral("costs $5");
        QTest::newRow("plain") << QStringLiteral("FlashAttention-2: Faster Attention")
                               << QStringLiteral("FlashAttention-2: Faster Attention");
        QTest::newRow("underscore outside math") << QStringLiteral("kv_cache $") << QStringLiteral("kv_cache $");
    }
    void unicode()
    {
        QFETCH(QString, tex);
        QFETCH(QString, plain);
        QCOMPARE(mathAsUnicode(tex), plain);
    }
};

QTEST_GUILESS_MAIN(TestMathText)
#include "tst_mathtext.moc"
