#!/usr/bin/env python3
"""Writes tests/data/kernels/activation_fixtures.json: how llama.cpp quantizes activations.

Before a quantized dot product llama.cpp quantizes the activation row with its CPU backend's
run-time quantizer (ggml_get_type_traits_cpu(type)->from_float), which on x86 is not ggml's
reference quantizer: for Q8_0 and Q8_1 the inverse scale is 127/max and halves round to even.
This script calls that very function in the libggml-cpu of PyPI's llama-cpp-python (the
oracle venv, see tools/make_tokenizer_fixtures.py) through ctypes, on random rows and on rows
built to put products exactly halfway between two levels, and stores inputs and bytes
(base64, floats as little-endian float32) for tests/kernels/activation_quant_test.cpp.

Exact command (from the repository root):
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_activation_fixtures.py \
      > tests/data/kernels/activation_fixtures.json
"""
import base64
import ctypes
import json
import sys
from pathlib import Path

import llama_cpp
import numpy as np

TYPES = {"Q8_0": (8, 32, 34), "Q8_1": (9, 32, 36), "Q8_K": (15, 256, 292)}  # ggml id, block, bytes


class TypeTraitsCpu(ctypes.Structure):
    _fields_ = [("from_float", ctypes.c_void_p), ("vec_dot", ctypes.c_void_p),
                ("vec_dot_type", ctypes.c_int), ("nrows", ctypes.c_int64)]


FromFloat = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


def rows(block: int, rng: np.random.Generator):
    n = block * 8
    yield rng.standard_normal(n).astype(np.float32)
    # Heavy tails, as real residual streams have.
    yield (rng.standard_normal(n) * rng.choice([1.0, 1.0, 1.0, 30.0], n)).astype(np.float32)
    # max = 127 makes the inverse scale 1, so k + 0.5 is an exact tie: even vs away from zero.
    ties = (rng.integers(-126, 126, n) + 0.5).astype(np.float32)
    ties[::block] = 127.0
    yield ties
    # Zero blocks and a tiny scale.
    small = (rng.standard_normal(n) * 1e-30).astype(np.float32)
    small[:block] = 0.0
    yield small


def main():
    lib = ctypes.CDLL(str(Path(llama_cpp.__file__).parent / "lib" / "libggml-cpu.so"))
    lib.ggml_cpu_init()
    lib.ggml_get_type_traits_cpu.restype = ctypes.POINTER(TypeTraitsCpu)
    rng = np.random.default_rng(20261124)
    out = {"oracle": f"llama-cpp-python {llama_cpp.__version__} libggml-cpu from_float (x86 build)",
           "types": {}}
    for name, (type_id, block, block_bytes) in TYPES.items():
        quantize = FromFloat(lib.ggml_get_type_traits_cpu(type_id).contents.from_float)
        cases = []
        for x in rows(block, rng):
            dst = ctypes.create_string_buffer(len(x) // block * block_bytes)
            quantize(x.ctypes.data, ctypes.addressof(dst), len(x))
            cases.append({"input": base64.b64encode(x.tobytes()).decode(),
                          "bytes": base64.b64encode(dst.raw).decode()})
        out["types"][name] = cases
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
