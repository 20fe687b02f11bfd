#pragma once
// SageAttention's claim from its abstract ("surpasses FlashAttention2 by about 2.1 times"),
// as the claim tests of the catalog, the playground and the app share it: the value and
// the same claim as prototxt text.

#include "claim.h"

#include <QByteArray>

namespace paperlab::testing {

inline Claim sageAttentionClaim()
{
    Claim c;
    c.metric = QStringLiteral("speedup");
    c.baseline = QStringLiteral("FlashAttention2");
    c.value = 2.1;
    c.unit = QStringLiteral("×");
    c.hardware = QStringLiteral("RTX 4090");
    c.quote = QStringLiteral("The OPS of SageAttention surpasses FlashAttention2 by about 2.1 times.");
    c.location = QStringLiteral("abstract");
    c.kernel = QStringLiteral("sage_attention");
    c.variant = QStringLiteral("sage");
    c.baselineVariant = QStringLiteral("torch_flash");
    c.sweepParam = QStringLiteral("seq_len");
    c.at = 16384;
    c.params = {QStringLiteral("head_dim=128")};
    return c;
}

// sageAttentionClaim() as the exporter writes it.
inline const QByteArray kSageAttentionClaimText =
    "claims {\n"
    "  metric: \"speedup\"\n"
    "  baseline: \"FlashAttention2\"\n"
    "  value: 2.1\n"
    "  unit: \"×\"\n"
    "  hardware: \"RTX 4090\"\n"
    "  quote: \"The OPS of SageAttention surpasses FlashAttention2 by about 2.1 times.\"\n"
    "  location: \"abstract\"\n"
    "  kernel: \"sage_attention\"\n"
    "  variant: \"sage\"\n"
    "  baseline_variant: \"torch_flash\"\n"
    "  sweep_param: \"seq_len\"\n"
    "  at: 16384\n"
    "  params: \"head_dim=128\"\n"
    "}\n";

// The paper's prototxt with that one claim.
inline const QByteArray kSageAttentionPrototxt =
    "paper {\n"
    "  title: \"SageAttention: Accurate 8-Bit Attention for Plug-and-play Inference Acceleration\"\n"
    "  abbr: \"SageAttention\"\n"
    "}\n"
    "pub {\n"
    "  year: 2024\n"
    "}\n" +
    kSageAttentionClaimText;

} // namespace paperlab::testing
