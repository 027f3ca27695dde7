#!/usr/bin/env python3
"""Tiny models with deterministic weights, run through llama.cpp.

Usage (oracle venv as in tools/make_tokenizer_fixtures.py, plus `pip install gguf==0.19.0`):
  ~/.cache/inhouse-oracle/venv/bin/python tools/make_synthetic_fixtures.py \
      > tests/data/model/synthetic.json

F32 weights (no quantization noise), so the comparison is sharp and covers what the real models
do not: `llama` has a separate output matrix and a rope_freqs tensor (the form Llama 3's RoPE
frequency scaling takes in GGUF); `qwen2` has q/k/v biases, RoPE on halves and a tied output.
tests/model/synthetic_model_test.cpp builds the same models from the same generator
(weights(): xorshift64*) and compares logits.
"""
import json
import sys
import tempfile
from pathlib import Path

import gguf
import numpy as np
from llama_cpp import Llama

N_EMBD, N_HEADS, N_HEADS_KV, N_FF, N_LAYERS, N_VOCAB, N_CTX = 64, 4, 2, 128, 2, 256, 64
HEAD_DIM = N_EMBD // N_HEADS
TOKENS = [5, 17, 200, 3, 99, 42, 42, 7, 130, 255, 0, 64]
MASK = (1 << 64) - 1


def weights(seed: int, n: int, scale: float) -> np.ndarray:
    """xorshift64* from `seed`; each draw's top 24 bits → uniform [-1, 1) × scale."""
    state = (seed * 0x9E3779B97F4A7C15 + 1) & MASK
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        state ^= state >> 12
        state ^= (state << 25) & MASK
        state ^= state >> 27
        value = (state * 0x2545F4914F6CDD1D) & MASK
        out[i] = np.float32(((value >> 40) / float(1 << 23) - 1.0) * scale)
    return out


def tensor_list(arch):
    """(name, shape outermost first, seed, scale, is_norm) in a fixed order."""
    items = [("token_embd.weight", (N_VOCAB, N_EMBD), 1, 1.0, False),
             ("output_norm.weight", (N_EMBD,), 2, 0.2, True)]
    if arch == "llama":
        items += [("output.weight", (N_VOCAB, N_EMBD), 3, 0.3, False),
                  ("rope_freqs.weight", (HEAD_DIM // 2,), 4, 0.0, False)]
    for layer in range(N_LAYERS):
        base = 100 * (layer + 1)
        kv = HEAD_DIM * N_HEADS_KV
        if arch == "qwen2":
            items += [(f"blk.{layer}.attn_q.bias", (N_EMBD,), base + 10, 0.1, False),
                      (f"blk.{layer}.attn_k.bias", (kv,), base + 11, 0.1, False),
                      (f"blk.{layer}.attn_v.bias", (kv,), base + 12, 0.1, False)]
        items += [(f"blk.{layer}.attn_norm.weight", (N_EMBD,), base + 1, 0.2, True),
                  (f"blk.{layer}.attn_q.weight", (N_EMBD, N_EMBD), base + 2, 0.25, False),
                  (f"blk.{layer}.attn_k.weight", (kv, N_EMBD), base + 3, 0.25, False),
                  (f"blk.{layer}.attn_v.weight", (kv, N_EMBD), base + 4, 0.25, False),
                  (f"blk.{layer}.attn_output.weight", (N_EMBD, N_EMBD), base + 5, 0.25, False),
                  (f"blk.{layer}.ffn_norm.weight", (N_EMBD,), base + 6, 0.2, True),
                  (f"blk.{layer}.ffn_gate.weight", (N_FF, N_EMBD), base + 7, 0.25, False),
                  (f"blk.{layer}.ffn_up.weight", (N_FF, N_EMBD), base + 8, 0.25, False),
                  (f"blk.{layer}.ffn_down.weight", (N_EMBD, N_FF), base + 9, 0.25, False)]
    return items


def values_of(name, shape, seed, scale, is_norm):
    n = int(np.prod(shape))
    if name == "rope_freqs.weight":  # Llama 3 style divisors: 1 for high, up to 8 for low frequencies
        return np.array([1.0 + 7.0 * i / (n - 1) for i in range(n)], dtype=np.float32)
    values = weights(seed, n, scale)
    return (values + 1.0).astype(np.float32) if is_norm else values


def run(arch):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.gguf"
        writer = gguf.GGUFWriter(str(path), arch)
        writer.add_context_length(N_CTX)
        writer.add_embedding_length(N_EMBD)
        writer.add_block_count(N_LAYERS)
        writer.add_feed_forward_length(N_FF)
        writer.add_head_count(N_HEADS)
        writer.add_head_count_kv(N_HEADS_KV)
        writer.add_rope_dimension_count(HEAD_DIM)
        writer.add_rope_freq_base(10000.0)
        writer.add_layer_norm_rms_eps(1e-5)
        writer.add_tokenizer_model("gpt2")
        writer.add_tokenizer_pre("gpt-2")
        writer.add_token_list(["a", "b", "ab"] + [f"<t{i}>" for i in range(3, N_VOCAB)])
        writer.add_token_types([1] * N_VOCAB)
        writer.add_token_merges(["a b"])
        for name, shape, seed, scale, is_norm in tensor_list(arch):
            writer.add_tensor(name, values_of(name, shape, seed, scale, is_norm).reshape(shape))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        llm = Llama(model_path=str(path), n_ctx=N_CTX, n_threads=1, logits_all=True, verbose=False,
                    type_k=0, type_v=0, flash_attn=False)
        llm.eval(TOKENS)
        logits = np.array(llm.scores[: len(TOKENS)], dtype=np.float32)
    return {"tokens": TOKENS, "logits": [[float(x) for x in row] for row in logits]}


def main():
    json.dump({"oracle": "llama-cpp-python 0.3.36, 1 thread, F32 KV",
               "models": {arch: run(arch) for arch in ["llama", "qwen2"]}}, sys.stdout,
              separators=(",", ":"))


if __name__ == "__main__":
    main()
