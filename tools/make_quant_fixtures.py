#!/usr/bin/env python3
"""Writes the GGUF bit-compatibility fixtures of the kernels tests (tests/kernels/).

The oracle is gguf-py (PyPI `gguf`, pinned below): its gguf.quants module is a numpy port of
ggml's reference (de)quantizers. For every computable tensor type the fixtures hold

  * dequantize: a few random, valid blocks (raw bytes) and the floats gguf-py decodes them to;
  * quantize:   float inputs and the bytes gguf-py encodes them to, for the types whose
                quantization gguf-py implements exactly as ggml's reference (F16, BF16, Q8_0,
                Q4_0, Q4_1, Q5_0, Q5_1). gguf-py has no Q8_1 or Q8_K at all (and lists Q8_1 with
                ggml's old 40-byte layout), so for those two this script carries a short numpy
                transcription of ggml's quantize_row_q8_1_ref / quantize_row_q8_K_ref, marked
                "oracle": "script" in the JSON. The K-quants' quantizers are searches that
                gguf-py does not implement; they have dequantize fixtures only.

With --smollm2 and --gemma3 it also writes real_rows.json: the first elements of the first
and last rows of a few tensors of each real model, as gguf-py dequantizes them.

Floats and bytes are stored base64 (floats as little-endian float32), so comparisons are
bit for bit.

Exact command (from the repository root):
  python3 -m venv /tmp/quant-fixtures-venv
  /tmp/quant-fixtures-venv/bin/pip install gguf==0.19.0 numpy==2.4.6
  /tmp/quant-fixtures-venv/bin/python tools/make_quant_fixtures.py \
      --smollm2 "$INHOUSE_TEST_SMOLLM2" --gemma3 "$INHOUSE_TEST_GEMMA3"
"""
import argparse
import base64
import importlib.metadata
import json
import sys
from pathlib import Path

import numpy as np

GGUF_VERSION = "0.19.0"
if importlib.metadata.version("gguf") != GGUF_VERSION:
    sys.exit(f"needs gguf=={GGUF_VERSION}, found {importlib.metadata.version('gguf')}")

from gguf import GGUFReader  # noqa: E402
from gguf import quants  # noqa: E402
from gguf.constants import GGMLQuantizationType as QType  # noqa: E402

OUT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "kernels"
SEED = 20240604

# name: (elements per block, bytes per block, byte offsets of fp16 scale fields)
LAYOUTS = {
    "F32": (1, 4, []),
    "F16": (1, 2, []),
    "BF16": (1, 2, []),
    "Q8_0": (32, 34, [0]),
    "Q8_1": (32, 36, [0]),  # s (offset 2) is derived from d and the quants
    "Q4_0": (32, 18, [0]),
    "Q4_1": (32, 20, [0, 2]),
    "Q5_0": (32, 22, [0]),
    "Q5_1": (32, 24, [0, 2]),
    "Q2_K": (256, 84, [80, 82]),
    "Q3_K": (256, 110, [108]),
    "Q4_K": (256, 144, [0, 2]),
    "Q5_K": (256, 176, [0, 2]),
    "Q6_K": (256, 210, [208]),
    "Q8_K": (256, 292, []),  # d is a float32; bsums are derived from the quants
}
EXACT_QUANTIZERS = ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"]


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


# --- the two types gguf-py lacks: numpy transcriptions of ggml's reference ----------------

def quantize_q8_1(x: np.ndarray) -> np.ndarray:
    blocks = x.astype(np.float32).reshape(-1, 32)
    d = np.abs(blocks).max(axis=1, keepdims=True) / np.float32(127)
    with np.errstate(divide="ignore"):
        inverse = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
    scaled = (blocks * inverse).astype(np.float32)
    q = quants.np_roundf(scaled).astype(np.int8)  # C's roundf: halves away from zero
    s = (q.astype(np.int32).sum(axis=1, keepdims=True).astype(np.float32) * d).astype(np.float16)
    return np.concatenate([d.astype(np.float16).view(np.uint8), s.view(np.uint8),
                           q.view(np.uint8)], axis=1).reshape(-1)


def dequantize_q8_1(raw: np.ndarray) -> np.ndarray:
    blocks = raw.reshape(-1, 36)
    d = blocks[:, 0:2].copy().view(np.float16).astype(np.float32)
    return (blocks[:, 4:].copy().view(np.int8).astype(np.float32) * d).reshape(-1)


