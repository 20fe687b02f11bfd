// PL_HD marks a function that host code and CUDA device code both call, so the CPU reference and
// the GPU kernels share one definition (inline in a host-only build, where nvcc is absent).
#pragma once

#ifdef __CUDACC__
#define PL_HD __host__ __device__ __forceinline__
#else
#define PL_HD inline
#endif
