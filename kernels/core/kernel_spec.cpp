#include "core/kernel_spec.h"

namespace paperlab::kernels {

const ParamSpec *KernelSpec::findParam(const std::string &name) const
{
    for (const auto &p : params)
        if (p.name == name)
            return &p;
    return nullptr;
}

const VariantSpec *KernelSpec::findVariant(const std::string &variantId) const
{
    for (const auto &v : variants)
        if (v.id == variantId)
            return &v;
    return nullptr;
}

const char *paramTypeName(ParamType type)
{
    switch (type) {
    case ParamType::Int:
        return "int";
    case ParamType::Float:
        return "float";
    case ParamType::Bool:
        return "bool";
    case ParamType::Choice:
        return "choice";
    }
    return "?";
}

const char *deviceKindName(DeviceKind kind)
{
    return kind == DeviceKind::Cuda ? "cuda" : "cpu";
}

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unknown:
        return "unknown";
    case ErrorCode::BadRequest:
        return "bad_request";
    case ErrorCode::UnknownKernel:
        return "unknown_kernel";
    case ErrorCode::BadParameter:
        return "bad_parameter";
    case ErrorCode::UnknownVariant:
        return "unknown_variant";
    case ErrorCode::NoDevice:
        return "no_device";
    case ErrorCode::CudaError:
        return "cuda_error";
    case ErrorCode::OutOfMemory:
        return "out_of_memory";
    case ErrorCode::MalformedMessage:
        return "malformed_message";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::AccuracyCheckFailed:
        return "accuracy_check_failed";
    }
    return "unknown";
}

} // namespace paperlab::kernels
