#include "core/registry.h"

#include "attention/attention_kernels.h"

namespace paperlab::kernels {

const std::vector<KernelSpec>& allKernels()
{
    static const std::vector<KernelSpec> kernels = {
        makeFlashAttentionSpec(),
        makeFlashDecodingSpec(),
    };
    return kernels;
}

const KernelSpec* findKernel(const std::string& id)
{
    for (const auto& k : allKernels())
        if (k.id == id)
            return &k;
    return nullptr;
}

}  // namespace paperlab::kernels
