#!/usr/bin/env python3
"""Tokenizer speed beside llama.cpp, on the same GGUF and the same 1 MB text.

Usage (oracle venv as in tools/make_tokenizer_fixtures.py):
  ~/.cache/inhouse-oracle/venv/bin/python bench/tokenizer/compare_llamacpp.py \
      build/release/bench/tokenize_speed MODEL.gguf [REPETITIONS]

Builds the text from tests/data/tokenizer/corpus.json (valid entries) repeated to 1 MiB, runs
inhouse's tokenize_speed and llama.cpp's llama_tokenize, and prints both medians and the ratio.
"""
import ctypes
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parents[2]


def make_text() -> bytes:
    corpus = json.loads((ROOT / "tests/data/tokenizer/corpus.json").read_text(encoding="utf-8"))
    unit = "\n".join(entry["text"] for entry in corpus if "text" in entry).encode()
    return (unit * (1 + (1 << 20) // len(unit)))[: 1 << 20]


def llama_cpp_median(model_path: str, text: bytes, repetitions: int):
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    model = llama_cpp.llama_model_load_from_file(model_path.encode(), params)
    vocab = llama_cpp.llama_model_get_vocab(model)
    capacity = len(text) + 16
    tokens = (llama_cpp.llama_token * capacity)()
    llama_cpp.llama_tokenize(vocab, text[:4096], 4096, tokens, capacity, False, False)
    times, n = [], 0
    for _ in range(repetitions):
        start = time.perf_counter()
        n = llama_cpp.llama_tokenize(vocab, text, len(text), tokens, capacity, False, False)
        times.append(time.perf_counter() - start)
    return n, statistics.median(times)


def main():
    binary, model_path = sys.argv[1], sys.argv[2]
    repetitions = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    text = make_text()
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(text)
        f.flush()
        ours = json.loads(subprocess.run([binary, model_path, f.name, str(repetitions)],
                                         check=True, capture_output=True, text=True).stdout)
    n_ref, ref_seconds = llama_cpp_median(model_path, text, repetitions)
    print(json.dumps({
        "model": Path(model_path).name, "bytes": len(text), "repetitions": repetitions,
        "inhouse": {"tokens": ours["tokens"], "median_seconds": ours["median_seconds"],
                    "tokens_per_second": round(ours["tokens"] / ours["median_seconds"])},
        "llama_cpp": {"tokens": n_ref, "median_seconds": round(ref_seconds, 6),
                      "tokens_per_second": round(n_ref / ref_seconds)},
        "speedup_vs_llama_cpp": round(ref_seconds / ours["median_seconds"], 2),
        "same_token_count": ours["tokens"] == n_ref,
    }, indent=2))


if __name__ == "__main__":
    main()
