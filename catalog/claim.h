#pragma once
// A paper's claim ("2.1× over FlashAttention-2 on RTX 4090") and how PaperLab measures it:
// stored in the paper's prototxt (PaperInfo.claims, field 106), in the index (paper_claims)
// and checked against the playground's stored runs (playground/claimcheck.h).

#include <QList>
#include <QString>
#include <QStringList>

namespace paperlab {

struct Claim {
    QString metric;          // "speedup", "throughput", "memory", "accuracy"
    QString baseline;        // as the paper names it ("FlashAttention-2")
    double value = 0;        // the figure claimed; for a range its low end
    double valueMax = 0;     // the high end of a range; 0: not a range
    QString unit;            // "×", "TFLOP/s", "%"
    QString setting;         // the shape or setting, as the paper states it
    QString hardware;        // the GPU the paper measured on
    QString quote;           // the sentence the figure comes from, verbatim
    QString location;        // "abstract", "Table 3", "README"
    QString kernel;          // PaperLab kernel id that measures it; empty: not measured here
    QString variant;         // our variant standing for the paper's method
    QString baselineVariant; // our variant standing for the baseline; empty for throughput
    QString sweepParam;      // the parameter the claim's shape is read on ("seq_len")
    double at = 0;           // its value in the claim's shape; 0: the largest measured
    QStringList params;      // "policy=quest": only runs with these settings count
    QString baselineKernel;  // the kernel of baselineVariant when not `kernel`; empty: the same

    bool operator==(const Claim &) const = default;
};

// The metrics a claim may have, in the order the editor offers them.
const QStringList &claimMetrics();

// "2.1×", "1.5–2.0×", "740 TFLOP/s": the claimed figure with its unit.
QString claimFigure(const Claim &c);
// "claims 2.1× over FlashAttention-2 on RTX 4090" (the parts the claim has).
QString claimSummary(const Claim &c);
// "2.1" or "1.5-2.0": the value as typed in the editor; parseClaimValue reads it back.
QString claimValueText(const Claim &c);
bool parseClaimValue(const QString &text, Claim &c);

// What is wrong with a claim ("no value", "metric 'fast' is not one of ..."); empty: nothing.
QStringList claimProblems(const Claim &c);

// "policy=quest" -> ("policy", "quest"); false when the text has no '='.
bool splitClaimParam(const QString &text, QString &name, QString &value);

} // namespace paperlab
