"""llama.cpp's tools built from the sources inside PyPI's llama-cpp-python sdist, into a cache
outside the repository (nothing built is committed). Shared by bench/compare-llamacpp
(llama-bench) and bench/serve-load (llama-server).

llama.cpp is built for this CPU's AVX-512/VNNI but without AMX: its AMX path crashes in this VM
(and inhouse has no AMX kernels either).
"""
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("INHOUSE_BENCH_CACHE", Path.home() / ".cache" / "inhouse-bench"))
SDIST = "llama-cpp-python==0.3.36"
GGML_FLAGS = ["-DGGML_NATIVE=OFF", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON",
              "-DGGML_BMI2=ON", "-DGGML_AVX512=ON", "-DGGML_AVX512_VNNI=ON", "-DGGML_AVX512_VBMI=ON",
              "-DGGML_AVX512_BF16=ON", "-DGGML_AVX_VNNI=ON", "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF",
              "-DGGML_AMX_BF16=OFF"]


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def llama_cpp_tool(target: str) -> Path:
    """The path of llama.cpp's `target` (llama-bench, llama-server), built on first use."""
    build = CACHE / "llama.cpp-build"
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
         "-DLLAMA_BUILD_SERVER=ON", "-DLLAMA_BUILD_TOOLS=ON", "-DBUILD_SHARED_LIBS=OFF", *GGML_FLAGS])
    run(["cmake", "--build", build, "--target", target, "-j", str(os.cpu_count() or 2)])
    return binary

