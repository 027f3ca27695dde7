"""llama.cpp's tools built from the sources inside PyPI's llama-cpp-python sdist, into a cache
outside the repository (nothing built is committed). Shared by bench/compare-llamacpp
(llama-bench) and bench/serve-load (llama-server).

llama.cpp is built for the instruction sets this CPU reports (/proc/cpuinfo), each as its own
GGML option, never AMX: its AMX path crashes in these VMs. The build directory is named after
those options, so a machine with another CPU builds its own copy instead of running one that
dies on an instruction it lacks (AVX-VNNI on AMD's Zen 4, say).
"""
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("INHOUSE_BENCH_CACHE", Path.home() / ".cache" / "inhouse-bench"))
SDIST = "llama-cpp-python==0.3.36"
# GGML option -> the /proc/cpuinfo flag that allows it.
GGML_CPU_OPTIONS = {"AVX": "avx", "AVX2": "avx2", "FMA": "fma", "F16C": "f16c", "BMI2": "bmi2",
                    "AVX512": "avx512f", "AVX512_VNNI": "avx512_vnni", "AVX512_VBMI": "avx512vbmi",
                    "AVX512_BF16": "avx512_bf16", "AVX_VNNI": "avx_vnni"}


def cpu_flags() -> set:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def enabled_options() -> list:
    flags = cpu_flags()
    return [option for option, flag in GGML_CPU_OPTIONS.items() if flag in flags]


def ggml_flags(enabled: list) -> list:
    return (["-DGGML_NATIVE=OFF"] + [f"-DGGML_{option}={'ON' if option in enabled else 'OFF'}"
                                     for option in GGML_CPU_OPTIONS]
            + ["-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF"])


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def llama_cpp_tool(target: str) -> Path:
    """The path of llama.cpp's `target` (llama-bench, llama-server), built on first use."""
    enabled = enabled_options()
    build = CACHE / ("llama.cpp-build-" + "-".join(option.lower() for option in enabled))
    binary = build / "bin" / target
    if binary.exists():
        return binary
    CACHE.mkdir(parents=True, exist_ok=True)
    sdists = list(CACHE.glob("llama_cpp_python-*.tar.gz"))
    if not sdists:
        run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", CACHE, SDIST])
        sdists = list(CACHE.glob("llama_cpp_python-*.tar.gz"))
    source = CACHE / "src"
    if not (source / "vendor" / "llama.cpp").exists():
        shutil.rmtree(source, ignore_errors=True)
        with tarfile.open(sdists[0]) as archive:
            archive.extractall(CACHE / "extract", filter="data")
        (CACHE / "extract" / sdists[0].name.removesuffix(".tar.gz")).rename(source)
    run(["cmake", "-S", source / "vendor" / "llama.cpp", "-B", build, "-DCMAKE_BUILD_TYPE=Release",
         "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
         "-DLLAMA_BUILD_SERVER=ON", "-DLLAMA_BUILD_TOOLS=ON", "-DBUILD_SHARED_LIBS=OFF", *ggml_flags(enabled)])
    run(["cmake", "--build", build, "--target", target, "-j", str(os.cpu_count() or 2)])
    return binary