def quantize_q8_k(x: np.ndarray) -> np.ndarray:
    out = []
    for block in x.astype(np.float32).reshape(-1, 256):
        extreme = block[np.argmax(np.abs(block))]
        if extreme == 0:
            out.append(np.zeros(292, dtype=np.uint8))
            continue
        inverse = np.float32(-127) / extreme
        q = np.minimum(127, np.rint((inverse * block).astype(np.float32))).astype(np.int8)
        bsums = q.astype(np.int16).reshape(16, 16).sum(axis=1).astype(np.int16)
        d = np.array([np.float32(1) / inverse], dtype=np.float32)
        out.append(np.concatenate([d.view(np.uint8), q.view(np.uint8), bsums.view(np.uint8)]))
    return np.concatenate(out)


def dequantize_q8_k(raw: np.ndarray) -> np.ndarray:
    blocks = raw.reshape(-1, 292)
    d = blocks[:, 0:4].copy().view(np.float32)
    return (blocks[:, 4:260].copy().view(np.int8).astype(np.float32) * d).reshape(-1)


def gguf_dequantize(name: str, raw: np.ndarray) -> tuple[np.ndarray, str]:
    if name == "Q8_1":
        return dequantize_q8_1(raw), "script"
    if name == "Q8_K":
        return dequantize_q8_k(raw), "script"
    values = quants.dequantize(raw, QType[name])
    return np.asarray(values, dtype=np.float32).reshape(-1), "gguf"


def gguf_quantize(name: str, x: np.ndarray) -> tuple[np.ndarray, str]:
    if name == "Q8_1":
        return quantize_q8_1(x), "script"
    if name == "Q8_K":
        return quantize_q8_k(x), "script"
    encoded = quants.quantize(x.astype(np.float32), QType[name])
    return np.asarray(encoded).view(np.uint8).reshape(-1), "gguf"


# --- inputs -----------------------------------------------------------------------------

def random_blocks(name: str, rng: np.random.Generator) -> np.ndarray:
    """Random bytes that form valid blocks: every scale is a finite, moderate fp16."""
    block_size, block_bytes, scale_offsets = LAYOUTS[name]
    if block_size == 1:
        values = rng.normal(0.0, 1.0, 64).astype(np.float32)
        if name == "F32":
            return values.view(np.uint8)
        if name == "F16":
            specials = np.array([0.0, -0.0, np.inf, -np.inf, 65504.0, 6.1e-5, 6e-8, -3e-7],
                                dtype=np.float16)
            return np.concatenate([values.astype(np.float16), specials]).view(np.uint8)
        bits = quants.quantize(values, QType.BF16).view(np.uint16)
        specials = np.array([0x0000, 0x8000, 0x7F80, 0xFF80, 0x0001, 0x807F], dtype=np.uint16)
        return np.concatenate([bits, specials]).view(np.uint8)
    n_blocks = 4 if block_size == 32 else 2
    raw = rng.integers(0, 256, size=(n_blocks, block_bytes), dtype=np.uint8)
    for offset in scale_offsets:
        scale = (np.abs(rng.normal(0.0, 0.05, n_blocks)) + 1e-3).astype(np.float16)
        raw[:, offset:offset + 2] = scale.view(np.uint8).reshape(n_blocks, 2)
    if name == "Q8_1":  # s = d · Σ qs, as a real activation block has it
        d = raw[:, 0:2].copy().view(np.float16).astype(np.float32).reshape(-1)
        sums = raw[:, 4:].copy().view(np.int8).astype(np.int32).sum(axis=1)
        raw[:, 2:4] = (sums * d).astype(np.float16).view(np.uint8).reshape(n_blocks, 2)
    if name == "Q8_K":
        d = (np.abs(rng.normal(0.0, 0.01, n_blocks)) + 1e-4).astype(np.float32)
        raw[:, 0:4] = d.view(np.uint8).reshape(n_blocks, 4)
        sums = raw[:, 4:260].copy().view(np.int8).astype(np.int16).reshape(n_blocks, 16, 16).sum(axis=2)
        raw[:, 260:] = sums.astype(np.int16).view(np.uint8).reshape(n_blocks, 32)
    return raw.reshape(-1)


