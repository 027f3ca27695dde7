#include "kernels/simd/cpu_features.h"

#include <cpuid.h>

#include <cstdlib>
#include <string>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace inhouse::kernels {

namespace {

// CPUID leaf 7 reports AMX-TILE (EDX bit 24) and AMX-INT8 (bit 25); the kernel must then grant
// the process the tile data state (XFEATURE_XTILEDATA, 18) before the first tile instruction.
bool amx_int8_usable() noexcept {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
    const bool tile = (edx >> 24) & 1U;
    const bool int8 = (edx >> 25) & 1U;
    const bool avx512dq = (ebx >> 17) & 1U;  // the AMX kernels are built with it (src/CMakeLists.txt)
    if (!tile || !int8 || !avx512dq) return false;
#if defined(__linux__)
    constexpr long kArchReqXcompPerm = 0x1023;
    constexpr long kXfeatureXtiledata = 18;
    return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
#else
    return false;
#endif
}

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
    f.amx_int8 = amx_int8_usable();
    return f;
}

SimdLevel best_level(const CpuFeatures& f) noexcept {
    if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512vnni && f.fma) {
        return f.amx_int8 ? SimdLevel::kAmx : SimdLevel::kAvx512;
    }
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
    if (name == "amx") wanted = SimdLevel::kAmx;
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
        case SimdLevel::kAmx: return "amx";
    }
    return "unknown";
}

}  // namespace inhouse::kernels
