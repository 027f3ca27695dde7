#include "kernels/simd/cpu_features.h"

#include <cstdlib>
#include <string>

namespace inhouse::kernels {

namespace {

CpuFeatures detect() noexcept {
    __builtin_cpu_init();
    CpuFeatures f;
    f.avx2 = __builtin_cpu_supports("avx2");
    f.fma = __builtin_cpu_supports("fma");
    // F16C has no __builtin_cpu_supports name in g++ 12; every AVX2 CPU has it.
    f.f16c = f.avx2;
    f.avx512f = __builtin_cpu_supports("avx512f");
    f.avx512bw = __builtin_cpu_supports("avx512bw");
    f.avx512vl = __builtin_cpu_supports("avx512vl");
    f.avx512vnni = __builtin_cpu_supports("avx512vnni");
    return f;
}

SimdLevel best_level(const CpuFeatures& f) noexcept {
    if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512vnni && f.fma) return SimdLevel::kAvx512;
    if (f.avx2 && f.fma && f.f16c) return SimdLevel::kAvx2;
    return SimdLevel::kScalar;
}

SimdLevel capped(SimdLevel best) noexcept {
    const char* cap = std::getenv("INHOUSE_KERNELS");
    if (cap == nullptr) return best;
    const std::string name(cap);
    SimdLevel wanted = best;
    if (name == "scalar") wanted = SimdLevel::kScalar;
    if (name == "avx2") wanted = SimdLevel::kAvx2;
    if (name == "avx512") wanted = SimdLevel::kAvx512;
    return wanted < best ? wanted : best;
}

}  // namespace

const CpuFeatures& cpu_features() noexcept {
    static const CpuFeatures features = detect();
    return features;
}

SimdLevel simd_level() noexcept {
    static const SimdLevel level = capped(best_level(cpu_features()));
    return level;
}

bool cpu_supports(SimdLevel level) noexcept { return level <= best_level(cpu_features()); }

std::string_view simd_level_name(SimdLevel level) noexcept {
    switch (level) {
        case SimdLevel::kScalar: return "scalar";
        case SimdLevel::kAvx2: return "avx2";
        case SimdLevel::kAvx512: return "avx512";
    }
    return "unknown";
}

}  // namespace inhouse::kernels