def quantize_inputs(name: str, rng: np.random.Generator) -> np.ndarray:
    """Normal data at several scales plus the edge cases of the reference rounding."""
    block_size = max(LAYOUTS[name][0], 32)
    blocks = [rng.normal(0.0, sigma, block_size) for sigma in (1.0, 0.02, 30.0)]
    blocks.append(np.zeros(block_size))                       # d = 0 path
    tie = rng.normal(0.0, 1.0, block_size)
    tie[3], tie[9] = 2.5, -2.5                                 # first of equal magnitudes wins
    blocks.append(tie)
    one_hot = np.zeros(block_size)
    one_hot[5] = -0.75
    blocks.append(one_hot)
    positive = np.abs(rng.normal(0.0, 1.0, block_size)) + 0.5   # min > 0 for Q4_1 / Q5_1
    blocks.append(positive)
    if name in ("F16", "BF16"):
        blocks.append(np.array([np.inf, -np.inf, np.nan, 1e-8, -1e-8, 65519.0, 65520.0, 1e-40]
                               + [1.0 + i * 2.0**-11 for i in range(24)]))
    return np.concatenate(blocks).astype(np.float32)


# --- outputs ----------------------------------------------------------------------------

def quant_fixtures() -> dict:
    rng = np.random.default_rng(SEED)
    types = {}
    for name, (block_size, block_bytes, _) in LAYOUTS.items():
        raw = random_blocks(name, rng)
        values, oracle = gguf_dequantize(name, raw)
        entry = {"block_size": block_size, "block_bytes": block_bytes,
                 "dequantize": {"oracle": oracle, "blocks": b64(raw), "values": b64(values)}}
        if name in EXACT_QUANTIZERS or name in ("Q8_1", "Q8_K", "F32"):
            x = quantize_inputs(name, rng)
            encoded, oracle = (x.view(np.uint8), "identity") if name == "F32" else gguf_quantize(name, x)
            entry["quantize"] = {"oracle": oracle, "values": b64(x), "blocks": b64(encoded)}
        types[name] = entry
    return {"generator": "tools/make_quant_fixtures.py", "gguf": GGUF_VERSION,
            "numpy": np.__version__, "seed": SEED, "types": types}


REAL_TENSORS = {
    "smollm2": ["token_embd.weight", "blk.0.attn_q.weight", "blk.0.ffn_down.weight",
                "blk.0.attn_norm.weight"],
    "gemma3": ["token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_output.weight",
               "blk.0.ffn_down.weight", "blk.0.attn_norm.weight"],
}
REAL_ROW_PREFIX = 256  # elements kept per row: a whole K-quant super-block


def real_rows(paths: dict) -> dict:
    models = {}
    for model, path in paths.items():
        reader = GGUFReader(path)
        by_name = {tensor.name: tensor for tensor in reader.tensors}
        tensors = []
        for name in REAL_TENSORS[model]:
            tensor = by_name[name]
            data = np.asarray(tensor.data)
            rows = data.reshape(1, -1) if data.ndim == 1 else data.reshape(data.shape[0], -1)
            entry = {"name": name, "type": tensor.tensor_type.name,
                     "row_length": int(tensor.shape[0]), "n_rows": int(rows.shape[0]), "rows": []}
            for index in sorted({0, rows.shape[0] - 1}):
                values, _ = gguf_dequantize(tensor.tensor_type.name, rows[index].view(np.uint8))
                entry["rows"].append({"index": index, "values": b64(values[:REAL_ROW_PREFIX])})
            tensors.append(entry)
        models[model] = {"file": Path(path).name, "tensors": tensors}
    return {"generator": "tools/make_quant_fixtures.py", "gguf": GGUF_VERSION,
            "prefix_elements": REAL_ROW_PREFIX, "models": models}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smollm2", help="SmolLM2-135M-Instruct Q4_1 .gguf (for real_rows.json)")
    parser.add_argument("--gemma3", help="gemma-3-270m Q4_K_M .gguf (for real_rows.json)")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "quant_fixtures.json").write_text(json.dumps(quant_fixtures(), indent=1) + "\n")
    if args.smollm2 and args.gemma3:
        rows = real_rows({"smollm2": args.smollm2, "gemma3": args.gemma3})
        (OUT_DIR / "real_rows.json").write_text(json.dumps(rows, indent=1) + "\n")
    elif args.smollm2 or args.gemma3:
        parser.error("give both --smollm2 and --gemma3, or neither")
    return 0


if __name__ == "__main__":
    sys.exit(main())
