// What the CPU we run on can do, detected once, and the kernel level chosen from it.
//
// Kernels are compiled per level (scalar, AVX2, AVX-512, AMX) into separate files with their
// own target flags, so one binary runs on any x86-64 and uses the best path the CPU has.
// INHOUSE_KERNELS=scalar|avx2|avx512|amx caps the level (to compare paths, or to rule one out).
#pragma once

#include <string_view>

namespace inhouse::kernels {

enum class SimdLevel {
    kScalar,  // the reference kernels
    kAvx2,    // AVX2 + FMA + F16C
    kAvx512,  // AVX-512 F/BW/VL + VNNI
    kAmx,     // kAvx512 + AMX-INT8 tiles for batched products (the others run at kAvx512)
};

struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;
    bool f16c = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512vl = false;
    bool avx512vnni = false;
    // AMX-INT8 and the tile registers, and Linux let this process use them (the tile data
    // is opt-in state: arch_prctl ARCH_REQ_XCOMP_PERM).
    bool amx_int8 = false;
};

const CpuFeatures& cpu_features() noexcept;

// The best level this CPU supports, capped by INHOUSE_KERNELS when set.
SimdLevel simd_level() noexcept;

std::string_view simd_level_name(SimdLevel level) noexcept;

// Whether the CPU can run kernels of `level` (tests use this to cover every runnable path).
bool cpu_supports(SimdLevel level) noexcept;

}  // namespace inhouse::kernels
