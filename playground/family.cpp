#include "family.h"

#include "paperreference.h"
#include "textnormalize.h"

#include <algorithm>

namespace paperlab::playground {

namespace {

// The registry has no family field, so the playground keeps this small table. Kernels not
// listed fall back to what their id says (see kernelFamilies).
struct KernelFamilies {
    const char *kernelId;
    QStringList families;
};

const QList<KernelFamilies> &knownKernels()
{
    static const QList<KernelFamilies> table = {
        {"flash_attention", {QStringLiteral("attention")}},
        {"flash_decoding", {QStringLiteral("attention"), QStringLiteral("kv_cache")}},
        // A quantized KV cache read by decode attention: a KV-cache paper's and a quantization paper's kernel.
        {"kv_quant_decode", {QStringLiteral("kv_cache"), QStringLiteral("quantization")}},
        // INT8 QK^T: quantization first, but still an attention forward.
        {"sage_attention", {QStringLiteral("quantization"), QStringLiteral("attention")}},
        // Not "attention": a dense-attention paper should not be offered MoBA/XAttention as related.
        {"block_sparse_attention", {QStringLiteral("sparse_attention")}},
        // Token selection in front of a sparse decode: a KV-cache compression paper's kernel first,
        // and a sparse-attention one (Quest, Double Sparsity are both).
        {"kv_select_decode", {QStringLiteral("kv_cache"), QStringLiteral("sparse_attention")}},
    };
    return table;
}

struct TopicFamily {
    const char *topicKey;
    const char *family;
};

// Topic keys (catalog topicKey()) -> the family whose kernels are related to them.
constexpr TopicFamily kTopicFamilies[] = {
    {"attention_sparsity", "sparse_attention"},
    {"sparse_attention", "sparse_attention"},
    {"kv_cache", "kv_cache"},
    {"kv_cache_compression", "kv_cache"},
    {"prefill_decoding", "kv_cache"},
    {"long_context", "kv_cache"},
    {"quantization", "quantization"},
    {"kv_cache_quantization", "quantization"},
    {"attention", "attention"},
    {"linear_attention", "attention"},
    {"kernel", "attention"},
};

} // namespace

QStringList kernelFamilies(const KernelInfo &kernel)
{
    for (const KernelFamilies &k : knownKernels())
        if (kernel.id == QLatin1String(k.kernelId))
            return k.families;
    QStringList out;
    const QString id = kernel.id.toLower();
    if (id.contains(QLatin1String("sparse")))
        out << QStringLiteral("sparse_attention");
    if (id.contains(QLatin1String("decod")) || id.contains(QLatin1String("kv")))
        out << QStringLiteral("kv_cache");
    if (id.contains(QLatin1String("quant")) || id.contains(QLatin1String("int8")) || id.contains(QLatin1String("fp8")))
        out << QStringLiteral("quantization");
    if (id.contains(QLatin1String("attention")))
        out << QStringLiteral("attention");
    return out;
}

QStringList topicFamilies(const QString &topic)
{
    const QString key = topicKey(topic);
    QStringList out;
    for (const TopicFamily &t : kTopicFamilies)
        if (key == QLatin1String(t.topicKey))
            out << QString::fromLatin1(t.family);
    return out;
}

QList<PaperKernel> kernelsForPaper(const Paper &paper, const QList<KernelInfo> &kernels)
{
    const auto names = [&paper](const QStringList &refs) {
        return std::any_of(refs.cbegin(), refs.cend(), [&paper](const QString &ref) {
            return PaperReference::parse(ref).refersTo(paper.arxivId, paper.title, paper.abbr, paper.key);
        });
    };
    const QString name = paper.abbr.isEmpty() ? paper.key : paper.abbr;
    QList<PaperKernel> out;
    for (const KernelInfo &k : kernels) {
        if (names(k.paperKeys)) {
            out << PaperKernel{k.id, true, QStringLiteral("%1 → %2").arg(name, k.id), QString()};
            continue;
        }
        // A paper whose method is one variant of a kernel (FlashAttention-3 is flash_tma, not
        // FlashAttention-2's flash): its own kernel, opened on that variant.
        for (const VariantInfo &v : k.variants)
            if (names(v.paperKeys)) {
                out << PaperKernel{k.id, true, QStringLiteral("%1 → %2, variant %3").arg(name, k.id, v.id), v.id};
                break;
            }
    }
    for (const QString &topic : paper.topicList) {
        for (const QString &family : topicFamilies(topic)) {
            for (const KernelInfo &k : kernels) {
                const bool listed =
                    std::any_of(out.cbegin(), out.cend(), [&](const PaperKernel &p) { return p.kernelId == k.id; });
                if (!listed && kernelFamilies(k).contains(family))
                    out << PaperKernel{k.id, false, QStringLiteral("related through the topic \"%1\"").arg(topic),
                                       QString()};
            }
        }
    }
    return out;
}

} // namespace paperlab::playground
