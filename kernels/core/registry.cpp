#include "core/registry.h"

#include "attention/attention_kernels.h"
#include "kvquant/kvquant_kernels.h"
#include "kvselect/kvselect_kernels.h"
#include "sage/sage_kernels.h"
#include "sparse/sparse_kernels.h"

namespace paperlab::kernels {

const std::vector<KernelSpec> &allKernels()
{
    static const std::vector<KernelSpec> kernels = {
        makeFlashAttentionSpec(), makeFlashDecodingSpec(), makeSageAttentionSpec(),
        makeKvQuantSpec(),        makeBlockSparseSpec(),   makeKvSelectSpec(),
    };
    return kernels;
}

const KernelSpec *findKernel(const std::string &id)
{
    for (const auto &k : allKernels())
        if (k.id == id)
            return &k;
    return nullptr;
}

} // namespace paperlab::kernels
